"""Every public page renders for every service of the bundled Kartoharjo 2018 standard."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.catalog.services import standard_load
from loket.catalog.standard_file import DEFAULT_STANDARD, parse_standard_file

STANDARD = parse_standard_file(DEFAULT_STANDARD)
COMPONENTS = [
    "Persyaratan pelayanan", "Sistem, mekanisme dan prosedur", "Jangka waktu penyelesaian", "Biaya/ tarif",
    "Produk layanan", "Dasar hukum", "Sarana, prasarana, dan/ atau fasilitas", "Kompetensi pelaksana",
    "Pengawasan internal", "Penanganan pengaduan, saran dan masukan", "Jumlah pelaksana", "Jaminan pelayanan",
    "Jaminan keamanan dan keselamatan pelayanan", "Evaluasi kinerja pelaksana",
]


@pytest.fixture
def kartoharjo(db):
    return standard_load()


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_root_goes_to_the_office(client, kartoharjo):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/kartoharjo/"


def test_home_shows_contacts_maklumat_and_all_services(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/"))
    for needle in ["(0351) 455844", "(0351) 495663", "kecamatankartoharjo@gmail.com",
                   "www.kecamatan-kartoharjo.madiunkota.go.id", "082233106063", "08125927804",
                   "Maklumat Pelayanan", "SANGGUP MENYELENGGARAKAN PELAYANAN", "TJATOER WAHJOEDIANTO, S.Sos."]:
        assert needle in page, needle
    for s in STANDARD.services:
        assert s.name in page
    assert 'href="https://wa.me/6282233106063"' in page


def test_pages_use_no_other_host(client, kartoharjo):
    page = client.get("/kartoharjo/layanan/ktp-el/").content.decode()
    # Every script, stylesheet and image is served by Loket itself (offices may be offline).
    for attr in re.findall(r'(?:src|href)="([^"]+)"', page):
        if attr.startswith(("http://", "https://", "//")):
            assert attr.startswith("https://wa.me/") or "madiunkota.go.id" in attr, attr
    assert "/static/django_htmx/htmx-2.min.js" in page or "/static/django_htmx/htmx-2.min" in page


@pytest.mark.parametrize("service", STANDARD.services, ids=lambda s: s.code)
def test_service_page_has_every_component(client, kartoharjo, service):
    page = text_of(client.get(f"/kartoharjo/layanan/{service.code}/"))
    assert service.name in page
    for heading in COMPONENTS:
        assert heading in page, heading
    for r in service.requirements:
        assert r.text in page
        if r.condition:
            assert r.condition in page
    for step in service.procedure:
        assert step in page
    for law in service.legal_basis:
        assert law in page
    assert service.duration.text in page
    assert service.fee.text in page
    assert service.product in page
    assert service.staffing in page


def test_conditions_and_originals_are_marked(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/layanan/pindah/"))
    assert re.search(r"Formulir F-1\.35.*?Hanya jika pindah antar Kota/ Provinsi", page, re.S)
    assert re.search(r"Kartu Keluarga yg asli dan sudah berwarna biru\s*<span class=\"original\">", page)


def test_ppat_fee_and_days(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/layanan/ppat/"))
    assert "dibawah 1 % dari nilai transaksi" in page
    assert "Paling banyak 1% dari nilai transaksi." in page
    assert "2 minggu/ 60 (enam puluh) hari" in page


def test_hall_tariff_table(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/layanan/sewa-gedung/"))
    for needle in ["Rp 1.000.000", "Rp 1.500.000", "Rp 2.000.000", "Rp 280.000", "07.00–15.00 WIB",
                   "Pemakaian oleh Pemerintah Daerah dikenakan 50% dari tarif."]:
        assert needle in page, needle


@pytest.mark.parametrize("year, expected", [("1990", "biru"), ("1991", "merah"), ("2000", "biru")])
def test_ktp_el_photo_background_for_a_birth_year(client, kartoharjo, year, expected):
    page = text_of(client.get(f"/kartoharjo/layanan/ktp-el/?tahun_lahir={year}"))
    assert f"Lahir {year}: pas foto berlatar {expected}." in page


@pytest.mark.parametrize("bad", ["19x0", "90", "3000", "1800"])
def test_ktp_el_photo_background_refuses_a_bad_year(client, kartoharjo, bad):
    page = text_of(client.get(f"/kartoharjo/layanan/ktp-el/?tahun_lahir={bad}"))
    assert "Tulis tahun lahir dengan empat angka" in page
    assert "pas foto berlatar" not in page


def test_photo_rule_only_on_ktp_el(client, kartoharjo):
    assert "Cek warna latar" not in text_of(client.get("/kartoharjo/layanan/kk/"))


def test_search_and_filters(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/layanan/?q=ktp"))
    assert "1. KTP-el" in page and "Sewa gedung" not in page
    page = text_of(client.get("/kartoharjo/layanan/?unit=trantib"))
    assert [m for m in re.findall(r"<strong>(\d+)\. ", page)] == ["10", "11", "12"]
    page = text_of(client.get("/kartoharjo/layanan/?biaya=tariff"))
    assert "Sewa gedung" in page and "KTP-el" not in page
    page = text_of(client.get("/kartoharjo/layanan/?q=tidak-ada-layanan-ini"))
    assert "Tidak ada layanan yang cocok" in page


def test_search_by_requirement_wording(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/layanan/?q=F-1.37"))
    assert "Penduduk pindah" in page and "KTP-el" not in page


def test_htmx_search_returns_only_the_rows(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/layanan/?q=skck", HTTP_HX_REQUEST="true"))
    assert page.lstrip().startswith('<ul class="services" id="service-rows">')
    assert "<html" not in page and "SKCK" in page


def test_unknown_service_and_office_are_404(client, kartoharjo):
    assert client.get("/kartoharjo/layanan/tidak-ada/").status_code == 404
    assert client.get("/tidak-ada/").status_code == 404


def test_english_interface(client, kartoharjo):
    client.cookies["django_language"] = "en"
    page = text_of(client.get("/kartoharjo/layanan/ktp-el/"))
    assert "Requirements" in page and "Processing time" in page
    # The standard's own wording stays as signed.
    assert "Surat Pengantar RT/ RW" in page


def test_language_switch(client, kartoharjo):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kartoharjo/"})
    assert response.status_code == 302
    assert "Services" in text_of(client.get("/kartoharjo/"))


def test_detail_queries_do_not_grow_with_the_checklist(client, kartoharjo):
    client.get("/kartoharjo/layanan/ktp-el/")  # warm caches (content types, sessions)
    counts = {}
    for code in ("belum-menikah", "umkm"):  # 4 versus 12 requirements
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/kartoharjo/layanan/{code}/").status_code == 200
        counts[code] = len(ctx.captured_queries)
    assert counts["belum-menikah"] == counts["umkm"] <= 10, counts


def test_list_queries_bounded(client, kartoharjo):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/kartoharjo/layanan/").status_code == 200
    assert len(ctx.captured_queries) <= 10


def test_public_tracking_and_verification_pages_render_without_a_code(client, kartoharjo):
    assert "Kode lacak pada tanda terima" in text_of(client.get("/lacak/"))
    assert client.get("/verifikasi/ZZZZZZZZZZZZ/").status_code in (200, 404)


def test_stylesheet_and_scripts_are_served_by_loket(client, kartoharjo):
    from django.contrib.staticfiles import finders

    for path in ("loket/loket.css", "loket/clock.js", "django_htmx/htmx-2.min.js"):
        assert finders.find(path), path


def test_indonesian_even_when_the_browser_asks_for_english(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/layanan/ktp-el/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert "Persyaratan pelayanan" in page and 'lang="id"' in page


def test_photo_colour_in_english(client, kartoharjo):
    client.cookies["django_language"] = "en"
    page = text_of(client.get("/kartoharjo/layanan/ktp-el/?tahun_lahir=1991"))
    assert "1991" in page and "red" in page and "merah background" not in page


def test_public_pages_are_cached_for_visitors_but_not_for_staff(client, kartoharjo):
    from django.contrib.auth import get_user_model

    from loket.catalog.models import ServiceType

    first = client.get("/kartoharjo/layanan/").content
    # A change that does not go through an edition (here: straight in the database) is not seen
    # by a visitor until the page expires, which is what the cache promises ...
    ServiceType.objects.filter(code="ktp-el").update(short_name="KTP elektronik")
    assert client.get("/kartoharjo/layanan/").content == first
    assert b"Set-Cookie" not in b"".join(k.encode() for k in client.get("/kartoharjo/layanan/").headers)
    # ... while signed-in staff always get a fresh page.
    user = get_user_model().objects.create_user("lihat", password="x-Pass-12345")
    client.force_login(user)
    assert "KTP elektronik" in client.get("/kartoharjo/layanan/").content.decode()


def test_htmx_rows_and_full_page_are_cached_apart(client, kartoharjo):
    full = client.get("/kartoharjo/layanan/?q=skck").content.decode()
    rows = client.get("/kartoharjo/layanan/?q=skck", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in rows
    assert "<html" in client.get("/kartoharjo/layanan/?q=skck").content.decode()


def test_language_link_sets_the_cookie_and_returns(client, kartoharjo):
    r = client.get("/bahasa/en/?next=/kartoharjo/layanan/")
    assert r.status_code == 302 and r["Location"] == "/kartoharjo/layanan/"
    assert r.cookies["django_language"].value == "en"
    assert "List of services" in client.get("/kartoharjo/").content.decode() or "Services" in client.get("/kartoharjo/").content.decode()
    assert client.get("/bahasa/en/?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/bahasa/xx/").status_code == 404


def test_home_prints_the_signing_date_as_the_book_does(client, kartoharjo):
    """The book is signed "Madiun, Agustus 2018" with the day left blank: no invented day."""
    page = text_of(client.get("/kartoharjo/"))
    assert "Madiun, Agustus 2018" in page
    assert "1 Agustus 2018" not in page


def test_model_maklumat_is_not_presented_as_signed_by_the_camat(client, kartoharjo):
    page = text_of(client.get("/kartoharjo/"))
    maklumat = page[page.index("Maklumat Pelayanan"):page.index("Hubungi kami")]
    assert "Contoh maklumat pelayanan" in maklumat and "TJATOER" not in maklumat


def test_the_offices_own_maklumat_carries_the_camats_name(client, kartoharjo):
    from loket.offices.models import Office

    Office.objects.filter(pk=kartoharjo.office.pk).update(maklumat="Kami sanggup melayani sesuai standar.")
    page = text_of(client.get("/kartoharjo/"))
    maklumat = page[page.index("Maklumat Pelayanan"):page.index("Hubungi kami")]
    assert "Kami sanggup melayani" in maklumat and "TJATOER WAHJOEDIANTO, S.Sos." in maklumat
    assert "Contoh maklumat" not in maklumat
