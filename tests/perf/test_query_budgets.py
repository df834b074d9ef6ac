"""Query budgets: every page and API endpoint runs a bounded number of SQL queries, and that
number does not grow with the number of rows it shows.

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

Every URL pattern of the project has an entry (test_every_url_pattern_has_a_budget walks the
resolver), except those mounted under EXCLUDED_PREFIXES: Django's own admin site and its
set_language view, which are not Loket's code.

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
import os
import datetime as dt
import time
from dataclasses import dataclass
from typing import Callable
from unittest import mock

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from loket.api.models import ApiToken
from loket.catalog.models import ProcedureStep, Requirement, ServiceType, Tariff
from loket.complaints import services as complaint_services, spam
from loket.complaints.models import Attachment, Category, Complaint, Step
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
    "<slug:office>/": {"GET": 4},  # services of the edition
    "<slug:office>/layanan/": {  # services of the edition
        "GET": 5,
        "GET ?q= (htmx rows)": 3,
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
    "staf/berkas/": {"GET": 7},  # dossiers of today, in every state
    "staf/berkas/cari/": {"GET ?q=": 6},  # matching dossiers
    "staf/berkas/baru/": {  # services at the counter; requirements of the chosen service
        "GET (pick a service)": 6,
        "GET ?layanan=": 11,
        "POST (htmx checklist)": 11,
        "POST (saved, redirect)": 24,
        "POST (invalid, 400)": 17,
    },
    "staf/berkas/<str:code>/": {  # transitions and checklist items of the dossier
        "GET (returned)": 13,  # + corrections of the applicant data; the correction form's kelurahan choices
        "GET (registered)": 12,  # + corrections of the applicant data
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
        "POST register": 20,
        "POST handover": 15,
        "POST resubmit": 19,  # the checklist is written with one bulk update and one bulk insert
        "POST correct": 19,  # the applicant data checked whole (office, kelurahan); one bulk insert of corrections
    },
    "staf/paraf/": {"GET": 8},  # dossiers waiting for the Kasi's paraf
    "staf/tanda-tangan/": {
        "GET": 6,  # dossiers waiting for the signature
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
        "POST (token, 201)": 23,
        "POST (token, invalid, 400)": 8,
    },
    "api/v1/dossiers/<code>/": {  # transitions and items of the dossier
        "GET (token)": 8,
        "GET (session)": 10,
    },
    "api/v1/dossiers/<code>/<action>/": {  # transitions and items of the dossier; other dossiers
        "POST forward": 18,
        "POST return": 18,
        "POST initial": 18,
        "POST sign": 18,
        "POST register": 23,
        "POST handover": 18,
        "POST resubmit": 22,  # the checklist is written with one bulk update and one bulk insert
        "POST correct": 21,  # the applicant data checked whole (office, kelurahan); one bulk insert of corrections
    },
    "api/v1/track/<code>/": {  # transitions of the dossier
        "GET": 2,
        "GET (unknown code, 404)": 1,
    },
    "api/v1/verify/<code>/": {  # registered dossiers
        "GET": 1,
        "GET (unknown code, 404)": 1,
    },
    # --- complaints: public pages ----------------------------------------------------------------
    "<slug:office>/pengaduan/": {  # services of the edition (the form's choices); complaints in the book
        "GET": 5,
        "POST (saved, redirect)": 13,
        "POST (invalid, 400)": 6,
        "POST (honeypot, 400)": 5,
    },
    "pengaduan/lacak/": {  # nothing
        "GET (form)": 1,
        "GET ?kode= (redirect)": 0,
    },
    "pengaduan/lacak/<str:code>/": {  # steps and answers (corrections) of the complaint
        "GET": 4,
        "GET (unknown code, 404)": 2,
    },
    "pengaduan/lacak/<str:code>/tanggapan/": {  # steps and answers (corrections) of the complaint; other complaints
        "POST (not satisfied: reopened)": 6,
        "POST (satisfied: closed)": 5,
    },
    # --- surveys: the public SKM form ------------------------------------------------------------
    "skm/<str:code>/": {  # other handed-over dossiers and their responses
        "GET": 3,
        "POST (saved, redirect)": 8,
    },
    # --- complaints: staff ----------------------------------------------------------------------
    "staf/pengaduan/": {  # complaints waiting for the user, overdue complaints of the office
        "GET (front office)": 8,
        "GET (Kasi)": 8,
    },
    "staf/pengaduan/semua/": {  # complaints of the office
        "GET": 9,
        "GET (every filter)": 9,
    },
    "staf/pengaduan/terlambat/": {"GET": 7},  # overdue complaints
    "staf/pengaduan/baru/": {  # services of the edition (the form's choices); complaints in the book
        "GET": 8,
        "POST (saved, redirect)": 17,
        "POST (invalid, 400)": 10,
    },
    "staf/pengaduan/laporan/": {  # complaints across months, categories, units and states
        "GET (this year)": 21,
        "GET ?tahun=&bulan=": 21,
    },
    "staf/pengaduan/buku/<int:year>.xlsx": {"GET": 6},  # entries of the Buku Pengaduan, with answers
    "staf/pengaduan/buku/<int:year>.pdf": {"GET": 6},  # entries of the Buku Pengaduan, with answers
    # steps, answers (corrections), coordinations, attachments of the complaint
    "staf/pengaduan/<str:code>/": {
        "GET (answered)": 16,
        "GET (coordinating, Kasi)": 16,
    },
    "staf/pengaduan/<str:code>/lampiran/<int:pk>/": {  # attachments of the complaint
        "GET": 5,
        "GET (unknown attachment, 404)": 5,
    },
    # steps, answers, coordinations and attachments of the complaint; other complaints
    "staf/pengaduan/<str:code>/<slug:action>/": {
        "POST escalate": 11,
        "POST direction_request": 10,
        "POST direction_give": 10,
        "POST coordinate": 11,
        "POST coordination_result": 12,
        "POST answer": 11,
        "POST correct": 12,
        "POST feedback": 11,
        "POST close": 10,
    },
    # --- complaints: API ------------------------------------------------------------------------
    "api/v1/complaints/": {  # complaints in the book
        "POST (201)": 13,
        "POST (invalid, 400)": 3,
    },
    "api/v1/complaints/<code>/": {  # steps and answers (corrections) of the complaint
        "GET": 3,
        "GET (unknown code, 404)": 1,
    },
    # steps and answers (corrections) of the complaint; other complaints
    "api/v1/complaints/<code>/feedback/": {"POST": 9},
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
    # --- the hall: bookings of the month (with their slots, register and kuitansi entries) ---------
    "<slug:office>/gedung/": {"GET": 9},
    "staf/gedung/": {"GET (Bendahara)": 7},
    "staf/gedung/baru/": {"GET": 6, "POST (booked, redirect)": 20, "POST (invalid, 400)": 10},
    "staf/gedung/laporan/": {"GET": 6},
    "staf/gedung/laporan.xlsx": {"GET": 6},
    "staf/gedung/laporan.pdf": {"GET": 6},
    "staf/gedung/register/<int:year>.xlsx": {"GET": 5},
    "staf/gedung/register/<int:year>.pdf": {"GET": 5},
    "staf/gedung/<str:code>/": {"GET": 8},
    "staf/gedung/<str:code>/kertas/<slug:paper>.pdf": {"GET kuitansi": 11},
    "staf/gedung/<str:code>/<slug:action>/": {"POST cancel": 14},
    "api/v1/rental/availability/": {"GET": 3},
    "api/v1/rental/quote/": {"POST": 4},
    "api/v1/rental/bookings/": {"GET (token)": 3, "POST (token, 201)": 22},
    "api/v1/rental/bookings/<code>/": {"GET (token)": 6},
    "api/v1/rental/bookings/<code>/<action>/": {"POST pay": 18},
    # --- the deeds (akta tanah): cases of the office (with their pauses, kelurahan, register entry) ---
    "api/v1/deeds/cases/": {
        "GET (token)": 5,
        "GET (token, ?overdue=true&state=)": 5,
        # the checklist is written with one bulk insert, then ticked with one UPDATE per item
        # (loket.deeds.services._check), a fixed number: the service's requirements
        "POST (token, 201)": 25,
        "POST (token, invalid, 400)": 8,
    },
    # parties, checklist items, tax proofs, pauses, history of the case
    "api/v1/deeds/cases/<code>/": {"GET (token)": 11, "GET (session)": 13},
    # the case's parties, items, proofs and history; other cases
    "api/v1/deeds/cases/<code>/<action>/": {
        "POST resubmit": 19,
        "POST forward": 17,
        "POST taxproof": 22,
        "POST wait": 18,
        "POST resume": 18,
        "POST validate": 20,
        "POST schedule": 23,  # the office's holidays of the sidang's year
        "POST sign": 19,  # run at each sidang's own time, far apart: the token's last use is written (at most once a minute)
        "POST register": 22,
        "POST handover": 17,
        "POST withdraw": 20,
    },
    "api/v1/deeds/fee/": {"POST (token)": 5, "POST (token, above the cap, 400)": 5},  # cases of the office
    "api/v1/deeds/calendar/": {"GET (token)": 3},  # sidang of the range
    # the deeds' staff screens (/staf/akta/)
    "staf/akta/": {"GET (front office)": 14},  # the rate; cases of the office, the user's work list, the overdue ones
    "staf/akta/baru/": {  # cases of the office; requirements of service 17 (the checklist)
        "GET": 8,
        "POST (fee quote)": 12,
        "POST (saved, redirect)": 19,
        "POST (invalid, 400)": 15,
    },
    "staf/akta/kalender/": {"GET": 5},  # sidang of the two weeks
    "staf/akta/tarif/": {"POST (redirect)": 10},  # the office's setting, the edition's service 17
    "staf/akta/laporan/": {"GET": 7},  # deeds registered in the month
    "staf/akta/laporan.xlsx": {"GET": 7},  # deeds registered in the month
    "staf/akta/laporan.pdf": {"GET": 7},  # deeds registered in the month
    "staf/akta/<str:code>/": {"GET": 15},  # parties, checklist, proofs, pauses, history of the case
    "staf/akta/<str:code>/kertas/<slug:paper>.pdf": {"GET tanda-terima": 9, "GET sampul": 8},  # parties of the case
    "staf/akta/<str:code>/<slug:action>/": {  # the case's history; other cases
        "POST resubmit": 16,  # the checklist ticked in one bulk UPDATE
        "POST forward": 14,
        "POST taxproof": 19,
        "POST wait": 15,
        "POST resume": 15,
        "POST validate": 17,
        "POST schedule": 20,  # the office's holidays of the sidang's year
        "POST sign": 15,
        "POST register": 19,
        "POST handover": 14,
        "POST withdraw": 17,
    },
    # --- API tokens (/staf/token/): tokens of the office (with owner, office, issuer, revoker); owners
    "staf/token/": {"GET": 5, "GET ?semua=1": 5},
    "staf/token/baru/": {"GET": 5, "POST (issued, the secret shown)": 8, "POST (invalid, 400)": 8},
    "staf/token/<int:pk>/cabut/": {"GET": 5, "POST (revoked, redirect)": 9},
    "api/v1/staff/complaints/": {  # complaints of the office (POST: complaints in the book)
        "GET (token)": 4,
        "GET (session, every filter)": 6,
        "POST (token, 201)": 22,
        "POST (token, invalid, 400)": 4,
    },
    # steps, answers (corrections), coordinations, attachments of the complaint
    "api/v1/staff/complaints/<code>/": {
        "GET (token)": 12,
        "GET (session)": 14,
    },
    # steps, answers, coordinations and attachments of the complaint; other complaints
    "api/v1/staff/complaints/<code>/<action>/": {
        "POST escalate": 18,
        "POST direction_request": 17,
        "POST direction_give": 17,
        "POST coordinate": 19,
        "POST coordination_result": 19,
        "POST answer": 19,
        "POST correct": 20,
        "POST feedback": 19,
        "POST close": 18,
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
        n_up = min(files, complaint_services.MAX_ATTACHMENTS)
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


# A correction keeps the state: its own cases (a fresh received dossier, n requirements and
# about n rows of history, for each request; the name changes, with a reason).
def _correct_target(w, n):
    d = w.dossier(S.RECEIVED, history=n, service=w.service(n))
    return d.code


@case("staf/berkas/<str:code>/<slug:action>/", "POST correct", 302)
def _(w, n):
    w.dossiers(n, S.RECEIVED, S.REGISTERED)
    w.login("front")

    def send(code):
        r = w.client.post(f"/staf/berkas/{code}/correct/", {"name": "Siti Aminah Rahayu", "reason": "Nama sesuai KK."})
        assert Dossier.objects.get(code=code).applicant_name == "Siti Aminah Rahayu", "the act did not happen"
        return r

    return each(lambda: _correct_target(w, n), send)


@case("api/v1/dossiers/<code>/<action>/", "POST correct", rows=True)
def _(w, n):
    w.dossiers(n, S.RECEIVED, S.REGISTERED)
    headers = w.token("front")
    body = {"changes": {"name": "Siti Aminah Rahayu"}, "reason": "Nama sesuai KK."}
    return each(lambda: _correct_target(w, n), lambda code: w.client.post(
        f"/api/v1/dossiers/{code}/correct/", body, content_type="application/json", **headers))


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


# complaints: shared pieces

def _varied(w: World, i: int) -> dict:
    """Complaint data that differs per row: kind, channel, category (the default tree) and unit."""
    cats, units = w.categories(), list(w.office.units.order_by("pk").values_list("code", flat=True))
    return {"kind": Complaint.Kind.values[i % len(Complaint.Kind.values)],
            "channel": Complaint.Channel.values[i % len(Complaint.Channel.values)],
            "category": cats[i % len(cats)].pk, "unit": units[i % len(units)]}


def _matching(w: World) -> tuple[dict, Category]:
    """Data that every filter of the list screens matches (see their 'every filter' cases), and
    the parent category to filter on (it matches its children)."""
    parent = next(c for c in w.categories() if c.children.exists())
    data = {"kind": "pengaduan", "channel": "whatsapp", "category": parent.children.first().pk, "unit": "pemerintahan"}
    return data, parent


def _flashed(response) -> list[int]:
    """The levels of the messages a redirect carries in its cookie: whether an act took place,
    read without a query (a check inside ``send`` would be counted with the request)."""
    morsel = response.cookies.get(CookieStorage.cookie_name)
    return [m.level for m in (CookieStorage(None)._decode(morsel.value) or [])] if morsel else []


def _public_form(**over) -> dict:
    """A post of the public form, its stamp signed ten seconds ago (older than spam.MIN_SECONDS)."""
    data = {"kind": "pengaduan", "name": "Budi Santoso", "phone": "081234567890", "reply_via": "whatsapp",
            "service": "pindah", "subject": "Antrean loket KTP-el",
            "text": "Antrean di loket KTP-el sangat panjang setiap Senin pagi.",
            spam.STAMP_FIELD: spam.stamp_new(at=time.time() - 10), spam.HONEYPOT_FIELD: ""}
    data.update(over)
    return data


# complaints: public pages

@case("<slug:office>/pengaduan/", "GET", rows=True)
def _(w, n):
    w.services(n)
    w.categories()
    return same(lambda: w.client.get("/contoh/pengaduan/"))


@case("<slug:office>/pengaduan/", "POST (saved, redirect)", 302)
def _(w, n):
    w.services(n)
    w.complaints(n, CS.RECEIVED)
    cat = w.categories()[0].pk
    return same(lambda: w.client.post("/contoh/pengaduan/", _public_form(category=cat)))


@case("<slug:office>/pengaduan/", "POST (invalid, 400)", 400, rows=True)
def _(w, n):
    w.services(n)
    w.complaints(n, CS.RECEIVED)
    return same(lambda: w.client.post("/contoh/pengaduan/", _public_form(text="pendek", phone="123")))


@case("<slug:office>/pengaduan/", "POST (honeypot, 400)", 400, rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.post("/contoh/pengaduan/", _public_form(**{spam.HONEYPOT_FIELD: "http://spam"})))


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


@case("pengaduan/lacak/", "GET (form)")
def _(w, n):
    return same(lambda: w.client.get("/pengaduan/lacak/"))


@case("pengaduan/lacak/", "GET ?kode= (redirect)", 302)
def _(w, n):
    return same(lambda: w.client.get("/pengaduan/lacak/?kode=abcd-efgh"))


@case("pengaduan/lacak/<str:code>/", "GET", rows=True)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, files=n, category=w.categories()[1].pk)
    return same(lambda: w.client.get(f"/pengaduan/lacak/{c.code}/"))


@case("pengaduan/lacak/<str:code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    return same(lambda: w.client.get("/pengaduan/lacak/ZZZZZZZZ/"))


def _public_feedback_case(name, satisfied):
    @case("pengaduan/lacak/<str:code>/tanggapan/", name, 302)
    def _(w, n):
        w.complaints(n, CS.ANSWERED)

        def send(c):
            w.client.cookies.pop(CookieStorage.cookie_name, None)  # the messages of the request before
            r = w.client.post(f"/pengaduan/lacak/{c.code}/tanggapan/", {"satisfied": satisfied, "note": "Oke."})
            assert _flashed(r) == [messages.SUCCESS], "the feedback was not taken"
            return r

        return each(lambda: w.complaint(CS.ANSWERED, history=n), send)


_public_feedback_case("POST (not satisfied: reopened)", "0")
_public_feedback_case("POST (satisfied: closed)", "1")


# complaints: staff screens

@case("staf/pengaduan/", "GET (front office)", rows=True)
def _(w, n):
    w.complaints(n, CS.RECEIVED, CS.REOPENED, CS.ANSWERED, CS.ESCALATED, CS.CLOSED)
    w.late(n, CS.RECEIVED, CS.ESCALATED, CS.COORDINATING)
    w.login("front")
    return same(lambda: w.client.get("/staf/pengaduan/"))


@case("staf/pengaduan/", "GET (Kasi)", rows=True)
def _(w, n):
    w.complaints(n, CS.ESCALATED, CS.DIRECTED, CS.COORDINATING, CS.RECEIVED)
    w.late(n, CS.ESCALATED, CS.DIRECTION_REQUESTED)
    w.login("kasi")
    return same(lambda: w.client.get("/staf/pengaduan/"))


@case("staf/pengaduan/semua/", "GET", rows=True)
def _(w, n):
    for i in range(n):
        w.complaint((CS.RECEIVED, CS.ESCALATED, CS.ANSWERED, CS.CLOSED)[i % 4], **_varied(w, i))
    w.login("front")
    return same(lambda: w.client.get("/staf/pengaduan/semua/"))


@case("staf/pengaduan/semua/", "GET (every filter)", rows=True)
def _(w, n):
    data, parent = _matching(w)
    w.late(n, CS.RECEIVED, **data)
    w.complaints(2, CS.ANSWERED)  # matching none
    w.login("front")
    query = (f"?state=received&kind=pengaduan&channel=whatsapp&category={parent.pk}&unit=pemerintahan"
             "&overdue=1&open=1&q=Budi")
    return same(lambda: w.client.get(f"/staf/pengaduan/semua/{query}"))


@case("staf/pengaduan/terlambat/", "GET", rows=True)
def _(w, n):
    w.late(n, CS.RECEIVED, CS.ESCALATED, CS.DIRECTION_REQUESTED, CS.COORDINATING, CS.REOPENED,
           category=w.categories()[2].pk)
    w.complaints(2, CS.RECEIVED)  # not late
    w.login("camat")
    return same(lambda: w.client.get("/staf/pengaduan/terlambat/"))


@case("staf/pengaduan/baru/", "GET", rows=True)
def _(w, n):
    w.services(n)
    w.categories()
    w.login("front")
    return same(lambda: w.client.get("/staf/pengaduan/baru/"))


@case("staf/pengaduan/baru/", "POST (saved, redirect)", 302)
def _(w, n):
    w.services(n)
    w.complaints(n, CS.RECEIVED)
    body = complaint_data(category=w.categories()[0].pk, service="pindah", unit="pemerintahan", note="Lewat WA Camat.")
    w.login("front")
    return same(lambda: w.client.post("/staf/pengaduan/baru/", body))


@case("staf/pengaduan/baru/", "POST (invalid, 400)", 400, rows=True)
def _(w, n):
    w.services(n)
    w.complaints(n, CS.RECEIVED)
    body = complaint_data(category=w.categories()[0].pk, service="tidak-ada", phone="123", text="pendek")
    w.login("front")
    return same(lambda: w.client.post("/staf/pengaduan/baru/", body))


def _spread(w: World, n: int, start: dt.datetime, end: dt.datetime) -> None:
    """n complaints received evenly between start and end, every kind, channel, category,
    unit and several states."""
    states = (CS.RECEIVED, CS.ANSWERED, CS.CLOSED, CS.ESCALATED, CS.REOPENED)
    for i in range(n):
        w.complaint(states[i % len(states)], at=start + (end - start) * (i + 1) / (n + 1), **_varied(w, i))


@case("staf/pengaduan/laporan/", "GET (this year)", rows=True)
def _(w, n):
    now = timezone.localtime()
    _spread(w, n, now.replace(month=1, day=1, hour=0, minute=0), now)
    w.login("sekcam")
    return same(lambda: w.client.get("/staf/pengaduan/laporan/"))


@case("staf/pengaduan/laporan/", "GET ?tahun=&bulan=", rows=True)
def _(w, n):
    year = timezone.localdate().year - 1
    tz = timezone.get_current_timezone()
    _spread(w, n, dt.datetime(year, 6, 1, tzinfo=tz), dt.datetime(year, 6, 30, tzinfo=tz))
    w.login("sekcam")
    return same(lambda: w.client.get(f"/staf/pengaduan/laporan/?tahun={year}&bulan=6"))


def _book_case(ext):
    @case(f"staf/pengaduan/buku/<int:year>.{ext}", "GET", rows=True)
    def _(w, n):
        for i in range(n):
            w.complaint((CS.RECEIVED, CS.ANSWERED, CS.CLOSED)[i % 3], history=1, **_varied(w, i))
        w.login("front")
        year = timezone.localdate().year
        return same(lambda: w.client.get(f"/staf/pengaduan/buku/{year}.{ext}"))


_book_case("xlsx")
_book_case("pdf")


@case("staf/pengaduan/<str:code>/", "GET (answered)", rows=True)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, files=n, **_varied(w, 3))
    w.login("front")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/"))


@case("staf/pengaduan/<str:code>/", "GET (coordinating, Kasi)", rows=True)
def _(w, n):
    c = w.complaint(CS.COORDINATING, history=n, files=n, category=w.categories()[1].pk, service="pindah")
    w.login("kasi")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/"))


@case("staf/pengaduan/<str:code>/lampiran/<int:pk>/", "GET")
def _(w, n):
    c = w.complaint(CS.RECEIVED, files=n)
    pk = c.attachments.order_by("pk").last().pk
    w.login("front")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/lampiran/{pk}/"))


@case("staf/pengaduan/<str:code>/lampiran/<int:pk>/", "GET (unknown attachment, 404)", 404)
def _(w, n):
    c = w.complaint(CS.RECEIVED, files=n)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/pengaduan/{c.code}/lampiran/999999/"))


# Each act on a complaint: the state it starts from, who does it, its form (HTML) and body (API).
COMPLAINT_ACTS = {
    "escalate": (CS.RECEIVED, "front", {"unit": "pemerintahan", "note": "Perlu seksi."}, None),
    "direction_request": (CS.ESCALATED, "kasi", {"question": "Mohon arahan."}, None),
    "direction_give": (CS.DIRECTION_REQUESTED, "camat", {"direction": "Koordinasikan dengan kelurahan."}, None),
    "coordinate": (CS.RECEIVED, "front", {"kind": "kelurahan", "party": "Kelurahan Klegen", "question": "Cek."}, None),
    "coordination_result": (CS.COORDINATING, "kasi", {"result": "Sudah dicek."}, None),
    "answer": (CS.RECEIVED, "front", {"text": "Berkas Anda sudah selesai, silakan ambil."}, None),
    "correct": (CS.ANSWERED, "front", {"text": "Berkas Anda selesai besok.", "reason": "Tanggal salah."}, None),
    "feedback": (CS.ANSWERED, "front", {"satisfied": "0", "note": "Lewat telepon."},
                 {"satisfied": False, "note": "Lewat telepon."}),
    "close": (CS.ANSWERED, "front", {"note": "Tidak ada tanggapan."}, None),
}


def _complaint_act_case(action):
    state, role, form, body = COMPLAINT_ACTS[action]
    body = form if body is None else body

    def target(w, n):
        c = w.complaint(state, history=n, files=n)
        return c, Step.objects.filter(complaint=c).count()

    @case("staf/pengaduan/<str:code>/<slug:action>/", f"POST {action}", 302)
    def _html(w, n):
        w.complaints(n, CS.RECEIVED, CS.ANSWERED)
        w.login(role)

        def send(t):
            w.client.cookies.pop(CookieStorage.cookie_name, None)  # the messages of the request before
            r = w.client.post(f"/staf/pengaduan/{t[0].code}/{action}/", form)
            assert _flashed(r) == [messages.SUCCESS], "the act did not happen"
            return r

        return each(lambda: target(w, n), send)

    @case("api/v1/staff/complaints/<code>/<action>/", f"POST {action}", rows=True)
    def _api(w, n):
        w.complaints(n, CS.RECEIVED, CS.ANSWERED)
        headers = w.token(role)

        def send(t):
            (c, steps) = t
            r = w.client.post(f"/api/v1/staff/complaints/{c.code}/{action}/", body,
                              content_type="application/json", **headers)
            assert r.status_code != 200 or len(r.json()["steps"]) == steps + 1, "the act did not happen"
            return r

        return each(lambda: target(w, n), send)


for _action in COMPLAINT_ACTS:
    _complaint_act_case(_action)


# complaints: API

def _api_complaint(**over) -> dict:
    data = complaint_data(**over)
    del data["channel"]
    return data


@case("api/v1/complaints/", "POST (201)", 201)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    body = _api_complaint(category=w.categories()[0].pk, service="pindah")
    return same(lambda: w.client.post("/api/v1/complaints/", body, content_type="application/json"))


@case("api/v1/complaints/", "POST (invalid, 400)", 400)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    body = _api_complaint(category=w.categories()[0].pk, service="tidak-ada", text="pendek")
    return same(lambda: w.client.post("/api/v1/complaints/", body, content_type="application/json"))


@case("api/v1/complaints/<code>/", "GET", rows=True)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, files=n, category=w.categories()[1].pk)
    return same(lambda: w.client.get(f"/api/v1/complaints/{c.code}/"))


@case("api/v1/complaints/<code>/", "GET (unknown code, 404)", 404)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    return same(lambda: w.client.get("/api/v1/complaints/ZZZZZZZZ/"))


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


@case("api/v1/complaints/<code>/feedback/", "POST", rows=True)
def _(w, n):
    w.complaints(n, CS.ANSWERED)

    def send(c):
        r = w.client.post(f"/api/v1/complaints/{c.code}/feedback/", {"satisfied": False, "note": "Belum."},
                          content_type="application/json")
        assert r.status_code != 200 or r.json()["state"] == CS.REOPENED, "the feedback was not taken"
        return r

    return each(lambda: w.complaint(CS.ANSWERED, history=n), send)


@case("api/v1/staff/complaints/", "GET (token)", rows=True)
def _(w, n):
    for i in range(n):
        w.complaint((CS.RECEIVED, CS.ESCALATED, CS.ANSWERED, CS.CLOSED)[i % 4], **_varied(w, i))
    headers = w.token("front")
    return same(lambda: w.client.get("/api/v1/staff/complaints/", **headers))


@case("api/v1/staff/complaints/", "GET (session, every filter)", rows=True)
def _(w, n):
    data, parent = _matching(w)
    w.late(n, CS.RECEIVED, **data)
    w.complaints(2, CS.ANSWERED)  # matching none
    w.login("front")
    query = (f"?state=received&kind=pengaduan&channel=whatsapp&category={parent.pk}&unit=pemerintahan"
             "&overdue=true&open=true&q=Budi")
    return same(lambda: w.client.get(f"/api/v1/staff/complaints/{query}"))


@case("api/v1/staff/complaints/", "POST (token, 201)", 201)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    body = complaint_data(category=w.categories()[0].pk, service="pindah", unit="pemerintahan", note="Lewat WA Camat.")
    headers = w.token("front")
    return same(lambda: w.client.post("/api/v1/staff/complaints/", body, content_type="application/json", **headers))


@case("api/v1/staff/complaints/", "POST (token, invalid, 400)", 400)
def _(w, n):
    w.complaints(n, CS.RECEIVED)
    body = complaint_data(category=w.categories()[0].pk, service="tidak-ada", text="pendek")
    headers = w.token("front")
    return same(lambda: w.client.post("/api/v1/staff/complaints/", body, content_type="application/json", **headers))


@case("api/v1/staff/complaints/<code>/", "GET (token)", rows=True)
def _(w, n):
    c = w.complaint(CS.ANSWERED, history=n, files=n, **_varied(w, 3))
    headers = w.token("front")
    return same(lambda: w.client.get(f"/api/v1/staff/complaints/{c.code}/", **headers))


@case("api/v1/staff/complaints/<code>/", "GET (session)", rows=True)
def _(w, n):
    c = w.complaint(CS.COORDINATING, history=n, files=n, **_varied(w, 3))
    w.login("kasi")
    return same(lambda: w.client.get(f"/api/v1/staff/complaints/{c.code}/"))


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

# --- the hall -------------------------------------------------------------------------------------

def _hall(w) -> None:
    from loket.rentals.models import Venue

    Venue.objects.get_or_create(office=w.office, code="aula", defaults={"name": "Aula", "capacity": 400})


def _hall_order(w, **over) -> dict:
    """An order for the next free day from the 1st of next month on (the world is built twice,
    for SMALL and LARGE rows: each booking takes its own day)."""
    from tests.rentals.conftest import next_month, order

    w._hall_days = getattr(w, "_hall_days", 0) + 1
    day = next_month(1) + dt.timedelta(days=w._hall_days - 1)
    return order(venue="aula", date=day.isoformat(), session="siang", parking=False, renter_type="opd", **over)


def _hall_bookings(w, n, *, paid: bool = True) -> list:
    """n bookings on days 1..n of next month, every other one paid."""
    from loket.rentals import services as rental_services

    out = []
    for i in range(n):
        b = rental_services.booking_create(office=w.office, actor=w.people["bendahara"], data=_hall_order(w))
        if paid and i % 2 == 0:
            b = rental_services.booking_pay(code=b.code, actor=w.people["bendahara"], amount=b.total)
        out.append(b)
    return out


def _next_month_param() -> str:
    from tests.rentals.conftest import next_month

    return f"{next_month():%Y-%m}"


@case("<slug:office>/gedung/", "GET")
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    return same(lambda: w.client.get(f"/{w.office.slug}/gedung/?bulan={_next_month_param()}"))


@case("staf/gedung/", "GET (Bendahara)", rows=True)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    w.login("bendahara")
    return same(lambda: w.client.get(f"/staf/gedung/?bulan={_next_month_param()}"))


@case("staf/gedung/baru/", "GET")
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    w.login("bendahara")
    return same(lambda: w.client.get("/staf/gedung/baru/"))


@case("staf/gedung/baru/", "POST (booked, redirect)", 302)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    w.login("bendahara")
    def form():
        data = _hall_order(w)
        return {**{k: ("1" if v is True else v) for k, v in data.items() if v is not False}, "aksi": "pesan"}

    return each(form, lambda data: w.client.post("/staf/gedung/baru/", data))


@case("staf/gedung/baru/", "POST (invalid, 400)", 400)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    w.login("bendahara")
    return same(lambda: w.client.post("/staf/gedung/baru/", {"aksi": "pesan", "session": "pagi"}))


def _hall_report_case(route, url):
    @case(route, "GET", rows=True)
    def _(w, n):
        _hall(w)
        _hall_bookings(w, n)
        w.login("sekcam")
        return same(lambda: w.client.get(url()))


_hall_report_case("staf/gedung/laporan/", lambda: f"/staf/gedung/laporan/?bulan={timezone.localdate():%Y-%m}")
_hall_report_case("staf/gedung/laporan.xlsx", lambda: f"/staf/gedung/laporan.xlsx?bulan={timezone.localdate():%Y-%m}")
_hall_report_case("staf/gedung/laporan.pdf", lambda: f"/staf/gedung/laporan.pdf?bulan={timezone.localdate():%Y-%m}")
_hall_report_case("staf/gedung/register/<int:year>.xlsx", lambda: f"/staf/gedung/register/{timezone.localdate().year}.xlsx")
_hall_report_case("staf/gedung/register/<int:year>.pdf", lambda: f"/staf/gedung/register/{timezone.localdate().year}.pdf")


@case("staf/gedung/<str:code>/", "GET")
def _(w, n):
    _hall(w)
    b = _hall_bookings(w, n)[0]
    w.login("bendahara")
    return same(lambda: w.client.get(f"/staf/gedung/{b.code}/"))


@case("staf/gedung/<str:code>/kertas/<slug:paper>.pdf", "GET kuitansi")
def _(w, n):
    _hall(w)
    b = _hall_bookings(w, n)[0]
    w.login("bendahara")
    return same(lambda: w.client.get(f"/staf/gedung/{b.code}/kertas/kuitansi.pdf"))


@case("staf/gedung/<str:code>/<slug:action>/", "POST cancel", 302)
def _(w, n):
    _hall(w)
    booked = [b for b in _hall_bookings(w, max(n, 4), paid=False)]
    w.login("bendahara")
    return each(lambda: booked.pop(), lambda b: w.client.post(f"/staf/gedung/{b.code}/cancel/", {"reason": "Batal."}))


@case("api/v1/rental/availability/", "GET")
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    return same(lambda: w.client.get(f"/api/v1/rental/availability/?month={_next_month_param()}&office={w.office.slug}"))


@case("api/v1/rental/quote/", "POST")
def _(w, n):
    from tests.rentals.conftest import next_month

    _hall(w)
    _hall_bookings(w, n)
    return same(lambda: w.client.post("/api/v1/rental/quote/", {
        "date": next_month().isoformat(), "session": "siang", "government": True, "cleaning": True, "security": False,
        "parking": False, "office": w.office.slug}, content_type="application/json"))


@case("api/v1/rental/bookings/", "GET (token)", rows=True)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    return same(lambda: w.client.get("/api/v1/rental/bookings/", **w.token("bendahara")))


@case("api/v1/rental/bookings/", "POST (token, 201)", 201)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    return each(lambda: {**_hall_order(w), "inquiry": False},
                lambda data: w.client.post("/api/v1/rental/bookings/", data, content_type="application/json",
                                           **w.token("bendahara")))


@case("api/v1/rental/bookings/<code>/", "GET (token)")
def _(w, n):
    _hall(w)
    b = _hall_bookings(w, n)[0]
    return same(lambda: w.client.get(f"/api/v1/rental/bookings/{b.code}/", **w.token("bendahara")))


@case("api/v1/rental/bookings/<code>/<action>/", "POST pay")
def _(w, n):
    _hall(w)
    booked = _hall_bookings(w, max(n, 4), paid=False)
    return each(lambda: booked.pop(), lambda b: w.client.post(
        f"/api/v1/rental/bookings/{b.code}/pay/", {"amount": b.total}, content_type="application/json",
        **w.token("bendahara")))



# --- the deeds (akta tanah) -------------------------------------------------------------------------

def _deed_actors(w) -> dict:
    """Service 17 added to the mini office (tests/api/test_deed_api.mini_deeds); the accounts
    that act on deeds there."""
    from tests.support.deeds import mini_deeds

    mini_deeds(w.office)
    return {"front": w.people["front"], "ppat": w.people["ppat"], "validator": w.people["kasi"],
            "camat": w.people["camat"]}


def _deed_case(w, state: str, data: dict | None = None, **kw):
    from tests.support.deeds import deed_case

    return deed_case(w.office, _deed_actors(w), state, data, **kw)


def _deed_cases(w, n: int, *states: str) -> list:
    """n more cases, their states taken in turn from ``states``."""
    return [_deed_case(w, states[i % len(states)]) for i in range(n)]


def _heirs(n: int) -> dict:
    """A waris in the mini office: the late owner and n heirs with equal shares, each a NIK."""
    from tests.support.deeds import mini_sale

    parties = [{"role": "pewaris", "name": "Sarno (alm.)", "nik": "3577010101509999"}]
    parties += [{"role": "ahli_waris", "name": f"Ahli Waris {i}", "nik": f"357701010190{i + 1:04d}",
                 "address": f"Jl. Salak {i}", "share": f"1/{n}"} for i in range(n)]
    return mini_sale(deed_kind="waris", land_title="shm", land_reference="SHM No. 789", value=90_000_000,
                     parties=parties)


def _deed_detail_case(w, n: int):
    """A waris with n heirs, paused and resumed n times (two history rows and a pause each),
    with its tax proofs, validated and scheduled (its sidang shown)."""
    from loket.deeds import services as deed_services
    from tests.support.deeds import sidang_form, sidang_slot

    actors = _deed_actors(w)
    case = _deed_case(w, "preparing", _heirs(n), taxed=True)
    for i in range(n):
        deed_services.case_wait(code=case.code, actor=actors["ppat"], reason=f"Kekurangan {i}.")
        deed_services.case_resume(code=case.code, actor=actors["ppat"], note=f"Lengkap {i}.")
    deed_services.case_validate(code=case.code, actor=actors["validator"])
    deed_services.signing_schedule(code=case.code, actor=actors["ppat"], data=sidang_form(sidang_slot(w.office)))
    return case


@case("api/v1/deeds/cases/", "GET (token)", rows=True)
def _(w, n):
    _deed_cases(w, n, "received", "waiting", "returned", "registered")
    return same(lambda: w.client.get("/api/v1/deeds/cases/", **w.token("front")))


@case("api/v1/deeds/cases/", "GET (token, ?overdue=true&state=)", rows=True)
def _(w, n):
    from tests.support.deeds import at

    with at(timezone.now() - dt.timedelta(days=30)):  # received 30 days ago: past the 14-day target
        _deed_cases(w, n, "received", "preparing")
    _deed_cases(w, 2, "received")  # on time: not listed
    return same(lambda: w.client.get("/api/v1/deeds/cases/?overdue=true&state=received", **w.token("ppat")))


def _deed_intake(w, **over) -> dict:
    from tests.support.deeds import all_items, mini_sale

    items = all_items(w.office)
    return {**mini_sale(**over), "present": items, "originals": items}


@case("api/v1/deeds/cases/", "POST (token, 201)", 201)
def _(w, n):
    _deed_cases(w, n, "received")
    body = _deed_intake(w)
    return same(lambda: w.client.post("/api/v1/deeds/cases/", body, content_type="application/json",
                                      **w.token("front")))


@case("api/v1/deeds/cases/", "POST (token, invalid, 400)", 400)
def _(w, n):
    _deed_cases(w, n, "received")
    body = _deed_intake(w, nop="123", fee=10 ** 9)
    return same(lambda: w.client.post("/api/v1/deeds/cases/", body, content_type="application/json",
                                      **w.token("front")))


@case("api/v1/deeds/cases/<code>/", "GET (token)", rows=True)
def _(w, n):
    c = _deed_detail_case(w, n)
    return same(lambda: w.client.get(f"/api/v1/deeds/cases/{c.code}/", **w.token("ppat")))


@case("api/v1/deeds/cases/<code>/", "GET (session)", rows=True)
def _(w, n):
    c = _deed_detail_case(w, n)
    w.login("sekcam")  # NIKs masked
    return same(lambda: w.client.get(f"/api/v1/deeds/cases/{c.code}/"))


# action: (state of the case acted on, who acts, body)
DEED_ACTS = {
    "resubmit": ("returned", "front", None),
    "forward": ("received", "front", {}),
    "taxproof": ("preparing", "ppat", None),
    "wait": ("preparing", "ppat", {"reason": "SPPT PBB belum dibawa."}),
    "resume": ("waiting", "ppat", {"note": "Sudah dibawa."}),
    "validate": ("preparing", "kasi", {}),
    "schedule": ("validated", "ppat", None),
    "sign": ("scheduled", "camat", {}),
    "register": ("signed", "ppat", {}),
    "handover": ("registered", "ppat", {"to": "Budi Santoso"}),
    "withdraw": ("received", "ppat", {"reason": "Para pihak membatalkan."}),
}


def _deed_act_case(action):
    state, role, body = DEED_ACTS[action]

    @case("api/v1/deeds/cases/<code>/<action>/", f"POST {action}")
    def _(w, n):
        from loket.deeds import services as deed_services
        from loket.deeds.models import Signing
        from tests.support.deeds import all_items, at, sidang_form, sidang_slot

        _deed_cases(w, n, "received", "preparing")
        headers = w.token(role)

        def target():
            c = _deed_case(w, state, taxed=action == "validate")
            data = body
            if action == "resubmit":
                data = {"present": all_items(w.office), "originals": all_items(w.office)}
            elif action == "taxproof":
                data = {"kind": "pbb", "year": deed_services.pbb_years(c)[0], "number": "STTS-1", "amount": 250_000,
                        "paid_on": timezone.localdate().isoformat()}
            elif action == "schedule":
                data = sidang_form(sidang_slot(w.office))
            when = None
            if action == "sign":
                when = Signing.objects.get(case=c, cancelled=False).starts_at + dt.timedelta(minutes=5)
            return c, data, when

        def send(t):
            c, data, when = t
            with at(when) if when else contextlib.nullcontext():
                r = w.client.post(f"/api/v1/deeds/cases/{c.code}/{action}/", data, content_type="application/json",
                                  **headers)
            assert r.status_code != 200 or r.json()["state"] != state or action == "taxproof", "the act did not happen"
            return r

        return each(target, send)


for _action in DEED_ACTS:
    _deed_act_case(_action)


@case("api/v1/deeds/fee/", "POST (token)")
def _(w, n):
    _deed_cases(w, n, "received")
    return same(lambda: w.client.post("/api/v1/deeds/fee/", {"value": 150_000_000, "fee": 1_000_000},
                                      content_type="application/json", **w.token("front")))


@case("api/v1/deeds/fee/", "POST (token, above the cap, 400)", 400)
def _(w, n):
    _deed_cases(w, n, "received")
    return same(lambda: w.client.post("/api/v1/deeds/fee/", {"value": 100_000_000, "fee": 2_000_000},
                                      content_type="application/json", **w.token("front")))


@case("api/v1/deeds/calendar/", "GET (token)", rows=True)
def _(w, n):
    _deed_cases(w, n, "scheduled")
    start = timezone.localdate()
    query = f"?from={start}&to={start + dt.timedelta(days=61)}"
    return same(lambda: w.client.get(f"/api/v1/deeds/calendar/{query}", **w.token("camat")))


# the deeds' staff screens

def _deed_registered(w, n: int, data: dict | None = None):
    """A case (with n heirs when ``data`` is None: _heirs(n)) signed at its sidang, then written in
    the Buku Register PPAT; and the month (YYYY-MM) of its register entry."""
    from loket.deeds import services as deed_services
    from loket.deeds.models import Signing
    from tests.support.deeds import at

    actors = _deed_actors(w)
    c = _deed_detail_case(w, n) if data is None else _deed_case(w, "scheduled", data)
    starts = Signing.objects.get(case=c, cancelled=False).starts_at
    with at(starts + dt.timedelta(minutes=5)):
        deed_services.case_sign(code=c.code, actor=actors["camat"])
    with at(starts + dt.timedelta(minutes=10)):
        c = deed_services.case_register(code=c.code, actor=actors["ppat"])
    return c, f"{timezone.localtime(c.register_entry.entered_at):%Y-%m}"


def _deed_form(w, **over) -> dict:
    """The intake page's form: the parties as rows p0-…, p1-…"""
    body = _deed_intake(w, **over)
    form = {k: v for k, v in body.items() if k not in ("parties", "present", "originals", "fee_free")}
    for i, party in enumerate(body["parties"]):
        form.update({f"p{i}-{k}": v for k, v in party.items()})
    return {**form, "present": body["present"], "original": body["originals"], "aksi": "simpan"}


