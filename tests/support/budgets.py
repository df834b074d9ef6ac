"""The query-budget engine: every page and API endpoint runs a bounded number of SQL queries, and
that number does not grow with the number of rows it shows.

Each app registers its own budgets and cases in tests/<app>/budget_cases.py (``BUDGETS``: route
pattern → {case name: budget}; each case a function decorated with ``@case(route, name)``);
tests/perf/test_query_budgets.py collects the union and runs ``check`` on every case. How to add
one: tests/support/README.md.

Each case below is measured twice, once with SMALL rows of what the page lists (dossiers,
services, requirements, register entries, transitions of the dossier, complaints, the steps,
answers, coordinations and attachments of the complaint …) and once after growing
them to at least LARGE. Both counts must be equal and within the case's budget in BUDGETS. A
case marked ``rows=True`` also checks that its LARGE response is bigger, i.e. that the page
really showed the extra rows. The only exceptions are the PerRow budgets: requests whose work
is writing n rows (sign n chosen dossiers, one act each), where the count
must grow by exactly ``each`` per row.

The budgets are the counts measured when this file was written, so the table documents what
each page costs today: a page that starts doing more fails here; one that gets cheaper should
have its budget lowered.

Every URL pattern of the project has an entry in some app's BUDGETS (``missing`` walks the
resolver; test_every_url_pattern_has_a_budget fails on what it finds), except those mounted
under EXCLUDED_PREFIXES: Django's own admin site and its set_language view, which are not
Loket's code.

How a case is measured (``measure``): the client keeps one session (force_login) for staff
pages; the cache is cleared before every request (the rate limiter of the public look-ups lives
there); one request warms up (session, content types, first-use caches) and the next one is
counted. A case that changes data (an act, an intake, a login) prepares a fresh target for each
of the two requests outside the counted block.

To see what each case measures (when setting budgets): ``LOKET_PRINT_BUDGETS=1 ./runtests.sh
tests/perf -s``.

The counts are for the whole request: middleware (session, user, the user's staff record,
django-axes on log in/out) included. The test runs inside a transaction, so each atomic block
of a write shows up as a SAVEPOINT/RELEASE pair (two "queries" that production's outermost
transaction does not issue). Measured on SQLite; PostgreSQL runs the same queries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from typing import Callable
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from loket.api.models import ApiToken
from loket.catalog.models import ProcedureStep, Requirement, ServiceType, Tariff
from loket.complaints import inputs as complaint_inputs, services as complaint_services
from loket.complaints.models import Attachment, Category, Complaint
from loket.dossiers import services
from loket.dossiers.models import Dossier
from loket.offices.models import Office
from tests.complaints.conftest import PATHS, complaint_data, run_act
from tests.factories import applicant_data

S = Dossier.State
CS = Complaint.State
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

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

    # complaints --------------------------------------------------------------------------

    def categories(self) -> list[Category]:
        """The office's default category tree (parents and children), created once."""
        complaint_services.categories_default_create(office=self.office)
        return list(Category.objects.filter(office=self.office).order_by("pk"))

    def complaint(self, state: str = CS.RECEIVED, *, history: int = 0, files: int = 0, at: dt.datetime | None = None,
                  **over) -> Complaint:
        """A complaint written down by the front office (at ``at``, else now) and brought to
        ``state`` through the real acts (tests/complaints/conftest.PATHS). With ``history``:
        first that many coordinations asked and answered (two steps each), and right after the
        answer that many corrections of it (an answer and a step each); with ``files``: that
        many attachments (the intake takes MAX_ATTACHMENTS; the rest are added as rows)."""
        front = self.people["front"]
        n_up = min(files, complaint_inputs.MAX_ATTACHMENTS)
        uploads = [SimpleUploadedFile(f"bukti-{i}.png", PNG, "image/png") for i in range(n_up)]
        clock = mock.patch.object(timezone, "now", lambda: at) if at else contextlib.nullcontext()
        with clock:
            c = complaint_services.complaint_record(office=self.office, actor=front, data=complaint_data(**over),
                                                    files=uploads)
            for i in range(n_up, files):
                att = Attachment(complaint=c, original_name=f"bukti-{i}.png", kind="png", size=len(PNG),
                                 uploaded_at=timezone.now(), uploaded_by=front)
                att.file.save(f"tambahan-{c.code}-{i}.png", ContentFile(PNG), save=False)
                att.save()
            for _ in range(history):
                complaint_services.complaint_coordinate(code=c.code, actor=front, kind="kelurahan",
                                                        party="Kelurahan Klegen", question="Mohon konfirmasi data.")
                complaint_services.complaint_coordination_result(code=c.code, actor=front, result="Data sudah benar.")
            for step in PATHS[state]:
                run_act(step, c.code, self.people)
                if step == "answer":
                    for k in range(history):
                        complaint_services.complaint_answer_correct(code=c.code, actor=front, reason="Tanggal salah.",
                                                                    text=f"Koreksi {k}: berkas Anda selesai besok.")
        c = Complaint.objects.get(pk=c.pk)
        assert c.state == state, (c.state, state)
        return c

    def complaints(self, n: int, *states: str, **kw) -> list[Complaint]:
        """n more complaints, their states taken in turn from ``states``."""
        return [self.complaint(states[i % len(states)], **kw) for i in range(n)]

    def late(self, n: int, *states: str, **kw) -> list[Complaint]:
        """n more complaints received 30 days ago (past their target; those received 70 days
        ago, every third one, also past the legal limit), their states taken in turn."""
        now = timezone.now()
        return [self.complaint(states[i % len(states)], at=now - dt.timedelta(days=70 if i % 3 == 2 else 30), **kw)
                for i in range(n)]

    # requests ----------------------------------------------------------------------------

    def login(self, role: str) -> None:
        self.client.force_login(self.people[role])

    def token(self, role: str) -> dict:
        if role not in self._tokens:
            self._tokens[role] = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=self.people[role], name='perf')[1]}"}
        return self._tokens[role]


@pytest.fixture
def world(client, office, people):
    return World(client, office, people)


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


# --- the completeness rule and the check ---------------------------------------------------------

def routes(resolver=None, prefix: str = ""):
    """Every URL pattern of the project as one route string, outside EXCLUDED_PREFIXES."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(p, URLResolver):
            yield from routes(p, route)
        else:
            yield route


def missing(budgets: dict) -> tuple[list[str], list[str]]:
    """The completeness rule: (URL patterns with no entry in ``budgets``, entries naming routes
    that no longer exist)."""
    all_routes = set(routes())
    return sorted(all_routes - set(budgets)), sorted(set(budgets) - all_routes)


def merged(*tables: dict) -> dict:
    """The union of the apps' BUDGETS; a route budgeted by two apps is a mistake."""
    out: dict = {}
    for table in tables:
        twice = set(out) & set(table)
        assert not twice, f"routes budgeted by two apps: {sorted(twice)}"
        out.update(table)
    return out


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


def check(world: World, key: tuple[str, str], budget: int | PerRow) -> None:
    """Measure case ``key`` with SMALL and with LARGE rows: the count must not grow (PerRow: grow by
    exactly ``each`` per row) and must stay within ``budget``."""
    route, name = key
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
    if os.environ.get("LOKET_PRINT_BUDGETS"):  # `-s`: print what each case measures, to set budgets
        print(f"\nBUDGET {route!r} {name!r} {len(large)} (budget {budget})")
    assert len(large) <= budget, f"{counts}; budget {budget}\n{_sql(large)}"


