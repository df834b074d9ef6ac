"""Spam checks of the public complaint form (loket/complaints/spam.py): honeypot, signed form
timestamp and the per-address rate limit. Every refusal saves nothing."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

from loket.complaints import services as spam_services
from loket.complaints import spam
from loket.complaints.models import Complaint
from tests.support.complaints import counts, form_data, form_url, frozen_clock  # noqa: F401

EXPIRED_OR_FAST = "Formulir kedaluwarsa atau terkirim terlalu cepat. Isian Anda masih ada: periksa, lalu tekan Kirim pengaduan lagi."


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


# --- the stamp on its own ------------------------------------------------------------------------

def test_stamp_is_accepted_between_the_minimum_and_the_maximum_age():
    now = time.time()
    assert spam.stamp_ok(spam.stamp_new(at=now - spam.MIN_SECONDS - 1))
    assert spam.stamp_ok(spam.stamp_new(at=now - spam.MAX_AGE_SECONDS + 60))
    assert not spam.stamp_ok(spam.stamp_new(at=now))  # too fast
    assert not spam.stamp_ok(spam.stamp_new(at=now + 600))  # from the future
    assert not spam.stamp_ok(spam.stamp_new(at=now - spam.MAX_AGE_SECONDS - 60))  # expired


def test_the_limits_are_module_constants(monkeypatch):
    now = time.time()
    monkeypatch.setattr(spam, "MIN_SECONDS", 0)
    assert spam.stamp_ok(spam.stamp_new(at=now))
    monkeypatch.setattr(spam, "MIN_SECONDS", 30)
    assert not spam.stamp_ok(spam.stamp_new(at=now - 20))
    monkeypatch.setattr(spam, "MAX_AGE_SECONDS", 100)
    assert not spam.stamp_ok(spam.stamp_new(at=now - 200))
    assert spam.stamp_ok(spam.stamp_new(at=now - 50))


# Stable ids: a signed value holds the time, and pytest-xdist's workers must collect the same ids.
@pytest.mark.parametrize("value", [
    None, "", "pengaduan", "garbage:with:colons", 12345,
    pytest.param(signing.dumps("pengaduan"), id="signed-by-another-signer"),
    pytest.param(signing.TimestampSigner(salt="another-form").sign("pengaduan"), id="another-salt"),
    pytest.param(signing.TimestampSigner(salt="loket.complaints.public-form").sign("lainnya"), id="another-kind"),
])
def test_anything_but_our_stamp_is_refused(value):
    assert not spam.stamp_ok(value)


def test_a_tampered_stamp_is_refused():
    good = spam.stamp_new(at=time.time() - 60)
    value, stamp, signature = good.split(":")
    older = signing.b62_encode(signing.b62_decode(stamp) - 1)
    assert spam.stamp_ok(good)
    assert not spam.stamp_ok(f"{value}:{older}:{signature}")
    assert not spam.stamp_ok(good[:-1] + ("A" if good[-1] != "A" else "B"))


def test_honeypot():
    assert not spam.honeypot_filled({})
    assert not spam.honeypot_filled({spam.HONEYPOT_FIELD: "  "})
    assert spam.honeypot_filled({spam.HONEYPOT_FIELD: "http://spam.example"})


# --- through the form ---------------------------------------------------------------------------

def test_a_valid_post_passes_all_three(client, office):
    r = client.post(form_url(office), form_data())
    assert r.status_code in (302, 303) and counts() == (1, 1, 0)


def test_honeypot_filled_is_refused(client, office):
    r = client.post(form_url(office), form_data(**{spam.HONEYPOT_FIELD: "http://murah.example"}))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Pengaduan tidak dapat diterima." in page
    assert "Antrean loket KTP-el" in page  # a person whose browser filled it loses nothing
    assert "http://murah.example" not in page  # the honeypot comes back empty
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("stamp", [
    pytest.param(None, id="missing"),
    pytest.param("pengaduan:1xWHom:forged-signature", id="forged"),
    pytest.param(lambda: spam.stamp_new(), id="too-fast"),
    pytest.param(lambda: spam.stamp_new(at=time.time() - 2 * 60 * 60 - 5), id="expired"),
])
def test_bad_stamp_is_refused(client, office, stamp):
    value = stamp() if callable(stamp) else stamp
    r = client.post(form_url(office), form_data(**{spam.STAMP_FIELD: value}))
    assert r.status_code == 400
    page = r.content.decode()
    assert EXPIRED_OR_FAST in page
    assert "Antrean loket KTP-el" in page
    # a fresh stamp (of now) comes with the page, so the person can send again
    fresh = page.split(f'name="{spam.STAMP_FIELD}" value="')[1].split('"')[0]
    assert signing.TimestampSigner(salt="loket.complaints.public-form").unsign(fresh, max_age=5) == "pengaduan"
    assert counts() == (0, 0, 0)


def test_minimum_can_be_switched_off_for_tests(client, office, monkeypatch):
    monkeypatch.setattr(spam, "MIN_SECONDS", 0)
    r = client.post(form_url(office), form_data(**{spam.STAMP_FIELD: spam.stamp_new()}))
    assert r.status_code in (302, 303) and counts() == (1, 1, 0)


def test_the_sixth_submission_in_the_window_is_429(client, office, frozen_clock):
    stamp = spam.stamp_new(at=frozen_clock["t"] - 60)
    for i in range(spam.SUBMISSIONS_LIMIT):
        r = client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp}))
        assert r.status_code in (302, 303), i
    r = client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp}))
    assert r.status_code == 429
    page = r.content.decode()
    assert "Terlalu banyak pengaduan dikirim dari alamat internet ini. Tunggu 10 menit, lalu kirim lagi." in page
    assert "Antrean loket KTP-el" in page  # kept, to send later
    assert counts() == (5, 5, 0)
    # another address is not affected; the same one is again after the window
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp}), REMOTE_ADDR="198.51.100.9").status_code in (302, 303)
    frozen_clock["t"] += spam.SUBMISSIONS_WINDOW
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: spam.stamp_new(at=frozen_clock["t"] - 60)})).status_code in (302, 303)
    assert Complaint.objects.count() == 7


def test_only_accepted_filings_count_against_the_address(client, office, frozen_clock, monkeypatch):
    """Citizens behind one shared address (a kelurahan office, a campus) are not shut out by
    someone else's refused filings: honeypot, bad stamp, bad input and 429s give their place back."""
    monkeypatch.setattr(spam, "SUBMISSIONS_LIMIT", 2)
    stamp = spam.stamp_new(at=frozen_clock["t"] - 60)
    for _ in range(5):
        assert client.post(form_url(office), form_data(**{spam.HONEYPOT_FIELD: "x"})).status_code == 400
        assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: "x"})).status_code == 400
        assert client.post(form_url(office), form_data(text="", **{spam.STAMP_FIELD: stamp})).status_code == 400
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code in (302, 303)
    assert client.post(form_url(office), form_data(text="", **{spam.STAMP_FIELD: stamp})).status_code == 400
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code in (302, 303)
    for _ in range(3):  # over the limit now; the refusals do not push the count further up
        assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code == 429
    assert counts() == (2, 2, 0)
    frozen_clock["t"] += spam.SUBMISSIONS_WINDOW  # the next window starts from nothing
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: spam.stamp_new(at=frozen_clock["t"] - 60)})).status_code in (302, 303)


