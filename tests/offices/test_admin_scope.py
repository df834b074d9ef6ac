"""Office-scoped administration (issue 13, item 1).

The hostile review's findings, each as a test: an office's Admin (not a superuser) could tick
``is_superuser`` on itself, reset any account's password in any office and log in as it, move
its own Staff record into another office, and edit other offices' data. Then a generic walk
over EVERY registered ModelAdmin as office B's Admin, the Staff admin's own acts, the database
trigger, and the platform superuser."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from loket.catalog.models import Edition, ServiceType
from loket.complaints.models import Category
from loket.deeds.models import Setting, TaxRule
from loket.offices import services
from loket.offices.admin_scope import OfficeScopedAdmin, SuperuserOnlyMixin, office_id_of, office_path_of
from loket.offices.models import Absence, Holiday, Office, Staff, Unit
from loket.offices.roles import GROUP_NAMES, ROLE_PERMISSIONS, Role
from loket.rentals.models import Venue
from tests.offices.conftest import PASSWORD

User = get_user_model()


def url(name, *args, **query):
    out = reverse(name, args=args)
    return out + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def admin_url(obj, page="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{page}", args=[obj.pk])


def login(client, user):
    client.force_login(user)
    return client


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def is_not_found(resp) -> bool:
    """The admin's answer for a row outside the caller's queryset: a redirect to the admin
    index with "does not exist" (change, delete, history), or 404 (our own pages)."""
    return resp.status_code == 404 or (resp.status_code == 302 and resp["Location"] == reverse("admin:index"))


def is_refused(resp) -> bool:
    """Not found, or 403 where the Admin may not do this to any row (e.g. delete an office)."""
    return is_not_found(resp) or resp.status_code == 403


def staff_form(staff: Staff, **over) -> dict:
    """The Staff change form as the browser posts it, for ``staff``."""
    data = {
        "full_name": staff.user.get_full_name(), "active": "on" if staff.user.is_active else "",
        "office": str(staff.office_id), "role": staff.role, "unit": str(staff.unit_id or ""),
        "position": staff.position, "nip": staff.nip,
    }
    data.update(over)
    return {k: v for k, v in data.items() if v != ""}


# --- the hostile review, scenario by scenario ----------------------------------------------

def test_admin_cannot_make_itself_superuser_in_the_user_admin(two_offices, client):
    me = two_offices.people["admin_b"]
    login(client, me)
    page = client.get(admin_url(me))
    assert page.status_code == 403
    resp = client.post(admin_url(me), {"username": me.username, "is_active": "on", "is_staff": "on",
                                       "is_superuser": "on", "date_joined_0": "2026-01-01", "date_joined_1": "10:00"})
    assert resp.status_code == 403
    me.refresh_from_db()
    assert not me.is_superuser
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_forged_account_fields_in_the_staff_form_are_ignored(two_offices, client):
    me = two_offices.people["admin_b"]
    staff = two_offices.staff("admin_b")
    login(client, me)
    everything = Permission.objects.values_list("pk", flat=True)
    resp = client.post(admin_url(staff), {
        **staff_form(staff, position="Admin"), "is_superuser": "on", "is_staff": "on", "username": "root",
        "groups": [Group.objects.get(name=GROUP_NAMES[Role.CAMAT]).pk], "user_permissions": list(everything),
        "user": two_offices.people["camat"].pk,
    })
    assert resp.status_code == 302, resp.content.decode()[:2000]
    me.refresh_from_db()
    staff.refresh_from_db()
    assert staff.position == "Admin"  # the real field went through
    assert (me.is_superuser, me.username, staff.user_id) == (False, "taman.admin", me.pk)
    assert list(me.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.ADMIN]]
    assert not me.user_permissions.exists()


def test_admin_cannot_reset_the_password_of_another_offices_account(two_offices, client):
    camat_a = two_offices.people["camat"]
    before = camat_a.password
    login(client, two_offices.people["admin_b"])
    # Django's own password form for any user …
    assert client.post(reverse("admin:auth_user_password_change", args=[camat_a.pk]),
                       {"password1": "Curi-Sandi-2026", "password2": "Curi-Sandi-2026"}).status_code == 403
    # … and the Staff admin's one-time password of another office's staff member
    resp = client.post(url("admin:offices_staff_password_reset", two_offices.staff("camat").pk))
    assert resp.status_code == 404
    camat_a.refresh_from_db()
    assert camat_a.password == before
    assert Client().login(request=HttpRequest(), username="camat", password=PASSWORD)


def test_admin_cannot_move_its_staff_record_into_another_office(two_offices, client):
    staff = two_offices.staff("admin_b")
    login(client, two_offices.people["admin_b"])
    resp = client.post(admin_url(staff), staff_form(staff, office=str(two_offices.a.pk)))
    assert resp.status_code == 200  # the form again, with the error
    assert resp.context["adminform"].form.errors["office"]
    staff.refresh_from_db()
    assert staff.office == two_offices.b


def test_admin_cannot_give_a_staff_member_a_unit_of_another_office(two_offices, client):
    staff = two_offices.staff("kasi_b")
    unit_a = Unit.objects.get(office=two_offices.a, code="pemerintahan")
    login(client, two_offices.people["admin_b"])
    resp = client.post(admin_url(staff), staff_form(staff, unit=str(unit_a.pk)))
    assert resp.status_code == 200 and resp.context["adminform"].form.errors["unit"]
    staff.refresh_from_db()
    assert staff.unit.office == two_offices.b


def _other_office_rows(two):
    """One row of office A per model its Admin keeps, for the write attempts below."""
    a = two.a
    return {
        "office": a, "venue": Venue.objects.get(office=a), "taxrule": TaxRule.objects.filter(office=a).first(),
        "setting": Setting.objects.get(office=a), "category": Category.objects.filter(office=a).first(),
        "edition": Edition.objects.get(office=a, status=Edition.Status.DRAFT),
        "servicetype": ServiceType.objects.filter(edition__office=a, edition__status=Edition.Status.DRAFT).first(),
        "holiday": Holiday.objects.get(office=a), "staff": two.staff("camat"),
        "absence": Absence.objects.filter(office=a).first(),
    }


@pytest.mark.parametrize("kind", ["office", "venue", "taxrule", "setting", "category", "edition", "servicetype",
                                  "holiday", "staff", "absence"])
def test_admin_cannot_change_or_delete_another_offices_rows(kind, two_offices, client):
    row = _other_office_rows(two_offices)[kind]
    before = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    login(client, two_offices.people["admin_b"])
    # a change that the form would accept for a row of its own office
    change = {"office": {"name": "Dibajak", "city": "X", "slug": "x", "region_code": "35.77.99"},
              "venue": {"office": str(two_offices.b.pk), "code": "aula-x", "name": "X", "capacity": "1",
                        "service_code": "sewa-gedung", "order": "0"},
              "category": {"office": str(two_offices.b.pk), "name": "X", "order": "0"}}.get(kind, {"name": "Dibajak"})
    assert is_not_found(client.post(admin_url(row), change))
    assert is_refused(client.post(admin_url(row, "delete"), {"post": "yes"}))
    row.refresh_from_db()
    assert {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields} == before


def test_bulk_delete_with_another_offices_pk_deletes_nothing_of_it(two_offices, client):
    venue_a = Venue.objects.get(office=two_offices.a)
    login(client, two_offices.people["admin_b"])
    client.post(reverse("admin:rentals_venue_changelist"),
                {"action": "delete_selected", "_selected_action": [venue_a.pk], "post": "yes"})
    assert Venue.objects.filter(pk=venue_a.pk).exists()


@pytest.mark.parametrize("case", ["venue-office", "category-parent", "servicetype-unit", "servicetype-edition",
                                  "staff-unit", "holiday-office", "absence-staff", "absence-office"])
def test_forged_post_with_another_offices_row_in_a_choice_is_refused(case, two_offices, client):
    a, b = two_offices.a, two_offices.b
    draft_b = Edition.objects.get(office=b, status=Edition.Status.DRAFT)
    draft_a = Edition.objects.get(office=a, status=Edition.Status.DRAFT)
    unit_a, unit_b = (Unit.objects.get(office=o, code="pemerintahan") for o in (a, b))
    model, data, field = {
        "venue-office": (Venue, {"office": a.pk, "code": "palsu", "name": "Palsu", "capacity": 10,
                                 "service_code": "sewa-gedung", "order": 0}, "office"),
        "category-parent": (Category, {"office": b.pk, "parent": Category.objects.filter(office=a).first().pk,
                                       "name": "Palsu", "order": 0, "active": "on"}, "parent"),
        "servicetype-unit": (ServiceType, {"edition": draft_b.pk, "unit": unit_a.pk}, "unit"),
        "servicetype-edition": (ServiceType, {"edition": draft_a.pk, "unit": unit_b.pk}, "edition"),
        "staff-unit": (Staff, {"username": "palsu", "office": b.pk, "role": Role.KASI, "unit": unit_a.pk}, "unit"),
        "holiday-office": (Holiday, {"date": "2026-07-01", "kind": Holiday.Kind.LOCAL, "name": "Palsu",
                                     "office": a.pk}, "office"),
        "absence-staff": (Absence, {"office": b.pk, "staff": two_offices.staff("camat").pk, "kind": "cuti",
                                    "start": "2026-07-13", "end": "2026-07-14"}, "staff"),
        "absence-office": (Absence, {"office": a.pk, "staff": two_offices.staff("front_b").pk, "kind": "cuti",
                                     "start": "2026-07-13", "end": "2026-07-14"}, "office"),
    }[case]
    before = model.objects.count()
    login(client, two_offices.people["admin_b"])
    resp = client.post(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"), data)
    assert resp.status_code == 200
    assert field in resp.context["adminform"].form.errors, resp.context["adminform"].form.errors
    assert model.objects.count() == before
    assert not User.objects.filter(username="palsu").exists()


def test_the_superuser_too_cannot_join_rows_of_two_offices(two_offices, superuser, client):
    unit_a = Unit.objects.get(office=two_offices.a, code="pemerintahan")
    draft_b = Edition.objects.get(office=two_offices.b, status=Edition.Status.DRAFT)
    login(client, superuser)
    resp = client.post(reverse("admin:offices_staff_add"),
                       {"username": "campur", "office": two_offices.b.pk, "role": Role.KASI, "unit": unit_a.pk})
    assert resp.status_code == 200 and "unit" in resp.context["adminform"].form.errors
    resp = client.post(reverse("admin:catalog_servicetype_add"), {"edition": draft_b.pk, "unit": unit_a.pk})
    assert "unit" in resp.context["adminform"].form.errors
    assert "kantor kecamatan lain" in str(resp.context["adminform"].form.errors["unit"])
    assert not User.objects.filter(username="campur").exists()


# --- what an office's Admin may do in its own office ------------------------------------------

def test_national_holidays_are_read_only_for_an_office_admin(two_offices, client):
    login(client, two_offices.people["admin_b"])
    listed = client.get(reverse("admin:offices_holiday_changelist")).context["cl"].result_list
    assert {h.office_id for h in listed} == {None, two_offices.b.pk}
    page = client.get(admin_url(two_offices.national))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(admin_url(two_offices.national), {"name": "Diubah"}).status_code == 403
    assert client.post(admin_url(two_offices.national, "delete"), {"post": "yes"}).status_code == 403
    two_offices.national.refresh_from_db()
    assert two_offices.national.name == "Hari Kemerdekaan"
    form = client.get(reverse("admin:offices_holiday_add")).context["adminform"].form
    assert [v for v, _ in form.fields["kind"].choices] == [Holiday.Kind.LOCAL]
    assert list(form.fields["office"].queryset) == [two_offices.b] and form.fields["office"].required
    resp = client.post(reverse("admin:offices_holiday_add"),
                       {"date": "2026-09-01", "kind": Holiday.Kind.LOCAL, "name": "Bersih desa", "office": two_offices.b.pk})
    assert resp.status_code == 302
    assert Holiday.objects.get(name="Bersih desa").office == two_offices.b


def test_office_admin_edits_its_office_but_not_its_address_slug_or_adds_offices(two_offices, client):
    b = two_offices.b
    login(client, two_offices.people["admin_b"])
    assert client.get(reverse("admin:offices_office_add")).status_code == 403
    assert client.post(admin_url(b, "delete"), {"post": "yes"}).status_code == 403
    page = client.get(admin_url(b))
    form = page.context["adminform"].form
    assert "slug" not in form.fields and "region_code" not in form.fields
    data = {"name": "Kecamatan Taman", "city": "Kota Madiun", "telephone": "(0351) 999", "slug": "curian",
            "region_code": "35.77.01", "social": "[]", "sms_wa": "[]"}
    for prefix, formset in ((f.formset.prefix, f.formset) for f in page.context["inline_admin_formsets"]):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    resp = client.post(admin_url(b), data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors if resp.context else resp
    b.refresh_from_db()
    assert (b.telephone, b.slug, b.region_code) == ("(0351) 999", "taman", "35.77.03")


def test_office_admin_creates_an_account_and_sees_its_one_time_password_once(two_offices, client):
    kesos = Unit.objects.get(office=two_offices.b, code="umum")
    login(client, two_offices.people["admin_b"])
    form = client.get(reverse("admin:offices_staff_add")).context["adminform"].form
    assert set(form.fields) == {"username", "full_name", "titled_name", "office", "role", "unit", "position", "nip",
                                "rank"}
    resp = client.post(reverse("admin:offices_staff_add"), {
        "username": "taman.kasubbag", "full_name": "Sri Wahyuni", "office": two_offices.b.pk, "role": Role.KASI,
        "unit": kesos.pk, "position": "Kasubbag Umum", "nip": "198001012005012001",
    })
    assert resp.status_code == 200
    password = resp.context["password"]
    page = resp.content.decode()
    assert password in page and "tidak akan ditampilkan lagi" in page
    assert "no-store" in resp["Cache-Control"]
    staff = Staff.objects.select_related("user").get(user__username="taman.kasubbag")
    assert (staff.office, staff.unit, staff.role, staff.user.get_full_name()) == (two_offices.b, kesos, Role.KASI,
                                                                                  "Sri Wahyuni")
    assert not staff.user.is_staff and not staff.user.is_superuser
    assert list(staff.user.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.KASI]]
    assert Client().login(request=HttpRequest(), username="taman.kasubbag", password=password)
    # the password is in no log entry and shown on no other page
    from django.contrib.admin.models import LogEntry

    assert not any(password in (e.change_message + e.object_repr) for e in LogEntry.objects.all())
    assert password not in client.get(admin_url(staff)).content.decode()


def test_a_bad_new_account_shows_the_reasons_and_creates_nothing(two_offices, client):
    login(client, two_offices.people["admin_b"])
    before = User.objects.count()
    resp = client.post(reverse("admin:offices_staff_add"),
                       {"username": "Petugas", "office": two_offices.b.pk, "role": Role.KASI})
    errors = resp.context["adminform"].form.errors
    assert "sudah dipakai" in str(errors["username"])  # "petugas" of office A, whatever the case
    assert "unit kerja" in str(errors["unit"])
    resp = client.post(reverse("admin:offices_staff_add"), {"username": "a b", "office": two_offices.b.pk,
                                                            "role": "raja"})
    errors = resp.context["adminform"].form.errors
    assert set(errors) >= {"username", "role"}
    assert User.objects.count() == before


def test_the_list_shows_its_own_office_and_never_a_superuser(two_offices, client):
    su_with_staff = services.staff_create(office=two_offices.b, username="root.taman", role=Role.ADMIN,
                                          password=PASSWORD).user
    su_with_staff.is_superuser = True
    su_with_staff.save()
    login(client, two_offices.people["admin_b"])
    listed = {s.user.username for s in client.get(reverse("admin:offices_staff_changelist")).context["cl"].result_list}
    assert listed == {"taman.admin", "taman.petugas", "taman.kasi"}
    root_staff = Staff.objects.get(user=su_with_staff)
    assert is_not_found(client.get(admin_url(root_staff)))
    assert client.post(url("admin:offices_staff_password_reset", root_staff.pk)).status_code == 404


def test_deactivating_ends_the_sessions_and_keeps_the_history(two_offices, client):
    front_b = two_offices.people["front_b"]
    clerk = logged_in(front_b)
    assert clerk.get(reverse("dossiers:today")).status_code == 200
    staff = two_offices.staff("front_b")
    login(client, two_offices.people["admin_b"])
    resp = client.post(admin_url(staff), staff_form(staff, active=""))
    assert resp.status_code == 302
    front_b.refresh_from_db()
    assert not front_b.is_active and Staff.objects.filter(pk=staff.pk).exists()
    assert clerk.get(reverse("dossiers:today"))["Location"].startswith("/masuk/")
    assert not Client().login(request=HttpRequest(), username="taman.petugas", password=PASSWORD)


def test_the_deactivate_action_refuses_oneself_and_other_offices(two_offices, client):
    me, front_b, front_a = (two_offices.staff(w) for w in ("admin_b", "front_b", "front"))
    login(client, two_offices.people["admin_b"])
    resp = client.post(reverse("admin:offices_staff_changelist"),
                       {"action": "deactivate", "_selected_action": [me.pk, front_b.pk, front_a.pk]}, follow=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in resp.content.decode()
    assert [s.user.is_active for s in Staff.objects.filter(pk__in=[me.pk, front_b.pk, front_a.pk])
            .select_related("user").order_by("pk")] == [True if s.pk != front_b.pk else False
                                                          for s in sorted([me, front_b, front_a], key=lambda s: s.pk)]
    resp = client.post(admin_url(me), staff_form(me, active=""))
    assert "tidak dapat menonaktifkan" in str(resp.context["adminform"].form.errors["active"])


def test_a_new_password_ends_the_users_sessions_and_the_old_password(two_offices, client):
    kasi_b = two_offices.people["kasi_b"]
    theirs = logged_in(kasi_b)
    assert theirs.get(reverse("dossiers:today")).status_code == 200
    staff = two_offices.staff("kasi_b")
    login(client, two_offices.people["admin_b"])
    confirm = client.get(url("admin:offices_staff_password_reset", staff.pk))
    assert confirm.status_code == 200 and "Ya, buat sandi baru" in confirm.content.decode()
    kasi_b.refresh_from_db()
    assert kasi_b.check_password(PASSWORD)  # GET changes nothing
    resp = client.post(url("admin:offices_staff_password_reset", staff.pk))
    password = resp.context["password"]
    # Django keeps a hash of the password in the session: the old session is logged out
    assert theirs.get(reverse("dossiers:today"))["Location"].startswith("/masuk/")
    assert not Client().login(request=HttpRequest(), username="taman.kasi", password=PASSWORD)
    assert Client().login(request=HttpRequest(), username="taman.kasi", password=password)
    # the admin who did it stays logged in
    assert client.get(reverse("admin:offices_staff_changelist")).status_code == 200


def test_demoting_an_admin_closes_the_admin_site_to_it(two_offices, client):
    other_admin = services.staff_create(office=two_offices.b, username="taman.admin2", role=Role.ADMIN,
                                        password=PASSWORD)
    assert other_admin.user.is_staff
    login(client, two_offices.people["admin_b"])
    client.post(admin_url(other_admin), staff_form(other_admin, role=Role.FRONT_OFFICE))
    other_admin.user.refresh_from_db()
    assert not other_admin.user.is_staff
    assert list(other_admin.user.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.FRONT_OFFICE]]


def test_autocomplete_never_answers_with_another_offices_rows(two_offices, client):
    login(client, two_offices.people["admin_b"])
    a = two_offices.a.pk
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and (field.many_to_one or field.one_to_one)):
                continue
            resp = client.get(reverse("admin:autocomplete"), {"app_label": model._meta.app_label,
                                                              "model_name": model._meta.model_name,
                                                              "field_name": field.name, "term": ""})
            if resp.status_code == 200:
                target = field.related_model
                path = office_path_of(target)
                ids = [r["id"] for r in resp.json()["results"]]
                assert path and not target.objects.filter(pk__in=ids, **{path: a}).exists(), (model, field)
            else:
                assert resp.status_code in (403, 404), (model, field.name, resp.status_code)


# --- the generic walk: EVERY registered ModelAdmin as office B's Admin -----------------------

def _rows_of(model, office):
    path = office_path_of(model)
    return model.objects.filter(**{path: office.pk}) if path else model.objects.none()


def _choice_offices(form) -> dict[str, set]:
    """{field: office ids of its choices} for every related-row choice of a form."""
    out = {}
    for name, field in form.fields.items():
        qs = getattr(field, "queryset", None)
        if qs is None or name == form._meta.model._meta.pk.name:
            continue  # an inline row's own hidden id: its formset's rows of the parent only
        path = office_path_of(qs.model)
        assert path, f"{name}: choices of {qs.model._meta.label} have no office"
        out[name] = {office_id_of(row, path) for row in qs}
    return out


SCOPED = [m for m, a in admin.site._registry.items() if isinstance(a, OfficeScopedAdmin)]
PLATFORM = [m for m, a in admin.site._registry.items() if not isinstance(a, OfficeScopedAdmin)]


def test_every_registered_admin_is_office_scoped_or_the_superusers_only():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, (OfficeScopedAdmin, SuperuserOnlyMixin)), model._meta.label
        if isinstance(model_admin, OfficeScopedAdmin):
            assert model_admin.office_path, model._meta.label
            for inline in model_admin.inlines:
                assert getattr(inline, "office_path", ""), inline
    assert {m._meta.label for m in PLATFORM} >= {"auth.User", "auth.Group"}


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label_lower)
def test_walk_office_admin_sees_only_its_office(model, two_offices, client):
    a, b = two_offices.a, two_offices.b
    theirs = list(_rows_of(model, a))
    assert theirs, f"tests/offices/conftest.py: give office A a row of {model._meta.label}"
    login(client, two_offices.people["admin_b"])
    base = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    changelist = client.get(reverse(f"{base}_changelist"))
    assert changelist.status_code == 200
    cl = changelist.context["cl"]
    listed = {office_id_of(row, office_path_of(model)) for row in cl.result_list}
    assert listed and listed <= {b.pk, None}, listed  # its own rows (and shared national ones)
    assert not {r.pk for r in cl.result_list} & {r.pk for r in theirs}
    for spec in cl.filter_specs:  # no filter offers another office's values
        field = getattr(spec, "field", None)
        if field is not None and field.is_relation and office_path_of(field.related_model):
            pks = [pk for pk, _ in spec.lookup_choices]
            related = field.related_model.objects.filter(pk__in=pks)
            assert {office_id_of(r, office_path_of(field.related_model)) for r in related} <= {b.pk}, spec.title

    for row in theirs:
        for page in ("change", "delete", "history"):
            resp = client.get(reverse(f"{base}_{page}", args=[row.pk]))
            assert (is_refused if page == "delete" else is_not_found)(resp), (page, resp.status_code)

    add = client.get(reverse(f"{base}_add"))
    if add.status_code == 403:  # nothing it may add here (e.g. offices: the superuser's)
        assert not admin.site._registry[model].has_add_permission(add.wsgi_request)
        return
    assert add.status_code == 200
    forms = [add.context["adminform"].form] + [f.form for fs in add.context["inline_admin_formsets"] for f in fs]
    for form in forms:
        for name, offices in _choice_offices(form).items():
            assert offices <= {b.pk}, (name, offices)


@pytest.mark.parametrize("model", PLATFORM, ids=lambda m: m._meta.label_lower)
def test_walk_platform_admins_are_closed_to_an_office_admin(model, two_offices, client):
    login(client, two_offices.people["admin_b"])
    base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{base}_changelist")).status_code == 403
    assert client.get(reverse(f"{base}_add")).status_code == 403
    row = model.objects.first()
    if row is not None:
        assert client.get(reverse(f"{base}_change", args=[row.pk])).status_code in (302, 403)


def test_the_admin_index_lists_no_platform_models_for_an_office_admin(two_offices, client):
    login(client, two_offices.people["admin_b"])
    apps = {app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]}
    assert apps == {"offices", "catalog", "complaints", "rentals", "deeds", "privacy"}


def test_an_account_without_an_office_gets_nothing_even_with_is_staff(two_offices, client):
    loose = User.objects.create_user(username="lepas", password=PASSWORD, is_staff=True)
    loose.groups.add(Group.objects.get(name=GROUP_NAMES[Role.ADMIN]))
    login(client, loose)
    assert client.get(reverse("admin:index")).context["app_list"] == []
    for model in SCOPED:
        assert client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")).status_code == 403


# --- the superuser -------------------------------------------------------------------------------

def test_the_superuser_without_a_staff_row_uses_the_whole_admin(two_offices, superuser, client):
    login(client, superuser)
    assert not Staff.objects.filter(user=superuser).exists()
    for model, model_admin in admin.site._registry.items():
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        cl = client.get(reverse(f"{base}_changelist"))
        assert cl.status_code == 200, model
        if model in SCOPED:
            listed = {office_id_of(r, office_path_of(model)) for r in cl.context["cl"].result_list}
            assert {two_offices.a.pk, two_offices.b.pk} <= listed, model
            for row in list(_rows_of(model, two_offices.a)[:1]) + list(_rows_of(model, two_offices.b)[:1]):
                assert client.get(reverse(f"{base}_change", args=[row.pk])).status_code == 200, (model, row)
        add = client.get(reverse(f"{base}_add"))
        read_only = not model_admin.has_change_permission(add.wsgi_request)  # a record shown, never written (retention runs)
        assert add.status_code == (403 if read_only else 200), model
    resp = client.post(reverse("admin:offices_office_add"), {
        "slug": "manguharjo", "region_code": "35.77.02", "name": "Kecamatan Manguharjo", "city": "Kota Madiun",
        "social": "[]", "sms_wa": "[]", "units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0",
        "kelurahan-TOTAL_FORMS": "0", "kelurahan-INITIAL_FORMS": "0",
        "working_hours-TOTAL_FORMS": "0", "working_hours-INITIAL_FORMS": "0",
    })
    assert resp.status_code == 302, resp.context["adminform"].form.errors if resp.context else resp
    assert Office.objects.filter(slug="manguharjo").exists()


def test_the_superuser_resets_a_password_in_any_office(two_offices, superuser, client):
    login(client, superuser)
    resp = client.post(url("admin:offices_staff_password_reset", two_offices.staff("camat").pk))
    assert resp.status_code == 200
    assert Client().login(request=HttpRequest(), username="camat", password=resp.context["password"])


# --- roles and permissions -------------------------------------------------------------------------

def test_the_admin_role_has_no_auth_permission_and_cannot_add_offices():
    perms = set(ROLE_PERMISSIONS[Role.ADMIN])
    assert not {p for p in perms if p.startswith("auth.")}
    assert not perms & {"offices.add_office", "offices.delete_office", "offices.delete_staff"}


def test_roles_sync_takes_old_auth_permissions_away_from_an_existing_install(db):
    services.roles_sync()
    group = Group.objects.get(name=GROUP_NAMES[Role.ADMIN])
    group.permissions.add(*Permission.objects.filter(content_type__app_label="auth"))  # as the old release left it
    changed = services.roles_sync()
    assert f"izin grup {GROUP_NAMES[Role.ADMIN]} diperbarui" in changed
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    assert services.roles_sync() == []


# --- the acts and the database ------------------------------------------------------------------

def test_staff_create_refuses_a_unit_of_another_office_and_saves_nothing(two_offices):
    unit_a = Unit.objects.get(office=two_offices.a, code="pemerintahan")
    before = (User.objects.count(), Staff.objects.count())
    with pytest.raises(services.StaffError) as exc:
        services.staff_create(office=two_offices.b, username="silang", role=Role.KASI, unit=unit_a,
                              password=PASSWORD)
    assert "milik kantor lain" in str(exc.value.message_dict["unit"])
    assert (User.objects.count(), Staff.objects.count()) == before


def test_staff_save_refuses_a_unit_of_another_office(two_offices):
    staff = two_offices.staff("kasi_b")
    staff.unit = Unit.objects.get(office=two_offices.a, code="pemerintahan")
    with pytest.raises(services.StaffError):
        services.staff_save(staff=staff)
    staff.refresh_from_db()
    assert staff.unit.office == two_offices.b


def test_the_acts_refuse_an_admin_of_another_office(two_offices):
    camat_a = two_offices.staff("camat")
    admin_b = two_offices.people["admin_b"]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.staff_password_reset(staff=camat_a, actor=admin_b)
    with pytest.raises(PermissionDenied):
        services.staff_deactivate(staff=camat_a, actor=admin_b)
    with pytest.raises(PermissionDenied):
        services.staff_create(office=two_offices.a, username="masuk", role=Role.ADMIN, password=PASSWORD,
                              actor=admin_b)
    with pytest.raises(PermissionDenied):  # a front-office clerk of the same office
        services.staff_password_reset(staff=two_offices.staff("kasi_b"), actor=two_offices.people["front_b"])
    moved = two_offices.staff("front_b")
    moved.office = two_offices.a
    with pytest.raises(PermissionDenied):
        services.staff_save(staff=moved, actor=admin_b)
    assert Staff.objects.get(pk=moved.pk).office == two_offices.b


@pytest.mark.parametrize("how", ["insert", "update-unit", "update-office", "move-unit"])
def test_the_database_refuses_a_staff_member_in_a_unit_of_another_office(how, two_offices):
    """The triggers of offices/migrations/0003 (SQLite and PostgreSQL), bypassing every check."""
    a, b = two_offices.a, two_offices.b
    unit_a = Unit.objects.get(office=a, code="pemerintahan")
    kasi_b = two_offices.staff("kasi_b")
    if how == "move-unit":  # a unit code office A does not have, so that only the trigger objects
        kasi_b.unit = Unit.objects.create(office=b, code="khusus", name="Seksi Khusus", kind=Unit.Kind.KASI)
        kasi_b.save()
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            if how == "insert":
                user = User.objects.create_user(username="langsung")
                Staff.objects.create(user=user, office=b, role=Role.KASI, unit=unit_a)
            elif how == "update-unit":
                Staff.objects.filter(pk=kasi_b.pk).update(unit=unit_a)
            elif how == "update-office":
                Staff.objects.filter(pk=kasi_b.pk).update(office=a)
            else:
                Unit.objects.filter(pk=kasi_b.unit_id).update(office=a)
    kasi_b.refresh_from_db()
    assert (kasi_b.office, kasi_b.unit.office) == (b, b)


def test_the_database_accepts_the_same_office_and_no_unit(two_offices):
    front_b = two_offices.staff("front_b")
    Staff.objects.filter(pk=front_b.pk).update(unit=Unit.objects.get(office=two_offices.b, code="umum"))
    Staff.objects.filter(pk=front_b.pk).update(unit=None, office=two_offices.a)  # no unit: any office
    Unit.objects.filter(office=two_offices.b, code="umum").update(order=9)  # a unit's other columns


@pytest.mark.parametrize("who,own,status", [
    ("anonymous", True, 302), ("front_b", True, 302), ("kasi_b", True, 302),  # the admin site's login
    ("admin_b", True, 200), ("admin_b", False, 404), ("admin", False, 404), ("admin", True, 200),
])
def test_the_new_password_page_is_for_the_admin_of_the_staff_members_office(who, own, status, two_offices, client):
    """/admin/offices/staff/<pk>/sandi-baru/ (GET shows the question, changes nothing)."""
    callers_office_is_b = who != "admin"
    target = two_offices.staff("front_b" if callers_office_is_b == own else "front")
    if who != "anonymous":
        login(client, two_offices.people[who])
    before = target.user.password
    resp = client.get(url("admin:offices_staff_password_reset", target.pk))
    assert resp.status_code == status
    if status == 302:
        assert resp["Location"].startswith(reverse("admin:login"))
    target.user.refresh_from_db()
    assert target.user.password == before


def test_a_deactivated_accounts_api_token_stops_working(two_offices, client):
    from loket.api.models import ApiToken

    token = ApiToken.issue(user=two_offices.people["front_b"], name="kios")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(reverse("api:staff_complaints"), **headers).status_code == 200
    services.staff_deactivate(staff=two_offices.staff("front_b"), actor=two_offices.people["admin_b"])
    assert client.get(reverse("api:staff_complaints"), **headers).status_code == 401
