"""Tracking and verification codes cannot be enumerated.

- The code space: 8 symbols of a 32-symbol alphabet (2^40) for tracking, 12 (2^60) for
  verification, drawn by ``secrets``.
- The public look-ups by code — the tracking page /lacak/<code>/, the verification page
  /verifikasi/<code>/, and the API's /api/v1/track/{code}/ and /api/v1/verify/{code}/ — are
  rate-limited per client IP (loket/core/ratelimit.py: PUBLIC_LOOKUPS_PER_MINUTE in a fixed
  one-minute window, keyed on "<scope>:<REMOTE_ADDR>", scope "track" or "verify"; the web
  page and the API of one scope share one bucket). Hits and misses count alike; over the limit
  the answer is 429 with an Indonesian message, for a real code as for a made-up one; another
  REMOTE_ADDR is not affected, and a forged X-Forwarded-For does not get around the limit.
- An unknown code answers 404 (not 200 with no data), in the same shape as a hit's page (the
  web) or as every API error ({"detail": …}); a malformed code answers the same 404.
- Staff of another office learn nothing about a code that is not theirs: every staff URL that
  takes a code answers an existing code of another office exactly as an unknown code.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache

from loket.api.models import ApiToken
from loket.core import ratelimit
from loket.core import codes
from loket.dossiers import services
from loket.dossiers.models import Dossier, Transition
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import staff_create
from tests.factories import applicant_data

S = Dossier.State
LIMIT = ratelimit.PUBLIC_LOOKUPS_PER_MINUTE
WEB_429 = ["Terlalu banyak permintaan", "Silakan tunggu satu menit, lalu coba lagi."]
API_429 = "Terlalu banyak permintaan; coba lagi sebentar lagi."


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_clock(monkeypatch):
    """The window is int(time.time() // 60): a test must not straddle a minute boundary."""
    now = {"t": 1_800_000_000.0}  # the start of a minute (1_800_000_000 % 60 == 0)
    monkeypatch.setattr(ratelimit.time, "time", lambda: now["t"])
    return now


def _registered(office, people, items) -> Dossier:
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                actor=people["front"], present=items, originals=items)
    for act, role in [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")]:
        getattr(services, f"dossier_{act}")(code=d.code, actor=people[role])
    return Dossier.objects.get(pk=d.pk)


# --- the code space --------------------------------------------------------------------------

def test_alphabet_and_lengths_give_at_least_2_to_the_40():
    assert len(codes.ALPHABET) == 32 and len(set(codes.ALPHABET)) == 32
    assert not set("01OI") & set(codes.ALPHABET)
    assert set(codes.ALPHABET) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    tracking_bits = codes.TRACKING_LENGTH * math.log2(len(codes.ALPHABET))
    verification_bits = codes.VERIFICATION_LENGTH * math.log2(len(codes.ALPHABET))
    assert codes.TRACKING_LENGTH == 8 and tracking_bits == 40
    assert codes.VERIFICATION_LENGTH == 12 and verification_bits == 60
    assert len(codes.ALPHABET) ** codes.TRACKING_LENGTH >= 2 ** 40
    assert len(codes.ALPHABET) ** codes.VERIFICATION_LENGTH >= 2 ** 40


def test_guessing_at_the_rate_limit_is_hopeless():
    """One IP guessing at the limit, all year, against 10 000 codes in circulation, expects to
    find fewer than 0.1 of them (a botnet multiplies this by its number of addresses)."""
    guesses_per_year = LIMIT * 60 * 24 * 365
    assert LIMIT <= 20
    assert guesses_per_year * 10_000 / 32 ** codes.TRACKING_LENGTH < 0.1


def test_codes_come_from_the_os_random_source(monkeypatch):
    import secrets

    calls = []
    real = secrets.choice
    monkeypatch.setattr(codes.secrets, "choice", lambda seq: calls.append(seq) or real(seq))
    assert codes.secrets is secrets
    code = codes.new_tracking_code()
    assert len(calls) == codes.TRACKING_LENGTH and set(calls) == {codes.ALPHABET}
    assert re.fullmatch(f"[{codes.ALPHABET}]{{8}}", code)


def test_issued_codes_have_the_full_length_and_alphabet(office, people, all_items):
    d = _registered(office, people, all_items)
    assert re.fullmatch(f"[{codes.ALPHABET}]{{{codes.TRACKING_LENGTH}}}", d.code)
    assert re.fullmatch(f"[{codes.ALPHABET}]{{{codes.VERIFICATION_LENGTH}}}", d.verification_code)
    sample = {codes.new_tracking_code() for _ in range(2000)}
    assert len(sample) == 2000  # no visible bias or repetition
    assert set("".join(sample)) == set(codes.ALPHABET)


# --- rate limit ----------------------------------------------------------------------------

# (URL with a slot for the code, rate-limit scope, web or api, which kind of code it looks up)
ENDPOINTS = [
    pytest.param("/lacak/{}/", "track", "web", "tracking", id="web-track"),
    pytest.param("/verifikasi/{}/", "verify", "web", "verification", id="web-verify"),
    pytest.param("/api/v1/track/{}/", "track", "api", "tracking", id="api-track"),
    pytest.param("/api/v1/verify/{}/", "verify", "api", "verification", id="api-verify"),
]
UNKNOWN = {"tracking": "ZZZZZZZZ", "verification": "ZZZZZZZZZZZZ"}


def _real(d: Dossier, which: str) -> str:
    return d.code if which == "tracking" else d.verification_code


def _assert_429(resp, kind):
    assert resp.status_code == 429, resp.status_code
    if kind == "api":
        assert resp.json() == {"detail": API_429}
    else:
        page = resp.content.decode()
        assert all(text in page for text in WEB_429), page[:500]
        assert "Siti" not in page and "Aminah" not in page


@pytest.mark.parametrize("url,scope,kind,which", ENDPOINTS)
def test_hits_and_misses_both_count_then_429_for_both(url, scope, kind, which, client, office, people, all_items,
                                                      frozen_clock):
    d = _registered(office, people, all_items)
    real, unknown = _real(d, which), UNKNOWN[which]
    statuses = [client.get(url.format(real if i % 2 else unknown)).status_code for i in range(LIMIT)]
    assert statuses == [404, 200] * (LIMIT // 2)
    # over the limit, a real code and a made-up one answer alike: nothing tells them apart
    _assert_429(client.get(url.format(real)), kind)
    _assert_429(client.get(url.format(unknown)), kind)
    # and an English browser still reads Indonesian
    _assert_429(client.get(url.format(unknown), HTTP_ACCEPT_LANGUAGE="en"), kind)


@pytest.mark.parametrize("url,scope,kind,which", ENDPOINTS)
def test_limit_is_per_client_ip(url, scope, kind, which, client, office, people, all_items, frozen_clock, settings):
    settings.LOKET_BEHIND_PROXY = False  # the default: no proxy of ours, so X-Forwarded-For is the client's word
    d = _registered(office, people, all_items)
    real = _real(d, which)
    for _ in range(LIMIT):
        client.get(url.format(UNKNOWN[which]), REMOTE_ADDR="203.0.113.7")
    _assert_429(client.get(url.format(real), REMOTE_ADDR="203.0.113.7"), kind)
    # another address is untouched
    assert client.get(url.format(real), REMOTE_ADDR="198.51.100.9").status_code == 200
    # a forged X-Forwarded-For does not make the blocked address a new one
    _assert_429(client.get(url.format(real), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.77"), kind)
    # the bucket is the IP's and the scope's, exactly as ratelimit.py keys it
    bucket = f"rl:{scope}:203.0.113.7:{int(frozen_clock['t'] // 60)}"
    assert cache.get(bucket) == LIMIT + 2


@pytest.mark.parametrize("url,scope,kind,which", ENDPOINTS)
def test_the_next_minute_opens_again(url, scope, kind, which, client, office, people, all_items, frozen_clock):
    d = _registered(office, people, all_items)
    for _ in range(LIMIT + 1):
        last = client.get(url.format(UNKNOWN[which]))
    _assert_429(last, kind)
    frozen_clock["t"] += 60
    assert client.get(url.format(_real(d, which))).status_code == 200


def test_web_page_and_api_share_one_bucket_per_scope(client, office, people, all_items, frozen_clock):
    d = _registered(office, people, all_items)
    for i in range(LIMIT):
        client.get(f"/lacak/ZZZZZZZ{i % 8 + 2}/" if i % 2 else f"/api/v1/track/ZZZZZZZ{i % 8 + 2}/")
    _assert_429(client.get(f"/api/v1/track/{d.code}/"), "api")
    _assert_429(client.get(f"/lacak/{d.code}/"), "web")
    # the verification scope is a bucket of its own
    assert client.get(f"/api/v1/verify/{d.verification_code}/").status_code == 200
    assert client.get(f"/verifikasi/{d.verification_code}/").status_code == 200


def test_the_lookup_form_redirect_is_not_a_way_around(client, office, people, all_items, frozen_clock):
    """/lacak/?kode=… only redirects to /lacak/<code>/, which counts."""
    for _ in range(LIMIT):
        client.get("/lacak/", {"kode": "zzzz-zzzz"}, follow=True)
    r = client.get("/lacak/", {"kode": "zzzz-zzzz"}, follow=True)
    assert r.redirect_chain[-1][0] == "/lacak/ZZZZZZZZ/"
    _assert_429(r, "web")


# --- what an unknown code answers --------------------------------------------------------

MALFORMED = ["0000OOOO", "IIII1111", "abc", "A" * 40, "ZZZZ-ZZZZ", "<script>"]


def test_unknown_tracking_code_web_is_404_with_the_form_and_nothing_else(client, office, people, all_items):
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                actor=people["front"], present=all_items, originals=all_items)
    hit = client.get(f"/lacak/{d.code}/")
    assert hit.status_code == 200
    for code in ["ZZZZZZZZ", d.code[:-1] + ("2" if d.code[-1] != "2" else "3"), *MALFORMED]:
        miss = client.get(f"/lacak/{code}/")
        assert miss.status_code == 404, code
        page = miss.content.decode()
        assert 'name="kode"' in page  # the same page, its form to try again
        assert "Kode lacak tidak ditemukan" in page
        assert "Kecamatan Contoh</dd>" not in page and "Diterima" not in page
        assert "<script>" not in page  # the echoed code is escaped
        cache.clear()


def test_unknown_verification_code_web_is_404_saying_possibly_forged(client, office, people, all_items):
    d = _registered(office, people, all_items)
    assert client.get(f"/verifikasi/{d.verification_code}/").status_code == 200
    for code in ["ZZZZZZZZZZZZ", d.code, *MALFORMED]:  # a tracking code is not a verification code
        miss = client.get(f"/verifikasi/{code}/")
        assert miss.status_code == 404, code
        page = miss.content.decode()
        assert "Tidak ada dokumen terdaftar dengan kode ini" in page
        assert "S*** A*****" not in page and d.register_entry.number_display not in page


@pytest.mark.parametrize("path,message", [
    ("/api/v1/track/{}/", "Kode lacak tidak ditemukan."),
    ("/api/v1/verify/{}/", "Dokumen dengan kode verifikasi ini tidak terdaftar: kemungkinan palsu."),
])
def test_unknown_code_api_is_404_with_one_fixed_body(path, message, client, office, people, all_items):
    d = _registered(office, people, all_items)
    other_kind = d.verification_code if "track" in path else d.code
    bodies = set()
    for code in ["ZZZZZZZZ", "ZZZZZZZZZZZZ", other_kind, *MALFORMED[:-1]]:
        r = client.get(path.format(code))
        assert r.status_code == 404, code
        assert r.json() == {"detail": message}
        bodies.add(r.content)
    assert len(bodies) == 1  # the body never depends on the code asked for


# --- another office's codes ------------------------------------------------------------------

@pytest.fixture
def other(office, tmp_path):
    """A second kecamatan (the mini standard under another slug and region), with its staff."""
    from loket.catalog.services import standard_load
    from tests.conftest import MINI_STANDARD

    text = Path(MINI_STANDARD).read_text(encoding="utf-8")
    text = text.replace('slug: "contoh"', 'slug: "lain"').replace("35.77.09", "35.77.10")
    text = text.replace("Kecamatan Contoh", "Kecamatan Lain")
    path = tmp_path / "lain.yaml"
    path.write_text(text, encoding="utf-8")
    office2 = standard_load(path=path).office
    pem = Unit.objects.get(office=office2, code="pemerintahan")
    make = lambda username, role, unit=None: staff_create(
        office=office2, username=username, role=role, unit=unit, password="x-Pass-12345", full_name=username.title()
    ).user
    return {
        "front": make("petugas.lain", Role.FRONT_OFFICE),
        "kasi": make("kasi.pem.lain", Role.KASI, pem),
        "camat": make("camat.lain", Role.CAMAT),
    }


UNKNOWN_CODE = "ZZZZZZZZ"


def _same_but_code(a: bytes, b: bytes, code_a: str, code_b: str) -> None:
    """Two answers that differ only where each echoes the code it was asked about."""
    def scrub(body: bytes, code: str) -> str:
        text = body.decode()
        for form in {code, codes.display(code), code.lower()}:
            text = text.replace(form, "<CODE>")
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)  # masked anew on every response
    assert scrub(a, code_a) == scrub(b, code_b)


@pytest.mark.parametrize("who", ["front", "kasi", "camat"])
def test_api_answers_another_offices_code_as_unknown(who, client, office, people, all_items, other):
    d = _registered(office, people, all_items)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=other[who], name='lain')[1]}"}
    before = Transition.objects.filter(dossier=d).count()
    theirs = client.get(f"/api/v1/dossiers/{d.code}/", **auth)
    unknown = client.get(f"/api/v1/dossiers/{UNKNOWN_CODE}/", **auth)
    assert theirs.status_code == unknown.status_code == 404
    _same_but_code(theirs.content, unknown.content, d.code, UNKNOWN_CODE)
    for action in ["forward", "return", "initial", "sign", "register", "handover", "resubmit"]:
        theirs = client.post(f"/api/v1/dossiers/{d.code}/{action}/", {"reason": "x"}, content_type="application/json", **auth)
        unknown = client.post(f"/api/v1/dossiers/{UNKNOWN_CODE}/{action}/", {"reason": "x"},
                              content_type="application/json", **auth)
        # 404 before 403/409: neither the role check nor the state check is reached
        assert theirs.status_code == unknown.status_code == 404, (action, theirs.content)
        _same_but_code(theirs.content, unknown.content, d.code, UNKNOWN_CODE)
    assert Transition.objects.filter(dossier=d).count() == before