def test_a_filing_that_fails_on_an_error_gives_the_place_back(office, frozen_clock, monkeypatch):
    client = Client(raise_request_exception=False)
    monkeypatch.setattr(spam, "SUBMISSIONS_LIMIT", 1)
    real = spam_services.complaint_file_public

    def broken(**kw):
        raise OSError("disk penuh")

    monkeypatch.setattr(spam_services, "complaint_file_public", broken)
    stamp = spam.stamp_new(at=frozen_clock["t"] - 60)
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code == 500
    monkeypatch.setattr(spam_services, "complaint_file_public", real)
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code in (302, 303)
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code == 429
    assert counts() == (1, 1, 0)


def test_api_filings_refused_for_their_input_do_not_count(client, office, frozen_clock, monkeypatch):
    monkeypatch.setattr(spam, "SUBMISSIONS_LIMIT", 2)
    url = f"/api/v1/complaints/?office={office.slug}"
    body = {k: v for k, v in form_data().items() if k not in (spam.STAMP_FIELD, spam.HONEYPOT_FIELD)}
    for _ in range(4):
        assert client.post(url, {**body, "text": ""}, content_type="application/json").status_code == 400
        assert client.post(url, {**body, "kind": "gosip"}, content_type="application/json").status_code == 400
        assert client.post("/api/v1/complaints/?office=tidak-ada", body, content_type="application/json").status_code == 404
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert client.post(url, body, content_type="application/json").status_code == 201
    assert client.post(url, body, content_type="application/json").status_code == 429
    assert counts() == (2, 2, 0)


def test_the_limit_uses_the_configured_window(client, office, frozen_clock, monkeypatch):
    monkeypatch.setattr(spam, "SUBMISSIONS_LIMIT", 1)
    monkeypatch.setattr(spam, "SUBMISSIONS_WINDOW", 60)
    stamp = spam.stamp_new(at=frozen_clock["t"] - 60)
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code in (302, 303)
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code == 429
    frozen_clock["t"] += 60
    assert client.post(form_url(office), form_data(**{spam.STAMP_FIELD: stamp})).status_code in (302, 303)


def test_the_web_form_and_the_api_share_one_bucket(client, office, frozen_clock):
    """A bot cannot get around the web form's limit by posting to the public API, nor the other way round."""
    body = {k: v for k, v in form_data().items() if k not in (spam.STAMP_FIELD, spam.HONEYPOT_FIELD)}
    for _ in range(spam.SUBMISSIONS_LIMIT):
        assert client.post(f"/api/v1/complaints/?office={office.slug}", body, content_type="application/json").status_code == 201
    r = client.post(form_url(office), form_data(**{spam.STAMP_FIELD: spam.stamp_new(at=frozen_clock["t"] - 60)}))
    assert r.status_code == 429
    assert counts() == (spam.SUBMISSIONS_LIMIT, spam.SUBMISSIONS_LIMIT, 0)
