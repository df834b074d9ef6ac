"""Every URL and API operation × every caller, with the expected allow/deny: the union of the rows
each app registers in tests/<app>/authz_rows.py, run by the engine in tests/support/authz.py
(which states what "allowed" and "denied" mean for each kind of row).

``test_every_url_is_in_the_table`` walks the URL resolver (the ninja API's operations
included, method by method) and fails when a pattern is in no app's rows, so a new URL cannot
be forgotten. The only patterns left out are the Django admin's ModelAdmin pages (everything
under ``admin/<app_label>/<model_name>/`` of a registered model, and the admin's unnamed
catch-all); ``test_model_admin_pages`` covers those for every registered model.

A second office (Kecamatan Taman) shares the install: its Admin and its front-office clerk are
callers too (``authz.OTHER_OFFICE``). The second office is built once per module
(``other_office``), not per case.
"""

from __future__ import annotations

import datetime as dt
import typing

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from loket.complaints import api as api_complaints
from loket.deeds import api as api_deeds
from loket.dossiers import api as api_dossiers

from loket.offices.roles import NIK_FULL_ROLES, Role, staff_of
from tests.api import authz_rows as api_rows
from tests.catalog import authz_rows as catalog_rows
from tests.complaints import authz_rows as complaint_rows
from tests.core import authz_rows as core_rows
from tests.deeds import authz_rows as deed_rows
from tests.leadership import authz_rows as leadership_rows
from tests.dossiers import authz_rows as dossier_rows
from tests.factories import applicant_data
from tests.registers import authz_rows as register_rows
from tests.rentals import authz_rows as rental_rows
from tests.support import deeds
from tests.support.authz import (  # noqa: F401  (fixtures: other_office, world, fresh_cache)
    ADMIN_LOGIN, CALLERS, OTHER_OFFICE, PUBLIC, ROLES, STAFF, S, Entry, check, fresh_cache, location, matrix,
    missing, other_office, resolver_keys, world,
)
from tests.surveys import authz_rows as survey_rows
from tests.papers import authz_rows as paper_rows
from tests.privacy import authz_rows as privacy_rows
from tests.subjects import authz_rows as subject_rows
from loket.complaints.policy import ACTS

# Every app that has URLs registers its rows here (tests/support/README.md).
APPS = [core_rows, api_rows, catalog_rows, dossier_rows, register_rows, complaint_rows, survey_rows, rental_rows,
        deed_rows, paper_rows, leadership_rows, privacy_rows, subject_rows]
TABLE: list[Entry] = [e for app in APPS for e in app.ROWS]


def test_every_url_is_in_the_table():
    unnamed, absent, stale = missing(TABLE)
    assert not unnamed, f"URL patterns without a name cannot be put in the table: {unnamed}"
    assert not absent, f"URL patterns with no entry in any app's ROWS (tests/<app>/authz_rows.py): {absent}"
    assert not stale, f"ROWS name URL patterns that no longer exist: {stale}"


def test_the_resolver_walk_sees_what_it_must():
    """Guards the walk itself: the API's operations and the admin's top pages are found."""
    keys, _ = resolver_keys()
    assert ("api:dossier_action", "POST") in keys and ("api:track", "GET") in keys
    assert ("admin:index", None) in keys and ("dossiers:act", None) in keys
    assert all(not n.startswith("admin:auth_user_") for n, _ in keys)


def test_every_act_is_in_the_table_for_web_and_api():
    acts = set(typing.get_args(api_dossiers.Action))
    assert acts == set(dossier_rows.ACT_RULES)
    assert {e.variant for e in TABLE if e.name == "dossiers:act"} == acts
    assert {e.variant for e in TABLE if e.name == "api:dossier_action"} == acts
    complaint_acts = set(typing.get_args(api_complaints.Action))
    assert complaint_acts == set(complaint_rows.COMPLAINT_ACT_RULES) == set(ACTS)
    assert {e.variant for e in TABLE if e.name == "complaints:act"} == complaint_acts
    assert {e.variant for e in TABLE if e.name == "api:complaint_act"} == complaint_acts
    deed_acts = set(typing.get_args(api_deeds.Action))
    assert deed_acts == set(deed_rows.DEED_ACT_RULES)
    assert {e.variant for e in TABLE if e.name == "deeds:act"} == deed_acts
    assert {e.variant for e in TABLE if e.name == "api:deed_case_act"} == deed_acts


def test_the_table_names_only_known_roles():
    for e in TABLE:
        assert e.allowed == PUBLIC or (e.allowed and set(e.allowed) <= STAFF), e.id
        assert set(e.succeeds) <= (set(e.allowed) if e.allowed != PUBLIC else set()), e.id
        assert set(e.ok_for) <= set(CALLERS), e.id


# --- the matrix ----------------------------------------------------------------------------

@pytest.mark.parametrize("e,who", matrix(TABLE))
def test_access(e: Entry, who: str, client, world):
    check(e, who, client, world)


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
        assert resp.status_code == 302 and location(resp).startswith(f"{ADMIN_LOGIN}?next="), resp.status_code
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
    from loket.offices.models import Absence, ActingAppointment, Holiday, Staff

    world.booking()  # a venue
    deeds.mini_deeds(world.office)  # tax rules and the fee setting
    categories_default_create(office=world.office)
    Holiday.objects.create(office=world.office, date=dt.date(2026, 6, 1), kind=Holiday.Kind.LOCAL, name="Hari jadi")
    ActingAppointment.objects.create(office=world.office, post="camat", user=world.people["sekcam"], kind="plt",
                                     decree_number="800/1/2026", decree_date=dt.date(2026, 6, 1),
                                     starts=dt.date(2026, 6, 1))
    Absence.objects.create(office=world.office, staff=Staff.objects.get(user=world.people["front"]), kind="cuti",
                           start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 8))
    from loket.privacy.models import Officer, RetentionRun
    from loket.privacy.retention_defaults import retention_defaults_create
    from loket.privacy.services import register_default_create

    register_default_create(office=world.office)
    Officer.objects.create(office=world.office, name="Pejabat PDP", position="Kasubbag Umum", telephone="0351")
    retention_defaults_create(office=world.office)
    RetentionRun.objects.create(office=world.office, at=dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc), by="uji", counts={})
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
            assert (resp.status_code == 302 and location(resp) == reverse("admin:index")) or (
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