@case("staf/akta/", "GET (front office)", rows=True)
def _(w, n):
    _deed_cases(w, n, "received", "returned", "waiting")
    w.login("front")
    return same(lambda: w.client.get("/staf/akta/"))


@case("staf/akta/baru/", "GET")
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("front")
    return same(lambda: w.client.get("/staf/akta/baru/"))


@case("staf/akta/baru/", "POST (fee quote)")
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("front")
    return same(lambda: w.client.post("/staf/akta/baru/", {**_deed_form(w), "aksi": "uang-jasa"}))


@case("staf/akta/baru/", "POST (saved, redirect)", 302)
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("front")
    return same(lambda: w.client.post("/staf/akta/baru/", _deed_form(w)))


@case("staf/akta/baru/", "POST (invalid, 400)", 400)
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("front")
    return same(lambda: w.client.post("/staf/akta/baru/", _deed_form(w, nop="123")))


@case("staf/akta/kalender/", "GET", rows=True)
def _(w, n):
    from loket.deeds.models import Signing

    cases = _deed_cases(w, n, "scheduled")
    first = min(timezone.localtime(s.starts_at).date() for s in Signing.objects.filter(case__in=cases))
    w.login("camat")
    return same(lambda: w.client.get(f"/staf/akta/kalender/?dari={first}"))