@pytest.mark.parametrize("who", ["front", "kasi", "camat"])
def test_staff_screens_answer_another_offices_code_as_unknown(who, client, office, people, all_items, other):
    d = _registered(office, people, all_items)
    before = Transition.objects.filter(dossier=d).count()
    client.force_login(other[who])
    urls = ["/staf/berkas/{}/", "/staf/berkas/{}/tanda-terima.pdf", "/staf/berkas/{}/slip-pengembalian.pdf",
            "/staf/berkas/{}/stempel-verifikasi.pdf"]
    for url in urls:
        theirs, unknown = client.get(url.format(d.code)), client.get(url.format(UNKNOWN_CODE))
        assert theirs.status_code == unknown.status_code == 404, url
        _same_but_code(theirs.content, unknown.content, d.code, UNKNOWN_CODE)
    for action in ["forward", "return", "initial", "sign", "register", "handover", "resubmit"]:
        theirs = client.post(f"/staf/berkas/{d.code}/{action}/", {"reason": "x"})
        unknown = client.post(f"/staf/berkas/{UNKNOWN_CODE}/{action}/", {"reason": "x"})
        assert theirs.status_code == unknown.status_code == 404, action
        _same_but_code(theirs.content, unknown.content, d.code, UNKNOWN_CODE)
    # the search echoes the query, and otherwise answers as for an unknown code
    for q in [d.code, d.code.lower(), codes.display(d.code)]:
        theirs = client.get("/staf/berkas/cari/", {"q": q})
        unknown = client.get("/staf/berkas/cari/", {"q": q.replace(d.code, UNKNOWN_CODE).replace(
            d.code.lower(), UNKNOWN_CODE.lower()).replace(codes.display(d.code), codes.display(UNKNOWN_CODE))})
        _same_but_code(theirs.content, unknown.content, d.code, UNKNOWN_CODE)
    for q in [applicant_data()["nik"], "Aminah"]:
        page = client.get("/staf/berkas/cari/", {"q": q}).content.decode()
        assert d.code not in page and codes.display(d.code) not in page, q
    assert Transition.objects.filter(dossier=d).count() == before


