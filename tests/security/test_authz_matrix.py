"""Every URL and API operation × every caller (anonymous, a logged-in account without an
office, and one account per role), with the expected allow/deny, from ONE table.

``test_every_url_is_in_the_table`` walks the URL resolver (the ninja API's operations
included, method by method) and fails when a pattern has no entry, so a new URL cannot be
forgotten. The only patterns left out of the table are the Django admin's ModelAdmin pages
(everything under ``admin/<app_label>/<model_name>/`` of a registered model, and the admin's
unnamed catch-all); ``test_model_admin_pages`` covers those for every registered model.

What "allowed" and "denied" mean, per kind of entry (read from the code, stated once here):

PUBLIC      anyone: the same answer for every caller.
PAGE        staff screen (``staff_required``). Anonymous → 302 to /masuk/?next=…; a logged-in
            account without an office → 403; a role not allowed → 403. Allowed → the status
            in the table (a 3xx must not point at a login page).
POST403     a staff form whose act raises PermissionDenied straight through the view
            (intake): a role not allowed → 403, nothing saved.
ACT         a dossier act through the web (``dossiers:act`` and the bulk signature form).
            The view turns a refusal into a flash message and a 302 back to the dossier (by
            design: tests/dossiers/test_views.py::test_wrong_role_gets_a_message_and_nothing_changes),
            so "denied" = 302 + the PermissionDenied message ("… hanya untuk …") + no
            transition written. "Allowed" = past the permission layer: either the act went
            through (new state), or — for an allowed role on a dossier in the wrong state —
            the WrongState message ("… berstatus …"), the web equivalent of the API's 409.
ADMIN       Django admin site pages: only the admin role (is_staff). Everyone else (anonymous
            included) → 302 to /admin/login/?next=….
API_PUBLIC  anyone, with or without a token.
API         staff API (bearer token; ``loket tokens issue``). No credentials → 401; a token of an
            account without an office → 401 (it does not authenticate); a role not allowed → 403
            with a JSON message.
            Allowed → the status in the table; for acts an allowed role on a dossier in the
            wrong state gets 409, which counts as allowed past authorization.

A second office (Kecamatan Taman) shares the install: its Admin and its front-office clerk
(``OTHER_OFFICE``) are callers too. Every entry that names an object of the first office (a
dossier, complaint, booking or deed code) is denied to them whatever their role (404 or 403,
nothing changed), and the admin site's own pages treat them as their role twin. The second
office is built once per module (``other_office``), not per case.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import typing
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from loket.api import complaints as api_complaints
from loket.api import deeds as api_deeds
from loket.api import dossiers as api_dossiers
from loket.complaints import services as complaint_services
from loket.complaints.models import Complaint, Step
from loket.deeds.models import Case as DeedCase
from loket.deeds.models import Signing
from loket.deeds.models import Transition as DeedTransition
from loket.api.models import ApiToken
from loket.dossiers import services
from loket.dossiers.models import Correction, Dossier, Transition
from loket.offices.models import Office, Staff
from loket.offices.services import roles_sync, staff_create
from loket.offices.roles import NIK_FULL_ROLES, Role, staff_of
from loket.rentals import services as rental_services
from loket.rentals.models import Booking, Venue
from loket.surveys import ikm as survey_ikm
from tests.rentals.conftest import next_month as rental_next_month
from tests.rentals.conftest import order as rental_order
from loket.surveys.models import Response as SurveyResponse
from tests.complaints.conftest import PATHS as COMPLAINT_PATHS
from tests.support import deeds
from tests.complaints.conftest import complaint_data, run_act
from tests.factories import applicant_data

S = Dossier.State

ROLES = ["front", "kasi", "kasi_other", "sekcam", "camat", "bendahara", "ppat", "admin"]
# callers of a second office, and the role of the first office whose admin-site rights they share
OTHER_OFFICE = {"other_admin": "admin", "other_front": "front"}
CALLERS = ["anonymous", "outsider", *ROLES, *OTHER_OFFICE]  # outsider: logged in, but no office (no Staff row)
STAFF = frozenset(ROLES)
PUBLIC = "public"

PUBLIC_WEB, PAGE, POST403, ACT, ADMIN, API_PUBLIC, API = (
    "public-web", "page", "post403", "act", "admin", "api-public", "api",
)

LOGIN = "/masuk/"
ADMIN_LOGIN = "/admin/login/"


# --- the world each case runs in -------------------------------------------------------------

class World:
    """The mini office with one account per role, an outsider, and dossiers in any state,
    each brought there through the real acts (created on first use)."""

    def __init__(self, office, people, items):
        self.office, self.people, self.items = office, dict(people), items
        self.people["outsider"] = get_user_model().objects.create_user(username="luar", password="x-Pass-12345")
        self._dossiers: dict[str, Dossier] = {}
        self._tokens: dict[str, str] = {}

    PATH = {
        S.RECEIVED: [],
        S.FORWARDED: [("forward", "front")],
        S.INITIALLED: [("forward", "front"), ("initial", "kasi")],
        S.SIGNED: [("forward", "front"), ("initial", "kasi"), ("sign", "camat")],
        S.REGISTERED: [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")],
    }

    def dossier(self, state: str) -> Dossier:
        if state not in self._dossiers:
            present = self.items[:1] if state == S.RETURNED else self.items
            d = services.dossier_intake(
                office=self.office, service_code="pindah", applicant=applicant_data(), actor=self.people["front"],
                present=present, originals=present,
            )
            for act, role in self.PATH.get(state, []):
                getattr(services, f"dossier_{act}")(code=d.code, actor=self.people[role])
            d = Dossier.objects.get(pk=d.pk)
            assert d.state == state
            self._dossiers[state] = d
        return self._dossiers[state]

    def code(self, state: str = S.RECEIVED) -> str:
        return self.dossier(state).code

    def complaint(self, state: str = "received") -> Complaint:
        """A complaint recorded by the front office (with one PNG attached) and driven to
        ``state`` through the real acts (tests/complaints/conftest.py PATHS)."""
        if ("c", state) not in self._dossiers:
            from django.core.files.uploadedfile import SimpleUploadedFile

            png = SimpleUploadedFile("bukti.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
            c = complaint_services.complaint_record(office=self.office, actor=self.people["front"],
                                                    data=complaint_data(), files=[png])
            for step in COMPLAINT_PATHS[state]:
                run_act(step, c.code, self.people)
            c = Complaint.objects.get(pk=c.pk)
            assert c.state == state
            self._dossiers[("c", state)] = c
        return self._dossiers[("c", state)]

    def booking(self, state: str = "booked") -> Booking:
        """A hall booking of the mini office (its tariff has the Siang session and cleaning), on
        its own day next month, brought to ``state`` by the Bendahara."""
        if ("b", state) not in self._dossiers:
            venue = Venue.objects.get_or_create(office=self.office, code="aula",
                                                defaults={"name": "Aula", "capacity": 400})[0]
            day = rental_next_month(1 + len([k for k in self._dossiers if k[0] == "b"]))
            b = rental_services.booking_create(office=self.office, actor=self.people["bendahara"],
                                               data=rental_order(venue=venue.code, date=day.isoformat(), session="siang",
                                                                 parking=False, renter_type="swasta"),
                                               inquiry=state == "inquiry")
            if state in ("paid", "used"):
                rental_services.booking_pay(code=b.code, actor=self.people["bendahara"], amount=b.total)
            b = Booking.objects.get(pk=b.pk)
            assert b.state == state
            self._dossiers[("b", state)] = b
        return self._dossiers[("b", state)]

    def deed_case(self, state: str = "received") -> DeedCase:
        """A deed case (akta jual beli) of the mini office, which is given the bundled standard's
        service 17 first, brought to ``state`` through the real acts. A case preparing has its
        tax proofs already, so that the Kasi Pemerintahan can validate it."""
        if ("d", state) not in self._dossiers:
            deeds.mini_deeds(self.office)
            actors = {"front": self.people["front"], "ppat": self.people["ppat"], "validator": self.people["kasi"],
                      "camat": self.people["camat"]}
            self._dossiers[("d", state)] = deeds.deed_case(self.office, actors, state, taxed=True)
        return self._dossiers[("d", state)]

    def token(self, who: str) -> dict:
        if who == "anonymous":
            return {}
        if who not in self._tokens:
            self._tokens[who] = ApiToken.issue(user=self.people[who], name="authz")[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {self._tokens[who]}"}


@pytest.fixture(scope="module")
def other_office(django_db_setup, django_db_blocker):
    """Kecamatan Taman with its Admin and a front-office clerk, committed once for this module
    (every case rolls back only its own changes) and removed at its end."""
    from django.contrib.auth.models import Group

    twins = {"admin": Role.ADMIN, "front": Role.FRONT_OFFICE}
    with django_db_blocker.unblock():
        groups_before = set(Group.objects.values_list("pk", flat=True))
        roles_sync()
        taman = Office.objects.create(slug="taman", region_code="35.77.03", name="Kecamatan Taman", city="Kota Madiun")
        people = {who: staff_create(office=taman, username=f"taman.{twin}", role=twins[twin],
                                    password="x-Pass-12345").user for who, twin in OTHER_OFFICE.items()}
    yield people
    with django_db_blocker.unblock():
        Staff.objects.filter(office=taman).delete()
        get_user_model().objects.filter(pk__in=[u.pk for u in people.values()]).delete()
        taman.delete()
        Group.objects.exclude(pk__in=groups_before).delete()


@pytest.fixture
def world(office, people, all_items, other_office, settings):
    # The second office is older (built per module): "/" and the office-less public API must
    # still mean the first one, as LOKET_DEFAULT_OFFICE does in a multi-office install.
    settings.LOKET_DEFAULT_OFFICE = office.slug
    return World(office, {**people, **other_office}, all_items)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the public look-ups are rate-limited per IP
    yield
    cache.clear()


# --- the table ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    name: str                                  # URL pattern name, namespaced
    method: str
    kind: str
    allowed: frozenset | str                   # roles, or PUBLIC
    url: Callable[[World], str]
    ok: int = 200                              # status for an allowed caller
    variant: str = ""                          # e.g. the act, the paper
    data: Callable[[World], dict] | None = None
    # where an allowed 3xx must go (given the caller), if it is a redirect
    ok_location: Callable[[str, World], str] | None = None
    # acts: state of the dossier acted on, and the roles for whom the act goes through there
    state: str | None = None
    succeeds: frozenset = frozenset()
    # per-caller exceptions to ``ok`` (documented where used)
    ok_for: dict = field(default_factory=dict)
    deny_location: str | None = None           # ADMIN: where a refusal redirects, if not the admin login
    subject: str = "dossier"                   # what ``state`` is the state of: "dossier", "complaint", "deed"
    conflict: str = "berstatus"                # API: what the 409 of an allowed role that does not succeed says

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}{'-' + self.variant if self.variant else ''}]"


def r(name, **kw):
    return lambda w: reverse(name, kwargs=kw or None)


def code_url(name, state=S.RECEIVED, **extra):
    return lambda w: reverse(name, kwargs={"code": w.code(state), **extra})


HOME_OF = {"kasi": "/staf/paraf/", "kasi_other": "/staf/paraf/", "sekcam": "/staf/tanda-tangan/",
           "camat": "/staf/tanda-tangan/"}

# The web acts and the API acts share these: (state of the dossier, roles the permission layer
# lets through, roles for whom the act succeeds in that state). Allowed roles that do not
# succeed hit WrongState (web: message; API: 409).
ACT_RULES = {
    "forward": (S.RECEIVED, {"front"}, {"front"}),
    # two roles may return, each in its own state: the front office before forwarding, the Kasi
    # of the dossier's unit at the re-check. On a FORWARDED dossier the front office is past the
    # role check and gets WrongState.
    "return": (S.FORWARDED, {"front", "kasi"}, {"kasi"}),
    "initial": (S.FORWARDED, {"kasi"}, {"kasi"}),            # Kasi of the unit only, not kasi_other
    "sign": (S.INITIALLED, {"camat", "sekcam"}, {"camat", "sekcam"}),
    "register": (S.SIGNED, {"front"}, {"front"}),
    "handover": (S.REGISTERED, {"front"}, {"front"}),
    "resubmit": (S.RETURNED, {"front"}, {"front"}),
    # who holds the dossier corrects its applicant data: the front office while received or
    # returned, the Kasi of the unit while forwarded or initialled (here: WrongState)
    "correct": (S.RECEIVED, {"front", "kasi"}, {"front"}),
}


def _web_act_data(action):
    def data(w):
        if action == "return":
            return {"reason": "Tanda tangan lurah tidak ada", "missing": "Surat Pengantar RT/ RW"}
        if action == "resubmit":
            return {"present": w.items, "original": w.items}
        if action == "correct":
            return {"name": "Siti Aminah Rahayu", "reason": "Nama sesuai KK."}
        return {}
    return data


def _api_act_data(action):
    def data(w):
        if action == "return":
            return {"reason": "Tanda tangan lurah tidak ada", "missing": ["Surat Pengantar RT/ RW"]}
        if action == "resubmit":
            return {"present": w.items, "originals": w.items}
        if action == "correct":
            return {"changes": {"name": "Siti Aminah Rahayu"}, "reason": "Nama sesuai KK."}
        return {}
    return data


def _web_act_location(action):
    def where(who, w):
        if action == "initial" and who in ACT_RULES["initial"][2]:
            return "/staf/paraf/"
        if action == "sign" and who in ACT_RULES["sign"][2]:
            return "/staf/tanda-tangan/"
        return reverse("dossiers:detail", kwargs={"code": w.code(ACT_RULES[action][0])})
    return where


def complaint_url(name, state="received", **extra):
    return lambda w: reverse(name, kwargs={"code": w.complaint(state).code, **extra})


# Complaint acts (loket/complaints/services.py ACTS), on a complaint answered directly or
# escalated to Kasi Pemerintahan ("kasi"): (state, roles past the permission layer, roles for
# whom it goes through). A role that may do the act in general but does not hold this
# complaint now (kasi_other; the front office on an escalated one) is refused like a wrong role.
CA = "answered"
COMPLAINT_ACT_RULES = {
    "escalate": ("received", {"front"}, {"front"}),
    "direction_request": ("escalated", {"kasi"}, {"kasi"}),
    "direction_give": ("direction_requested", {"camat", "sekcam"}, {"camat", "sekcam"}),
    "coordinate": ("escalated", {"kasi"}, {"kasi"}),
    "coordination_result": ("coordinating", {"kasi"}, {"kasi"}),
    "answer": ("received", {"front"}, {"front"}),
    "correct": (CA, {"front"}, {"front"}),
    "feedback": (CA, {"front"}, {"front"}),
    "close": (CA, {"front"}, {"front"}),
}
COMPLAINT_ACT_DATA = {
    "escalate": {"unit": "pemerintahan"},
    "direction_request": {"question": "Mohon arahan."},
    "direction_give": {"direction": "Koordinasikan dengan kelurahan."},
    "coordinate": {"kind": "kelurahan", "party": "Kelurahan Klegen", "question": "Mohon konfirmasi."},
    "coordination_result": {"result": "Sudah dikonfirmasi."},
    "answer": {"text": "Sudah selesai, silakan diambil."},
    "correct": {"text": "Koreksi: silakan diambil besok.", "reason": "Salah tanggal."},
    "feedback": {"satisfied": True},
    "close": {"note": "Tidak ada tanggapan."},
}
# the web form sends text: "1"/"0" for the complainant's word
COMPLAINT_WEB_DATA = {**COMPLAINT_ACT_DATA, "feedback": {"satisfied": "1"}}
COMPLAINT_RECORDERS = frozenset({"front", "kasi", "kasi_other", "sekcam", "camat"})


def _complaint_form(w):
    return {**complaint_data(), "submit": "1"}


def _intake_form(w):
    a = applicant_data()
    a["birth_date"] = a["birth_date"].isoformat()
    return {**a, "service": "pindah", "submit": "1", "present": w.items, "original": w.items}


def _api_intake(w):
    a = applicant_data()
    a["birth_date"] = a["birth_date"].isoformat()
    return {"service": "pindah", "applicant": a, "present": w.items, "originals": w.items}


def _view_on_site(w):
    ct = ContentType.objects.get_for_model(Office)
    return reverse("admin:view_on_site", kwargs={"content_type_id": ct.pk, "object_id": w.office.pk})


# SKM (loket/surveys/services.py): who collects (kiosk, import), publishes, sets the weight
SKM_KEYS = survey_ikm.KEYS
SKM_COLLECTORS = frozenset({"front", "sekcam", "camat", "admin"})
SKM_PUBLISHERS = frozenset({"camat", "sekcam"})
SKM_SETTERS = frozenset({"camat", "sekcam", "admin"})
SKM_YEAR = 2025


def _skm_answered(w):
    """One paper form of SKM_YEAR, so that the year can be published."""
    if not SurveyResponse.objects.filter(office=w.office).exists():
        SurveyResponse.objects.create(office=w.office, date=dt.date(SKM_YEAR, 3, 1), source="paper",
                                      **{k: 3 for k in SKM_KEYS})


def _skm_publish_form(w):
    _skm_answered(w)
    return {"jenis": "tahun", "tahun": str(SKM_YEAR)}


def _skm_publish_api(w):
    _skm_answered(w)
    return {"period": "tahun", "year": SKM_YEAR}


def _skm_report_url(w):
    return reverse("surveys_staff:report") + f"?jenis=tahun&tahun={SKM_YEAR}"


# The hall (loket/rentals/services.py): the Bendahara and the Kasubbag Umum (kasi_other heads the
# mini office's subbagian) take orders and act; only the Bendahara records a payment.
RENTAL_HANDLERS = frozenset({"bendahara", "kasi_other"})
RENTAL_ACTS = {  # action: (state acted on, roles past the permission layer, form data)
    "confirm": ("inquiry", RENTAL_HANDLERS, {}),
    "pay": ("booked", frozenset({"bendahara"}), None),
    "cancel": ("booked", RENTAL_HANDLERS, {"reason": "Acara diundur."}),
    "use": ("paid", RENTAL_HANDLERS, {}),  # the day is still ahead: refused by state (a message), past authorization
}


def _rental_form(**over) -> dict:
    """The order as the web form posts it: a checkbox not ticked is not sent at all."""
    data = rental_order(venue="aula", session="siang", parking=False, **over)
    return {**{k: ("1" if v is True else v) for k, v in data.items() if v is not False}, "aksi": "pesan"}


def _rental_url(name, state="booked", **extra):
    return lambda w: reverse(name, kwargs={"code": w.booking(state).code, **extra})


def _rental_data(action):
    def data(w):
        state, _, form = RENTAL_ACTS[action]
        return form if form is not None else {"amount": str(w.booking(state).total)}
    return data


# Deeds (loket/deeds/services.py): (state of the case, roles past the permission layer, roles
# for whom the act goes through there). The validator is the Kasi Pemerintahan ("kasi"); the
# Kasi of another unit is refused like a wrong role. The Camat may sign only once the sidang has
# begun: on a case scheduled for a later day he gets 409 ("Sidang baru dimulai …").
DEED_ACT_RULES = {
    "resubmit": ("returned", {"front"}, {"front"}),
    "forward": ("received", {"front"}, {"front"}),
    "taxproof": ("preparing", {"ppat"}, {"ppat"}),  # records a proof; the state stays
    "wait": ("preparing", {"ppat"}, {"ppat"}),
    "resume": ("waiting", {"ppat"}, {"ppat"}),
    "validate": ("preparing", {"kasi"}, {"kasi"}),
    "schedule": ("validated", {"ppat"}, {"ppat"}),
    "sign": ("scheduled", {"camat"}, set()),
    "register": ("signed", {"ppat"}, {"ppat"}),
    "handover": ("registered", {"ppat"}, {"ppat"}),
    "withdraw": ("received", {"front", "ppat"}, {"front", "ppat"}),
}
DEED_STAFF_ACTS_KEEPING_STATE = {"taxproof"}


def _deed_act_data(action):
    def data(w):
        return {
            "resubmit": lambda: {"present": deeds.all_items(w.office), "originals": deeds.all_items(w.office)},
            "taxproof": lambda: {"kind": "pbb", "year": deeds.deed_services.pbb_years(w.deed_case("preparing"))[0],
                                 "number": "STTS-2", "paid_on": timezone.localdate().isoformat(), "amount": 300_000},
            "wait": lambda: {"reason": "SPPT PBB belum dibawa."},
            "resume": lambda: {"note": "Sudah dibawa."},
            "schedule": lambda: deeds.sidang_form(deeds.sidang_slot(w.office)),
            "handover": lambda: {"to": "Budi Santoso"},
            "withdraw": lambda: {"reason": "Para pihak membatalkan."},
        }.get(action, dict)()
    return data


def _deed_url(name, state="received", **extra):
    return lambda w: reverse(name, kwargs={"code": w.deed_case(state).code, **extra})


def _deed_intake(w):
    deeds.mini_deeds(w.office)
    items = deeds.all_items(w.office)
    return {**deeds.mini_sale(), "present": items, "originals": items}


def _deed_web_data(action):
    """The web form of each act (the detail page's forms): the checklist ticks are ``present``
    and ``original``, the sidang's start comes from a datetime-local input."""
    def data(w):
        if action == "resubmit":
            return {"present": deeds.all_items(w.office), "original": deeds.all_items(w.office)}
        form = _deed_act_data(action)(w)
        if action == "schedule":
            form = {**form, "starts_at": form["starts_at"].replace(" ", "T"), "minutes": str(form["minutes"])}
        return {k: str(v) for k, v in form.items()}
    return data


def _deed_form(w):
    """The intake form as the page posts it: the parties as rows p0-…, p1-…"""
    body = _deed_intake(w)
    form = {k: v for k, v in body.items() if k not in ("parties", "present", "originals")}
    for i, party in enumerate(body["parties"]):
        form.update({f"p{i}-{k}": v for k, v in party.items()})
    return {**form, "present": body["present"], "original": body["originals"], "aksi": "simpan"}


def _deed_detail_of(state):
    return lambda who, w: reverse("deeds:detail", kwargs={"code": w.deed_case(state).code})


def _api_token_url(w):
    """A token of the front office, to be revoked."""
    return reverse("tokens:revoke", kwargs={"pk": ApiToken.issue(user=w.people["front"], name="authz")[0].pk})


def _deed_calendar_url(w):
    day = timezone.localtime(Signing.objects.get(case=w.deed_case("scheduled"), cancelled=False).starts_at).date()
    return reverse("api:deed_calendar") + f"?from={day}&to={day + dt.timedelta(days=6)}"


TABLE: list[Entry] = [
    # --- public web -----------------------------------------------------------------------
    Entry("healthz", "GET", PUBLIC_WEB, PUBLIC, r("healthz")),
    Entry("login", "GET", PUBLIC_WEB, PUBLIC, r("login")),
    Entry("logout", "POST", PUBLIC_WEB, PUBLIC, r("logout"), ok=302, ok_location=lambda who, w: "/"),
    Entry("set_language", "POST", PUBLIC_WEB, PUBLIC, r("set_language"), ok=302,
          data=lambda w: {"language": "id", "next": "/lacak/"}, ok_location=lambda who, w: "/lacak/"),
    Entry("language", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("language", args=["en"]) + "?next=/lacak/",
          ok=302, ok_location=lambda who, w: "/lacak/"),
    Entry("track", "GET", PUBLIC_WEB, PUBLIC, r("track")),
    Entry("track_detail", "GET", PUBLIC_WEB, PUBLIC, code_url("track_detail")),
    Entry("verify_detail", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("verify_detail", kwargs={"code": w.dossier(S.REGISTERED).verification_code})),
    Entry("catalog:index", "GET", PUBLIC_WEB, PUBLIC, r("catalog:index"), ok=302,
          ok_location=lambda who, w: f"/{w.office.slug}/"),
    Entry("catalog:home", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("catalog:home", args=[w.office.slug])),
    Entry("catalog:service_list", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:service_list", args=[w.office.slug])),
    Entry("catalog:service_detail", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:service_detail", args=[w.office.slug, "pindah"])),
    Entry("catalog:standard_pdf", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:standard_pdf", args=[w.office.slug])),

    # --- staff screens: every role of an office may look; the acts decide who may do ---------
    Entry("dossiers:home", "GET", PAGE, STAFF, r("dossiers:home"), ok=302,
          ok_location=lambda who, w: HOME_OF.get(who, "/staf/berkas/")),
    Entry("dossiers:today", "GET", PAGE, STAFF, r("dossiers:today")),
    Entry("dossiers:search", "GET", PAGE, STAFF, lambda w: reverse("dossiers:search") + f"?q={w.code()}"),
    Entry("dossiers:intake", "GET", PAGE, STAFF, lambda w: reverse("dossiers:intake") + "?layanan=pindah"),
    Entry("dossiers:intake", "POST", POST403, frozenset({"front"}), r("dossiers:intake"), ok=302, data=_intake_form,
          ok_location=lambda who, w: reverse("dossiers:detail", kwargs={"code": Dossier.objects.latest("pk").code})),
    Entry("dossiers:detail", "GET", PAGE, STAFF, code_url("dossiers:detail")),
    Entry("dossiers:paper", "GET", PAGE, STAFF, code_url("dossiers:paper", kind="tanda-terima"),
          variant="tanda-terima"),
    Entry("dossiers:paper", "GET", PAGE, STAFF, code_url("dossiers:paper", S.RETURNED, kind="slip-pengembalian"),
          variant="slip-pengembalian"),
    Entry("dossiers:paper", "GET", PAGE, STAFF, code_url("dossiers:paper", S.REGISTERED, kind="stempel-verifikasi"),
          variant="stempel-verifikasi"),
    Entry("dossiers:kasi", "GET", PAGE, STAFF, r("dossiers:kasi")),
    Entry("dossiers:signature", "GET", PAGE, STAFF, r("dossiers:signature")),
    Entry("dossiers:signature", "POST", ACT, frozenset({"camat", "sekcam"}), r("dossiers:signature"), ok=302,
          data=lambda w: {"code": [w.code(S.INITIALLED)]}, state=S.INITIALLED,
          succeeds=frozenset({"camat", "sekcam"}), ok_location=lambda who, w: "/staf/tanda-tangan/"),
    *[
        Entry("dossiers:act", "POST", ACT, frozenset(roles), code_url("dossiers:act", state, action=action), ok=302,
              variant=action, data=_web_act_data(action), state=state, succeeds=frozenset(ok),
              ok_location=_web_act_location(action))
        for action, (state, roles, ok) in ACT_RULES.items()
    ],
    Entry("registers:book", "GET", PAGE, STAFF, r("registers:book")),
    Entry("registers:export_xlsx", "GET", PAGE, STAFF, r("registers:export_xlsx")),
    Entry("registers:export_pdf", "GET", PAGE, STAFF, r("registers:export_pdf")),

    # --- complaints: staff screens (every role looks; the acts decide who may do) --------------
    Entry("complaints:worklist", "GET", PAGE, STAFF, r("complaints:worklist")),
    Entry("complaints:list", "GET", PAGE, STAFF, lambda w: reverse("complaints:list") + "?state=received&q=KTP"),
    Entry("complaints:overdue", "GET", PAGE, STAFF, r("complaints:overdue")),
    Entry("complaints:record", "GET", PAGE, STAFF, r("complaints:record")),
    Entry("complaints:record", "POST", POST403, COMPLAINT_RECORDERS, r("complaints:record"), ok=302,
          data=_complaint_form,
          ok_location=lambda who, w: reverse("complaints:detail", kwargs={"code": Complaint.objects.latest("pk").code})),
    Entry("complaints:report", "GET", PAGE, STAFF, r("complaints:report")),
    Entry("complaints:book_xlsx", "GET", PAGE, STAFF, lambda w: reverse("complaints:book_xlsx", args=[w.complaint().received_at.year])),
    Entry("complaints:book_pdf", "GET", PAGE, STAFF, lambda w: reverse("complaints:book_pdf", args=[w.complaint().received_at.year])),
    Entry("complaints:detail", "GET", PAGE, STAFF, complaint_url("complaints:detail")),
    Entry("complaints:attachment", "GET", PAGE, STAFF,
          lambda w: reverse("complaints:attachment", kwargs={"code": w.complaint().code, "pk": w.complaint().attachments.get().pk})),
    *[
        Entry("complaints:act", "POST", ACT, frozenset(roles), complaint_url("complaints:act", state, action=action), ok=302,
              variant=action, data=(lambda a: lambda w: COMPLAINT_WEB_DATA[a])(action), state=state,
              succeeds=frozenset(ok), subject="complaint",
              ok_location=(lambda st: lambda who, w: reverse("complaints:detail", kwargs={"code": w.complaint(st).code}))(state))
        for action, (state, roles, ok) in COMPLAINT_ACT_RULES.items()
    ],
    # --- complaints: public pages -------------------------------------------------------------
    Entry("complaints_public:form", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("complaints_public:form", args=[w.office.slug])),
    Entry("complaints_public:track", "GET", PUBLIC_WEB, PUBLIC, r("complaints_public:track")),
    Entry("complaints_public:track_detail", "GET", PUBLIC_WEB, PUBLIC, complaint_url("complaints_public:track_detail")),
    Entry("complaints_public:feedback", "POST", PUBLIC_WEB, PUBLIC, complaint_url("complaints_public:feedback", CA),
          ok=302, data=lambda w: {"satisfied": "1"},
          ok_location=lambda who, w: reverse("complaints_public:track_detail", kwargs={"code": w.complaint(CA).code})),
    # --- surveys: the public SKM form (a registered dossier, not handed over: the friendly page) ---
    Entry("surveys:form", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("surveys:form", kwargs={"code": w.code(S.REGISTERED)})),
    Entry("surveys:board", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("surveys:board", args=[w.office.slug])),
    Entry("rentals_public:availability", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: (w.booking(), reverse("rentals_public:availability", args=[w.office.slug]))[1]),
    # --- the hall: staff screens (every role looks; the services decide who may act) ---------------
    Entry("rentals:board", "GET", PAGE, STAFF, lambda w: (w.booking(), reverse("rentals:board"))[1]),
    Entry("rentals:new", "GET", PAGE, RENTAL_HANDLERS, r("rentals:new")),
    Entry("rentals:new", "POST", POST403, RENTAL_HANDLERS, r("rentals:new"), ok=302,
          data=lambda w: (w.booking(), _rental_form(date=rental_next_month(28).isoformat()))[1],
          ok_location=lambda who, w: reverse("rentals:detail", kwargs={"code": Booking.objects.latest("pk").code})),
    Entry("rentals:detail", "GET", PAGE, STAFF, _rental_url("rentals:detail")),
    Entry("rentals:paper", "GET", PAGE, STAFF, _rental_url("rentals:paper", paper="penawaran"), variant="penawaran"),
    Entry("rentals:paper", "GET", PAGE, STAFF, _rental_url("rentals:paper", "paid", paper="kuitansi"), variant="kuitansi"),
    *[
        Entry("rentals:act", "POST", POST403, roles, _rental_url("rentals:act", state, action=action), ok=302,
              variant=action, data=_rental_data(action),
              ok_location=(lambda st: lambda who, w: reverse("rentals:detail", kwargs={"code": w.booking(st).code}))(state))
        for action, (state, roles, _) in RENTAL_ACTS.items()
    ],
    Entry("rentals:retribution", "GET", PAGE, STAFF, r("rentals:retribution")),
    Entry("rentals:retribution_xlsx", "GET", PAGE, STAFF, r("rentals:retribution_xlsx")),
    Entry("rentals:retribution_pdf", "GET", PAGE, STAFF, r("rentals:retribution_pdf")),
    Entry("rentals:register_xlsx", "GET", PAGE, STAFF,
          lambda w: reverse("rentals:register_xlsx", args=[w.booking().register_entry.book.year])),
    Entry("rentals:register_pdf", "GET", PAGE, STAFF,
          lambda w: reverse("rentals:register_pdf", args=[w.booking().register_entry.book.year])),
    # --- the deeds: staff screens (every role looks; intake is the front office's; the acts decide) ---
    Entry("deeds:list", "GET", PAGE, STAFF, lambda w: (w.deed_case(), reverse("deeds:list"))[1]),
    Entry("deeds:new", "GET", PAGE, frozenset({"front"}), lambda w: (deeds.mini_deeds(w.office), reverse("deeds:new"))[1]),
    Entry("deeds:new", "POST", POST403, frozenset({"front"}), r("deeds:new"), ok=302, data=_deed_form,
          ok_location=lambda who, w: reverse("deeds:detail", kwargs={"code": DeedCase.objects.latest("pk").code})),
    Entry("deeds:calendar", "GET", PAGE, STAFF, lambda w: (w.deed_case("scheduled"), reverse("deeds:calendar"))[1]),
    Entry("deeds:fee_rate", "POST", POST403, frozenset({"camat", "admin"}), r("deeds:fee_rate"), ok=302,
          data=lambda w: (deeds.mini_deeds(w.office), {"fee_rate": "0.5"})[1],
          ok_location=lambda who, w: reverse("deeds:list")),
    Entry("deeds:report", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:report"))[1]),
    Entry("deeds:report_xlsx", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:report_xlsx"))[1]),
    Entry("deeds:report_pdf", "GET", PAGE, STAFF, lambda w: (w.deed_case("registered"), reverse("deeds:report_pdf"))[1]),
    Entry("deeds:detail", "GET", PAGE, STAFF, _deed_url("deeds:detail")),
    Entry("deeds:paper", "GET", PAGE, STAFF, _deed_url("deeds:paper", paper="tanda-terima"), variant="tanda-terima"),
    Entry("deeds:paper", "GET", PAGE, STAFF, _deed_url("deeds:paper", "registered", paper="sampul"), variant="sampul"),
    # a refused role: PermissionDenied straight through (403); an allowed role in the wrong state
    # (the Camat before the sidang has begun): a message and back to the case
    *[
        Entry("deeds:act", "POST", POST403, frozenset(roles), _deed_url("deeds:act", state, action=action), ok=302,
              variant=action, data=_deed_web_data(action), state=state, succeeds=frozenset(ok), subject="deed",
              ok_location=_deed_detail_of(state), conflict="Sidang baru dimulai" if action == "sign" else "berstatus")
        for action, (state, roles, ok) in DEED_ACT_RULES.items()
    ],
    # --- surveys: staff screens (loket/surveys/services.py: COLLECTORS, IMPORTERS, PUBLISHERS, SETTERS) ---
    Entry("surveys_staff:report", "GET", PAGE, STAFF, r("surveys_staff:report")),
    Entry("surveys_staff:report_pdf", "GET", PAGE, STAFF, lambda w: reverse("surveys_staff:report_pdf") + "?jenis=tahun"),
    Entry("surveys_staff:report_xlsx", "GET", PAGE, STAFF, lambda w: reverse("surveys_staff:report_xlsx") + "?jenis=tahun"),
    # a period with answers: published, back to the report
    Entry("surveys_staff:publish", "POST", POST403, SKM_PUBLISHERS, r("surveys_staff:publish"), ok=302,
          data=_skm_publish_form, ok_location=lambda who, w: _skm_report_url(w)),
    Entry("surveys_staff:weight", "POST", POST403, SKM_SETTERS, r("surveys_staff:weight"), ok=302,
          data=lambda w: {"bobot": "0.111"}, ok_location=lambda who, w: reverse("surveys_staff:report")),
    Entry("surveys_staff:kiosk", "GET", PAGE, SKM_COLLECTORS, r("surveys_staff:kiosk")),
    Entry("surveys_staff:kiosk", "POST", POST403, SKM_COLLECTORS, r("surveys_staff:kiosk"), ok=302,
          data=lambda w: {k: "3" for k in SKM_KEYS},
          ok_location=lambda who, w: reverse("surveys_staff:kiosk") + "?terima-kasih=1"),
    Entry("surveys_staff:import", "GET", PAGE, SKM_COLLECTORS, r("surveys_staff:import")),
    # no file sent: the form again with the message (400), past the permission layer
    Entry("surveys_staff:import", "POST", POST403, SKM_COLLECTORS, r("surveys_staff:import"), ok=400),
    Entry("surveys_staff:import_template", "GET", PAGE, SKM_COLLECTORS, r("surveys_staff:import_template", fmt="csv")),
    # --- API tokens (loket/api/views.py): the office admin only; another office's token is 404 ---
    Entry("tokens:list", "GET", PAGE, frozenset({"admin"}), r("tokens:list")),
    Entry("tokens:new", "GET", PAGE, frozenset({"admin"}), r("tokens:new")),
    Entry("tokens:new", "POST", POST403, frozenset({"admin"}), r("tokens:new"),  # the secret shown once: 200
          data=lambda w: {"owner": str(w.people["front"].pk), "label": "Kelurahan Klegen"}),
    Entry("tokens:revoke", "GET", PAGE, frozenset({"admin"}), _api_token_url),
    Entry("tokens:revoke", "POST", POST403, frozenset({"admin"}), _api_token_url, ok=302,
          data=lambda w: {"confirm": "ya"}, ok_location=lambda who, w: reverse("tokens:list")),

    # --- Django admin: the site's own pages (ModelAdmin pages: test_model_admin_pages) ---------
    Entry("admin:index", "GET", ADMIN, frozenset({"admin"}), r("admin:index")),
    # the login page answers everyone; a logged-in admin is sent on to the index
    Entry("admin:login", "GET", PUBLIC_WEB, PUBLIC, r("admin:login"), ok_for={"admin": 302},
          ok_location=lambda who, w: "/admin/"),
    # a non-staff account is sent to the index (which then asks for an admin login); the admin is
    # logged out and sent to LOGOUT_REDIRECT_URL
    Entry("admin:logout", "POST", ADMIN, frozenset({"admin"}), r("admin:logout"), ok=302,
          ok_location=lambda who, w: "/", deny_location="/admin/"),
    Entry("admin:password_change", "GET", ADMIN, frozenset({"admin"}), r("admin:password_change")),
    Entry("admin:password_change_done", "GET", ADMIN, frozenset({"admin"}), r("admin:password_change_done")),
    Entry("admin:jsi18n", "GET", ADMIN, frozenset({"admin"}), r("admin:jsi18n")),
    Entry("admin:app_list", "GET", ADMIN, frozenset({"admin"}), r("admin:app_list", app_label="catalog")),
    Entry("admin:autocomplete", "GET", ADMIN, frozenset({"admin"}),
          lambda w: reverse("admin:autocomplete") + "?app_label=catalog&model_name=requirement&field_name=service&term=p"),
    # past admin_view for the admin; 404 because no Loket model has get_absolute_url
    Entry("admin:view_on_site", "GET", ADMIN, frozenset({"admin"}), _view_on_site, ok=404),

    # --- API, public -----------------------------------------------------------------------
    # ninja's root of the API has no page of its own: 404 for everyone (the docs are at docs/)
    Entry("api:api-root", "GET", API_PUBLIC, PUBLIC, r("api:api-root"), ok=404),
    Entry("api:openapi-json", "GET", API_PUBLIC, PUBLIC, r("api:openapi-json")),
    Entry("api:openapi-view", "GET", API_PUBLIC, PUBLIC, r("api:openapi-view")),
    Entry("api:service_list", "GET", API_PUBLIC, PUBLIC, r("api:service_list")),
    Entry("api:service_detail", "GET", API_PUBLIC, PUBLIC, r("api:service_detail", code="pindah")),
    Entry("api:track", "GET", API_PUBLIC, PUBLIC, code_url("api:track")),
    Entry("api:verify", "GET", API_PUBLIC, PUBLIC,
          lambda w: reverse("api:verify", kwargs={"code": w.dossier(S.REGISTERED).verification_code})),

    Entry("api:complaint_file", "POST", API_PUBLIC, PUBLIC, r("api:complaint_file"), ok=201,
          data=lambda w: {k: v for k, v in complaint_data().items() if k != "channel"}),
    Entry("api:complaint_track", "GET", API_PUBLIC, PUBLIC, complaint_url("api:complaint_track")),
    Entry("api:rental_availability", "GET", API_PUBLIC, PUBLIC,
          lambda w: (w.booking(), reverse("api:rental_availability") + f"?month={rental_next_month():%Y-%m}&office={w.office.slug}")[1]),
    Entry("api:rental_quote", "POST", API_PUBLIC, PUBLIC, lambda w: (w.booking(), reverse("api:rental_quote"))[1],
          data=lambda w: {"date": rental_next_month().isoformat(), "session": "siang", "government": True, "cleaning": True,
                          "security": False, "parking": False, "office": w.office.slug}),
    # nothing published yet: 404 for everyone
    Entry("api:skm_publication_latest", "GET", API_PUBLIC, PUBLIC,
          lambda w: reverse("api:skm_publication_latest", kwargs={"office_slug": w.office.slug}), ok=404),
    # a registered dossier is not handed over yet: 409 for everyone, nothing saved
    Entry("api:skm_form", "POST", API_PUBLIC, PUBLIC, code_url("api:skm_form", S.REGISTERED), ok=409,
          data=lambda w: {"answers": {k: 3 for k in SKM_KEYS}, "profile": {}}),
    Entry("api:complaint_feedback_public", "POST", API_PUBLIC, PUBLIC, complaint_url("api:complaint_feedback_public", CA),
          data=lambda w: {"satisfied": False}),

    # --- API, staff ------------------------------------------------------------------------
    Entry("api:staff_complaints", "GET", API, STAFF, r("api:staff_complaints")),
    Entry("api:staff_complaints", "POST", API, COMPLAINT_RECORDERS, r("api:staff_complaints"), ok=201,
          data=lambda w: complaint_data()),
    Entry("api:complaint_detail", "GET", API, STAFF, complaint_url("api:complaint_detail")),
    # no responses yet: 404 past the permission layer ("no answers"), for every staff role
    Entry("api:skm_ikm", "GET", API, STAFF, r("api:skm_ikm"), ok=404),
    Entry("api:skm_report", "GET", API, STAFF, r("api:skm_report")),
    Entry("api:rental_bookings", "GET", API, STAFF, lambda w: (w.booking(), reverse("api:rental_bookings"))[1]),
    Entry("api:rental_bookings", "POST", API, RENTAL_HANDLERS, lambda w: (w.booking(), reverse("api:rental_bookings"))[1],
          ok=201, data=lambda w: {**rental_order(venue="aula", date=rental_next_month(27).isoformat(), session="siang",
                                                 parking=False, attendance=100), "inquiry": False}),
    Entry("api:rental_booking", "GET", API, STAFF, _rental_url("api:rental_booking")),
    *[
        Entry("api:rental_booking_act", "POST", API, roles, _rental_url("api:rental_booking_act", state, action=action),
              variant=action, ok=409 if action == "use" else 200,
              data=(lambda a: lambda w: {**(_rental_data(a)(w)), **({"amount": w.booking("booked").total} if a == "pay" else {})})(action))
        for action, (state, roles, _) in RENTAL_ACTS.items()
    ],
    # JSON instead of the multipart file: 400 past the permission layer
    Entry("api:skm_import", "POST", API, SKM_COLLECTORS, r("api:skm_import"), ok=400),
    Entry("api:skm_kiosk", "POST", API, SKM_COLLECTORS, r("api:skm_kiosk"), ok=201,
          data=lambda w: {"service": "pindah", "answers": {k: 3 for k in SKM_KEYS}, "profile": {}}),
    Entry("api:skm_setting", "GET", API, STAFF, r("api:skm_setting")),
    Entry("api:skm_setting", "PUT", API, SKM_SETTERS, r("api:skm_setting"), data=lambda w: {"weight": "0.11"}),
    Entry("api:skm_publications", "POST", API, SKM_PUBLISHERS, r("api:skm_publications"), ok=201,
          data=lambda w: {k: v for k, v in _skm_publish_api(w).items()}),
    *[
        Entry("api:complaint_act", "POST", API, frozenset(roles), complaint_url("api:complaint_act", state, action=action),
              variant=action, data=(lambda a: lambda w: COMPLAINT_ACT_DATA[a])(action), state=state,
              succeeds=frozenset(ok), subject="complaint")
        for action, (state, roles, ok) in COMPLAINT_ACT_RULES.items()
    ],
    # --- API, deeds (every role of the office reads; the acts decide who may do) ---------------
    Entry("api:deed_cases", "GET", API, STAFF, lambda w: (w.deed_case(), reverse("api:deed_cases"))[1]),
    Entry("api:deed_cases", "POST", API, frozenset({"front"}), r("api:deed_cases"), ok=201, data=_deed_intake),
    Entry("api:deed_case", "GET", API, STAFF, _deed_url("api:deed_case")),
    Entry("api:deed_fee", "POST", API, STAFF, lambda w: (deeds.mini_deeds(w.office), reverse("api:deed_fee"))[1],
          data=lambda w: {"value": 150_000_000}),
    Entry("api:deed_calendar", "GET", API, STAFF, _deed_calendar_url),
    *[
        Entry("api:deed_case_act", "POST", API, frozenset(roles), _deed_url("api:deed_case_act", state, action=action),
              variant=action, data=_deed_act_data(action), state=state, succeeds=frozenset(ok), subject="deed",
              conflict="Sidang baru dimulai" if action == "sign" else "berstatus")
        for action, (state, roles, ok) in DEED_ACT_RULES.items()
    ],
    Entry("api:dossier_create", "POST", API, frozenset({"front"}), r("api:dossier_create"), ok=201, data=_api_intake),
    Entry("api:dossier_detail", "GET", API, STAFF, code_url("api:dossier_detail")),
    *[
        Entry("api:dossier_action", "POST", API, frozenset(roles), code_url("api:dossier_action", state, action=action),
              variant=action, data=_api_act_data(action), state=state, succeeds=frozenset(ok))
        for action, (state, roles, ok) in ACT_RULES.items()
    ],
]


# --- walking the resolver ------------------------------------------------------------------

def _walk(patterns, prefix="", ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            sub = ":".join(x for x in (ns, p.namespace) if x) if p.namespace else ns
            yield from _walk(p.url_patterns, prefix + str(p.pattern), sub)
        else:
            name = f"{ns}:{p.name}" if (ns and p.name) else p.name
            yield prefix + str(p.pattern), name, p


def _admin_model_prefixes():
    return tuple(f"admin/{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry)


def _is_model_admin_page(route: str, name: str | None) -> bool:
    """The rule for what the table leaves out: a registered model's ModelAdmin pages, and the
    admin's unnamed catch-all (which only redirects or 404s)."""
    return route.startswith("admin/") and (name is None or route.startswith(_admin_model_prefixes()))


def _ninja_methods(pattern) -> list[str] | None:
    """The HTTP methods of a ninja path (its PathView is in the view wrapper's closure)."""
    cb = pattern.callback
    if not inspect.isfunction(cb):
        return None
    for value in inspect.getclosurevars(cb).nonlocals.values():
        if type(value).__name__ == "PathView":
            return sorted({m.upper() for op in value.operations for m in op.methods})
    return None


def _resolver_keys():
    """{(name, method or None)} of every URL pattern that the table must cover."""
    keys, unnamed = set(), []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if _is_model_admin_page(route, name):
            continue
        if name is None:
            unnamed.append(route)
            continue
        methods = _ninja_methods(pattern)
        if methods:
            keys |= {(name, m) for m in methods}
        else:
            keys.add((name, None))
    return keys, unnamed


def test_every_url_is_in_the_table():
    keys, unnamed = _resolver_keys()
    assert not unnamed, f"URL patterns without a name cannot be put in the table: {unnamed}"
    names = {e.name for e in TABLE}
    name_methods = {(e.name, e.method) for e in TABLE}
    missing = sorted(
        f"{n} {m or ''}".strip() for n, m in keys if (n not in names if m is None else (n, m) not in name_methods)
    )
    assert not missing, f"URL patterns with no entry in tests/security/test_authz_matrix.py TABLE: {missing}"
    stale = sorted(names - {n for n, _ in keys})
    assert not stale, f"TABLE names URL patterns that no longer exist: {stale}"


def test_the_resolver_walk_sees_what_it_must():
    """Guards the walk itself: the API's operations and the admin's top pages are found."""
    keys, _ = _resolver_keys()
    assert ("api:dossier_action", "POST") in keys and ("api:track", "GET") in keys
    assert ("admin:index", None) in keys and ("dossiers:act", None) in keys
    assert all(not n.startswith("admin:auth_user_") for n, _ in keys)


def test_every_act_is_in_the_table_for_web_and_api():
    acts = set(typing.get_args(api_dossiers.Action))
    assert acts == set(ACT_RULES)
    assert {e.variant for e in TABLE if e.name == "dossiers:act"} == acts
    assert {e.variant for e in TABLE if e.name == "api:dossier_action"} == acts
    complaint_acts = set(typing.get_args(api_complaints.Action))
    assert complaint_acts == set(COMPLAINT_ACT_RULES) == set(complaint_services.ACTS)
    assert {e.variant for e in TABLE if e.name == "complaints:act"} == complaint_acts
    assert {e.variant for e in TABLE if e.name == "api:complaint_act"} == complaint_acts
    deed_acts = set(typing.get_args(api_deeds.Action))
    assert deed_acts == set(DEED_ACT_RULES)
    assert {e.variant for e in TABLE if e.name == "deeds:act"} == deed_acts
    assert {e.variant for e in TABLE if e.name == "api:deed_case_act"} == deed_acts


def test_the_table_names_only_known_roles():
    for e in TABLE:
        assert e.allowed == PUBLIC or (e.allowed and set(e.allowed) <= STAFF), e.id
        assert set(e.succeeds) <= (set(e.allowed) if e.allowed != PUBLIC else set()), e.id
        assert set(e.ok_for) <= set(CALLERS), e.id


# --- the matrix ----------------------------------------------------------------------------

def _is_allowed(e: Entry, who: str) -> bool:
    if who in OTHER_OFFICE:  # only the admin site's own pages, as its role twin
        return e.kind == ADMIN and OTHER_OFFICE[who] in e.allowed
    return e.allowed == PUBLIC or who in e.allowed


def _routes() -> dict[str, str]:
    return {name: route for route, name, _ in _walk(get_resolver().url_patterns) if name}


OBJECT_ROUTES = {name for name, route in _routes().items() if re.search(r"<((str|int):)?(code|pk)>", route)}


def _concerns_other_office(e: Entry) -> bool:
    """Entries a second office's caller is tried on: those naming a first-office object, and
    the admin site's pages."""
    return e.kind == ADMIN or (e.kind in (PAGE, POST403, ACT, API) and e.name in OBJECT_ROUTES)


def _send(client, e: Entry, who: str, w: World, url: str, data: dict | None):
    if e.kind in (API, API_PUBLIC):
        headers = w.token(who)
        if e.method == "GET":
            return client.get(url, **headers)
        send = client.put if e.method == "PUT" else client.post
        return send(url, data or {}, content_type="application/json", **headers)
    if who != "anonymous":
        client.force_login(w.people[who])
    if e.method == "GET":
        return client.get(url)
    return client.post(url, data or {})


def _location(resp) -> str:
    return resp.get("Location", "")


def _errors(resp) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request) if m.level_tag == "error"]


MATRIX = [pytest.param(e, who, id=f"{e.id}-{who}") for e in TABLE for who in CALLERS
          if who not in OTHER_OFFICE or _concerns_other_office(e)]


@pytest.mark.parametrize("e,who", MATRIX)
def test_access(e: Entry, who: str, client, world):
    if e.subject == "complaint":
        acted_on = world.complaint(e.state) if e.state else None
        history, model = (lambda: Step.objects.filter(complaint=acted_on).count()), Complaint
    elif e.subject == "deed":
        acted_on = world.deed_case(e.state) if e.state else None
        history, model = (lambda: DeedTransition.objects.filter(case=acted_on).count()), DeedCase
    else:
        acted_on = world.dossier(e.state) if e.state else None
        history, model = (lambda: Transition.objects.filter(dossier=acted_on).count()
                          + Correction.objects.filter(dossier=acted_on).count()), Dossier
    url = e.url(world)  # builds the dossiers/complaints the request names
    data = e.data(world) if e.data else None
    before = history() if acted_on else None
    dossiers_before, complaints_before = Dossier.objects.count(), Complaint.objects.count()
    deeds_before = DeedCase.objects.count()
    resp = _send(client, e, who, world, url, data)
    status = resp.status_code
    allowed = _is_allowed(e, who)

    def nothing_changed():
        if acted_on is not None:
            assert history() == before
            assert model.objects.get(pk=acted_on.pk).state == e.state
        assert Dossier.objects.count() == dossiers_before
        assert Complaint.objects.count() == complaints_before
        assert DeedCase.objects.count() == deeds_before

    # --- denied -------------------------------------------------------------------------
    if not allowed:
        if who in OTHER_OFFICE and e.kind != ADMIN:
            # another office's object: not found; a role refused whatever the office may be
            # refused before the object is looked up (403)
            expected = (404,) if OTHER_OFFICE[who] in e.allowed or e.allowed == PUBLIC else (403, 404)
            assert status in expected, (status, resp.content[:300])
            if e.kind == API:
                assert resp.json()["detail"]
        elif e.kind in (API, API_PUBLIC):
            # an account without an office: its token does not authenticate at all (401)
            assert status == (401 if who in ("anonymous", "outsider") else 403), (status, resp.content[:300])
            assert resp.json()["detail"]
        elif e.kind == ADMIN:
            assert status == 302, status
            if e.deny_location:
                assert _location(resp) == e.deny_location
            else:
                assert _location(resp).startswith(f"{ADMIN_LOGIN}?next="), _location(resp)
        elif who == "anonymous":
            assert status == 302 and _location(resp) == f"{LOGIN}?next={quote(url)}", (status, _location(resp))
        elif who == "outsider" or e.kind in (PAGE, POST403):
            assert status == 403, status
        else:  # ACT: refusal as a message, back where the clerk came from
            assert status == 302, status
            assert not _location(resp).startswith((LOGIN, ADMIN_LOGIN))
            errors = _errors(resp)
            assert errors and all("hanya untuk" in m for m in errors), errors
        nothing_changed()
        return

    # --- allowed ------------------------------------------------------------------------
    want = e.ok_for.get(OTHER_OFFICE.get(who, who), e.ok)
    if e.kind == API and e.state and who not in e.succeeds:
        want = 409  # allowed role, wrong state: past authorization
    assert status == want, (status, resp.content[:500])
    if 300 <= status < 400:
        loc = _location(resp)
        assert not loc.startswith((LOGIN, ADMIN_LOGIN)), loc
        if e.ok_location:
            assert loc == e.ok_location(who, world), loc
    if e.kind == ACT:
        errors = _errors(resp)
        if who in e.succeeds:
            assert not errors, errors
            # a correction leaves the state as it is; every other act moves it
            assert (model.objects.get(pk=acted_on.pk).state != e.state) or e.variant == "correct"
            assert history() == before + 1
        else:
            assert errors and all("berstatus" in m for m in errors), errors  # WrongState, not PermissionDenied
            nothing_changed()
    if e.kind == POST403 and e.subject == "deed" and e.state:  # the web acts on a deed
        if who in e.succeeds:
            keeps_state = e.variant in DEED_STAFF_ACTS_KEEPING_STATE
            assert model.objects.get(pk=acted_on.pk).state != e.state or keeps_state
            assert history() == before + 1
        else:
            errors = _errors(resp)
            assert errors and all(e.conflict in m for m in errors), errors
            nothing_changed()
    if e.kind == API and e.state:
        if who in e.succeeds:
            keeps_state = e.variant == "correct" or (e.subject == "deed" and e.variant in DEED_STAFF_ACTS_KEEPING_STATE)
            assert resp.json()["state"] != e.state or keeps_state
            assert history() == before + 1
        else:
            assert e.conflict in resp.json()["detail"], resp.json()
            nothing_changed()


# --- the admin's ModelAdmin pages, for every registered model --------------------------------

MODEL_ADMIN_CASES = [
    pytest.param(m._meta.label_lower, page, who, id=f"{m._meta.label_lower}-{page}-{who}")
    for m in admin.site._registry for page in ("changelist", "add") for who in CALLERS
]


@pytest.mark.parametrize("label,page,who", MODEL_ADMIN_CASES)
def test_model_admin_pages(label, page, who, client, world):
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_{page}")
    if who != "anonymous":
        client.force_login(world.people[who])
    resp = client.get(url)
    if OTHER_OFFICE.get(who, who) != "admin":
        assert resp.status_code == 302 and _location(resp).startswith(f"{ADMIN_LOGIN}?next="), resp.status_code
        return
    # past the site's door, the ModelAdmin's own gate decides (the admin role's permissions are
    # offices.roles.ROLE_PERMISSIONS[ADMIN]; e.g. no auth.Group, and a ServiceType only in a
    # draft of its own office; loket/offices/admin_scope.py)
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    request = RequestFactory().get(url)
    request.user = world.people[who]
    may = (model_admin.has_view_or_change_permission(request) if page == "changelist"
           else model_admin.has_add_permission(request))
    assert resp.status_code == (200 if may else 403), resp.status_code


SCOPED_MODELS = [m for m, a in admin.site._registry.items() if getattr(a, "office_path", "")]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m._meta.label_lower)
def test_model_admin_rows_of_the_first_office_are_not_found_for_the_second_offices_admin(model, client, world):
    """Every row of the first office, on every office-scoped ModelAdmin: not in the second
    office Admin's list, its change/delete/history pages "not found"; the first office's Admin
    opens the same change page."""
    from loket.complaints.services import categories_default_create
    from loket.offices.admin_scope import office_path_of
    from loket.offices.models import Holiday

    world.booking()  # a venue
    deeds.mini_deeds(world.office)  # tax rules and the fee setting
    categories_default_create(office=world.office)
    Holiday.objects.create(office=world.office, date=dt.date(2026, 6, 1), kind=Holiday.Kind.LOCAL, name="Hari jadi")
    path = office_path_of(model)
    rows = list(model.objects.filter(**{path: world.office.pk})[:3])
    assert rows, f"no row of {model._meta.label} in the first office"
    base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    client.force_login(world.people["other_admin"])
    listed = client.get(reverse(f"{base}_changelist")).context["cl"].result_list
    assert not {r.pk for r in listed} & {r.pk for r in rows}
    for row in rows:
        for page in ("change", "delete", "history"):
            resp = client.get(reverse(f"{base}_{page}", args=[row.pk]))
            # not found: the admin's redirect to its index; an Admin who may delete no row of
            # this model at all (an office) gets 403 on the delete page
            assert (resp.status_code == 302 and _location(resp) == reverse("admin:index")) or (
                page == "delete" and resp.status_code == 403), (page, resp.status_code)
    client.force_login(world.people["admin"])
    assert client.get(reverse(f"{base}_change", args=[rows[0].pk])).status_code == 200


def test_only_the_admin_role_passes_the_admin_sites_door(world):
    """The admin site's door is is_staff; only the admin role has it."""
    for who in [*ROLES, *OTHER_OFFICE]:
        user = world.people[who]
        assert user.is_staff is (OTHER_OFFICE.get(who, who) == "admin"), who
        assert not user.is_superuser
    assert not world.people["outsider"].is_staff


# --- who may read a full NIK ---------------------------------------------------------------

ROLE_OF = {
    "front": Role.FRONT_OFFICE, "kasi": Role.KASI, "kasi_other": Role.KASI, "sekcam": Role.SEKCAM,
    "camat": Role.CAMAT, "bendahara": Role.BENDAHARA, "ppat": Role.PPAT_OFFICER, "admin": Role.ADMIN,
}
APPLICANT = applicant_data()
NO_FULL_NIK = [who for who in ROLES if ROLE_OF[who] not in NIK_FULL_ROLES]


def test_role_of_matches_the_people_fixture(world):
    for who in ROLES:
        assert staff_of(world.people[who]).role == ROLE_OF[who]
    assert NO_FULL_NIK == ["bendahara", "ppat"]


@pytest.mark.parametrize("who", ROLES)
def test_register_book_shows_full_nik_only_to_nik_roles(who, client, world):
    world.dossier(S.REGISTERED)
    client.force_login(world.people[who])
    page = client.get(reverse("registers:book")).content.decode()
    assert APPLICANT["name"] in page  # the entry is listed
    if who in NO_FULL_NIK:
        assert APPLICANT["nik"] not in page and APPLICANT["nik"][:6] + "*" * 10 in page
    else:
        assert APPLICANT["nik"] in page


@pytest.mark.parametrize("who", NO_FULL_NIK)
def test_dossier_screen_hides_full_nik_from_roles_outside_nik_full_roles(who, client, world):
    code = world.code(S.REGISTERED)
    client.force_login(world.people[who])
    page = client.get(reverse("dossiers:detail", kwargs={"code": code})).content.decode()
    assert page  # the screen itself is open to every staff role (table above)
    for secret in (APPLICANT["nik"], APPLICANT["kk_number"]):
        assert secret not in page
