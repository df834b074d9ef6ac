"""The printable Standar Pelayanan book: a real PDF with every service, escaped text, long
components split over pages instead of crashing reportlab, and served by the public view."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from loket.catalog import selectors
from loket.catalog.models import Requirement
from loket.catalog.pdf import rupiah, standard_book_pdf
from loket.catalog.services import edition_copy
from loket.offices.models import Office


def _render(edition) -> bytes:
    return standard_book_pdf(edition=edition, services=list(selectors.services_of(edition=edition)))


def _text(pdf: bytes) -> str:
    # Collapse whitespace: long names wrap onto several lines in the PDF.
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def active(mini_standard):
    return mini_standard.edition


def test_rupiah():
    assert rupiah(1000000) == "Rp 1.000.000"
    assert rupiah(70000) == "Rp 70.000"
    assert rupiah(0) == "Rp 0"


@pytest.mark.django_db
def test_book_is_a_pdf_with_every_service(active):
    pdf = _render(active)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for service in active.services.all():
        assert service.name in text
        assert f"{service.number}. JENIS PELAYANAN : {service.name}" in text
    assert "STANDAR PELAYANAN" in text
    assert "KECAMATAN CONTOH" in text  # cover
    assert "Kecamatan Contoh" in text  # footer
    assert "Standar Pelayanan 2018" in text and "Halaman 2" in text
    assert "Surat Pengantar RT/ RW" in text
    assert "Kartu Keluarga asli (asli ditunjukkan)" in text
    assert "(jika pindah antar kota/ provinsi)" in text
    assert "Budi" in text and "Camat Contoh" in text
    assert "Contoh, 1 Agustus 2018" in text  # no signed_place_date in the file: built from signed_on


@pytest.mark.django_db
def test_every_component_and_the_tariff_table_are_printed(active):
    text = _text(_render(active))
    for label in (
        "Dasar Hukum", "Persyaratan pelayanan", "Sistem, mekanisme dan prosedur", "Jangka waktu penyelesaian",
        "Biaya/ tarif", "Produk layanan", "Sarana, prasarana, dan/ atau fasilitas", "Kompetensi pelaksana",
        "Pengawasan internal", "Penanganan pengaduan, saran dan masukan", "Jumlah pelaksana", "Jaminan pelayanan",
        "Jaminan keamanan dan keselamatan pelayanan", "Evaluasi kinerja pelaksana",
    ):
        assert text.count(label) >= 2, label  # once per service
    assert "Rp 1.000.000" in text and "Rp 280.000" in text and "Rp 70.000" in text
    assert "Telpon: (0351) 1" in text
    assert "Berkas diterima front office" in text


@pytest.mark.django_db
def test_markup_characters_are_escaped_and_maklumat_printed(active):
    draft = edition_copy(edition=active, year=2019)
    service = draft.services.get(code="pindah")
    Requirement.objects.create(service=service, order=50, text="Surat <b>Kuasa</b> & KTP <asli>")
    Office.objects.filter(pk=active.office_id).update(maklumat="Kami sanggup & siap <melayani>.")
    draft.office.refresh_from_db()
    text = _text(_render(draft))
    assert "Surat <b>Kuasa</b> & KTP <asli>" in text
    assert "MAKLUMAT PELAYANAN" in text and "Kami sanggup & siap <melayani>." in text


@pytest.mark.django_db
def test_very_long_components_split_over_pages(active):
    draft = edition_copy(edition=active, year=2019)
    service = draft.services.get(code="pindah")
    Requirement.objects.bulk_create(
        Requirement(service=service, order=100 + i, text=f"Persyaratan tambahan nomor {i} " + "dan seterusnya " * 20)
        for i in range(300)
    )
    # One single item taller than a whole page: a table row like that would raise LayoutError.
    Requirement.objects.create(service=service, order=999, text=" ".join(f"kata{i}" for i in range(6000)))
    service.legal_basis = [f"Peraturan nomor {i} tentang hal yang panjang sekali" for i in range(200)]
    service.save()

    pdf = _render(draft)
    assert pdf.startswith(b"%PDF")
    assert _pages(pdf) > 20
    text = _text(pdf)
    assert "Persyaratan tambahan nomor 299" in text
    assert "kata5999" in text
    assert "Peraturan nomor 199" in text
    assert "Budi" in text  # the signature still comes after it all


@pytest.mark.django_db
def test_view_serves_the_pdf_of_the_active_edition(client, active):
    response = client.get(reverse("catalog:standard_pdf", kwargs={"office": active.office.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="standar-pelayanan-contoh-2018.pdf"'
    assert response.content.startswith(b"%PDF")
    assert "LEGALISASI PELAYANAN PENGURUSAN PENDUDUK PINDAH" in _text(response.content)


@pytest.mark.django_db
def test_view_is_404_without_an_active_edition(client, active):
    other = Office.objects.create(slug="lain", region_code="35.77.08", name="Kecamatan Lain", city="Kota Contoh")
    response = client.get(reverse("catalog:standard_pdf", kwargs={"office": other.slug}))
    assert response.status_code == 404


@pytest.mark.django_db
def test_bundled_standard_book_holds_all_eighteen_services(client):
    from loket.catalog.services import standard_load
    from loket.catalog.standard_file import DEFAULT_STANDARD, parse_standard_file

    standard_load()
    response = client.get("/kartoharjo/standar-pelayanan.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    for service in parse_standard_file(DEFAULT_STANDARD).services:
        assert " ".join(service.name.split()) in text, service.name
    assert "TJATOER WAHJOEDIANTO" in text and "Madiun, Agustus 2018" in text


def _maklumat_page(text: str) -> str:
    return text.split("MAKLUMAT PELAYANAN", 1)[1].split("1. JENIS PELAYANAN", 1)[0]


@pytest.mark.django_db
def test_the_offices_own_maklumat_is_signed_by_the_camat(active):
    Office.objects.filter(pk=active.office_id).update(maklumat="Kami berjanji melayani dengan sepenuh hati.")
    active.office.refresh_from_db()
    page = _maklumat_page(_text(_render(active)))
    assert "Kami berjanji melayani" in page
    assert "CAMAT CONTOH" in page and "Budi" in page and "NIP. 19700101 199001 1 001" in page


@pytest.mark.django_db
def test_the_bundled_model_maklumat_is_never_printed_as_signed(active):
    from loket.catalog.pdf import MODEL_MAKLUMAT
    from loket.catalog.standard_file import DEFAULT_STANDARD, parse_standard_file

    bundled = parse_standard_file(DEFAULT_STANDARD).office.maklumat
    assert " ".join(bundled.split()) == MODEL_MAKLUMAT  # the constant is the bundled wording
    Office.objects.filter(pk=active.office_id).update(maklumat=bundled)
    active.office.refresh_from_db()
    page = _maklumat_page(_text(_render(active)))
    assert "SANGGUP MENYELENGGARAKAN" in page and "Contoh maklumat pelayanan" in page
    assert "NIP." not in page and "CAMAT CONTOH" not in page
