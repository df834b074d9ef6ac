"""The SKM kiosk /staf/skm/kios/: a tablet at the counter opened by a clerk of a collecting role.
One response per submit (source kiosk, the clerk recorded), PRG to a thank-you with a blank
form, refused answers re-shown with their messages and nothing saved; a page of its own with no
way out of the survey, not cached, and kiosk.js (timings in data-* attributes) for the resets."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from loket.surveys import staff_views
from loket.surveys.ikm import ELEMENTS, KEYS
from loket.surveys.models import Response
from tests.support.surveys import kiosk_answers as _post

URL = "/staf/skm/kios/"
ANSWERS = dict(zip(KEYS, [4, 3, 3, 4, 2, 4, 4, 1, 3]))


def test_the_url_is_the_named_one():
    assert reverse("surveys_staff:kiosk") == URL


@pytest.mark.parametrize("who", ["front", "sekcam", "camat", "admin"])
def test_collecting_roles_open_the_kiosk(client, people, who):
    client.force_login(people[who])
    r = client.get(URL)
    assert r.status_code == 200
    assert "Survei Kepuasan Masyarakat" in r.content.decode()


@pytest.mark.parametrize("who", ["kasi", "kasi_other", "bendahara", "ppat"])
def test_other_roles_get_403(client, people, who):
    client.force_login(people[who])
    assert client.get(URL).status_code == 403
    assert client.post(URL, _post()).status_code == 403
    assert not Response.objects.exists()


def test_anonymous_goes_to_the_login(client, db):
    r = client.get(URL)
    assert r.status_code == 302 and r["Location"].startswith("/masuk/?next=")
    r = client.post(URL, _post())
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")
    assert not Response.objects.exists()


def test_the_page_shows_the_office_the_services_and_the_nine_elements(client, office, people):
    client.force_login(people["front"])
    page = client.get(URL).content.decode()
    assert office.name in page
    assert "<h1>Survei Kepuasan Masyarakat</h1>" in page
    assert "— pilih layanan yang Anda terima —" in page
    assert '<option value="pindah">' in page and '<option value="sewa-gedung">' in page
    assert page.count('<fieldset class="skm-element') == 9
    for i, (key, name, labels) in enumerate(ELEMENTS, 1):
        assert f"<legend>{i}. {name}</legend>" in page
        for value, label in enumerate(labels, 1):
            assert f'id="{key}-{value}" value="{value}"' in page and f"<span>{label}</span>" in page
    for field in ("jenis_kelamin", "umur", "pendidikan", "pekerjaan", "saran"):
        assert f'name="{field}"' in page
    assert ">Kirim</button>" in page
    assert 'autocomplete="off"' in page
    assert "Terima kasih" not in page


def test_the_kiosk_offers_no_way_out_and_no_staff_names(client, people):
    client.force_login(people["front"])
    page = client.get(URL).content.decode()
    assert "staffnav" not in page
    for name in ("dossiers:today", "dossiers:intake", "registers:book", "complaints:worklist", "surveys_staff:report",
                 "logout", "login", "track"):
        assert f'href="{reverse(name)}"' not in page
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', page)
    assert hrefs == []  # not one link on the blank form
    actions = re.findall(r'<form [^>]*action="([^"]*)"', page)
    assert actions == [URL]
    user = people["front"]
    assert user.username not in page and "Petugas" not in page and user.get_full_name() not in page


def test_the_kiosk_includes_kiosk_js_with_its_timings(client, people):
    client.force_login(people["front"])
    page = client.get(URL).content.decode()
    tag = re.search(r'<script src="[^"]*loket/kiosk\.js"[^>]*>', page)
    assert tag, page
    tag = tag.group(0)
    assert f'data-kiosk-home="{URL}"' in tag
    assert f'data-kiosk-thanks-ms="{staff_views.THANKS_SECONDS * 1000}"' in tag
    assert f'data-kiosk-idle-ms="{staff_views.IDLE_SECONDS * 1000}"' in tag
    assert 7 <= staff_views.THANKS_SECONDS <= 10 and 90 <= staff_views.IDLE_SECONDS <= 180
    assert "<script>" not in page and " style=" not in page and " onclick" not in page


def test_the_page_is_not_cached_and_sends_no_referrer_elsewhere(client, people):
    client.force_login(people["front"])
    r = client.get(URL)
    assert "no-store" in r["Cache-Control"] and "no-cache" in r["Cache-Control"]
    # same-origin, not no-referrer: with no-referrer browsers post "Origin: null" and the CSRF check refuses.
    assert r["Referrer-Policy"] == "same-origin"


def test_a_post_saves_one_kiosk_response_and_redirects_to_the_thanks(client, office, people):
    client.force_login(people["front"])
    r = client.post(URL, _post())
    assert r.status_code == 302 and r["Location"] == f"{URL}?terima-kasih=1"
    resp = Response.objects.get()
    assert resp.answers() == ANSWERS
    assert resp.source == Response.Source.KIOSK
    assert resp.created_by == people["front"]
    assert resp.office == office and resp.service.code == "pindah" and resp.unit.code == "pemerintahan"
    assert resp.dossier is None
    assert (resp.sex, resp.age, resp.education, resp.occupation, resp.suggestion) == (
        "L", 41, "SMP", "Petani", "Kursi tunggu ditambah.")


def test_a_posted_date_is_ignored_the_response_is_dated_today(client, people):
    client.force_login(people["front"])
    assert client.post(URL, _post(tanggal="1970-01-01")).status_code == 302
    assert Response.objects.get().date == timezone.localdate()


def test_the_service_is_optional(client, people):
    client.force_login(people["camat"])
    assert client.post(URL, _post(layanan="")).status_code == 302
    resp = Response.objects.get()
    assert resp.service is None and resp.unit is None and resp.created_by == people["camat"]


def test_the_thank_you_shows_a_blank_form_and_a_link_for_the_next_respondent(client, people):
    client.force_login(people["front"])
    client.post(URL, _post())
    r = client.get(f"{URL}?terima-kasih=1")
    assert r.status_code == 200
    page = r.content.decode()
    assert 'id="kiosk-thanks"' in page and "Terima kasih!" in page
    assert f'<a class="button primary kiosk-next" href="{URL}">Responden berikutnya</a>' in page
    assert " checked" not in page and "Kursi tunggu ditambah." not in page and "selected" not in page
    assert page.count('<fieldset class="skm-element') == 9
    assert re.findall(r'<a [^>]*href="([^"]*)"', page) == [URL]  # the only link: the kiosk itself


@pytest.mark.parametrize("bad", ["5", "0", "x"])
def test_bad_answers_give_400_with_the_message_and_what_was_chosen(client, people, bad):
    client.force_login(people["front"])
    r = client.post(URL, _post(waktu=bad))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Jawaban unsur Waktu penyelesaian harus salah satu dari empat pilihan (1–4)." in page
    assert "Tidak ada yang disimpan." in page
    assert 'id="persyaratan-4" value="4" checked' in page  # what was chosen stays chosen
    assert '<option value="pindah" selected>' in page
    assert "Kursi tunggu ditambah." in page
    assert "data-kiosk-refused" in page and "Terima kasih!" not in page
    assert "no-store" in r["Cache-Control"]
    assert not Response.objects.exists()


def test_nothing_answered_is_refused(client, people):
    client.force_login(people["front"])
    r = client.post(URL, _post(**{k: "" for k in KEYS}))
    assert r.status_code == 400
    assert "Isi paling sedikit satu unsur survei." in r.content.decode()
    assert not Response.objects.exists()


def test_bad_profile_is_refused_per_field(client, people):
    client.force_login(people["front"])
    r = client.post(URL, _post(umur="7", jenis_kelamin="X"))
    assert r.status_code == 400
    page = r.content.decode()
    assert 'id="umur-error"' in page and 'id="jenis_kelamin-error"' in page
    assert not Response.objects.exists()


def test_an_unknown_service_is_400(client, people):
    client.force_login(people["front"])
    r = client.post(URL, _post(layanan="tidak-ada"))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Layanan tidak dikenal di kantor ini." in page and 'id="layanan-error"' in page
    assert not Response.objects.exists()


def test_only_get_and_post(client, people):
    client.force_login(people["front"])
    assert client.put(URL).status_code == 405
