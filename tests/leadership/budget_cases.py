"""The leadership's query budgets: the service performance report of a month (page, XLSX, PDF,
API), the desk, oversight and the staff evaluation. What grows from SMALL to LARGE: the month's dossiers, handed over, each with its history;
the report and the desk read them in grouped queries and the stored measures (dossiers.Measure)."""

from __future__ import annotations

from django.utils import timezone

from tests.support.budgets import case, same

BUDGETS = {
    "staf/pimpinan/kinerja/publikasi/": {"POST (redirect)": 13},
    "staf/pimpinan/pengawasan/": {"GET": 13},
    "staf/pimpinan/pengawasan/tindak-lanjut/": {"POST (redirect)": 7},
    "<slug:office>/kinerja/": {"GET": 4},
    "staf/pimpinan/": {"GET": 23, "GET (htmx panel)": 23},  # the trend of past months: 2 of them, cached for hours
    "staf/pimpinan/terlambat/": {"GET": 7},
    "staf/pimpinan/menunggu/": {"GET": 7},
    "staf/pimpinan/kinerja/": {"GET": 10},
    "staf/pimpinan/kinerja/unduh.xlsx": {"GET": 10},
    "staf/pimpinan/kinerja/terlambat/": {"GET": 5},
    "staf/pimpinan/kinerja/unduh.pdf": {"GET": 12},
    "api/v1/staff/performance/": {"GET (token)": 8},
    "staf/pimpinan/evaluasi/": {"GET": 16},
    "staf/pimpinan/evaluasi/<int:user_id>/": {"GET": 18},
    "staf/pimpinan/evaluasi/<int:user_id>/rincian/": {"GET": 7},
    "staf/pimpinan/evaluasi/<int:user_id>/lembar.pdf": {"GET": 18},
    "staf/pimpinan/evaluasi/<int:user_id>/penilaian/": {"POST (redirect)": 21},
    "api/v1/staff/evaluation/": {"GET (token)": 14},
    "api/v1/staff/evaluation/<user_id>/assessments/": {"POST (token)": 18},
}


@case("staf/pimpinan/", "GET", rows=True)
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get("/staf/pimpinan/"))


@case("staf/pimpinan/", "GET (htmx panel)", rows=True)
def _(w, n):
    _month(w, n)
    w.login("sekcam")
    return same(lambda: w.client.get("/staf/pimpinan/", headers={"HX-Request": "true"}))


@case("staf/pimpinan/terlambat/", "GET")
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get("/staf/pimpinan/terlambat/"))


@case("staf/pimpinan/menunggu/", "GET")
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get("/staf/pimpinan/menunggu/?status=forwarded"))


def _month(w, n):
    w.dossiers(n, "handed_over", "returned", "forwarded")


@case("staf/pimpinan/kinerja/", "GET", rows=False)
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get("/staf/pimpinan/kinerja/"))


@case("staf/pimpinan/kinerja/unduh.xlsx", "GET")
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get("/staf/pimpinan/kinerja/unduh.xlsx"))


@case("staf/pimpinan/kinerja/unduh.pdf", "GET")
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get("/staf/pimpinan/kinerja/unduh.pdf"))


@case("api/v1/staff/performance/", "GET (token)")
def _(w, n):
    _month(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.get("/api/v1/staff/performance/", **headers))


@case("staf/pimpinan/kinerja/publikasi/", "POST (redirect)", 302)
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.post("/staf/pimpinan/kinerja/publikasi/", {"tahun": "2025", "ke": "1"}))


@case("staf/pimpinan/pengawasan/", "GET")
def _(w, n):
    _month(w, n)
    w.dossier("returned")  # a citizen returned twice: an item to follow up with SMALL rows too
    w.login("sekcam")
    return same(lambda: w.client.get("/staf/pimpinan/pengawasan/"))


@case("staf/pimpinan/pengawasan/tindak-lanjut/", "POST (redirect)", 302)
def _(w, n):
    _month(w, n)
    w.login("sekcam")
    return same(lambda: w.client.post("/staf/pimpinan/pengawasan/tindak-lanjut/",
                                      {"key": "late:ABCDEFGH", "status": "selesai", "note": "Sudah diperiksa."}))


@case("<slug:office>/kinerja/", "GET", rows=True)
def _(w, n):
    from loket.leadership.models import Publication

    for k in range(n):
        Publication.objects.create(office=w.office, year=2020 + k // 12, month=k % 12 + 1, period_label=f"Bulan {k}",
                                   data={"total": {"received": k}, "services": [{"label": f"L{k}"}]},
                                   published_at=timezone.now(), published_by=w.people["camat"])
    return same(lambda: w.client.get("/contoh/kinerja/"))


@case("staf/pimpinan/kinerja/terlambat/", "GET", rows=True)
def _(w, n):
    from loket.dossiers.models import Measure

    _month(w, n)
    Measure.objects.update(on_time=False, minutes=25)  # every handover late: each is a row of the list
    w.login("camat")
    return same(lambda: w.client.get("/staf/pimpinan/kinerja/terlambat/"))


# --- the staff evaluation (komponen 14): every figure a grouped query, flat in the dossiers ------

def _sheet(w, tail: str = "") -> str:
    return f"/staf/pimpinan/evaluasi/{w.people['front'].pk}/{tail}"


@case("staf/pimpinan/evaluasi/", "GET", rows=True)
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get("/staf/pimpinan/evaluasi/"))


@case("staf/pimpinan/evaluasi/<int:user_id>/", "GET", rows=True)
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get(_sheet(w)))


@case("staf/pimpinan/evaluasi/<int:user_id>/rincian/", "GET", rows=True)
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.get(_sheet(w, "rincian/?angka=langkah")))


@case("staf/pimpinan/evaluasi/<int:user_id>/lembar.pdf", "GET")
def _(w, n):
    _month(w, n)
    w.login("sekcam")
    return same(lambda: w.client.get(_sheet(w, "lembar.pdf")))


@case("staf/pimpinan/evaluasi/<int:user_id>/penilaian/", "POST (redirect)", 302)
def _(w, n):
    _month(w, n)
    w.login("camat")
    return same(lambda: w.client.post(_sheet(w, "penilaian/"), {"penilaian": "Teliti.", "tindak_lanjut": "Lanjutkan."}))


@case("api/v1/staff/evaluation/", "GET (token)")
def _(w, n):
    _month(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.get("/api/v1/staff/evaluation/", **headers))


@case("api/v1/staff/evaluation/<user_id>/assessments/", "POST (token)", 201)
def _(w, n):
    _month(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.post(f"/api/v1/staff/evaluation/{w.people['front'].pk}/assessments/",
                                      {"tahun": 2026, "ke": 4, "assessment": "Teliti.", "follow_up": "Lanjutkan."},
                                      content_type="application/json", **headers))
