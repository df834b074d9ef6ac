"""Issuing papers (papers/services.py): the letter number in the office's format from the Buku
Agenda Surat Keluar, gap-free; the stored PDF and its SHA-256; the signer as printed; a
failed rendering uses up no number; the public verification and the PDF upload check."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from loket.core.errors import InvalidInput
from loket.papers import selectors, services
from loket.papers.models import Document
from loket.registers.models import RegisterBook, RegisterEntry


@dataclass
class FakeSigner:
    user: object
    name: str = "Drs. Budi Santoso, M.Si."
    nip: str = "190001011900011001"
    rank: str = "Pembina Tingkat I (IV/b)"
    title_lines: list = field(default_factory=lambda: ["CAMAT KARTOHARJO"])


def pdf_of(**printed):
    return lambda *, number, verification_code, issued_at: (
        b"%PDF-1.4\n% " + f"{number} {verification_code}".encode() + b"\n%%EOF\n")


def issue(office, actor, **kw):
    kw.setdefault("render", pdf_of())
    return services.document_issue(office=office, kind="surat", title="Surat Rekomendasi", reference="ABCD2345",
                                   actor=actor, **kw)


AT = timezone.make_aware(dt.datetime(2026, 3, 9, 10, 0))


@pytest.mark.parametrize("fmt,klas,expected", [
    ("", "400.12.2.1", "400.12.2.1/7/{unit}/2026"),
    ("", "", "7/{unit}/2026"),  # no empty segment where the service has no code
    ("{klasifikasi}/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}", "470", "470/7/{unit}/III/2026"),
    ("{nomor}/{klasifikasi}/KEC.KTH/{tahun}", "", "7/KEC.KTH/2026"),
])
def test_number_compose(office, fmt, klas, expected):
    office.letter_number_format = fmt
    unit = office.unit_code()
    got = services.number_compose(office=office, classification=klas, number=7, on=timezone.localtime(AT))
    assert got == expected.format(unit=unit)


def test_issue_numbers_in_the_agenda_and_stores_the_pdf(office, people):
    camat = people["camat"]
    first = issue(office, people["front"], signer=FakeSigner(user=camat), classification="470",
                  addressee="Kapolsek Kartoharjo", subject="Izin keramaian", at=AT)
    second = issue(office, people["front"], signer=FakeSigner(user=camat), classification="470", at=AT)
    assert first.agenda_entry.book.kind == RegisterBook.Kind.SURAT_KELUAR
    assert (first.agenda_entry.number, second.agenda_entry.number) == (1, 2)
    assert first.number.startswith("470/1/") and first.number.endswith("/2026")
    data = first.pdf.open("rb").read()
    assert hashlib.sha256(data).hexdigest() == first.sha256
    assert first.number.encode() in data and first.verification_code.encode() in data
    assert (first.signer_name, first.signer_nip, first.signer_title, first.signer_id) == (
        "Drs. Budi Santoso, M.Si.", "190001011900011001", "CAMAT KARTOHARJO", camat.pk)
    assert first.agenda_entry.name == "Kapolsek Kartoharjo" and first.agenda_entry.subject == "Izin keramaian"


def test_a_failed_rendering_uses_up_no_number(office, people):
    def broken(**_):
        raise RuntimeError("printer template broken")

    with pytest.raises(RuntimeError):
        issue(office, people["front"], render=broken, at=AT)
    assert not RegisterEntry.objects.filter(book__kind=RegisterBook.Kind.SURAT_KELUAR).exists()
    assert not Document.objects.exists()
    assert issue(office, people["front"], at=AT).agenda_entry.number == 1


def test_bad_input_is_refused_and_changes_nothing(office, people):
    with pytest.raises(InvalidInput, match="Jenis naskah"):
        services.document_issue(office=office, kind="memo", title="x", reference="r", actor=people["front"],
                                render=pdf_of())
    with pytest.raises(InvalidInput, match="lampiran"):
        issue(office, people["front"], attachments=-1)
    assert not RegisterEntry.objects.filter(book__kind=RegisterBook.Kind.SURAT_KELUAR).exists()


def test_the_public_page_shows_the_paper_and_checks_an_upload(client, office, people):
    doc = issue(office, people["front"], signer=FakeSigner(user=people["camat"]), at=AT)
    url = reverse("verify_detail", args=[doc.verification_code])
    page = client.get(url).content.decode()
    assert doc.number in page and doc.sha256 in page and "Drs. Budi Santoso" in page
    assert "Tidak (ditandatangani basah)" in page
    original = doc.pdf.open("rb").read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    same = client.post(url, {"berkas": SimpleUploadedFile("a.pdf", original, "application/pdf")}).content.decode()
    assert "sama persis dengan naskah yang diterbitkan" in same
    tampered = original.replace(doc.number.encode(), doc.number.encode()[:-1] + b"9")
    other = client.post(url, {"berkas": SimpleUploadedFile("a.pdf", tampered, "application/pdf")}).content.decode()
    assert "TIDAK sama" in other
    not_pdf = client.post(url, {"berkas": SimpleUploadedFile("a.pdf", b"hello", "application/pdf")})
    assert not_pdf.status_code == 400 and "bukan PDF" in not_pdf.content.decode()


def test_the_upload_check(office, people):
    doc = issue(office, people["front"], at=AT)
    data = doc.pdf.open("rb").read()
    assert selectors.document_upload_check(doc, data) == "asli"
    assert selectors.document_upload_check(doc, data + b" ") == "beda"


def test_the_agenda_lists_each_paper_and_exports(client, office, people):
    office.government = "Pemerintah Kota Contoh"
    office.save(update_fields=["government"])
    doc = issue(office, people["front"], signer=FakeSigner(user=people["camat"]), subject="Izin keramaian", at=AT)
    client.force_login(people["front"])
    page = client.get(reverse("papers:agenda")).content.decode()
    assert doc.number in page and "Izin keramaian" in page
    xlsx = client.get(reverse("papers:agenda_xlsx") + "?tahun=2026")
    assert xlsx.status_code == 200
    from openpyxl import load_workbook
    import io

    wb = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    cells = [c.value for row in wb.active.iter_rows() for c in row]
    assert doc.number in cells
    pdf = client.get(reverse("papers:agenda_pdf"))
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert doc.number in text and "Buku Agenda Surat Keluar" in text and "PEMERINTAH KOTA CONTOH" in text
    bad = client.get(reverse("papers:agenda_pdf") + "?tahun=abc")
    assert bad.status_code == 302


def test_another_office_cannot_open_the_document(client, office, people):
    from loket.offices.models import Office
    from loket.offices.services import staff_create

    doc = issue(office, people["front"], at=AT)
    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota Madiun")
    stranger = staff_create(office=other, username="lain", role="front_office", password="x-Pass-12345").user
    client.force_login(stranger)
    assert client.get(reverse("papers:document", args=[doc.pk])).status_code == 404
    assert client.get(reverse("papers:download", args=[doc.pk])).status_code == 404
