"""API tokens (loket/api/models.py, services.py, auth.py, signals.py): what a token is, when it
stops working, how often its last use is written, and that a password change or deactivation
revokes the owner's tokens by every path (Django admin, ``changepassword``, the password
forms, ``set_password()`` + ``save()`` in code)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.hashers import MD5PasswordHasher, PBKDF2PasswordHasher
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.forms import SplitDateTimeWidget
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loket.api import services
from loket.api.models import PREFIX_LENGTH, ApiToken, token_hash
from loket.core.errors import InvalidInput
from loket.offices.models import Staff
from tests.api.tokens_world import other, root  # noqa: F401  (fixtures)

# A staff endpoint: an authenticated caller gets 404 (no such dossier), anybody else 401.
URL = "/api/v1/dossiers/ZZZZZZZZ/"
NEW_PASSWORD = "Ganti-Sandi-2026!"
R = ApiToken.RevokeReason


def _bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _works(client, secret: str) -> bool:
    status = client.get(URL, **_bearer(secret)).status_code
    assert status in (401, 404), status
    return status == 404


def _issue(owner, label="Kelurahan Klegen", **kw) -> tuple[ApiToken, str]:
    return services.token_issue(actor=None, owner=owner, label=label, **kw)


def _token_updates(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "loket_api_apitoken" in q["sql"]]


# --- what is stored --------------------------------------------------------------------------

def test_only_the_hash_is_stored_with_a_prefix_long_enough_to_tell_tokens_apart(people):
    row, secret = services.token_issue(actor=people["admin"], owner=people["front"], label=" Kelurahan Klegen ")
    row = ApiToken.objects.get(pk=row.pk)
    assert secret.startswith("lkt_") and len(secret) >= 40
    assert row.key_hash == token_hash(secret)
    assert secret not in [str(v) for v in ApiToken.objects.filter(pk=row.pk).values().get().values()]
    assert row.prefix == secret[:PREFIX_LENGTH] and len(row.prefix) == 12  # "lkt_" + 8 characters
    assert (row.user, row.name, row.issued_by, row.expires_at, row.last_used_at, row.revoked_at) == (
        people["front"], "Kelurahan Klegen", people["admin"], None, None, None)
    assert row.created_at is not None


def test_a_hundred_tokens_have_a_hundred_prefixes(people):
    prefixes = {_issue(people["front"])[0].prefix for _ in range(100)}
    assert len(prefixes) == 100


# --- when a token works --------------------------------------------------------------------------

def test_a_fresh_token_authenticates_as_its_owner(client, people, all_items):
    _, secret = _issue(people["front"])
    assert _works(client, secret)


def test_a_token_stops_at_its_expiry(client, people):
    row, secret = _issue(people["front"], expires_days=30)
    assert abs(row.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert _works(client, secret)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() + dt.timedelta(seconds=30))
    assert _works(client, secret)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = client.get(URL, **_bearer(secret))
    assert r.status_code == 401 and "kedaluwarsa" in r.json()["detail"]


def test_an_expiry_date_lasts_through_that_whole_day_in_jakarta(people):
    day = timezone.localdate() + dt.timedelta(days=10)
    row, _ = _issue(people["front"], expires_on=day.isoformat())
    # midnight after that day, WIB (UTC+7): 17:00 UTC of the day itself
    assert row.expires_at == dt.datetime.combine(day, dt.time(17), tzinfo=dt.UTC)
    assert _issue(people["front"], expires_on=timezone.localdate())[0].expires_at > timezone.now()


def test_a_revoked_token_is_401(client, people):
    row, secret = _issue(people["front"])
    services.token_revoke(actor=people["admin"], token_id=row.pk)
    assert not _works(client, secret)


def test_a_token_of_an_inactive_owner_is_401_even_if_not_revoked(client, people):
    row, secret = _issue(people["front"])
    type(people["front"]).objects.filter(pk=people["front"].pk).update(is_active=False)  # no save(): no signal
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    assert not _works(client, secret)


def test_a_token_whose_owner_has_no_staff_row_is_401(client, people, django_user_model):
    _, secret = _issue(people["front"])
    Staff.objects.filter(user=people["front"]).delete()
    assert not _works(client, secret)
    outsider = django_user_model.objects.create_user("tamu", password="x-Pass-12345")
    assert not _works(client, ApiToken.issue(user=outsider, name="lama")[1])


def test_an_unknown_or_malformed_token_is_401(client, people):
    _, secret = _issue(people["front"])
    for bad in (secret[:-1], secret + "x", "lkt_", "x" * 500):
        assert not _works(client, bad), bad


# --- last use: at most one write a minute -------------------------------------------------------

def test_the_last_use_is_written_at_most_once_a_minute(client, people):
    row, secret = _issue(people["front"])
    t0 = timezone.now()
    for offset, writes, noted in [(0, 1, 0), (1, 0, 0), (59, 0, 0), (60, 1, 60), (61, 0, 60), (200, 1, 200)]:
        with mock.patch("django.utils.timezone.now", return_value=t0 + dt.timedelta(seconds=offset)), \
                CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, **_bearer(secret)).status_code == 404
        assert len(_token_updates(ctx)) == writes, (offset, ctx.captured_queries)
        assert ApiToken.objects.get(pk=row.pk).last_used_at == t0 + dt.timedelta(seconds=noted), offset


def test_two_processes_with_the_same_stale_time_write_once(people):
    row, _ = _issue(people["front"])
    a, b = ApiToken.objects.get(pk=row.pk), ApiToken.objects.get(pk=row.pk)
    now = timezone.now()
    assert services.token_touch(token=a, now=now) is True
    assert services.token_touch(token=b, now=now + dt.timedelta(seconds=1)) is False
    assert ApiToken.objects.get(pk=row.pk).last_used_at == now


# --- issuing: who, and bad input ------------------------------------------------------------------

def _bad_owner(people, other, django_user_model):
    inactive = people["kasi_other"]
    type(inactive).objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    return {
        "none": None, "inactive": inactive,
        "no staff row": django_user_model.objects.create_user("tamu", password="x-Pass-12345"),
        "another office": other["front"],
    }


@pytest.mark.parametrize("case,field,kw", [
    ("empty label", "label", {"label": "  "}),
    ("label too long", "label", {"label": "x" * 121}),
    ("zero days", "expires_days", {"expires_days": "0"}),
    ("days not a number", "expires_days", {"expires_days": "90 hari"}),
    ("too many days", "expires_days", {"expires_days": services.MAX_DAYS + 1}),
    ("a date in the past", "expires_on", {"expires_on": "2020-01-01"}),
    ("not a date", "expires_on", {"expires_on": "31-12-2030"}),
    ("both days and a date", "expires_on", {"expires_days": "5", "expires_on": "2099-01-01"}),
])
def test_bad_input_is_refused_with_the_field_and_saves_nothing(people, case, field, kw):
    args = {"label": "Kelurahan Klegen", **kw}
    with pytest.raises(InvalidInput) as exc:
        services.token_issue(actor=people["admin"], owner=people["front"], **args)
    assert list(exc.value.errors) == [field], exc.value.errors
    assert all(m and m[0].isupper() for m in exc.value.errors[field])
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("which", ["none", "inactive", "no staff row", "another office"])
def test_the_owner_must_be_active_staff_of_the_admins_office(people, other, django_user_model, which):
    owner = _bad_owner(people, other, django_user_model)[which]
    with pytest.raises(InvalidInput) as exc:
        services.token_issue(actor=people["admin"], owner=owner, label="Kelurahan Klegen")
    assert "owner" in exc.value.errors
    assert not ApiToken.objects.exists()


def test_a_superuser_issues_for_any_office(people, other, root):
    row, _ = services.token_issue(actor=root, owner=other["front"], label="Dasbor kota")
    assert row.user == other["front"] and row.issued_by == root


@pytest.mark.parametrize("who", ["front", "kasi", "sekcam", "camat", "bendahara", "ppat"])
def test_only_an_admin_issues_or_revokes(people, who):
    row, _ = _issue(people["front"])
    with pytest.raises(PermissionDenied):
        services.token_issue(actor=people[who], owner=people["front"], label="Sistem")
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=people[who], token_id=row.pk)
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().revoked_at is None


def test_another_offices_admin_cannot_revoke_and_learns_nothing(people, other):
    row, _ = _issue(people["front"])
    with pytest.raises(ApiToken.DoesNotExist):
        services.token_revoke(actor=other["admin"], token_id=row.pk)
    with pytest.raises(ApiToken.DoesNotExist):
        services.token_revoke(actor=other["admin"], token_id=row.pk + 1000)
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None


def test_revoking_twice_changes_nothing_the_second_time(people):
    row, _ = _issue(people["front"])
    first, changed = services.token_revoke(actor=people["admin"], token_id=row.pk)
    assert changed and first.revoked_by == people["admin"] and first.revoked_reason == R.MANUAL
    again, changed = services.token_revoke(actor=None, token_id=row.pk)
    assert not changed and again.revoked_at == first.revoked_at and again.revoked_by == people["admin"]


# --- a password change or a deactivation revokes, by every path ---------------------------------

@pytest.fixture
def front_tokens(people, client):
    """Two working tokens of the front office, and one of the Kasi that must survive."""
    mine = [_issue(people["front"], label=f"Sistem {i}")[1] for i in range(2)]
    theirs = _issue(people["kasi"], label="Dasbor")[1]
    assert all(_works(client, s) for s in [*mine, theirs])
    return mine, theirs


def _assert_revoked(client, people, front_tokens, reason):
    mine, theirs = front_tokens
    assert not any(_works(client, s) for s in mine)
    rows = ApiToken.objects.filter(user=people["front"])
    assert {(r.revoked_reason, r.revoked_by_id) for r in rows} == {(reason, None)}
    assert all(r.revoked_at for r in rows)
    assert _works(client, theirs)  # another user's token is untouched


def _assert_untouched(client, front_tokens):
    mine, theirs = front_tokens
    assert all(_works(client, s) for s in [*mine, theirs])
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_set_password_and_save_revokes(client, people, front_tokens):
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.set_password(NEW_PASSWORD)
    user.save()
    _assert_revoked(client, people, front_tokens, R.PASSWORD)


def test_set_password_and_save_of_the_password_column_only_revokes(client, people, front_tokens):
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.set_password(NEW_PASSWORD)
    user.save(update_fields=["password"])
    _assert_revoked(client, people, front_tokens, R.PASSWORD)


def test_a_new_hash_assigned_directly_revokes(client, people, front_tokens):
    from django.contrib.auth.hashers import make_password

    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.password = make_password(NEW_PASSWORD)
    user.save()
    _assert_revoked(client, people, front_tokens, R.PASSWORD)


def test_the_password_reset_form_revokes(client, people, front_tokens):
    form = SetPasswordForm(people["front"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()
    _assert_revoked(client, people, front_tokens, R.PASSWORD)


def test_the_password_change_form_revokes(client, people, front_tokens):
    form = PasswordChangeForm(people["front"], {
        "old_password": "x-Pass-12345", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()
    _assert_revoked(client, people, front_tokens, R.PASSWORD)


def test_the_changepassword_command_revokes(client, people, front_tokens):
    with mock.patch("django.contrib.auth.management.commands.changepassword.getpass.getpass",
                    return_value=NEW_PASSWORD):
        call_command("changepassword", "petugas", stdout=open("/dev/null", "w"))
    _assert_revoked(client, people, front_tokens, R.PASSWORD)
    assert type(people["front"]).objects.get(pk=people["front"].pk).check_password(NEW_PASSWORD)


def test_the_superusers_password_form_revokes(client, people, front_tokens, root):
    client.force_login(root)
    r = client.post(f"/admin/auth/user/{people['front'].pk}/password/",
                    {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert r.status_code == 302, r.content[:500]
    client.logout()
    _assert_revoked(client, people, front_tokens, R.PASSWORD)


def test_the_office_admins_one_time_password_revokes(client, people, front_tokens):
    """The office admin's path: the Staff admin's "new one-time password" page."""
    client.force_login(people["admin"])
    staff = Staff.objects.get(user=people["front"])
    r = client.post(reverse("admin:offices_staff_password_reset", args=[staff.pk]))
    assert r.status_code == 200 and r.context["password"], r.content[:500]
    client.logout()
    _assert_revoked(client, people, front_tokens, R.PASSWORD)


def test_the_admins_own_password_change_revokes_the_admins_tokens(client, people):
    _, secret = _issue(people["admin"])
    client.force_login(people["admin"])
    r = client.post("/admin/password_change/", {
        "old_password": "x-Pass-12345", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302, r.content[:500]
    client.logout()
    assert not _works(client, secret)


def test_making_the_password_unusable_revokes(client, people, front_tokens):
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.set_unusable_password()
    user.save()
    _assert_revoked(client, people, front_tokens, R.PASSWORD)


def test_deactivating_with_save_revokes(client, people, front_tokens):
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.is_active = False
    user.save()
    _assert_revoked(client, people, front_tokens, R.DEACTIVATED)


def test_deactivating_with_update_fields_revokes(client, people, front_tokens):
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _assert_revoked(client, people, front_tokens, R.DEACTIVATED)


def _change_form_data(form) -> dict:
    """What the admin's user change form posts back unchanged."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field.widget, SplitDateTimeWidget):
            day, time = field.widget.decompress(value)
            data[f"{name}_0"], data[f"{name}_1"] = (day.isoformat() if day else ""), (time.isoformat() if time else "")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = value
    return data


