"""Single-use forms (loket/core/once.py): a rendered form posted twice — a double click, a
resent page — does its act once; the second post is refused (409) with a pointer to what the
first one made. A form refused for its input keeps its token usable. Every state-changing form
of Loket's templates carries the token."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from pathlib import Path

import pytest
from django.core import signing
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

import loket
from loket.complaints.models import Complaint
from loket.core import once
from loket.core.models import FormSubmission
from loket.deeds.models import Case, TaxProof
from loket.dossiers import services as dossier_services
from loket.dossiers.models import Dossier, Transition
from loket.registers.models import RegisterEntry
from loket.rentals.models import Booking
from loket.surveys.models import Response
from tests.complaints.conftest import complaint_data, make_complaint  # noqa: F401 (fixture)
from tests.deeds.conftest import deed_office, officials, sale  # noqa: F401 (fixtures)
from tests.rentals.conftest import clerks, hall_office  # noqa: F401 (fixtures)
from tests.support.complaints import form_data as public_complaint
from tests.support.forms import deed_all_ids as _all_ids, deed_form, hall_form, intake_form
from tests.support.surveys import form_answers as survey_answers, handed_over as _handed_over, kiosk_answers

TEMPLATES = Path(loket.__file__).parent
FORM = re.compile(r"<form\b.*?</form>", re.S | re.I)
USED = "Formulir ini sudah dikirim"


def _start_tag(form: str) -> str:
    return form[: form.index(">") + 1]


def _post_forms(html: str) -> list[str]:
    return [f for f in FORM.findall(html) if re.search(r"method=[\"']?post", _start_tag(f), re.I)]


def token_of(html: str, action: str | None = None) -> str:
    """The once token of the page's post form (the one whose action contains ``action``; the
    logout button in the header has none)."""
    for form in _post_forms(html):
        if "/keluar/" in _start_tag(form):
            continue
        if action is None or action in _start_tag(form):
            m = re.search(rf'name="{once.FIELD}" value="([^"]+)"', form)
            assert m, f"no token in {_start_tag(form)}"
            return m.group(1)
    raise AssertionError(f"no post form with action {action!r}")


def double_post(client, *, page: str, url: str, data: dict, count, action: str | None = None):
    """Render the form, post it, post the very same again: (first response, second page)."""
    token = token_of(client.get(page).content.decode(), action)
    first = client.post(url, {**data, once.FIELD: token})
    assert first.status_code == 302, first.content.decode()[-3000:]
    made = count()
    again = client.post(url, {**data, once.FIELD: token})
    assert again.status_code == 409
    assert count() == made, "the second post made something"
    html = again.content.decode()
    assert USED in html and f'href="{first["Location"]}"' in html
    return first, html


# --- every form carries it ---------------------------------------------------------------------

def test_every_post_form_of_the_templates_carries_the_once_token():
    """Login and logout excepted (no act to repeat; the login has its own lockout)."""
    checked, missing = 0, []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for form in _post_forms(text):
            start = _start_tag(form)
            if "{% url 'login' %}" in start or "{% url 'logout' %}" in start:
                continue
            checked += 1
            if "{% once_token %}" not in form:
                missing.append(f"{path.relative_to(TEMPLATES)}: {start}")
        if "{% once_token %}" in text and not re.search(r"{%\s*load\s[^%]*\bonce\b", text):
            missing.append(f"{path.relative_to(TEMPLATES)}: uses once_token without {{% load once %}}")
    assert missing == []
    assert checked >= 40  # the scan found the forms (44 when written: 7 dossier acts, 9 complaint acts, 11 deed acts …)


def test_the_login_form_is_the_exception_and_needs_no_token(client, people):
    page = client.get("/masuk/").content.decode()
    assert f'name="{once.FIELD}"' not in page
    assert client.post("/masuk/", {"username": "petugas", "password": "x-Pass-12345"}).status_code == 302


def test_each_rendering_gets_its_own_token(client, people):
    client.force_login(people["front"])
    page = "/staf/berkas/baru/?layanan=pindah"
    a, b = (token_of(client.get(page).content.decode()) for _ in range(2))
    assert a != b and once.nonce_of(a) and once.nonce_of(b)


# --- a second post of the same form does nothing -----------------------------------------------

def test_dossier_intake_posted_twice_makes_one_dossier_and_points_to_it(client, people, all_items):
    client.force_login(people["front"])
    first, html = double_post(client, page="/staf/berkas/baru/?layanan=pindah", url="/staf/berkas/baru/",
                              data=intake_form(all_items), count=Dossier.objects.count)
    d = Dossier.objects.get()
    assert first["Location"] == f"/staf/berkas/{d.code}/"
    assert f"Berkas {d.code[:4]}-{d.code[4:]} diterima" in html  # what the first post reported
    assert Transition.objects.count() == 1


def test_without_the_token_a_post_is_taken_as_before(client, people, all_items):
    """The decision: a POST without the field is accepted (the API, tests and scripts post
    without it); every form of the templates carries it (test above)."""
    client.force_login(people["front"])
    for _ in range(2):
        assert client.post("/staf/berkas/baru/", intake_form(all_items)).status_code == 302
    assert Dossier.objects.count() == 2
    assert not FormSubmission.objects.exists()


def test_recorded_complaint_posted_twice_is_one_line_in_the_book(client, people):
    client.force_login(people["front"])
    _, html = double_post(client, page="/staf/pengaduan/baru/", url="/staf/pengaduan/baru/", data=complaint_data(),
                          count=lambda: (Complaint.objects.count(), RegisterEntry.objects.count()))
    c = Complaint.objects.get()
    assert "Buku Pengaduan nomor" in html and c.code[:4] in html


def test_public_complaint_posted_twice_files_one_and_shows_its_code_again(client, office):
    url = f"/{office.slug}/pengaduan/"
    _, html = double_post(client, page=url, url=url, data=public_complaint(), count=Complaint.objects.count)
    c = Complaint.objects.get()
    # The citizen who double-clicked still gets the tracking code shown once to the first post.
    assert f"{c.code[:4]}-{c.code[4:]}" in html and f'href="/pengaduan/lacak/{c.code}/"' in html


def test_skm_form_posted_twice_stores_one_response(client, office, people, all_items):
    d = _handed_over(office, people, all_items)
    url = f"/skm/{d.code}/"
    double_post(client, page=url, url=url, data=survey_answers(), count=Response.objects.count)
    assert Response.objects.filter(dossier=d).count() == 1


def test_kiosk_posted_twice_stores_one_response(client, people):
    client.force_login(people["front"])
    double_post(client, page="/staf/skm/kios/", url="/staf/skm/kios/", data=kiosk_answers(),
                count=Response.objects.count)
    assert Response.objects.count() == 1


def test_hall_order_posted_twice_books_once(client, clerks):  # noqa: F811
    client.force_login(clerks["bendahara"])
    _, html = double_post(client, page="/staf/gedung/baru/", url="/staf/gedung/baru/", data=hall_form(),
                          count=Booking.objects.count)
    b = Booking.objects.get()
    assert "Buku Register Penyewa" in html and b.code[:4] in html


def test_deed_intake_posted_twice_makes_one_case(client, officials, deed_office):  # noqa: F811
    client.force_login(officials["front"])
    double_post(client, page="/staf/akta/baru/", url="/staf/akta/baru/",
                data=deed_form(sale(), present=_all_ids(deed_office)), count=Case.objects.count)
    assert Case.objects.get().state == Case.State.RECEIVED


def test_an_act_form_posted_twice_records_once(client, officials, deed_office):  # noqa: F811
    """A tax proof is a new row each time: the act's own state check would not stop a repeat."""
    client.force_login(officials["front"])
    client.post("/staf/akta/baru/", deed_form(sale(), present=_all_ids(deed_office)))
    case = Case.objects.get()
    client.post(f"/staf/akta/{case.code}/forward/")
    client.force_login(officials["ppat"])
    proof = {"kind": "bphtb", "number": "SSB-1", "paid_on": "2026-01-05", "amount": "1500000"}
    first, html = double_post(client, page=f"/staf/akta/{case.code}/", url=f"/staf/akta/{case.code}/taxproof/",
                              data=proof, count=TaxProof.objects.count, action="/taxproof/")
    assert TaxProof.objects.count() == 1 and "Bukti pajak dicatat." in html


