"""The surveys' (SKM) query budgets: the public form and board, the staff screens, and the API.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations

import datetime as dt
import time

from django.core.files.uploadedfile import SimpleUploadedFile

from loket.catalog.models import ServiceType
from loket.complaints import spam

from tests.support.budgets import S, PerRow, case, each, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- surveys: the public SKM form ------------------------------------------------------------
    "skm/<str:code>/": {  # other handed-over dossiers and their responses
        "GET": 3,
        "POST (saved, redirect)": 8,
    },
    "api/v1/skm/ikm/": {"GET (token)": 4},  # survey responses (aggregated in one query)
    # --- surveys: SKM staff screens and API (responses spread over services, units, months; publications) ---
    "<slug:office>/ikm/": {"GET": 3},
    "staf/skm/": {"GET (semester)": 16, "GET (tahun, one service)": 16},
    "staf/skm/laporan.pdf": {"GET": 15},
    "staf/skm/laporan.xlsx": {"GET": 15},
    "staf/skm/publikasi/": {"POST (published, redirect)": 15},
    "staf/skm/bobot/": {"POST (redirect)": 8},
    "staf/skm/kios/": {"GET": 5, "POST (saved, redirect)": 8, "POST (invalid, 400)": 8},
    "staf/skm/impor/": {"GET": 5, "POST (imported, redirect)": 8, "POST (bad row, 400)": 5},
    "staf/skm/impor/contoh.<str:fmt>": {"GET xlsx": 5},
    "api/v1/skm/report/": {"GET (token)": 11},
    "api/v1/skm/import/": {"POST (token, 201)": 6},
    "api/v1/skm/kiosk/": {"POST (token, 201)": 6},
    "api/v1/skm/setting/": {"GET (token)": 3, "PUT (token)": 6},
    "api/v1/skm/publications/": {"POST (token, 201)": 13},
    "api/v1/skm/publications/<office_slug>/latest/": {"GET": 2},
    "api/v1/skm/forms/<code>/": {"POST (201)": 7},
}


# surveys: the public SKM form

def _skm_form(**over) -> dict:
    """A post of the SKM form, its stamp signed ten seconds ago (older than spam.MIN_SECONDS)."""
    from loket.surveys.ikm import KEYS

    data = {k: str(1 + i % 4) for i, k in enumerate(KEYS)}
    data.update({"jenis_kelamin": "L", "umur": "40", "pendidikan": "SMA", "pekerjaan": "Petani",
                 "saran": "Terima kasih.", spam.STAMP_FIELD: spam.stamp_new(at=time.time() - 10),
                 spam.HONEYPOT_FIELD: ""})
    data.update(over)
    return data


def _skm_answered(w, n) -> None:
    """n other handed-over dossiers, each answered."""
    from loket.surveys import services as survey_services

    for d in w.dossiers(n, S.HANDED_OVER):
        survey_services.response_submit(dossier_code=d.code, data=_skm_form())


@case("skm/<str:code>/", "GET")
def _(w, n):
    _skm_answered(w, n)
    d = w.dossier(S.HANDED_OVER)
    return same(lambda: w.client.get(f"/skm/{d.code}/"))


@case("skm/<str:code>/", "POST (saved, redirect)", 302)
def _(w, n):
    _skm_answered(w, n)
    return each(lambda: w.dossier(S.HANDED_OVER), lambda d: w.client.post(f"/skm/{d.code}/", _skm_form()))


@case("api/v1/skm/ikm/", "GET (token)")
def _(w, n):
    _skm_responses(w, n)
    return same(lambda: w.client.get("/api/v1/skm/ikm/", **w.token("camat")))


SKM_YEAR = 2025


def _skm_responses(w, n) -> None:
    """n survey responses of SKM_YEAR spread over the months, both services (so both units)
    and none, with varied profiles and suggestions; and n publications of that year."""
    from loket.surveys import services as survey_services
    from loket.surveys.ikm import KEYS
    from loket.surveys.models import Response
    from loket.surveys.periods import Period

    services_ = list(ServiceType.objects.filter(edition=w.edition).order_by("pk")[:2]) + [None]
    Response.objects.bulk_create(
        Response(office=w.office, date=dt.date(SKM_YEAR, 1 + i % 12, 1 + i % 28), source=Response.Source.PAPER,
                 service=services_[i % 3], unit_id=services_[i % 3].unit_id if services_[i % 3] else None,
                 sex="LP"[i % 2], age=18 + 7 * i % 60, education=f"Pendidikan {i}", occupation=f"Pekerjaan {i}",
                 suggestion=f"Saran nomor {i}.", **{k: 1 + (i + j) % 4 for j, k in enumerate(KEYS)})
        for i in range(n)
    )
    for i in range(n):
        survey_services.publication_publish(office=w.office, actor=w.people["camat"], period=Period("tahun", SKM_YEAR, 1))


def _skm_csv(n) -> bytes:
    from loket.surveys.ikm import KEYS

    lines = [",".join(KEYS + ["tanggal", "layanan"])]
    lines += [",".join(["3"] * 9 + [f"{SKM_YEAR}-02-0{1 + i % 9}", "pindah"]) for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


@case("<slug:office>/ikm/", "GET", rows=True)
def _(w, n):
    _skm_responses(w, n)
    return same(lambda: w.client.get(f"/{w.office.slug}/ikm/"))


@case("staf/skm/", "GET (semester)", rows=True)
def _(w, n):
    _skm_responses(w, n)
    w.login("camat")
    return same(lambda: w.client.get(f"/staf/skm/?jenis=semester&tahun={SKM_YEAR}&ke=1"))


@case("staf/skm/", "GET (tahun, one service)")
def _(w, n):
    _skm_responses(w, n)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/skm/?jenis=tahun&tahun={SKM_YEAR}&layanan=pindah"))


def _skm_export_case(ext):
    @case(f"staf/skm/laporan.{ext}", "GET", rows=True)
    def _(w, n):
        _skm_responses(w, n)
        w.login("sekcam")
        return same(lambda: w.client.get(f"/staf/skm/laporan.{ext}?jenis=tahun&tahun={SKM_YEAR}"))


_skm_export_case("pdf")


_skm_export_case("pdf")
_skm_export_case("xlsx")


@case("staf/skm/publikasi/", "POST (published, redirect)", 302)
def _(w, n):
    _skm_responses(w, n)
    w.login("camat")
    return same(lambda: w.client.post("/staf/skm/publikasi/", {"jenis": "tahun", "tahun": str(SKM_YEAR)}))


@case("staf/skm/bobot/", "POST (redirect)", 302)
def _(w, n):
    _skm_responses(w, n)
    w.login("admin")
    return same(lambda: w.client.post("/staf/skm/bobot/", {"bobot": "0.111"}))


@case("staf/skm/kios/", "GET")
def _(w, n):
    _skm_responses(w, n)
    w.services(n)
    w.login("front")
    return same(lambda: w.client.get("/staf/skm/kios/"))


@case("staf/skm/kios/", "POST (saved, redirect)", 302)
def _(w, n):
    from loket.surveys.ikm import KEYS

    _skm_responses(w, n)
    w.services(n)
    w.login("front")
    return same(lambda: w.client.post("/staf/skm/kios/", {"layanan": "pindah", **{k: "4" for k in KEYS}}))


@case("staf/skm/kios/", "POST (invalid, 400)", 400)
def _(w, n):
    _skm_responses(w, n)
    w.services(n)
    w.login("front")
    return same(lambda: w.client.post("/staf/skm/kios/", {"persyaratan": "9"}))


@case("staf/skm/impor/", "GET")
def _(w, n):
    _skm_responses(w, n)
    w.services(n)
    w.login("front")
    return same(lambda: w.client.get("/staf/skm/impor/"))


@case("staf/skm/impor/", "POST (imported, redirect)", 302)
def _(w, n):
    _skm_responses(w, n)
    w.login("front")
    return same(lambda: w.client.post("/staf/skm/impor/", {
        "berkas": SimpleUploadedFile("skm.csv", _skm_csv(n), "text/csv")}))


@case("staf/skm/impor/", "POST (bad row, 400)", 400)
def _(w, n):
    _skm_responses(w, n)
    w.login("front")
    bad = _skm_csv(n).replace(b",3,", b",7,", 1)
    return same(lambda: w.client.post("/staf/skm/impor/", {"berkas": SimpleUploadedFile("skm.csv", bad, "text/csv")}))


@case("staf/skm/impor/contoh.<str:fmt>", "GET xlsx")
def _(w, n):
    w.services(n)
    w.login("front")
    return same(lambda: w.client.get("/staf/skm/impor/contoh.xlsx"))


@case("api/v1/skm/report/", "GET (token)", rows=True)
def _(w, n):
    _skm_responses(w, n)
    return same(lambda: w.client.get(f"/api/v1/skm/report/?period=tahun&year={SKM_YEAR}", **w.token("camat")))


@case("api/v1/skm/import/", "POST (token, 201)", 201)
def _(w, n):
    _skm_responses(w, n)
    return same(lambda: w.client.post("/api/v1/skm/import/", {
        "file": SimpleUploadedFile("skm.csv", _skm_csv(n), "text/csv")}, **w.token("front")))


@case("api/v1/skm/kiosk/", "POST (token, 201)", 201)
def _(w, n):
    from loket.surveys.ikm import KEYS

    _skm_responses(w, n)
    w.services(n)
    return same(lambda: w.client.post("/api/v1/skm/kiosk/", {"service": "pindah", "answers": {k: 4 for k in KEYS},
                                                             "profile": {"umur": 30}},
                                      content_type="application/json", **w.token("front")))


@case("api/v1/skm/setting/", "GET (token)")
def _(w, n):
    _skm_responses(w, n)
    return same(lambda: w.client.get("/api/v1/skm/setting/", **w.token("front")))


@case("api/v1/skm/setting/", "PUT (token)")
def _(w, n):
    _skm_responses(w, n)
    return same(lambda: w.client.put("/api/v1/skm/setting/", {"weight": "0.11"}, content_type="application/json",
                                     **w.token("admin")))


@case("api/v1/skm/publications/", "POST (token, 201)", 201)
def _(w, n):
    _skm_responses(w, n)
    return same(lambda: w.client.post("/api/v1/skm/publications/", {"period": "tahun", "year": SKM_YEAR},
                                      content_type="application/json", **w.token("sekcam")))


@case("api/v1/skm/publications/<office_slug>/latest/", "GET")
def _(w, n):
    _skm_responses(w, n)
    return same(lambda: w.client.get(f"/api/v1/skm/publications/{w.office.slug}/latest/"))


@case("api/v1/skm/forms/<code>/", "POST (201)", 201)
def _(w, n):
    from loket.surveys.ikm import KEYS

    _skm_answered(w, n)
    return each(lambda: w.dossier(S.HANDED_OVER), lambda d: w.client.post(
        f"/api/v1/skm/forms/{d.code}/", {"answers": {k: 3 for k in KEYS}, "profile": {}},
        content_type="application/json"))