def test_deactivating_in_the_user_admin_revokes(client, people, front_tokens, root):
    client.force_login(root)
    url = f"/admin/auth/user/{people['front'].pk}/change/"
    data = _change_form_data(client.get(url).context["adminform"].form)
    assert data.pop("is_active") == "on"
    r = client.post(url, data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r.content[:300]
    client.logout()
    assert not type(people["front"]).objects.get(pk=people["front"].pk).is_active
    _assert_revoked(client, people, front_tokens, R.DEACTIVATED)


def test_editing_other_fields_in_the_user_admin_revokes_nothing(client, people, front_tokens, root):
    client.force_login(root)
    url = f"/admin/auth/user/{people['front'].pk}/change/"
    data = {**_change_form_data(client.get(url).context["adminform"].form), "first_name": "Siti"}
    assert client.post(url, data).status_code == 302
    client.logout()
    assert type(people["front"]).objects.get(pk=people["front"].pk).first_name == "Siti"
    _assert_untouched(client, front_tokens)


def test_the_office_admins_deactivate_action_revokes(client, people, front_tokens):
    client.force_login(people["admin"])
    staff = Staff.objects.get(user=people["front"])
    r = client.post(reverse("admin:offices_staff_changelist"),
                    {"action": "deactivate", "_selected_action": [staff.pk]})
    assert r.status_code == 302, r.content[:300]
    client.logout()
    assert not type(people["front"]).objects.get(pk=people["front"].pk).is_active
    _assert_revoked(client, people, front_tokens, R.DEACTIVATED)


def test_logging_in_and_saving_other_fields_revokes_nothing(client, people, front_tokens):
    assert client.login(request=HttpRequest(), username="petugas", password="x-Pass-12345")
    client.logout()
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.first_name = "Siti"
    user.save()
    _assert_untouched(client, front_tokens)


def test_saving_last_login_costs_no_extra_query(people):
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.last_login = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        user.save(update_fields=["last_login"])
    assert len(ctx.captured_queries) == 1, ctx.captured_queries


class OldHasher(PBKDF2PasswordHasher):
    """A weaker PBKDF2 (fewer iterations): what Django upgrades from at the next log in."""

    iterations = 2


class NewHasher(PBKDF2PasswordHasher):
    iterations = 3


@pytest.mark.parametrize("old", ["md5", "fewer iterations"])
def test_djangos_hash_upgrade_at_log_in_is_not_a_password_change(client, people, front_tokens, settings, old):
    """Django re-hashes a password with its preferred hasher when it is checked (log in after
    an upgrade of Django, or of the hasher settings): same password, new hash, tokens kept."""
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    if old == "md5":
        assert user.password.startswith(MD5PasswordHasher.algorithm)
        settings.PASSWORD_HASHERS = [f"{__name__}.NewHasher", "django.contrib.auth.hashers.MD5PasswordHasher"]
    else:
        settings.PASSWORD_HASHERS = [f"{__name__}.OldHasher"]
        user.set_password("x-Pass-12345")
        type(user).objects.filter(pk=user.pk).update(password=user.password)  # no save(): set up only
        settings.PASSWORD_HASHERS = [f"{__name__}.NewHasher"]
    before = type(user).objects.get(pk=user.pk).password
    assert client.login(request=HttpRequest(), username="petugas", password="x-Pass-12345")
    client.logout()
    after = type(user).objects.get(pk=user.pk).password
    assert after != before and "$3$" in after  # upgraded to NewHasher
    _assert_untouched(client, front_tokens)


def test_reactivating_does_not_bring_tokens_back(client, people, front_tokens):
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    assert not any(_works(client, s) for s in front_tokens[0])


def test_a_later_revocation_keeps_the_first_ones_time_and_reason(people):
    row, _ = _issue(people["front"])
    first, _ = services.token_revoke(actor=people["admin"], token_id=row.pk)
    user = type(people["front"]).objects.get(pk=people["front"].pk)
    user.is_active = False
    user.save()
    row.refresh_from_db()
    assert (row.revoked_at, row.revoked_reason, row.revoked_by) == (first.revoked_at, R.MANUAL, people["admin"])


def test_creating_a_user_reads_nothing_more(db, django_user_model):
    with CaptureQueriesContext(connection) as ctx:
        django_user_model.objects.create_user("baru", password="x-Pass-12345")
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT")], ctx.captured_queries
