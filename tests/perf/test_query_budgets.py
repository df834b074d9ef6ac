"""Query budgets: every page and API endpoint runs a bounded number of SQL queries, and that
number does not grow with the number of rows it shows.

Each case below is measured twice, once with SMALL rows of what the page lists (dossiers,
services, requirements, register entries, transitions of the dossier …) and once after growing
them to at least LARGE. Both counts must be equal and within the case's budget in BUDGETS. A
case marked ``rows=True`` also checks that its LARGE response is bigger, i.e. that the page
really showed the extra rows. The only exceptions are the PerRow budgets: requests whose work
is writing n rows (sign n chosen dossiers, one act each), where the count
must grow by exactly ``each`` per row.

The budgets are the counts measured when this file was written, so the table documents what
each page costs today: a page that starts doing more fails here; one that gets cheaper should
have its budget lowered.

Every URL pattern of the project has an entry (test_every_url_pattern_has_a_budget walks the
resolver), except those mounted under EXCLUDED_PREFIXES: Django's own admin site and its
set_language view, which are not Loket's code.

How a case is measured (``measure``): the client keeps one session (force_login) for staff
pages; the cache is cleared before every request (the rate limiter of the public look-ups lives
there); one request warms up (session, content types, first-use caches) and the next one is
counted. A case that changes data (an act, an intake, a login) prepares a fresh target for each
of the two requests outside the counted block.

The counts are for the whole request: middleware (session, user, the user's staff record,
django-axes on log in/out) included. The test runs inside a transaction, so each atomic block
of a write shows up as a SAVEPOINT/RELEASE pair (two "queries" that production's outermost
transaction does not issue). Measured on SQLite; PostgreSQL runs the same queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver

from loket.api.models import ApiToken
from loket.catalog.models import ProcedureStep, Requirement, ServiceType, Tariff
from loket.dossiers import services
from loket.dossiers.models import Dossier
from loket.offices.models import Office
from tests.factories import applicant_data

S = Dossier.State

SMALL, LARGE = 2, 12


@dataclass(frozen=True)
class PerRow:
    """A budget for a request whose work is writing n rows: at most ``base + each * n``
    queries, and exactly ``each`` more per extra row."""

    base: int
    each: int

    def limit(self, n: int) -> int:
        return self.base + self.each * n


# Route patterns mounted here are not budgeted: Django's admin site and django.conf.urls.i18n.
EXCLUDED_PREFIXES = ("admin/", "i18n/")

# route pattern (as the resolver spells it) -> {case: budget}.  What grows from SMALL to LARGE
# is named in the comment of each route.
BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- Loket-wide ---------------------------------------------------------------------------
    "healthz/": {"GET": 0},  # nothing (touches no database)
    "bahasa/<str:code>/": {"GET": 0},  # sets a cookie, touches no database
    # --- public catalog -------------------------------------------------------------------------
    "": {  # offices
        "GET (one office: redirect)": 2,
        "GET ?semua=1 (list of offices)": 3,
    },
    "<slug:office>/": {"GET": 7},  # services of the edition
    "<slug:office>/layanan/": {  # services of the edition
        "GET": 8,
        "GET ?q= (htmx rows)": 6,
    },
    "<slug:office>/layanan/<slug:code>/": {"GET": 7},  # requirements, procedure steps, tariffs of the service
    "<slug:office>/standar-pelayanan.pdf": {"GET": 6},  # services of the edition
    # --- public tracking and verification -------------------------------------------------------
    "lacak/": {  # nothing
        "GET (form)": 1,
        "GET ?kode= (redirect)": 0,
    },
    "lacak/<str:code>/": {  # transitions of the dossier
        "GET": 3,
        "GET (unknown code, 404)": 2,
    },
    "verifikasi/<str:code>/": {  # registered dossiers
        "GET": 2,
        "GET (unknown code, 404)": 2,
    },
    # --- accounts -------------------------------------------------------------------------------
    "masuk/": {  # nothing
        "GET": 1,
        "POST (log in)": 13,
        "POST (wrong password)": 9,
    },
    "keluar/": {"POST": 6},  # nothing
    # --- staff: the counter flow ----------------------------------------------------------------
    "staf/": {"GET (redirect to the role's list)": 3},  # nothing
    "staf/berkas/": {"GET": 6},  # dossiers of today, in every state
    "staf/berkas/cari/": {"GET ?q=": 5},  # matching dossiers
    "staf/berkas/baru/": {  # services at the counter; requirements of the chosen service
        "GET (pick a service)": 6,
        "GET ?layanan=": 11,
        "POST (htmx checklist)": 11,
        "POST (saved, redirect)": 24,
        "POST (invalid, 400)": 17,
    },
    "staf/berkas/<str:code>/": {  # transitions and checklist items of the dossier
        "GET (returned)": 11,
        "GET (registered)": 11,
    },
    "staf/berkas/<str:code>/<slug:kind>.pdf": {  # checklist items, transitions of the dossier
        "GET tanda-terima": 12,
        "GET slip-pengembalian": 12,
        "GET stempel-verifikasi": 10,
    },
    "staf/berkas/<str:code>/<slug:action>/": {  # transitions and items of the dossier; other dossiers
        "POST forward": 15,
        "POST return": 15,
        "POST initial": 15,
        "POST sign": 15,
        "POST register": 21,
        "POST handover": 15,
        "POST resubmit": 21,  # the checklist is written with one bulk update and one bulk insert
    },
    "staf/paraf/": {"GET": 7},  # dossiers waiting for the Kasi's paraf
    "staf/tanda-tangan/": {
        "GET": 5,  # dossiers waiting for the signature
        "POST (sign the chosen ones)": PerRow(5, 5),  # n = dossiers signed, one act each
    },
    # --- staff: the register book ---------------------------------------------------------------
    "staf/register/": {  # register entries
        "GET": 9,
        "GET (every filter)": 9,
    },
    "staf/register/ekspor.xlsx": {"GET": 5},  # register entries
    "staf/register/ekspor.pdf": {"GET": 5},  # register entries
    # --- API ------------------------------------------------------------------------------------
    "api/v1/": {"GET (404 pointing at the docs)": 0},  # nothing
    "api/v1/schema/": {"GET": 0},  # nothing
    "api/v1/docs/": {"GET": 0},  # nothing
    "api/v1/services/": {"GET": 6},  # services of the edition
    "api/v1/services/<code>/": {"GET": 6},  # requirements, procedure steps, tariffs of the service
    "api/v1/dossiers/": {  # requirements of the service (checklist items written)
        "POST (token, 201)": 22,
        "POST (token, invalid, 400)": 8,
    },
    "api/v1/dossiers/<code>/": {  # transitions and items of the dossier
        "GET (token)": 7,
        "GET (session)": 9,
    },
    "api/v1/dossiers/<code>/<action>/": {  # transitions and items of the dossier; other dossiers
        "POST forward": 17,
        "POST return": 17,
        "POST initial": 17,
        "POST sign": 17,
        "POST register": 23,
        "POST handover": 17,
        "POST resubmit": 21,  # the checklist is written with one bulk update and one bulk insert
    },
    "api/v1/track/<code>/": {  # transitions of the dossier
        "GET": 2,
        "GET (unknown code, 404)": 1,
    },
    "api/v1/verify/<code>/": {  # registered dossiers
        "GET": 1,
        "GET (unknown code, 404)": 1,
    },
}


# --- the world the cases run in -------------------------------------------------------------

PATH = [S.RECEIVED, S.FORWARDED, S.INITIALLED, S.SIGNED, S.REGISTERED, S.HANDED_OVER]


class World:
    """The mini office with one account per role (tests/conftest.py), grown on demand."""

    def __init__(self, client, office, people):
        self.client, self.office, self.people = client, office, people
        self.edition = office.editions.get(status="active")
        self._big: dict[int, str] = {}
        self._tokens: dict[str, dict] = {}

    # catalog -----------------------------------------------------------------------------

    def _clone(self, source_code: str, *, code: str, rows: int | None = None) -> ServiceType:
        """A copy of a service in the active edition with its requirements, procedure steps and
        tariffs; with ``rows``: exactly that many procedure steps and tariff lines, and ``rows``
        unconditional requirements (alternately with and without the original to show) plus
        the source's conditional ones. The edition is read-only through save(); bulk_create
        writes the test data around that lock."""
        source = ServiceType.objects.get(edition=self.edition, code=source_code)
        reqs, steps, tariffs = list(source.requirements.all()), list(source.procedure_steps.all()), list(source.tariffs.all())
        number = (ServiceType.objects.filter(edition=self.edition).order_by("-number").values_list("number", flat=True).first() or 0) + 1
        clone = ServiceType.objects.get(pk=source.pk)
        clone.pk = clone.id = None
        clone.number, clone.code = number, code
        clone.name, clone.short_name = f"{source.name} {number}", f"{source.short_name} {number}"
        [clone] = ServiceType.objects.bulk_create([clone])

        def take(items, n):
            return [items[i % len(items)] for i in range(n)] if items and n is not None else items

        if rows is not None:
            plain = [r for r in reqs if not r.condition_key]
            plain = sorted(plain, key=lambda r: r.show_original)[:1] + sorted(plain, key=lambda r: not r.show_original)[:1]
            reqs = take(plain, rows) + [r for r in reqs if r.condition_key]
        Requirement.objects.bulk_create(
            Requirement(service=clone, order=i, text=f"{r.text} ({i})", show_original=r.show_original, group=r.group,
                        condition=r.condition, condition_key=r.condition_key)
            for i, r in enumerate(reqs, 1)
        )
        ProcedureStep.objects.bulk_create(
            ProcedureStep(service=clone, order=i, text=f"{p.text} ({i})") for i, p in enumerate(take(steps, rows), 1)
        )
        if rows is not None and not tariffs:
            tariffs = [Tariff(code="sesi", label="Sesi", kind=Tariff.Kind.SESSION, start=dt.time(7), end=dt.time(15),
                              unit="hari", unit_price=1000)]
        Tariff.objects.bulk_create(
            Tariff(service=clone, order=i, code=f"{t.code}-{i}", label=f"{t.label} {i}", kind=t.kind, start=t.start,
                   end=t.end, quantity=t.quantity, unit=t.unit, unit_price=t.unit_price)
            for i, t in enumerate(take(tariffs, rows), 1)
        )
        return clone

    def services(self, n: int) -> None:
        """At least n services in the edition: copies of 'pindah' (counter) and 'sewa-gedung'."""
        have = ServiceType.objects.filter(edition=self.edition).count()
        for k in range(have, n):
            self._clone("pindah" if k % 2 else "sewa-gedung", code=f"salinan-{k}")

    def service(self, n: int) -> str:
        """The code of a counter service (a copy of 'pindah') with n unconditional requirements
        and one conditional, n procedure steps and n tariff lines."""
        if n not in self._big:
            self._big[n] = self._clone("pindah", code=f"besar-{n}", rows=n).code
        return self._big[n]

    def items(self, code: str) -> list[int]:
        return list(Requirement.objects.filter(service__edition=self.edition, service__code=code).values_list("pk", flat=True))

    def offices(self, n: int) -> None:
        have = Office.objects.count()
        for k in range(have, n):
            Office.objects.create(slug=f"kantor-{k}", region_code=f"35.77.{50 + k}", name=f"Kecamatan {k}", city="Kota Contoh")

    # dossiers ----------------------------------------------------------------------------

    def dossier(self, state: str, *, history: int = 0, service: str = "pindah") -> Dossier:
        """A dossier of ``service`` driven to ``state``. With ``history`` > 0 it was first
        returned incomplete and came back ``history`` − 1 more times still incomplete (so its
        timeline has about history + 2 + the acts' rows), then complete."""
        p, front, ids = self.people, self.people["front"], self.items(service)

        def intake(present):
            return services.dossier_intake(
                office=self.office, service_code=service, applicant=applicant_data(), actor=front,
                present=present, originals=present,
            )

        if history:
            d = intake([])
            for _ in range(history - 1):
                services.dossier_resubmit(code=d.code, actor=front)
            if state == S.RETURNED:
                return Dossier.objects.get(pk=d.pk)
            services.dossier_resubmit(code=d.code, actor=front, present=ids, originals=ids)
        else:
            d = intake(ids)
            if state == S.RETURNED:
                services.dossier_return(code=d.code, actor=front, reason="Kurang lengkap", missing=["Surat pengantar"])
                return Dossier.objects.get(pk=d.pk)
        acts = {
            S.FORWARDED: lambda c: services.dossier_forward(code=c, actor=front),
            S.INITIALLED: lambda c: services.dossier_initial(code=c, actor=p["kasi"]),
            S.SIGNED: lambda c: services.dossier_sign(code=c, actor=p["sekcam"]),
            S.REGISTERED: lambda c: services.dossier_register(code=c, actor=front),
            S.HANDED_OVER: lambda c: services.dossier_handover(code=c, actor=front),
        }
        for step in PATH[1 : PATH.index(state) + 1]:
            acts[step](d.code)
        return Dossier.objects.get(pk=d.pk)

    def dossiers(self, n: int, *states: str, **kw) -> list[Dossier]:
        """n more dossiers, their states taken in turn from ``states``."""
        return [self.dossier(states[i % len(states)], **kw) for i in range(n)]

    # requests ----------------------------------------------------------------------------

    def login(self, role: str) -> None:
        self.client.force_login(self.people[role])

    def token(self, role: str) -> dict:
        if role not in self._tokens:
            self._tokens[role] = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=self.people[role], name='perf')[1]}"}
        return self._tokens[role]