@case("staf/akta/tarif/", "POST (redirect)", 302)
def _(w, n):
    _deed_cases(w, n, "received")
    w.login("camat")
    return same(lambda: w.client.post("/staf/akta/tarif/", {"fee_rate": "0.5"}))


def _deed_report_case(route, path):
    @case(route, "GET", rows=True)
    def _(w, n):
        import collections

        w._deed_months = getattr(w, "_deed_months", []) + [_deed_registered(w, 1, _heirs(1 + i % 3))[1]
                                                             for i in range(n)]
        # the month holding most deeds (the sidang are days ahead: near a month's end they may spill over)
        month = collections.Counter(w._deed_months).most_common(1)[0][0]
        w.login("ppat")
        return same(lambda: w.client.get(f"{path}?bulan={month}"))


_deed_report_case("staf/akta/laporan/", "/staf/akta/laporan/")
_deed_report_case("staf/akta/laporan.xlsx", "/staf/akta/laporan.xlsx")
_deed_report_case("staf/akta/laporan.pdf", "/staf/akta/laporan.pdf")


@case("staf/akta/<str:code>/", "GET", rows=True)
def _(w, n):
    c = _deed_detail_case(w, n)
    w.login("ppat")
    return same(lambda: w.client.get(f"/staf/akta/{c.code}/"))