def _signature_messages(client, code):
    r = client.post("/staf/tanda-tangan/", {"code": [code]}, follow=True)  # shown, hence consumed
    assert r.redirect_chain and r.redirect_chain[-1][1] == 302
    return [str(m) for m in r.context["messages"]]


@pytest.mark.parametrize("who", ["camat"])
def test_bulk_signature_answers_another_offices_code_as_unknown(who, client, office, people, all_items, other):
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                actor=people["front"], present=all_items, originals=all_items)
    services.dossier_forward(code=d.code, actor=people["front"])
    services.dossier_initial(code=d.code, actor=people["kasi"])  # waiting for a signature
    client.force_login(other[who])
    theirs = _signature_messages(client, d.code)
    unknown = _signature_messages(client, UNKNOWN_CODE)
    assert Dossier.objects.get(pk=d.pk).state == S.INITIALLED  # never signed: that part holds
    scrub = lambda ms, code: [m.replace(codes.display(code), "<CODE>").replace(code, "<CODE>") for m in ms]
    assert scrub(theirs, d.code) == scrub(unknown, UNKNOWN_CODE)


def test_public_lookups_do_not_depend_on_the_office_asked_from(client, office, people, all_items, other):
    """The public pages have no office in their address: a code is found wherever it was issued,
    and answers the same for every caller (staff of another office, the public)."""
    d = _registered(office, people, all_items)
    drop = lambda body: {k: v for k, v in body.items() if k != "elapsed_minutes"}  # the clock runs
    anon = drop(client.get(f"/api/v1/track/{d.code}/").json())
    client.force_login(other["front"])
    assert drop(client.get(f"/api/v1/track/{d.code}/").json()) == anon
    assert anon["office"] == "Kecamatan Contoh"