def _applicant_form(**over) -> dict:
    data = applicant_data()
    data["birth_date"] = data["birth_date"].isoformat()
    data.update(over)
    return data


# --- the cases -------------------------------------------------------------------------------

# A case builds the world for n rows and returns ``shoot``: shoot() prepares one request
# (outside the count) and returns ``send``, which makes it (counted) and returns the response.
Send = Callable[[], object]
Shoot = Callable[[], Send]


@dataclass
class Case:
    build: Callable[[World, int], Shoot]
    status: int
    shows_rows: bool  # the response body lists the rows, so it must be larger with LARGE rows


CASES: dict[tuple[str, str], Case] = {}


def case(route: str, name: str, status: int = 200, *, rows: bool = False):
    """Register a case; ``rows=True`` when the response shows the rows that grow (then the test
    also checks that the LARGE response is bigger, i.e. that the rows were really shown)."""

    def register(build):
        CASES[(route, name)] = Case(build, status, rows)
        return build

    return register


def same(send: Send) -> Shoot:
    """The same request every time (it changes nothing that matters)."""
    return lambda: send


def each(prepare: Callable[[], object], send: Callable[[object], object]) -> Shoot:
    """A fresh target per request: prepare() runs uncounted, send(target) counted."""

    def shoot():
        target = prepare()
        return lambda: send(target)

    return shoot


