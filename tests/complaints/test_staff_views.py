"""Staff screens of complaints (/staf/pengaduan/), driven through the browser's requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from loket.complaints import services
from loket.complaints.models import Attachment, Complaint, Step
from loket.core import codes
from loket.offices.models import Holiday, Office
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterEntry
from tests.complaints.conftest import complaint_data
from tests.support.http import inline_code as _inline_code
from loket.complaints.policy import ACTS, acts_allowed
from loket.core.errors import InvalidInput

S = Complaint.State
BASE = "/staf/pengaduan/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post_data(**over) -> dict:
    data = complaint_data()
    data.update(over)
    return data


def _counts():
    return Complaint.objects.count(), RegisterEntry.objects.count(), Attachment.objects.count()


@pytest.fixture
def other_front(office):
    """The front office of a second kecamatan."""
    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota")
    return staff_create(office=other, username="petugas.lain", role=Role.FRONT_OFFICE, password="x-Pass-12345").user


# --- pages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["front", "kasi", "camat"])
def test_every_page_renders_for_the_roles_and_has_no_inline_code(client, people, make_complaint, who):
    c = make_complaint(S.ESCALATED)
    client.force_login(people[who])
    for url in ["", "semua/", "terlambat/", "baru/", f"{c.code}/"]:
        r = client.get(BASE + url)
        assert r.status_code == 200, url
        page = r.content.decode()
        assert _inline_code(page) == [], url
        assert "loket/complaints.css" in page, url


def test_staff_menu_links_to_complaints(client, people):
    client.force_login(people["bendahara"])
    page = client.get("/staf/berkas/").content.decode()
    assert f'href="{BASE}"' in page


def test_anonymous_user_is_sent_to_login(client, db):
    r = client.get(BASE)
    assert r.status_code == 302 and "/masuk/" in r["Location"]


def test_worklist_shows_each_role_its_own_complaints(client, people, make_complaint):
    received = make_complaint(S.RECEIVED, subject="Masih di front office")
    escalated = make_complaint(S.ESCALATED, subject="Sudah di Kasi Pemerintahan")
    client.force_login(people["front"])
    page = client.get(BASE).content.decode()
    assert codes.display(received.code) in page and codes.display(escalated.code) not in page
    client.force_login(people["kasi"])
    page = client.get(BASE).content.decode()
    assert codes.display(escalated.code) in page and codes.display(received.code) not in page
    client.force_login(people["kasi_other"])
    assert codes.display(escalated.code) not in client.get(BASE).content.decode()


def test_list_filters_by_state_and_searches(client, people, make_complaint):
    received = make_complaint(S.RECEIVED, subject="Lampu jalan mati")
    answered = make_complaint(S.ANSWERED, subject="Jadwal pelayanan")
    client.force_login(people["camat"])
    page = client.get(BASE + "semua/").content.decode()
    assert codes.display(received.code) in page and codes.display(answered.code) in page
    page = client.get(BASE + "semua/", {"state": "answered"}).content.decode()
    assert codes.display(answered.code) in page and codes.display(received.code) not in page
    page = client.get(BASE + "semua/", {"q": "lampu"}).content.decode()
    assert codes.display(received.code) in page and codes.display(answered.code) not in page
    page = client.get(BASE + "semua/", {"open": "1"}).content.decode()
    assert codes.display(received.code) in page and codes.display(answered.code) not in page


def test_overdue_rows_are_marked_and_listed_for_every_role(client, people, make_complaint):
    late = make_complaint(S.ESCALATED, subject="Sudah lama")
    fresh = make_complaint(S.ESCALATED, subject="Baru masuk")
    Complaint.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=10))
    client.force_login(people["camat"])  # holds neither: sees them in the office's overdue list
    for url in ["", "terlambat/", "semua/?overdue=1"]:
        page = client.get(BASE + url).content.decode()
        assert codes.display(late.code) in page, url
        assert codes.display(fresh.code) not in page, url
        at = page.index(codes.display(late.code))
        row = page[page.rindex("<tr", 0, at):page.index("</tr>", at)]
        assert '<tr class="late' in row, url
        assert "terlambat " in row and " hari kerja" in row, url
    page = client.get(BASE + "semua/").content.decode()
    row = page[page.rindex("<tr", 0, page.index(codes.display(fresh.code))):page.index(codes.display(fresh.code))]
    assert "late" not in row
    page = client.get(BASE + f"{late.code}/").content.decode()
    assert "late-box" in page


def test_missing_holiday_table_is_announced(client, people, make_complaint):
    make_complaint()
    client.force_login(people["front"])
    warning = "belum diisi"
    assert warning in client.get(BASE).content.decode()
    for year in range(timezone.localdate().year, timezone.localdate().year + 2):
        Holiday.objects.create(date=dt.date(year, 1, 1), kind=Holiday.Kind.NATIONAL, name="Tahun Baru")
    assert warning not in client.get(BASE).content.decode()


# --- recording -----------------------------------------------------------------------------

def test_record_saves_one_complaint_with_its_register_number(client, people):
    client.force_login(people["front"])
    r = client.post(BASE + "baru/", _post_data())
    assert r.status_code == 302
    c = Complaint.objects.get()
    assert r["Location"] == f"{BASE}{c.code}/"
    assert RegisterEntry.objects.count() == 1 and c.register_entry.number == 1
    assert (c.received_by, c.channel, c.name) == (people["front"], "whatsapp", "Budi Santoso")
    page = client.get(r["Location"]).content.decode()
    assert codes.display(c.code) in page and c.register_entry.number_display in page
    assert "dicatat di Buku Pengaduan nomor" in page


def test_record_with_category_service_and_unit(client, people, office):
    services.categories_default_create(office=office)
    child = office.complaint_categories.filter(parent__isnull=False).first()
    client.force_login(people["kasi"])
    page = client.get(BASE + "baru/").content.decode()
    assert f'value="{child.pk}">— {child.name}' in page  # children indented under their parent
    assert "Simpan di Buku Pengaduan" in page and "Akun Anda tidak dapat" not in page
    r = client.post(BASE + "baru/", _post_data(category=str(child.pk), service="pindah", unit="umum"))
    assert r.status_code == 302
    c = Complaint.objects.get()
    assert (c.category, c.service.code, c.unit.code) == (child, "pindah", "umum")


@pytest.mark.parametrize("over, field_message", [
    ({"text": ""}, "Uraian wajib diisi."),
    ({"text": "x" * 5001}, "Uraian paling panjang 5000 karakter"),
    ({"anonymous": "1"}, "Pengadu tanpa nama menerima jawaban lewat halaman lacak"),
    ({"phone": "12345"}, "Nomor telepon tidak valid"),
])
def test_bad_input_is_refused_with_messages_and_nothing_is_saved(client, people, over, field_message):
    client.force_login(people["front"])
    before = _counts()
    r = client.post(BASE + "baru/", _post_data(**over))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan." in page
    assert field_message in page
    assert "has-error" in page
    assert "KTP-el belum jadi" in page  # what was typed is kept
    assert _counts() == before


def test_text_file_named_pdf_is_refused_and_nothing_is_saved(client, people):
    client.force_login(people["front"])
    before = _counts()
    fake = SimpleUploadedFile("surat.pdf", b"ini hanya teks biasa, bukan PDF", content_type="application/pdf")
    r = client.post(BASE + "baru/", {**_post_data(), "attachments": [fake]})
    assert r.status_code == 400
    assert "Jenis berkas tidak diterima" in r.content.decode()
    assert _counts() == before


def test_role_that_may_not_record_is_refused(client, people):
    client.force_login(people["bendahara"])
    r = client.get(BASE + "baru/")
    assert r.status_code == 200
    assert "Akun Anda tidak dapat mencatat pengaduan." in r.content.decode()
    assert "Simpan di Buku Pengaduan" not in r.content.decode()
    assert client.post(BASE + "baru/", _post_data()).status_code == 403
    assert not Complaint.objects.exists()
    assert "Catat pengaduan" not in client.get(BASE).content.decode()


# --- attachments -------------------------------------------------------------------------------

def test_attachments_are_stored_and_served_only_to_the_office(client, people, other_front, make_complaint):
    client.force_login(people["front"])
    files = [SimpleUploadedFile("foto ktp.png", PNG, content_type="image/png"),
             SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf")]
    r = client.post(BASE + "baru/", {**_post_data(), "attachments": files})
    assert r.status_code == 302
    c = Complaint.objects.get()
    png, pdf = c.attachments.order_by("pk")
    assert (png.kind, pdf.kind) == ("png", "pdf")
    page = client.get(f"{BASE}{c.code}/").content.decode()
    assert f"{BASE}{c.code}/lampiran/{png.pk}/" in page and "foto ktp.png" in page

    for att, body, ctype, ext in [(png, PNG, "image/png", "png"), (pdf, PDF, "application/pdf", "pdf")]:
        r = client.get(f"{BASE}{c.code}/lampiran/{att.pk}/")
        assert r.status_code == 200
        assert b"".join(r.streaming_content) == body
        assert r["Content-Type"] == ctype
        assert r["Content-Disposition"] == f'attachment; filename="lampiran-{att.pk}.{ext}"'
        assert r["X-Content-Type-Options"] == "nosniff"

    other = make_complaint()
    assert client.get(f"{BASE}{other.code}/lampiran/{png.pk}/").status_code == 404  # not this complaint's
    client.force_login(other_front)
    assert client.get(f"{BASE}{c.code}/lampiran/{png.pk}/").status_code == 404
    assert client.get(f"{BASE}{c.code}/").status_code == 404


# --- the detail page -----------------------------------------------------------------------------

def test_markup_in_subject_and_text_is_shown_escaped(client, people):
    client.force_login(people["front"])
    evil = "<script>alert(1)</script>"
    client.post(BASE + "baru/", _post_data(subject=f"Judul {evil}", text=f"Uraian panjang {evil} sekali"))
    c = Complaint.objects.get()
    for url in [f"{c.code}/", "semua/", ""]:
        page = client.get(BASE + url).content.decode()
        assert evil not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_detail_shows_complainant_in_full_or_anonymous(client, people, make_complaint):
    named = make_complaint(email="budi@example.com", address="Jl. Melati 3", account="@budi")
    anon = make_complaint(anonymous="1", reply_via="website")
    client.force_login(people["kasi"])
    page = client.get(f"{BASE}{named.code}/").content.decode()
    for value in ["Budi Santoso", "081234567890", "budi@example.com", "Jl. Melati 3", "@budi"]:
        assert value in page
    page = client.get(f"{BASE}{anon.code}/").content.decode()
    assert "Anonim" in page and "Budi Santoso" not in page
    assert f"/pengaduan/lacak/{anon.code}/" in page


def test_detail_shows_timeline_answers_corrections_and_coordinations(client, people, make_complaint):
    c = make_complaint(S.COORDINATING)
    services.complaint_coordination_result(code=c.code, actor=people["kasi"], result="Data sudah dikonfirmasi kelurahan.")
    services.complaint_answer(code=c.code, actor=people["kasi"], text="Jawaban pertama.")
    services.complaint_answer_correct(code=c.code, actor=people["front"], text="Jawaban yang benar.", reason="Salah tanggal.")
    client.force_login(people["camat"])
    page = client.get(f"{BASE}{c.code}/").content.decode()
    for text in ["Kelurahan Klegen", "Mohon konfirmasi data.", "Data sudah dikonfirmasi kelurahan.",
                 "Jawaban pertama.", "Jawaban yang benar.", "koreksi atas jawaban 1", "Kasi.Pem",
                 "Diteruskan ke back office", "Menunggu koordinasi"]:
        assert text in page, text


# --- acts through the web -----------------------------------------------------------------------

def test_escalate_by_the_front_office(client, people, make_complaint):
    c = make_complaint()
    client.force_login(people["front"])
    r = client.post(f"{BASE}{c.code}/escalate/", {"unit": "pemerintahan", "note": "Untuk Kasi"})
    assert r.status_code == 302 and r["Location"] == f"{BASE}{c.code}/"
    c.refresh_from_db()
    assert c.state == S.ESCALATED and c.unit.code == "pemerintahan"


def test_escalate_without_unit_gives_the_field_message(client, people, make_complaint):
    c = make_complaint()
    client.force_login(people["front"])
    r = client.post(f"{BASE}{c.code}/escalate/", {"unit": ""}, follow=True)
    assert "Pilih seksi (Kasi) atau Subbag Umum yang menangani." in r.content.decode()
    c.refresh_from_db()
    assert c.state == S.RECEIVED


def test_answer_by_a_kasi_of_another_unit_is_refused(client, people, make_complaint):
    c = make_complaint(S.ESCALATED)
    steps = Step.objects.filter(complaint=c).count()
    client.force_login(people["kasi_other"])
    r = client.post(f"{BASE}{c.code}/answer/", {"text": "Sudah kami tangani."}, follow=True)
    assert "hanya untuk pemegang pengaduan saat ini" in r.content.decode()
    assert Step.objects.filter(complaint=c).count() == steps
    assert not c.answers.exists()


def test_answer_feedback_path_in_the_browser(client, people, make_complaint):
    c = make_complaint(S.ESCALATED)
    client.force_login(people["kasi"])
    client.post(f"{BASE}{c.code}/answer/", {"text": "Sudah selesai, silakan ambil.", "reply_via": ""})
    c.refresh_from_db()
    assert c.state == S.ANSWERED and c.answers.get().reply_via == "whatsapp"  # the complaint's own way
    client.force_login(people["front"])
    r = client.post(f"{BASE}{c.code}/feedback/", {"note": "lewat telepon"}, follow=True)
    assert "Pilih puas atau belum puas." in r.content.decode()
    client.post(f"{BASE}{c.code}/feedback/", {"satisfied": "1"})
    c.refresh_from_db()
    assert c.state == S.CLOSED and c.satisfied is True


def test_wrong_state_gives_a_message(client, people, make_complaint):
    c = make_complaint(S.ESCALATED)
    client.force_login(people["front"])
    r = client.post(f"{BASE}{c.code}/escalate/", {"unit": "umum"}, follow=True)
    assert "tidak bisa: teruskan ke back office" in r.content.decode()
    c.refresh_from_db()
    assert c.unit.code == "pemerintahan"


def test_unknown_action_code_or_other_office_is_not_found(client, people, other_front, make_complaint):
    c = make_complaint()
    client.force_login(people["front"])
    assert client.post(f"{BASE}{c.code}/hapus/", {}).status_code == 404
    assert client.post(f"{BASE}ZZZZZZZZ/escalate/", {"unit": "umum"}).status_code == 404
    assert client.get(f"{BASE}ZZZZZZZZ/").status_code == 404
    assert client.get(f"{BASE}{c.code}/escalate/").status_code == 405
    client.force_login(other_front)
    assert client.post(f"{BASE}{c.code}/escalate/", {"unit": "umum"}).status_code == 404
    c.refresh_from_db()
    assert c.state == S.RECEIVED


@pytest.mark.parametrize("state, who, shown, hidden", [
    (S.DIRECTION_REQUESTED, "camat", ["Beri arahan"], ["Catat jawaban yang disampaikan", "Teruskan ke back office"]),
    (S.ESCALATED, "camat", [], ["Beri arahan", "Catat jawaban yang disampaikan"]),
    (S.ESCALATED, "kasi", ["Minta arahan", "Catat jawaban yang disampaikan", "Catat koordinasi"], ["Beri arahan"]),
    (S.ESCALATED, "kasi_other", [], ["Minta arahan", "Catat jawaban yang disampaikan"]),
    (S.RECEIVED, "front", ["Teruskan ke back office", "Catat jawaban yang disampaikan"], ["Beri arahan", "Tutup pengaduan"]),
    (S.COORDINATING, "kasi", ["Catat hasil koordinasi"], ["Catat jawaban yang disampaikan"]),
    (S.ANSWERED, "front", ["Catat tanggapan pengadu", "Tutup pengaduan", "Kirim koreksi jawaban"], ["Catat jawaban yang disampaikan"]),
])
def test_detail_shows_only_the_forms_of_allowed_acts(client, people, make_complaint, state, who, shown, hidden):
    c = make_complaint(state)
    client.force_login(people[who])
    page = client.get(f"{BASE}{c.code}/").content.decode()
    for text in shown:
        assert text in page, text
    for text in hidden:
        assert text not in page, text
    allowed = acts_allowed(c, people[who])
    for name in ACTS:
        assert (f"{BASE}{c.code}/{name}/" in page) == (name in allowed), name


# --- who reads the complainant's contact ------------------------------------------------------

@pytest.mark.parametrize("who,full", [("front", True), ("kasi", True), ("camat", True), ("admin", True),
                                     ("bendahara", False), ("ppat", False)])
def test_contact_is_masked_for_roles_whose_task_does_not_need_it(who, full, client, people, make_complaint):
    c = make_complaint(name="Rahasia Warga", phone="081299887766", email="warga@contoh.id")
    client.force_login(people[who])
    page = client.get(reverse("complaints:detail", args=[c.code])).content.decode()
    api = client.get(f"/api/v1/staff/complaints/{c.code}/").json()
    book = client.get(reverse("complaints:book_xlsx", args=[c.received_at.year]))
    from io import BytesIO

    from openpyxl import load_workbook

    cells = " ".join(str(v) for row in load_workbook(BytesIO(b"".join(book.streaming_content))).active.iter_rows(values_only=True) for v in row if v)
    for secret in ("Rahasia Warga", "081299887766", "warga@contoh.id"):
        assert (secret in page) is full and (secret in cells) is full, (who, secret)
        assert (secret in str(api)) is full
    if not full:
        assert "R****** W****" in page and "0812*****766" in page and "w***@contoh.id" in page


# --- each role is told what waits; the staff search box finds complaints -----------------------

def test_landing_pages_say_how_many_complaints_wait(client, people, make_complaint):
    make_complaint(S.DIRECTION_REQUESTED)
    make_complaint(S.ESCALATED)
    for who, url, n in [("camat", "/staf/tanda-tangan/", 1), ("kasi", "/staf/paraf/", 1),
                        ("front", "/staf/berkas/", 0), ("kasi_other", "/staf/paraf/", 0)]:
        client.force_login(people[who])
        page = client.get(url).content.decode()
        assert (f"{n} pengaduan menunggu tindakan Anda." in page) is bool(n), who
        assert ("pengaduan menunggu tindakan Anda" in page) is bool(n), who


def test_staff_search_finds_a_complaint_by_code_and_subject(client, people, make_complaint):
    c = make_complaint(subject="Lampu jalan padam di RT 3")
    client.force_login(people["kasi"])
    for q in (codes.display(c.code).lower(), "lampu jalan"):
        page = client.get("/staf/berkas/cari/", {"q": q}).content.decode()
        assert reverse("complaints:detail", args=[c.code]) in page, q


def test_answer_by_a_channel_without_contact_is_refused(people, make_complaint):
    c = make_complaint(reply_via="whatsapp")  # a phone, no e-mail
    with pytest.raises(InvalidInput) as exc:
        services.complaint_answer(code=c.code, actor=people["front"], text="Jawaban lewat e-mail.", reply_via="email")
    assert "reply_via" in exc.value.errors
    c.refresh_from_db()
    assert c.state == S.RECEIVED and not c.answers.exists()
