"""Smaller leaks: staff responses are never cached, staff sessions end when idle and (on a shared
counter PC) at browser close, and logins are also limited per address across user names.

- ``Cache-Control: no-store`` on every response to a signed-in request (session or API token)
  and under /staf/, /admin/, /api/v1/staff/; public pages for visitors keep their caching.
- A session idle for LOKET_SESSION_IDLE_MINUTES ends at its next request, with a message; the
  last-seen time is written at most once a minute.
- "Komputer bersama" on the login form (ticked by default) makes the session cookie end with
  the browser.
- LOKET_LOGIN_ADDRESS_LIMIT failed logins from one address, whatever the user names, hold every
  login from it (429) until the 15-minute window ends; other addresses are not affected, a
  success does not reset the count, and an office of 20 clerks behind one address is not held
  on a normal morning."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from loket.api.models import ApiToken
from loket.core import logins, sessions
from loket.dossiers import services
from loket.offices.roles import Role
from loket.offices.services import staff_create
from tests.factories import applicant_data
from tests.support.env import PROJECT, clean_env as _env
from tests.support.http import PASSWORD, login_post as _login


def _no_store(r) -> bool:
    return "no-store" in r.get("Cache-Control", "")


@pytest.fixture
def registered(office, people, all_items):
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                actor=people["front"], present=all_items, originals=all_items)
    for act, role in [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")]:
        getattr(services, f"dossier_{act}")(code=d.code, actor=people[role])
    return d


# --- no-store ---------------------------------------------------------------------------------------

def test_staff_pages_papers_and_exports_are_not_stored(client, people, registered):
    client.force_login(people["front"])
    for url in [reverse("dossiers:today"), reverse("dossiers:detail", args=[registered.code]),
                reverse("dossiers:paper", args=[registered.code, "tanda-terima"]),
                reverse("registers:book"), reverse("registers:export_xlsx"), reverse("registers:export_pdf")]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert _no_store(r) and "private" in r["Cache-Control"], (url, r.get("Cache-Control"))


def test_staff_api_answers_are_not_stored(client, people, registered):
    token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=people['front'], name='tes')[1]}"}
    r = client.get(f"/api/v1/dossiers/{registered.code}/", **token)  # a token's user: signed in
    assert r.status_code == 200 and _no_store(r)
    r = client.get("/api/v1/staff/complaints/", **token)
    assert r.status_code == 200 and _no_store(r)
    assert _no_store(client.get("/api/v1/staff/complaints/"))  # the 401 too, by its address


def test_admin_and_staff_addresses_are_not_stored_even_before_login(client, db):
    for url in ("/admin/", "/staf/berkas/"):
        r = client.get(url)
        assert r.status_code == 302 and _no_store(r), url


def test_public_pages_keep_their_caching_for_visitors(client, office, people):
    url = f"/{office.slug}/"
    r = client.get(url)
    assert r.status_code == 200
    assert "max-age=60" in r["Cache-Control"] and not _no_store(r)
    client.force_login(people["front"])  # the same page for a signed-in clerk: not stored
    assert _no_store(client.get(url))


# --- idle sessions --------------------------------------------------------------------------------

def _age_session(client, seconds: int) -> None:
    session = client.session
    session[sessions.SEEN_KEY] -= seconds
    session.save()


def test_login_notes_the_time(client, people):
    client.force_login(people["front"])
    assert isinstance(client.session[sessions.SEEN_KEY], int)


def test_an_idle_session_ends_with_a_message(client, people):
    client.force_login(people["front"])
    _age_session(client, settings.LOKET_SESSION_IDLE_MINUTES * 60 + 1)
    r = client.get(reverse("dossiers:today"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(r["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak ada kegiatan selama 8 jam" in page


def test_an_active_session_goes_on_and_is_noted_at_most_once_a_minute(client, people):
    client.force_login(people["front"])
    _age_session(client, settings.LOKET_SESSION_IDLE_MINUTES * 60 - 60)
    assert client.get(reverse("dossiers:today")).status_code == 200
    seen = client.session[sessions.SEEN_KEY]
    assert abs(seen - _now()) <= 2  # just noted
    _age_session(client, 30)  # half a minute later: not written again
    assert client.get(reverse("dossiers:today")).status_code == 200
    assert client.session[sessions.SEEN_KEY] == seen - 30


def test_the_idle_time_is_a_setting(client, people, settings):
    settings.LOKET_SESSION_IDLE_MINUTES = 30
    client.force_login(people["front"])
    _age_session(client, 31 * 60)
    r = client.get(reverse("dossiers:today"), follow=True)
    assert "selama 30 menit" in r.content.decode()


def test_an_idle_browser_session_gets_401_from_the_api(client, people, registered):
    client.force_login(people["front"])
    assert client.get(f"/api/v1/dossiers/{registered.code}/").status_code == 200
    _age_session(client, settings.LOKET_SESSION_IDLE_MINUTES * 60 + 1)
    assert client.get(f"/api/v1/dossiers/{registered.code}/").status_code == 401


def test_a_session_from_before_this_rule_is_noted_not_ended(client, people):
    client.force_login(people["front"])
    session = client.session
    del session[sessions.SEEN_KEY]
    session.save()
    assert client.get(reverse("dossiers:today")).status_code == 200
    assert sessions.SEEN_KEY in client.session


def test_the_database_and_cookie_expiry_follow_the_idle_time(tmp_path):
    code = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE, settings.LOKET_SESSION_IDLE_MINUTES)"
    for env, expected in (({}, "32400 480"), ({"LOKET_SESSION_IDLE_MINUTES": "30"}, "5400 30")):
        r = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=PROJECT,
                           env=_env(tmp_path, **env), capture_output=True, text=True, timeout=120)
        assert r.stdout.split() == expected.split(), r.stderr


def _now() -> int:
    import time

    return int(time.time())


# --- shared counter PC ---------------------------------------------------------------------------

def test_the_login_form_offers_the_shared_pc_box_ticked(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'name="komputer_bersama" value="1" checked' in page
    assert "keluar otomatis saat browser ditutup" in page


def test_a_shared_pc_session_ends_with_the_browser(client, people):
    r = client.post(reverse("login"), {"username": "petugas", "password": PASSWORD, "komputer_bersama": "1"})
    assert r.status_code == 302
    assert client.session.get_expire_at_browser_close()
    cookie = r.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie


def test_an_own_pc_session_lasts_the_idle_time(client, people):
    r = client.post(reverse("login"), {"username": "petugas", "password": PASSWORD})
    assert r.status_code == 302
    assert not client.session.get_expire_at_browser_close()
    assert int(r.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == settings.SESSION_COOKIE_AGE


# --- password spraying: a limit per address ---------------------------------------------------------

def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _assert_held(r):
    assert r.status_code == 429
    page = r.content.decode()
    assert "Masuk dari jaringan ini ditahan sementara" in page
    assert "Coba lagi paling lama 15 menit lagi" in page


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(logins, "FAILURES_PER_ADDRESS", 8)
    return 8


def test_spraying_one_password_over_many_names_holds_the_address(client, people, small_limit, one_rate_window):
    names = ["petugas", "kasi.pem", "sekcam", "camat", "bendahara", "ppat", "admin", "tidak.ada"]
    for name in names:  # one wrong password each: axes (5 per name) never locks any of them
        assert _login(client, name, "Rahasia123").status_code == 200
    r = _login(client, "kasi.umum")  # the right password, the next name
    _assert_held(r)
    assert not _logged_in(client)
    _assert_held(_login(client, "admin", url="/admin/login/?next=/admin/"))  # the admin login too


def test_another_address_is_not_held(client, people, small_limit, one_rate_window):
    for _ in range(small_limit):
        _login(client, "tidak.ada", "salah", REMOTE_ADDR="10.9.9.9")
    _assert_held(_login(client, "petugas", REMOTE_ADDR="10.9.9.9"))
    assert _login(client, "petugas", REMOTE_ADDR="10.0.0.7").status_code == 302
    assert _logged_in(client)


def test_the_hold_ends_with_the_window(client, people, small_limit, one_rate_window):
    for i in range(small_limit):
        _login(client, f"orang{i}", "salah")
    _assert_held(_login(client, "petugas"))
    one_rate_window["t"] += logins.WINDOW_SECONDS
    assert _login(client, "petugas").status_code == 302


def test_a_success_does_not_reset_the_count(client, people, small_limit, one_rate_window):
    for i in range(small_limit - 1):
        _login(client, f"orang{i}", "salah")
    assert _login(client, "petugas").status_code == 302  # one known account …
    client.logout()
    _login(client, "orang-lagi", "salah")  # … and the sprayer goes on counting
    _assert_held(_login(client, "petugas"))


def test_an_office_of_twenty_behind_one_address_is_not_held_on_a_normal_morning(client, office, one_rate_window):
    assert logins.FAILURES_PER_ADDRESS == 30
    clerks = [staff_create(office=office, username=f"staf{i:02d}", role=Role.FRONT_OFFICE, password=PASSWORD,
                           full_name=f"Staf {i}").user for i in range(20)]
    for clerk in clerks:  # every clerk mistypes once, then gets in
        assert _login(client, clerk.username, "typo").status_code == 200
        assert _login(client, clerk.username).status_code == 302, clerk.username
        client.logout()