@case("staf/akta/<str:code>/kertas/<slug:paper>.pdf", "GET tanda-terima", rows=True)
def _(w, n):
    c = _deed_detail_case(w, n)
    w.login("front")
    return same(lambda: w.client.get(f"/staf/akta/{c.code}/kertas/tanda-terima.pdf"))


@case("staf/akta/<str:code>/kertas/<slug:paper>.pdf", "GET sampul", rows=True)
def _(w, n):
    c, _ = _deed_registered(w, n)
    w.login("ppat")
    return same(lambda: w.client.get(f"/staf/akta/{c.code}/kertas/sampul.pdf"))


def _deed_web_act_case(action):
    state, role, body = DEED_ACTS[action]

    @case("staf/akta/<str:code>/<slug:action>/", f"POST {action}", 302)
    def _(w, n):
        from loket.deeds import services as deed_services
        from loket.deeds.models import Case as DeedCase, Signing
        from tests.support.deeds import all_items, at, sidang_form, sidang_slot

        _deed_cases(w, n, "received", "preparing")
        w.login(role)
        if action == "sign":  # the clock moves to the sidang, days ahead: keep the session alive there
            session = w.client.session
            session.set_expiry(30 * 24 * 3600)
            session.save()

        def target():
            c = _deed_case(w, state, taxed=action == "validate")
            data = body
            if action == "resubmit":
                data = {"present": all_items(w.office), "original": all_items(w.office)}
            elif action == "taxproof":
                data = {"kind": "pbb", "year": str(deed_services.pbb_years(c)[0]), "number": "STTS-1",
                        "amount": "250.000", "paid_on": timezone.localdate().isoformat()}
            elif action == "schedule":
                data = {**sidang_form(sidang_slot(w.office)), "minutes": "60"}
            when = None
            if action == "sign":
                when = Signing.objects.get(case=c, cancelled=False).starts_at + dt.timedelta(minutes=5)
            return c, data, when

        def send(t):
            c, data, when = t
            with at(when) if when else contextlib.nullcontext():
                r = w.client.post(f"/staf/akta/{c.code}/{action}/", data)
            assert DeedCase.objects.get(pk=c.pk).state != state or action == "taxproof", "the act did not happen"
            return r

        return each(target, send)