def htmx(target: str = "") -> dict:
    headers = {"HTTP_HX_REQUEST": "true"}
    if target:
        headers["HTTP_HX_TARGET"] = target
    return headers


# Loket-wide

@case("healthz/", "GET")
def _(w, n):
    return same(lambda: w.client.get("/healthz/"))


@case("bahasa/<str:code>/", "GET", 302)
def _(w, n):
    return same(lambda: w.client.get("/bahasa/en/?next=/"))


# public catalog

@case("", "GET (one office: redirect)", 302)
def _(w, n):
    return same(lambda: w.client.get("/"))


@case("", "GET ?semua=1 (list of offices)", rows=True)
def _(w, n):
    w.offices(n)
    return same(lambda: w.client.get("/?semua=1"))


@case("<slug:office>/", "GET", rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.get("/contoh/"))


@case("<slug:office>/layanan/", "GET", rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.get("/contoh/layanan/"))


@case("<slug:office>/layanan/", "GET ?q= (htmx rows)", rows=True)
def _(w, n):
    w.services(n)  # every copy of 'pindah' matches
    return same(lambda: w.client.get("/contoh/layanan/?q=pindah&biaya=free", **htmx()))


@case("<slug:office>/layanan/<slug:code>/", "GET", rows=True)
def _(w, n):
    code = w.service(n)
    return same(lambda: w.client.get(f"/contoh/layanan/{code}/"))


