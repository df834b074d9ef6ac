"""Login brute force (django-axes): five wrong passwords for one user name from one address lock
that pair out for 15 minutes, with an Indonesian page and HTTP 429; /masuk/ and /admin/login/
count together; other users, other addresses and API tokens are not affected."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory

from loket.api.models import ApiToken
from loket.core.ratelimit import address_of, client_ip
from tests.support.http import login_post as _login


def _fail(client, username, times, **extra):
    return [_login(client, username, "salah-sekali", **extra).status_code for _ in range(times)]


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _assert_locked_page(r):
    assert r.status_code == 429
    page = r.content.decode()
    assert "Masuk dikunci sementara" in page
    assert "Coba lagi 15 menit lagi" in page
    assert "Hubungi admin Loket" in page


def _age_attempts(minutes):
    """Let time pass for the lockout: move every recorded failure into the past."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_five_wrong_passwords_lock_out_even_the_right_one(client, people):
    assert _fail(client, "petugas", 4) == [200, 200, 200, 200]  # the form again, with its error
    _assert_locked_page(_login(client, "petugas", "salah-sekali"))  # the fifth failure locks
    r = _login(client, "petugas")  # now the right password
    _assert_locked_page(r)
    assert "petugas" in r.content.decode()
    assert not _logged_in(client)
    assert client.get("/staf/berkas/").status_code == 302  # still sent to the login page


def test_the_login_form_warns_before_the_lockout(client, people):
    page = _login(client, "petugas", "salah").content.decode()
    assert "Nama pengguna atau kata sandi salah" in page
    assert "dikunci sementara" in page


def test_another_user_at_the_same_computer_still_logs_in(client, people):
    _fail(client, "petugas", 5)
    r = _login(client, "kasi.pem")
    assert r.status_code == 302 and _logged_in(client)


def test_the_same_user_from_another_computer_still_logs_in(client, people):
    _fail(client, "petugas", 5)
    r = _login(client, "petugas", REMOTE_ADDR="10.0.0.2")
    assert r.status_code == 302 and _logged_in(client)


def test_an_unknown_user_name_is_locked_the_same_way(client, people):
    assert _fail(client, "tidak.ada", 5)[-1] == 429


def test_login_works_again_after_fifteen_minutes(client, people):
    _fail(client, "petugas", 5)
    _age_attempts(14)
    _assert_locked_page(_login(client, "petugas"))  # that attempt starts the 15 minutes again
    _age_attempts(14)
    assert _login(client, "petugas").status_code == 429
    _age_attempts(16)
    r = _login(client, "petugas")
    assert r.status_code == 302 and _logged_in(client)


def test_an_admin_can_unlock_early(client, people):
    _fail(client, "petugas", 5)
    assert reset(username="petugas") == 1  # what /admin/ → Axes → Access attempts → delete does
    assert _login(client, "petugas").status_code == 302


def test_the_management_command_unlocks_too(client, people):
    _fail(client, "petugas", 5)
    call_command("axes_reset_username", "petugas")
    assert _login(client, "petugas").status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, people):
    _fail(client, "petugas", 4)
    assert _login(client, "petugas").status_code == 302
    client.logout()
    assert _fail(client, "petugas", 4) == [200, 200, 200, 200]  # counting starts again from zero


def test_admin_login_is_protected(client, people):
    url = "/admin/login/?next=/admin/"
    for _ in range(4):
        assert _login(client, "admin", "salah", url=url).status_code == 200
    _assert_locked_page(_login(client, "admin", "salah", url=url))
    _assert_locked_page(_login(client, "admin", url=url))
    assert not _logged_in(client)


def test_staff_login_and_admin_login_count_together(client, people):
    _fail(client, "admin", 3)
    for _ in range(2):
        _login(client, "admin", "salah", url="/admin/login/")
    _assert_locked_page(_login(client, "admin"))


def test_api_tokens_are_not_counted_nor_locked(client, people, office):
    _fail(client, "petugas", 5)
    _, token = ApiToken.issue(user=people["front"], name="tes")
    r = client.get("/api/v1/dossiers/TIDAKADA/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 404  # authenticated, the dossier just does not exist
    before = AccessAttempt.objects.count()
    for _ in range(10):
        r = client.get("/api/v1/dossiers/TIDAKADA/", HTTP_AUTHORIZATION="Bearer lkt_salah")
        assert r.status_code == 401
    assert AccessAttempt.objects.count() == before


def test_force_login_is_not_blocked(client, people):
    _fail(client, "petugas", 5)
    client.force_login(people["front"])  # what the other tests use; no authenticate(), no lockout
    assert client.get("/staf/berkas/").status_code == 200


# --- the address that is counted ---------------------------------------------------------------

def _request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_address_is_remote_addr_and_x_forwarded_for_is_ignored_by_default(settings):
    settings.LOKET_BEHIND_PROXY = False
    assert address_of(_request("10.0.0.5", "1.2.3.4")) == "10.0.0.5"
    assert address_of(_request("")) is None and client_ip(_request("")) == "?"


def test_behind_the_proxy_the_address_is_what_the_proxy_appended(settings):
    settings.LOKET_BEHIND_PROXY = True
    assert address_of(_request("127.0.0.1", "10.0.0.7")) == "10.0.0.7"
    # a client cannot choose its address by sending its own X-Forwarded-For: the proxy appends
    assert address_of(_request("127.0.0.1", "9.9.9.9, 10.0.0.7")) == "10.0.0.7"
    assert address_of(_request("127.0.0.1", "2001:db8::1")) == "2001:db8::1"
    assert address_of(_request("127.0.0.1", "bukan-alamat")) == "127.0.0.1"
    assert address_of(_request("127.0.0.1")) == "127.0.0.1"


def test_behind_the_proxy_each_client_is_locked_on_its_own(client, people, settings):
    settings.LOKET_BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    _fail(client, "petugas", 5, HTTP_X_FORWARDED_FOR="10.0.0.7", **proxy)
    assert AccessAttempt.objects.get().ip_address == "10.0.0.7"
    _assert_locked_page(_login(client, "petugas", HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.7", **proxy))
    r = _login(client, "petugas", HTTP_X_FORWARDED_FOR="10.0.0.8", **proxy)  # a colleague's PC
    assert r.status_code == 302


@pytest.mark.parametrize("url", ["/masuk/", "/admin/login/"])
def test_the_locked_page_carries_the_security_headers(client, people, url):
    _fail(client, "admin", 4)
    r = _login(client, "admin", "salah", url=url)
    assert r.status_code == 429
    assert "'unsafe-inline'" not in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"