def test_a_dossier_act_posted_twice_is_refused_by_the_token_not_by_the_state(client, people, all_items):
    client.force_login(people["front"])
    client.post("/staf/berkas/baru/", intake_form(all_items))
    d = Dossier.objects.get()
    double_post(client, page=f"/staf/berkas/{d.code}/", url=f"/staf/berkas/{d.code}/forward/", data={},
                count=Transition.objects.count, action="/forward/")
    assert Dossier.objects.get().state == Dossier.State.FORWARDED


# --- refused input does not use the token up --------------------------------------------------

def test_intake_refused_for_its_input_keeps_the_token_usable(client, people, all_items):
    client.force_login(people["front"])
    token = token_of(client.get("/staf/berkas/baru/?layanan=pindah").content.decode())
    bad = client.post("/staf/berkas/baru/", {**intake_form(all_items, nik="123"), once.FIELD: token})
    assert bad.status_code == 400 and not Dossier.objects.exists()
    assert f'name="{once.FIELD}"' in bad.content.decode()  # the form shown again can be sent too
    assert not FormSubmission.objects.exists()
    good = client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token})
    assert good.status_code == 302 and Dossier.objects.count() == 1
    assert client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token}).status_code == 409
    assert Dossier.objects.count() == 1


def test_the_checklist_refresh_does_not_use_the_token(client, people, all_items):
    """The intake form posts itself (htmx) to redraw the checklist when a condition changes."""
    client.force_login(people["front"])
    token = token_of(client.get("/staf/berkas/baru/?layanan=pindah").content.decode())
    data = {**intake_form(all_items), once.FIELD: token}
    data.pop("submit")
    r = client.post("/staf/berkas/baru/", data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="checklist")
    assert r.status_code == 200
    assert client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token}).status_code == 302


