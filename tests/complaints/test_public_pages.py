"""The public complaint pages, driven through the browser's requests: the web form of an
office, tracking by code (only what selectors.tracking_public gives: no name, contact, text,
notes or staff), the complainant's feedback, and the rate limits of the look-ups."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.complaints import services, spam
from loket.complaints.models import Complaint, Step
from loket.core import ratelimit
from loket.core import codes
from loket.offices.roles import Role
from loket.offices.services import staff_create
from tests.complaints.conftest import complaint_data
from tests.support.complaints import counts, form_data, form_url, frozen_clock  # noqa: F401  (frozen_clock is a fixture)
from tests.support.http import inline_code as _inline_code

S = Complaint.State
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEB_429 = ["Terlalu banyak permintaan", "Silakan tunggu satu menit, lalu coba lagi."]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


# --- the form ----------------------------------------------------------------------------------

def test_form_renders_for_anonymous_visitors(client, office):
    r = client.get(form_url(office))
    assert r.status_code == 200
    page = r.content.decode()
    for text in ["Sampaikan pengaduan", "Rahasiakan identitas saya / tanpa nama", "halaman lacak dengan kode",
                 'name="attachments"', 'enctype="multipart/form-data"', 'name="csrfmiddlewaretoken"',
                 f'name="{spam.STAMP_FIELD}"', "Permintaan informasi", "Pindah"]:
        assert text in page, text
    assert 'value="website" selected' in page  # the reply that works for everyone, anonymous or not
    assert _inline_code(page) == []


def test_honeypot_is_hidden_from_people_without_inline_style(client, office):
    page = client.get(form_url(office)).content.decode()
    start = page.index('<div class="pengaduan-tambahan" aria-hidden="true">')
    block = page[start:page.index("</div>", start)]
    assert f'name="{spam.HONEYPOT_FIELD}"' in block and 'tabindex="-1"' in block and 'autocomplete="off"' in block
    assert "complaints-public.css" in page


def test_form_page_is_not_cached(client, office, monkeypatch):
    stamps = iter(["STAMP-ONE", "STAMP-TWO"])
    monkeypatch.setattr(spam, "stamp_new", lambda **kw: next(stamps))
    assert "STAMP-ONE" in client.get(form_url(office)).content.decode()
    assert "STAMP-TWO" in client.get(form_url(office)).content.decode()


def test_unknown_office_is_404(client, office):
    assert client.get("/tidak-ada/pengaduan/").status_code == 404
    assert client.post("/tidak-ada/pengaduan/", form_data()).status_code == 404
    assert counts() == (0, 0, 0)


def test_home_page_links_to_the_form_and_the_tracking(client, office):
    page = client.get(f"/{office.slug}/").content.decode()
    assert f'href="/{office.slug}/pengaduan/"' in page and "Sampaikan pengaduan/ saran" in page
    assert 'href="/pengaduan/lacak/"' in page and "Lacak pengaduan" in page


def test_valid_submission_files_one_complaint_and_shows_its_code(client, office):
    r = client.post(form_url(office), form_data(attachments=[SimpleUploadedFile("foto.png", PNG, "image/png")]))
    assert r.status_code in (302, 303)
    c = Complaint.objects.get()
    assert r["Location"] == f"/pengaduan/lacak/{c.code}/"
    assert (c.channel, c.state, c.kind, c.received_by) == (Complaint.Channel.WEBSITE, S.RECEIVED, "pengaduan", None)
    assert c.name == "Budi Santoso" and c.reply_via == "whatsapp"
    assert counts() == (1, 1, 1) and c.attachments.get().kind == "png"
    page = client.get(r["Location"]).content.decode()
    assert f"Simpan kode ini: {codes.display(c.code)}" in page
    assert "msg-kode-baru" in page  # the message that carries the code is styled to stand out
    assert "Budi Santoso" not in page and "Antrean di loket" not in page
    assert "Simpan kode ini" not in client.get(r["Location"]).content.decode()  # shown once


def test_anonymous_submission_keeps_no_identity(client, office):
    r = client.post(form_url(office), form_data(anonymous="1", reply_via="website", email="budi@example.com"))
    assert r.status_code in (302, 303)
    c = Complaint.objects.get()
    assert c.anonymous and (c.name, c.phone, c.email) == ("", "", "")


@pytest.mark.parametrize("over,field,message", [
    ({"text": ""}, "text", "Uraian wajib diisi."),
    ({"text": "x" * 5001}, "text", "Uraian paling panjang 5000 karakter"),
    ({"email": "bukan-email"}, "email", "Alamat e-mail tidak valid."),
    ({"anonymous": "1", "reply_via": "whatsapp"}, "reply_via", "Pengadu tanpa nama menerima jawaban lewat halaman lacak"),
    ({"kind": "lain"}, "kind", "Pilih jenis"),
    ({"name": ""}, "name", "Nama wajib diisi."),
], ids=["empty-text", "long-text", "bad-email", "anonymous-whatsapp", "bad-kind", "no-name"])
def test_bad_input_is_400_with_the_message_and_saves_nothing(client, office, over, field, message):
    data = form_data(**over)
    r = client.post(form_url(office), data)
    assert r.status_code == 400
    page = r.content.decode()
    assert "Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan." in page
    assert message in page
    assert f'id="{field}-error"' in page
    assert "Antrean loket KTP-el" in page  # what was typed is kept
    assert f'value="{data[spam.STAMP_FIELD]}"' in page  # the stamp stays valid for the next try
    assert counts() == (0, 0, 0)


def test_a_text_file_named_png_is_refused(client, office, settings):
    fake = SimpleUploadedFile("foto.png", b"just some text, not an image", content_type="image/png")
    r = client.post(form_url(office), form_data(attachments=[fake]))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Jenis berkas tidak diterima" in page and 'id="attachments-error"' in page
    assert counts() == (0, 0, 0)


def test_six_attachments_are_refused(client, office):
    files = [SimpleUploadedFile(f"f{i}.png", PNG, "image/png") for i in range(6)]
    r = client.post(form_url(office), form_data(attachments=files))
    assert r.status_code == 400 and "Lampiran paling banyak 5 berkas." in r.content.decode()
    assert counts() == (0, 0, 0)


# --- tracking --------------------------------------------------------------------------------

def test_track_form_and_redirect_with_a_normalised_code(client, office, make_complaint):
    page = client.get("/pengaduan/lacak/").content.decode()
    assert 'name="kode"' in page
    c = make_complaint()
    r = client.get("/pengaduan/lacak/", {"kode": f" {codes.display(c.code).lower()} "})
    assert r.status_code == 302 and r["Location"] == f"/pengaduan/lacak/{c.code}/"


def test_unknown_code_is_404_with_a_helpful_message(client, office, make_complaint):
    make_complaint()
    for code in ["ZZZZZZZZ", "<script>", "-"]:
        r = client.get(f"/pengaduan/lacak/{code}/")
        assert r.status_code == 404, code
        page = r.content.decode()
        assert "Kode pengaduan tidak ditemukan." in page and 'name="kode"' in page
        assert "Nomor Buku Pengaduan" not in page
        assert "<script>" not in page
        cache.clear()


@pytest.fixture
def recorded(office, people):
    """A complaint recorded by a clerk with a name, contacts and marker strings everywhere that
    must never reach the public page, escalated, coordinated and answered."""
    clerk = staff_create(office=office, username="ratna", role=Role.FRONT_OFFICE, password="x-Pass-12345",
                         full_name="Ratna Kusumawardani").user
    c = services.complaint_record(office=office, actor=clerk, note="CATATAN-PENCATAT-7731", data=complaint_data(
        name="Wiryo Sastrodiharjo", phone="081298765432", email="wiryo.rahasia@example.com",
        address="Jalan Mawar Melati 17", account="@wiryo_rahasia", subject="POKOK-RAHASIA-4410",
        text="URAIAN-RAHASIA-9921: tetangga saya Pak Slamet tidak dilayani."))
    services.complaint_escalate(code=c.code, actor=clerk, unit_code="pemerintahan", note="CATATAN-TERUSKAN-5512")
    services.complaint_coordinate(code=c.code, actor=people["kasi"], kind="kelurahan", party="PIHAK-RAHASIA-3303",
                                  question="PERTANYAAN-RAHASIA-6604")
    services.complaint_coordination_result(code=c.code, actor=people["kasi"], result="HASIL-RAHASIA-8805")
    services.complaint_answer(code=c.code, actor=people["kasi"],
                              text="Sudah kami tindak lanjuti. <script>alert(1)</script>\nTerima kasih.")
    return c, clerk


def test_tracking_page_shows_only_public_data(client, people, recorded):
    c, clerk = recorded
    c.refresh_from_db()
    r = client.get(f"/pengaduan/lacak/{c.code}/")
    assert r.status_code == 200
    page = r.content.decode()
    for shown in [codes.display(c.code), "Kecamatan Contoh", "Pengaduan", "Dijawab", c.register_entry.number_display,
                  "Diterima dan dicatat di Buku Pengaduan", "Menunggu koordinasi dengan pihak terkait",
                  "Jawaban disampaikan", "Sudah kami tindak lanjuti.", "WhatsApp",
                  "Apakah jawaban ini menjawab pengaduan Anda?"]:
        assert shown in page, shown
    secrets = ["Wiryo", "Sastrodiharjo", "081298765432", "8129876", "wiryo.rahasia", "Mawar Melati", "@wiryo_rahasia",
               "POKOK-RAHASIA", "URAIAN-RAHASIA", "Slamet", "CATATAN-PENCATAT", "CATATAN-TERUSKAN", "PIHAK-RAHASIA",
               "PERTANYAAN-RAHASIA", "HASIL-RAHASIA", "Ratna", "Kusumawardani", "ratna",
               people["kasi"].get_full_name(), people["kasi"].username]
    assert [s for s in secrets if s in page] == []
    assert _inline_code(page) == []


def test_answer_text_is_escaped(client, recorded):
    c, _ = recorded
    page = client.get(f"/pengaduan/lacak/{c.code}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_correction_is_marked(client, people, make_complaint):
    c = make_complaint(S.ANSWERED)
    services.complaint_answer_correct(code=c.code, actor=people["front"], text="Jawaban yang benar.", reason="Salah tanggal")
    page = client.get(f"/pengaduan/lacak/{c.code}/").content.decode()
    assert "Jawaban yang benar." in page and "Koreksi atas jawaban sebelumnya" in page
    assert "Salah tanggal" not in page  # the reason is a step note: internal


def test_feedback_form_only_when_answered(client, make_complaint):
    for state, shown in [(S.RECEIVED, False), (S.ANSWERED, True), (S.CLOSED, False), (S.REOPENED, False)]:
        c = make_complaint(state)
        page = client.get(f"/pengaduan/lacak/{c.code}/").content.decode()
        assert (f'action="/pengaduan/lacak/{c.code}/tanggapan/"' in page) is shown, state
        cache.clear()


def test_tracking_is_rate_limited(client, make_complaint, frozen_clock, monkeypatch):
    monkeypatch.setattr(ratelimit, "PUBLIC_LOOKUPS_PER_MINUTE", 3)
    c = make_complaint()
    assert [client.get(f"/pengaduan/lacak/{code}/").status_code for code in [c.code, "ZZZZZZZZ", c.code]] == [200, 404, 200]
    for code in [c.code, "ZZZZZZZZ"]:  # a real code and a made-up one answer alike
        r = client.get(f"/pengaduan/lacak/{code}/")
        assert r.status_code == 429
        assert all(t in r.content.decode() for t in WEB_429)
        assert c.register_entry.number_display not in r.content.decode()
    assert client.get(f"/pengaduan/lacak/{c.code}/", REMOTE_ADDR="198.51.100.9").status_code == 200
    frozen_clock["t"] += 60
    assert client.get(f"/pengaduan/lacak/{c.code}/").status_code == 200


# --- feedback ----------------------------------------------------------------------------------

def _feedback(client, code, **data):
    return client.post(f"/pengaduan/lacak/{code}/tanggapan/", data, follow=True)


def test_not_satisfied_reopens(client, make_complaint):
    c = make_complaint(S.ANSWERED)
    r = _feedback(client, c.code, satisfied="0", note="Belum ada perubahan.")
    assert r.redirect_chain[-1][0] == f"/pengaduan/lacak/{c.code}/"
    assert "Pengaduan dibuka kembali dan akan ditindaklanjuti." in r.content.decode()
    c.refresh_from_db()
    assert c.state == S.REOPENED and c.satisfied is False
    step = c.steps.last()
    assert step.actor is None and "Belum ada perubahan." in step.note
    assert "Belum ada perubahan." not in r.content.decode()


def test_satisfied_closes(client, make_complaint):
    c = make_complaint(S.ANSWERED)
    r = _feedback(client, c.code, satisfied="1")
    assert "Terima kasih; pengaduan ditutup." in r.content.decode()
    c.refresh_from_db()
    assert c.state == S.CLOSED and c.satisfied is True and c.closed_at is not None


def test_feedback_before_the_answer_is_refused_and_changes_nothing(client, make_complaint):
    c = make_complaint(S.RECEIVED)
    steps = Step.objects.count()
    r = _feedback(client, c.code, satisfied="1")
    assert r.status_code == 200
    assert "Tanggapan hanya dapat diberikan setelah jawaban dikirim" in r.content.decode()
    c.refresh_from_db()
    assert c.state == S.RECEIVED and c.satisfied is None and Step.objects.count() == steps


@pytest.mark.parametrize("value", ["", "2", "ya", None])
def test_feedback_needs_a_choice(client, make_complaint, value):
    c = make_complaint(S.ANSWERED)
    steps = Step.objects.count()
    data = {"note": "x"} if value is None else {"satisfied": value}
    r = _feedback(client, c.code, **data)
    assert "Pilih puas atau belum puas." in r.content.decode()
    c.refresh_from_db()
    assert c.state == S.ANSWERED and Step.objects.count() == steps


def test_feedback_on_unknown_code_is_404_and_get_is_refused(client, make_complaint):
    c = make_complaint(S.ANSWERED)
    r = client.post("/pengaduan/lacak/ZZZZZZZZ/tanggapan/", {"satisfied": "1"})
    assert r.status_code == 404 and "Kode pengaduan tidak ditemukan." in r.content.decode()
    assert client.get(f"/pengaduan/lacak/{c.code}/tanggapan/").status_code == 405
    c.refresh_from_db()
    assert c.state == S.ANSWERED


def test_feedback_is_rate_limited(client, make_complaint, frozen_clock, monkeypatch):
    monkeypatch.setattr(ratelimit, "PUBLIC_LOOKUPS_PER_MINUTE", 2)
    c = make_complaint(S.ANSWERED)
    for _ in range(2):
        client.post("/pengaduan/lacak/ZZZZZZZZ/tanggapan/", {"satisfied": "1"})
    r = client.post(f"/pengaduan/lacak/{c.code}/tanggapan/", {"satisfied": "1"})
    assert r.status_code == 429 and all(t in r.content.decode() for t in WEB_429)
    c.refresh_from_db()
    assert c.state == S.ANSWERED
    # its own bucket: the tracking page is still open
    assert client.get(f"/pengaduan/lacak/{c.code}/").status_code == 200


def test_feedback_needs_the_csrf_token(make_complaint):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    c = make_complaint(S.ANSWERED)
    assert browser.post(f"/pengaduan/lacak/{c.code}/tanggapan/", {"satisfied": "1"}).status_code == 403
    page = browser.get(f"/pengaduan/lacak/{c.code}/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    r = browser.post(f"/pengaduan/lacak/{c.code}/tanggapan/", {"satisfied": "1", "csrfmiddlewaretoken": token})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.state == S.CLOSED


def test_the_public_timeline_says_what_the_complainants_word_did(client, make_complaint):
    reopened = make_complaint("reopened")
    closed = make_complaint("closed")
    assert "Pengadu belum puas; dibuka kembali" in client.get(f"/pengaduan/lacak/{reopened.code}/").content.decode()
    assert "Pengadu puas; pengaduan selesai" in client.get(f"/pengaduan/lacak/{closed.code}/").content.decode()


def test_every_public_page_links_to_the_complaint_form_and_tracking(client, office):
    page = client.get(f"/{office.slug}/layanan/").content.decode()
    assert f'href="/{office.slug}/pengaduan/"' in page and 'href="/pengaduan/lacak/"' in page