for _action in DEED_ACTS:
    _deed_web_act_case(_action)


# API tokens (/staf/token/): tokens of the office's staff, some revoked, expired or used; owners

def _api_tokens(w, n: int) -> list[ApiToken]:
    """At least n tokens of the office's staff, issued by the admin: every third revoked, every
    fourth expired, the others used once."""
    from loket.api import services as token_services

    have = list(ApiToken.objects.filter(user__staff__office=w.office, name__startswith="perf-token").order_by("pk"))
    staff = [w.people[r] for r in ("front", "kasi", "sekcam", "bendahara")]
    for k in range(len(have), n):
        row, _ = token_services.token_issue(actor=w.people["admin"], owner=staff[k % len(staff)], label=f"perf-token {k}")
        if k % 3 == 2:
            token_services.token_revoke(actor=w.people["admin"], token_id=row.pk)
        elif k % 4 == 3:
            ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
        else:
            token_services.token_touch(token=row, now=timezone.now())
        have.append(row)
    return have


def _token_owners(w, n: int) -> None:
    """At least n more front-office clerks in the office (the owners the form offers)."""
    from loket.offices.services import staff_create

    have = w.office.staff.filter(user__username__startswith="perf.petugas").count()
    for k in range(have, n):
        staff_create(office=w.office, username=f"perf.petugas.{k}", role="front_office", password="x-Pass-12345",
                     full_name=f"Petugas {k}")