def test_an_act_refused_with_a_message_keeps_the_token_usable(client, people, make_complaint):
    """Act views answer a refusal with an error message and a redirect: not a success."""
    c = make_complaint()
    client.force_login(people["front"])
    token = token_of(client.get(f"/staf/pengaduan/{c.code}/").content.decode(), action="/answer/")
    url = f"/staf/pengaduan/{c.code}/answer/"
    r = client.post(url, {"text": "", once.FIELD: token}, follow=True)
    assert Complaint.objects.get().state == Complaint.State.RECEIVED and USED not in r.content.decode()
    r = client.post(url, {"text": "Berkas Anda sudah selesai, silakan ambil.", once.FIELD: token})
    assert r.status_code == 302 and Complaint.objects.get().state == Complaint.State.ANSWERED
    assert client.post(url, {"text": "Jawaban kedua.", once.FIELD: token}).status_code == 409
    assert Complaint.objects.get().answers.count() == 1


def test_a_public_complaint_with_bad_input_can_be_corrected_and_sent_with_the_same_token(client, office):
    url = f"/{office.slug}/pengaduan/"
    token = token_of(client.get(url).content.decode())
    assert client.post(url, {**public_complaint(text=""), once.FIELD: token}).status_code == 400
    assert client.post(url, {**public_complaint(), once.FIELD: token}).status_code == 302
    assert Complaint.objects.count() == 1


def test_a_view_that_fails_gives_the_token_back(office, people, all_items, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(people["front"])
    token = token_of(client.get("/staf/berkas/baru/?layanan=pindah").content.decode())
    real = dossier_services.dossier_intake

    def broken(**kw):
        raise OSError("disk penuh")

    monkeypatch.setattr(dossier_services, "dossier_intake", broken)
    assert client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token}).status_code == 500
    monkeypatch.setattr(dossier_services, "dossier_intake", real)
    assert client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token}).status_code == 302
    assert Dossier.objects.count() == 1


# --- tokens: whose, forged, expired, cleaned ----------------------------------------------------

def test_someone_elses_token_is_refused_without_showing_what_it_made(client, people, all_items):
    client.force_login(people["front"])
    token = token_of(client.get("/staf/berkas/baru/?layanan=pindah").content.decode())
    first = client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token})
    other = Client()
    other.force_login(people["admin"])
    r = other.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token})
    assert r.status_code == 409 and Dossier.objects.count() == 1
    html = r.content.decode()
    assert USED in html and first["Location"] not in html and "diterima" not in html


@pytest.mark.parametrize("token", [
    pytest.param(lambda: "x" * 30, id="not-signed"),
    pytest.param(lambda: signing.TimestampSigner(salt="lain").sign("abc"), id="another-signer"),
    pytest.param(lambda: once.token_new()[:-2] + "zz", id="tampered"),
])
def test_a_token_that_is_not_ours_is_refused_and_nothing_runs(client, people, all_items, token):
    client.force_login(people["front"])
    r = client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token()},
                    HTTP_REFERER="http://testserver/staf/berkas/baru/?layanan=pindah")
    assert r.status_code == 400 and not Dossier.objects.exists()
    html = r.content.decode()
    assert "Formulir sudah kedaluwarsa" in html and "Tidak ada yang disimpan." in html
    assert 'href="http://testserver/staf/berkas/baru/?layanan=pindah"' in html


def test_an_expired_token_is_refused(client, people, all_items, monkeypatch):
    client.force_login(people["front"])
    token = token_of(client.get("/staf/berkas/baru/?layanan=pindah").content.decode())
    later = time.time() + once.MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    r = client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token},
                    HTTP_REFERER="https://elsewhere.example/")
    assert r.status_code == 400 and not Dossier.objects.exists()
    assert "elsewhere.example" not in r.content.decode()  # no link off the site


