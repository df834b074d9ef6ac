"""The public SKM form reached from the QR of a dossier's receipt: one response per handed-over
dossier, every answer 1–4 or empty, spam checks of the complaint form, rate-limited, and never
the applicant's name or NIK on the page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from loket.complaints import spam
from loket.core import ratelimit
from loket.dossiers.models import Dossier
from loket.surveys import services
from loket.surveys.ikm import ELEMENTS, KEYS
from loket.surveys.models import Response
from tests.factories import applicant_data
from tests.support.surveys import form_answers as _post, handed_over as _handed_over, taken_in as _taken_in
from loket.core.errors import InvalidInput, WrongState

ANSWERS = dict(zip(KEYS, [4, 3, 3, 4, 2, 4, 4, 1, 3]))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(office, people, all_items):
    return _handed_over(office, people, all_items)


def _url(code):
    return reverse("surveys:form", kwargs={"code": code})


def test_the_form_shows_the_nine_elements_with_the_regulation_wording(client, dossier):
    r = client.get(_url(dossier.code))
    assert r.status_code == 200
    page = r.content.decode()
    assert page.count("<fieldset class=\"skm-element") == 9
    for i, (key, name, labels) in enumerate(ELEMENTS, 1):
        assert f"<legend>{i}. {name}</legend>" in page
        for value, label in enumerate(labels, 1):
            assert f'id="{key}-{value}" value="{value}"' in page
            assert f"<span>{label}</span>" in page
    assert "skm-option" in page and "loket/skm.css" in page
    assert spam.STAMP_FIELD in page and spam.HONEYPOT_FIELD in page


def test_the_page_never_shows_the_applicants_name_or_nik(client, dossier):
    applicant = applicant_data()
    for r in (client.get(_url(dossier.code)), client.post(_url(dossier.code), _post(persyaratan="9"))):
        page = r.content.decode()
        assert applicant["name"] not in page
        assert applicant["nik"] not in page and applicant["kk_number"] not in page


def test_a_valid_post_saves_one_response_and_thanks(client, dossier):
    r = client.post(_url(dossier.code), _post())
    assert r.status_code == 302 and r["Location"] == _url(dossier.code) + "?terima-kasih=1"
    resp = Response.objects.get()
    assert resp.answers() == ANSWERS
    assert (resp.dossier_id, resp.office_id, resp.service_id, resp.unit_id) == (
        dossier.pk, dossier.office_id, dossier.service_id, dossier.unit_id)
    assert resp.source == Response.Source.FORM
    assert (resp.sex, resp.age, resp.education, resp.occupation, resp.suggestion) == (
        "P", 34, "SMA", "Wiraswasta", "Antrean sudah cepat.")
    assert resp.created_by is None
    page = client.get(r["Location"]).content.decode()
    assert "Terima kasih! Jawaban Anda sudah kami terima" in page and "skm-form" not in page
    assert f'href="/{dossier.office.slug}/ikm/"' in page  # where the results are published
    # opened again later (from the receipt): already filled, no second thank-you
    again = client.get(_url(dossier.code)).content.decode()
    assert "Survei untuk berkas ini sudah diisi. Terima kasih." in again and "skm-form" not in again
    # the thank-you is only for an answered dossier: the parameter cannot open a form that is not
    assert "skm-form" not in client.get(_url(dossier.code) + "?terima-kasih=1").content.decode()


def test_a_posted_date_is_ignored_the_response_is_dated_today(client, dossier):
    # The form takes no date (survey dates are bounded: importer.DATE_MIN to today, Asia/Jakarta).
    assert client.post(_url(dossier.code), _post(tanggal="2099-01-01")).status_code == 302
    assert Response.objects.get().date == timezone.localdate()


def test_a_second_post_is_refused(client, dossier):
    assert client.post(_url(dossier.code), _post()).status_code == 302
    r = client.post(_url(dossier.code), _post(persyaratan="1"))
    assert r.status_code == 409
    assert "Survei untuk berkas ini sudah diisi. Terima kasih." in r.content.decode()
    assert Response.objects.count() == 1 and Response.objects.get().persyaratan == ANSWERS["persyaratan"]
    with pytest.raises(WrongState, match="sudah diisi"):
        services.response_submit(dossier_code=dossier.code, data=_post())


def test_some_elements_may_be_left_empty(client, dossier):
    r = client.post(_url(dossier.code), _post(biaya="", pengaduan="", umur="", jenis_kelamin="", saran=""))
    assert r.status_code == 302
    resp = Response.objects.get()
    assert resp.biaya is None and resp.pengaduan is None and resp.persyaratan == 4
    assert resp.age is None and resp.sex == ""


def test_a_dossier_not_handed_over_gets_no_form_and_nothing_is_saved(client, office, people, all_items):
    d = _taken_in(office, people, all_items)
    r = client.get(_url(d.code))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Survei dapat diisi setelah berkas diserahkan." in page
    assert "<form method=\"post\" class=\"skm-form\"" not in page and "skm-element" not in page
    r = client.post(_url(d.code), _post())
    assert r.status_code == 409
    assert "Survei dapat diisi setelah berkas diserahkan." in r.content.decode()
    assert not Response.objects.exists()
    with pytest.raises(WrongState, match="setelah berkas diserahkan"):
        services.response_submit(dossier_code=d.code, data=_post())


@pytest.mark.parametrize("bad", ["5", "x", "0", "3.0"])
def test_answers_outside_1_to_4_are_refused(client, dossier, bad):
    r = client.post(_url(dossier.code), _post(waktu=bad))
    assert r.status_code == 400
    assert "Jawaban unsur Waktu penyelesaian harus salah satu dari empat pilihan (1–4)." in r.content.decode()
    assert not Response.objects.exists()


def test_nothing_answered_is_refused(client, dossier):
    r = client.post(_url(dossier.code), _post(**{k: "" for k in KEYS}))
    assert r.status_code == 400
    assert "Isi paling sedikit satu unsur survei." in r.content.decode()
    assert not Response.objects.exists()


def test_bad_profile_fields_are_refused_with_their_messages(dossier):
    with pytest.raises(InvalidInput) as exc:
        services.response_submit(dossier_code=dossier.code, data=_post(
            jenis_kelamin="X", umur="9", pendidikan="S" * 101, pekerjaan="P" * 101, saran="s" * 2001))
    assert set(exc.value.errors) == {"jenis_kelamin", "umur", "pendidikan", "pekerjaan", "saran"}
    assert not Response.objects.exists()
    for age in ("-5", "abc", "121"):
        with pytest.raises(InvalidInput) as exc:
            services.response_submit(dossier_code=dossier.code, data=_post(umur=age))
        assert list(exc.value.errors) == ["umur"]
    saved = services.response_submit(dossier_code=dossier.code, data=_post(umur="120", jenis_kelamin="l"))
    assert (saved.age, saved.sex) == (120, "L")


def test_an_unknown_dossier_raises_does_not_exist(db):
    with pytest.raises(Dossier.DoesNotExist, match="tidak ditemukan"):
        services.response_submit(dossier_code="ABCD-EFGH", data=_post())


def test_honeypot_filled_is_refused_and_nothing_saved(client, dossier):
    r = client.post(_url(dossier.code), _post(**{spam.HONEYPOT_FIELD: "http://spam"}))
    assert r.status_code == 400 and "Survei tidak dapat diterima." in r.content.decode()
    assert not Response.objects.exists()


def test_a_stamp_too_fresh_or_missing_is_refused(client, dossier):
    for stamp in (spam.stamp_new(), "", "rusak"):
        r = client.post(_url(dossier.code), _post(**{spam.STAMP_FIELD: stamp}))
        assert r.status_code == 400 and "tekan Kirim survei lagi" in r.content.decode()
    assert not Response.objects.exists()


def test_an_unknown_code_is_404(client, db):
    assert client.get(_url("ABCDEFGH")).status_code == 404
    assert client.post(_url("ABCDEFGH"), _post()).status_code == 404
    assert not Response.objects.exists()


def test_rate_limited_per_client_after_the_limit(client, dossier, monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_000.0)  # one window for the whole test
    for _ in range(ratelimit.PUBLIC_LOOKUPS_PER_MINUTE):
        assert client.get(_url(dossier.code)).status_code == 200
    r = client.get(_url(dossier.code))
    assert r.status_code == 429
    assert "Terlalu banyak permintaan" in r.content.decode()
    assert client.get(_url("ABCDEFGH")).status_code == 429
    assert client.get(_url(dossier.code), REMOTE_ADDR="203.0.113.7").status_code == 200


def test_the_tracking_page_of_a_handed_over_dossier_leads_to_the_survey(client, dossier):
    page = client.get(f"/lacak/{dossier.code}/").content.decode()
    assert f'href="/skm/{dossier.code}/"' in page


@pytest.mark.django_db(transaction=True)
def test_ten_phones_sending_for_one_dossier_at_once_store_one_response(office, people, all_items):
    """The receipt's QR scanned by the family, all sending at the same moment: one response is
    stored, the others are told it is already filled (the dossier row lock; the unique key)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL; SQLite serialises writers anyway")
    d = _handed_over(office, people, all_items)
    n = 10
    barrier = threading.Barrier(n)
    stored, refused, errors = [], [], []

    def phone(i):
        try:
            barrier.wait()
            stored.append(services.response_submit(dossier_code=d.code, data=_post(persyaratan=str(1 + i % 4))).pk)
        except WrongState as exc:
            refused.append(str(exc))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(stored) == 1 and len(refused) == n - 1
    assert all("sudah diisi" in m for m in refused)
    assert Response.objects.filter(dossier=d).count() == 1