@case("staf/token/", "GET", rows=True)
def _(w, n):
    _api_tokens(w, 2 * n)
    w.login("admin")
    return same(lambda: w.client.get("/staf/token/"))


@case("staf/token/", "GET ?semua=1", rows=True)
def _(w, n):
    _api_tokens(w, n)
    w.login("admin")
    return same(lambda: w.client.get("/staf/token/?semua=1"))


@case("staf/token/baru/", "GET", rows=True)
def _(w, n):
    _token_owners(w, n)
    w.login("admin")
    return same(lambda: w.client.get("/staf/token/baru/"))


@case("staf/token/baru/", "POST (issued, the secret shown)")
def _(w, n):
    _token_owners(w, n)
    _api_tokens(w, n)
    w.login("admin")
    owner = str(w.people["front"].pk)
    return same(lambda: w.client.post("/staf/token/baru/", {"owner": owner, "label": "Kelurahan", "expires_days": "90"}))


@case("staf/token/baru/", "POST (invalid, 400)", 400)
def _(w, n):
    _token_owners(w, n)
    w.login("admin")
    return same(lambda: w.client.post("/staf/token/baru/", {"owner": "", "label": ""}))


@case("staf/token/<int:pk>/cabut/", "GET")
def _(w, n):
    row = _api_tokens(w, n)[0]
    w.login("admin")
    return same(lambda: w.client.get(f"/staf/token/{row.pk}/cabut/"))


@case("staf/token/<int:pk>/cabut/", "POST (revoked, redirect)", 302)
def _(w, n):
    from loket.api import services as token_services

    _api_tokens(w, n)
    w.login("admin")

    def fresh():
        return token_services.token_issue(actor=None, owner=w.people["front"], label="dicabut")[0]

    return each(fresh, lambda row: w.client.post(f"/staf/token/{row.pk}/cabut/", {"confirm": "ya"}))


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
    if os.environ.get("LOKET_PRINT_BUDGETS"):  # `-s`: print what each case measures, to set budgets
        print(f"\nBUDGET {route!r} {name!r} {len(large)} (budget {budget})")
    assert len(large) <= budget, f"{counts}; budget {budget}\n{_sql(large)}"