def test_old_submissions_are_purged_and_the_middleware_purges_when_due(client, people, all_items, monkeypatch):
    now = timezone.now()
    old = FormSubmission.objects.create(nonce="lama", path="/x/")
    FormSubmission.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(seconds=once.MAX_AGE + 1))
    fresh = FormSubmission.objects.create(nonce="baru", path="/x/")
    assert once.once_purge(now=now) == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [fresh.pk]
    FormSubmission.objects.filter(pk=fresh.pk).update(created_at=now - dt.timedelta(seconds=once.MAX_AGE + 1))
    monkeypatch.setattr(once, "_next_purge", 0.0)
    client.force_login(people["front"])
    token = token_of(client.get("/staf/berkas/baru/?layanan=pindah").content.decode())
    client.post("/staf/berkas/baru/", {**intake_form(all_items), once.FIELD: token})
    assert not FormSubmission.objects.filter(pk=fresh.pk).exists()
    assert FormSubmission.objects.count() == 1  # the one just used


# --- a real double click: two posts at the same moment (PostgreSQL) -----------------------------

def _wait_until_someone_waits_for_me(timeout: float = 30.0) -> bool:
    """Poll the lock table (live, unlike pg_stat_activity inside a transaction) until another
    backend is blocked by this one: the second post, waiting on the token's unique row."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT 1 FROM pg_locks l WHERE NOT l.granted "
                           "AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid)) LIMIT 1")
            if cursor.fetchone():
                return True
            time.sleep(0.02)
    return False


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_one_form_make_one_dossier(office, people, all_items, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL; the SQLite test database serialises them")
    page = Client()
    page.force_login(people["front"])
    token = token_of(page.get("/staf/berkas/baru/?layanan=pindah").content.decode())
    data = {**intake_form(all_items), once.FIELD: token}
    real = dossier_services.dossier_intake
    seen_waiting = []

    def intake_held(**kw):
        # The first post holds here, inside its transaction, until the second post is blocked
        # on the token's row: only then are the two truly at the same moment.
        seen_waiting.append(_wait_until_someone_waits_for_me())
        return real(**kw)

    monkeypatch.setattr(dossier_services, "dossier_intake", intake_held)
    clients = []
    for _ in range(2):
        c = Client()
        c.force_login(people["front"])
        clients.append(c)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click(c):
        try:
            barrier.wait()
            results.append(c.post("/staf/berkas/baru/", data))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert seen_waiting == [True], "the second post never met the first one's token row"
    assert sorted(r.status_code for r in results) == [302, 409]
    assert Dossier.objects.count() == 1 and FormSubmission.objects.count() == 1
    refused = next(r for r in results if r.status_code == 409).content.decode()
    d = Dossier.objects.get()
    assert f'href="/staf/berkas/{d.code}/"' in refused


# --- acts whose answer is a page, not a redirect: the view marks them done ----------------------

def _post_twice(client, page: str, url: str, data: dict, action: str | None = None):
    token = token_of(client.get(page).content.decode(), action)
    first = client.post(url, {**data, once.FIELD: token})
    again = client.post(url, {**data, once.FIELD: token})
    return first, again


def test_a_token_form_posted_twice_issues_one_token_and_shows_its_secret_once(client, people):
    from loket.api.models import ApiToken

    client.force_login(people["admin"])
    owner = people["front"].pk  # the owner is a user account
    first, again = _post_twice(client, "/staf/token/baru/", "/staf/token/baru/", {"owner": owner, "label": "Kelurahan"})
    assert first.status_code == 200 and first.context["secret"]
    assert again.status_code == 409 and first.context["secret"] not in again.content.decode()
    assert ApiToken.objects.count() == 1
    assert USED in again.content.decode() and 'href="/staf/token/"' in again.content.decode()


def test_a_one_time_password_form_posted_twice_changes_the_password_once(client, people):
    from django.urls import reverse

    client.force_login(people["admin"])
    url = reverse("admin:offices_staff_password_reset", args=[people["kasi"].staff.pk])
    token = re.search(rf'name="{once.FIELD}" value="([^"]+)"', client.get(url).content.decode()).group(1)
    first = client.post(url, {once.FIELD: token})
    again = client.post(url, {once.FIELD: token})
    password = first.context["password"]
    assert again.status_code == 409 and password not in again.content.decode()
    people["kasi"].refresh_from_db()
    assert people["kasi"].check_password(password)


def test_a_correction_posted_twice_is_recorded_once(client, people, all_items):
    from loket.dossiers.models import Correction

    client.force_login(people["front"])
    client.post("/staf/berkas/baru/", intake_form(all_items))
    d = Dossier.objects.get()
    data = {"name": "Siti Aminah Koreksi", "reason": "Nama sesuai KK"}
    _, again = _post_twice(client, f"/staf/berkas/{d.code}/", f"/staf/berkas/{d.code}/correct/", data, "/correct/")
    assert again.status_code == 409
    assert Correction.objects.filter(dossier=d).count() == 1