@case("<slug:office>/standar-pelayanan.pdf", "GET", rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.get("/contoh/standar-pelayanan.pdf"))


# public tracking and verification

@case("lacak/", "GET (form)")
def _(w, n):
    return same(lambda: w.client.get("/lacak/"))


@case("lacak/", "GET ?kode= (redirect)", 302)
def _(w, n):
    return same(lambda: w.client.get("/lacak/?kode=abcd-efgh"))


@case("lacak/<str:code>/", "GET", rows=True)
def _(w, n):
    d = w.dossier(S.HANDED_OVER, history=n)
    return same(lambda: w.client.get(f"/lacak/{d.code}/"))


@case("lacak/<str:code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.dossiers(n, S.RECEIVED)
    return same(lambda: w.client.get("/lacak/ZZZZZZZZ/"))


@case("verifikasi/<str:code>/", "GET")
def _(w, n):
    d = w.dossiers(n, S.REGISTERED)[-1]
    return same(lambda: w.client.get(f"/verifikasi/{d.verification_code}/"))


@case("verifikasi/<str:code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.dossiers(n, S.REGISTERED)
    return same(lambda: w.client.get("/verifikasi/ZZZZZZZZ/"))


# accounts

@case("masuk/", "GET")
def _(w, n):
    return same(lambda: w.client.get("/masuk/"))


@case("masuk/", "POST (log in)", 302)
def _(w, n):
    return each(lambda: w.client.logout(),
                lambda _: w.client.post("/masuk/", {"username": "petugas", "password": "x-Pass-12345"}))


@case("masuk/", "POST (wrong password)")
def _(w, n):
    # two counted sizes × (warm-up + counted) = 4 failures: below the lockout (AXES_FAILURE_LIMIT)
    return same(lambda: w.client.post("/masuk/", {"username": "petugas", "password": "salah"}))


@case("keluar/", "POST", 302)
def _(w, n):
    return each(lambda: w.login("front"), lambda _: w.client.post("/keluar/"))


# staff: the counter flow

@case("staf/", "GET (redirect to the role's list)", 302)
def _(w, n):
    w.login("front")
    return same(lambda: w.client.get("/staf/"))


@case("staf/berkas/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.RECEIVED, S.FORWARDED, S.INITIALLED, S.SIGNED, S.REGISTERED, S.HANDED_OVER, S.RETURNED)
    w.login("front")
    return same(lambda: w.client.get("/staf/berkas/"))


@case("staf/berkas/cari/", "GET ?q=", rows=True)
def _(w, n):
    w.dossiers(n, S.RECEIVED, S.HANDED_OVER, S.RETURNED)
    w.login("front")
    return same(lambda: w.client.get("/staf/berkas/cari/?q=Siti"))


@case("staf/berkas/baru/", "GET (pick a service)", rows=True)
def _(w, n):
    w.services(n)
    w.login("front")
    return same(lambda: w.client.get("/staf/berkas/baru/"))


@case("staf/berkas/baru/", "GET ?layanan=", rows=True)
def _(w, n):
    w.services(n)
    code = w.service(n)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/baru/?layanan={code}&cond_pindah_antar_kota_provinsi=1"))


@case("staf/berkas/baru/", "POST (htmx checklist)", rows=True)
def _(w, n):
    w.services(n)
    code = w.service(n)
    w.login("front")
    body = {"service": code, "cond_pindah_antar_kota_provinsi": "1"}
    return same(lambda: w.client.post("/staf/berkas/baru/", body, **htmx("checklist")))


@case("staf/berkas/baru/", "POST (saved, redirect)", 302)
def _(w, n):
    w.services(n)
    code = w.service(n)
    ids = w.items(code)
    w.login("front")
    body = _applicant_form(service=code, submit="1", present=ids, original=ids)
    return same(lambda: w.client.post("/staf/berkas/baru/", body))


@case("staf/berkas/baru/", "POST (invalid, 400)", 400, rows=True)
def _(w, n):
    w.services(n)
    code = w.service(n)
    ids = w.items(code)
    w.login("front")
    body = _applicant_form(service=code, submit="1", present=ids, original=ids, nik="123")
    return same(lambda: w.client.post("/staf/berkas/baru/", body))


@case("staf/berkas/<str:code>/", "GET (returned)", rows=True)
def _(w, n):
    d = w.dossier(S.RETURNED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/"))


@case("staf/berkas/<str:code>/", "GET (registered)", rows=True)
def _(w, n):
    d = w.dossier(S.REGISTERED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/"))


@case("staf/berkas/<str:code>/<slug:kind>.pdf", "GET tanda-terima", rows=True)
def _(w, n):
    d = w.dossier(S.RECEIVED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/tanda-terima.pdf"))


@case("staf/berkas/<str:code>/<slug:kind>.pdf", "GET slip-pengembalian", rows=True)
def _(w, n):
    d = w.dossier(S.RETURNED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/slip-pengembalian.pdf"))


@case("staf/berkas/<str:code>/<slug:kind>.pdf", "GET stempel-verifikasi")
def _(w, n):
    d = w.dossier(S.REGISTERED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/berkas/{d.code}/stempel-verifikasi.pdf"))


# Each act: the state it starts from, who does it, and its form (HTML) / body (API).
ACTS = {
    "forward": (S.RECEIVED, "front", {}),
    "return": (S.RECEIVED, "front", {"reason": "Tanda tangan lurah tidak ada"}),
    "initial": (S.FORWARDED, "kasi", {}),
    "sign": (S.INITIALLED, "sekcam", {}),
    "register": (S.SIGNED, "front", {}),
    "handover": (S.REGISTERED, "front", {}),
    "resubmit": (S.RETURNED, "front", None),  # every requirement present, originals shown
}


def _act_target(w, n, action):
    """A fresh dossier (n requirements, about n rows of history) waiting for ``action``."""
    state, _, _ = ACTS[action]
    code = w.service(n)
    d = w.dossier(state, history=n, service=code)
    return d.code, w.items(code)


def _act_case(action):
    state, role, form = ACTS[action]

    @case("staf/berkas/<str:code>/<slug:action>/", f"POST {action}", 302)
    def _html(w, n):
        w.dossiers(n, S.RECEIVED, S.REGISTERED)
        w.login(role)

        def send(target):
            code, ids = target
            body = form if form is not None else {"present": ids, "original": ids}
            r = w.client.post(f"/staf/berkas/{code}/{action}/", body)
            assert Dossier.objects.get(code=code).state != state, "the act did not happen"
            return r

        return each(lambda: _act_target(w, n, action), send)

    @case("api/v1/dossiers/<code>/<action>/", f"POST {action}", rows=True)
    def _api(w, n):
        w.dossiers(n, S.RECEIVED, S.REGISTERED)
        headers = w.token(role)

        def send(target):
            code, ids = target
            body = form if form is not None else {"present": ids, "originals": ids}
            return w.client.post(f"/api/v1/dossiers/{code}/{action}/", body, content_type="application/json", **headers)

        return each(lambda: _act_target(w, n, action), send)


for _action in ACTS:
    _act_case(_action)


@case("staf/paraf/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.FORWARDED)
    w.login("kasi")
    return same(lambda: w.client.get("/staf/paraf/"))


@case("staf/tanda-tangan/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.INITIALLED)
    w.login("sekcam")
    return same(lambda: w.client.get("/staf/tanda-tangan/"))


@case("staf/tanda-tangan/", "POST (sign the chosen ones)", 302)
def _(w, n):
    w.login("sekcam")
    return each(lambda: [d.code for d in w.dossiers(n, S.INITIALLED)],
                lambda chosen: w.client.post("/staf/tanda-tangan/", {"code": chosen}))


# staff: the register book

@case("staf/register/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED, S.HANDED_OVER)
    w.login("front")
    return same(lambda: w.client.get("/staf/register/"))


@case("staf/register/", "GET (every filter)", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED, S.HANDED_OVER)
    w.login("front")
    today = dt.date.today()
    query = (f"?tahun={today.year}&dari={today - dt.timedelta(days=1)}&sampai={today + dt.timedelta(days=1)}"
             "&layanan=pindah&kelurahan=35.77.09.1001&status=registered")
    return same(lambda: w.client.get(f"/staf/register/{query}"))


@case("staf/register/ekspor.xlsx", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED, S.HANDED_OVER)
    w.login("front")

    return same(lambda: w.client.get("/staf/register/ekspor.xlsx"))


@case("staf/register/ekspor.pdf", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED, S.HANDED_OVER)
    w.login("front")
    return same(lambda: w.client.get("/staf/register/ekspor.pdf"))


# API

@case("api/v1/", "GET (404 pointing at the docs)", 404)
def _(w, n):
    return same(lambda: w.client.get("/api/v1/"))


@case("api/v1/schema/", "GET")
def _(w, n):
    return same(lambda: w.client.get("/api/v1/schema/"))


@case("api/v1/docs/", "GET")
def _(w, n):
    return same(lambda: w.client.get("/api/v1/docs/"))


@case("api/v1/services/", "GET", rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.get("/api/v1/services/?office=contoh"))


@case("api/v1/services/<code>/", "GET", rows=True)
def _(w, n):
    code = w.service(n)
    return same(lambda: w.client.get(f"/api/v1/services/{code}/"))


def _api_intake(w, n, **over):
    code = w.service(n)
    ids = w.items(code)
    body = {"service": code, "applicant": _applicant_form(**over), "present": ids, "originals": ids,
            "answers": {"pindah_antar_kota_provinsi": True}}
    headers = w.token("front")
    return same(lambda: w.client.post("/api/v1/dossiers/", body, content_type="application/json", **headers))


@case("api/v1/dossiers/", "POST (token, 201)", 201)
def _(w, n):
    return _api_intake(w, n)


@case("api/v1/dossiers/", "POST (token, invalid, 400)", 400)
def _(w, n):
    return _api_intake(w, n, nik="123")


@case("api/v1/dossiers/<code>/", "GET (token)", rows=True)
def _(w, n):
    d = w.dossier(S.REGISTERED, history=n, service=w.service(n))
    headers = w.token("front")
    return same(lambda: w.client.get(f"/api/v1/dossiers/{d.code}/", **headers))


@case("api/v1/dossiers/<code>/", "GET (session)", rows=True)
def _(w, n):
    d = w.dossier(S.REGISTERED, history=n, service=w.service(n))
    w.login("front")
    return same(lambda: w.client.get(f"/api/v1/dossiers/{d.code}/"))


@case("api/v1/track/<code>/", "GET", rows=True)
def _(w, n):
    d = w.dossier(S.HANDED_OVER, history=n)
    return same(lambda: w.client.get(f"/api/v1/track/{d.code}/"))


@case("api/v1/track/<code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.dossiers(n, S.RECEIVED)
    return same(lambda: w.client.get("/api/v1/track/ZZZZZZZZ/"))


@case("api/v1/verify/<code>/", "GET")
def _(w, n):
    d = w.dossiers(n, S.REGISTERED)[-1]
    return same(lambda: w.client.get(f"/api/v1/verify/{d.verification_code}/"))


@case("api/v1/verify/<code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.dossiers(n, S.REGISTERED)
    return same(lambda: w.client.get("/api/v1/verify/ZZZZZZZZ/"))


# --- the tests -------------------------------------------------------------------------------

def _routes(resolver=None, prefix: str = ""):
    """Every URL pattern of the project as one route string, outside EXCLUDED_PREFIXES."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(p, URLResolver):
            yield from _routes(p, route)
        else:
            yield route


def test_every_url_pattern_has_a_budget():
    routes = set(_routes())
    missing = sorted(routes - set(BUDGETS))
    assert not missing, f"URL patterns without an entry in BUDGETS (add one, with a case that measures it): {missing}"
    stale = sorted(set(BUDGETS) - routes)
    assert not stale, f"BUDGETS names routes that no longer exist: {stale}"


def test_every_budget_is_measured_by_a_case():
    budgeted = {(route, name) for route, cases in BUDGETS.items() for name in cases}
    assert not budgeted - set(CASES), f"budgets without a case: {sorted(budgeted - set(CASES))}"
    assert not set(CASES) - budgeted, f"cases without a budget: {sorted(set(CASES) - budgeted)}"
    assert all(cases for cases in BUDGETS.values()), "every route needs at least one case"


@pytest.fixture
def world(client, office, people):
    return World(client, office, people)


def measure(w: World, key: tuple[str, str], n: int) -> tuple[CaptureQueriesContext, bytes]:
    """Build the world for n rows, warm up with one request, count the queries of the next.
    Returns the count and the body of the counted response."""
    c = CASES[key]
    shoot = c.build(w, n)
    for attempt in ("warm-up", "counted"):
        send = shoot()
        cache.clear()  # the rate limit of the public look-ups counts in the cache
        caches["pages"].clear()  # measure the page as rendered, not as kept for visitors
        with CaptureQueriesContext(connection) as ctx:
            response = send()
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == c.status, (key, attempt, response.status_code, body[:600])
    return ctx, body


def _sql(ctx: CaptureQueriesContext) -> str:
    return "\n".join(f"  {i}. {q['sql'][:300]}" for i, q in enumerate(ctx.captured_queries, 1))


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: f"{k[0] or '/'} {k[1]}")
def test_query_budget(world, key):
    route, name = key
    budget = BUDGETS[route][name]
    (small, small_body), (large, large_body) = measure(world, key, SMALL), measure(world, key, LARGE)
    if CASES[key].shows_rows:
        assert len(large_body) > len(small_body), "the case does not show more rows with LARGE than with SMALL"
    counts = f"{len(small)} queries with {SMALL} rows, {len(large)} with {LARGE}"
    if isinstance(budget, PerRow):
        assert len(large) - len(small) == budget.each * (LARGE - SMALL), f"{counts}: expected {budget.each} per row"
        for n, ctx in ((SMALL, small), (LARGE, large)):
            assert len(ctx) <= budget.limit(n), f"{counts}; budget {budget}\n{_sql(ctx)}"
        return
    assert len(large) == len(small), f"the count grows with the rows shown: {counts}\n{_sql(large)}"
    assert len(large) <= budget, f"{counts}; budget {budget}\n{_sql(large)}"
