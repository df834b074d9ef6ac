"""The papers of a deed case: the receipt (tanda terima berkas akta tanah) and the cover sheet
(sampul akta), read back as text with pypdf, and the view that serves them.

Cases are taken through the real acts of loket.deeds.services with the clock moved
(``timezone.now`` patched) so that the sidang lies in the past when the Camat signs."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from loket.deeds import papers, services
from loket.deeds.models import Case, TaxProof
from tests.deeds.conftest import NIKS, inheritance, sale
from tests.support.deed_clock import intake, local, other_office_case, registered, requirements as _requirements
from tests.support.pdf import text_and_pages as _text


def _case(code) -> Case:
    """As the view reads it."""
    return (Case.objects.select_related("office", "service", "kelurahan", "received_by", "signed_by",
                                        "register_entry__book").prefetch_related("parties").get(code=code))


@pytest.fixture
def done(deed_office, officials) -> Case:
    """A jual beli registered as the first deed of 2026 (sidang Tuesday 3 March 2026, 09:00)."""
    return registered(deed_office, officials, sale(), sidang=local(2026, 3, 3, 9, 0))


# --- helpers ---------------------------------------------------------------------------------------

def test_the_nop_is_printed_in_its_groups():
    assert papers.nop_display("357701000100100010") == "35.77.010.001.001-0001.0"
    assert papers.nop_display("35.77.010.001.001-0001.0") == "35.77.010.001.001-0001.0"
    assert papers.nop_display("123") == "123"  # not 18 digits: as it is


# --- the receipt -------------------------------------------------------------------------------------

def test_the_receipt_of_a_complete_sale(deed_office, officials):
    case = intake(deed_office, officials, sale(), when=local(2026, 3, 2, 8, 0))
    pdf = papers.receipt_pdf(_case(case.code))
    assert pdf.startswith(b"%PDF")
    text, pages = _text(pdf)
    assert pages <= 2
    code = f"{case.code[:4]}-{case.code[4:]}"
    for part in [
        "TANDA TERIMA BERKAS AKTA TANAH", "KECAMATAN KARTOHARJO", code, "Akta Jual Beli",
        "2 Maret 2026 08:00 WIB", "Diterima front office",
        "Penjual", "Siti Aminah", "Pembeli", "Budi Santoso", NIKS[0][:6] + "*" * 10, NIKS[1][:6] + "*" * 10,
        "Letter C/ Petok D/ persil", "Letter C No. 1234 Persil 56", "Jl. Salak III, Kelurahan Oro-oro Ombo",
        "250 m²", "35.77.010.001.001-0001.0", "Rp 120.000.000", "Rp 150.000.000",
        "Kuitansi jual beli", "Foto copy Petok Persil/ Letter C", "Ada",
        "Tarif kantor 1%", "Rp 1.500.000", "Satu juta lima ratus ribu rupiah",
        "PP 24/2016 Pasal 32 ayat (1)", "termasuk uang jasa saksi",
        "2 minggu/ 60 (enam puluh) hari", "Target selesai 16 Maret 2026", "Paling lambat 1 Mei 2026",
        "Petugas", "Petugas, Petugas Pelayanan (front office)",
    ]:
        assert part in text, part
    for nik in NIKS[:2]:
        assert nik not in text  # the full NIK is never printed
    assert "Surat Pernyataan Ahli Waris" not in text  # not a waris: that item does not apply
    assert "BELUM ADA" not in text


def test_the_receipt_of_an_incomplete_case_says_what_is_missing(deed_office, officials):
    everything = _requirements(deed_office)
    case = intake(deed_office, officials, inheritance(), when=local(2026, 3, 2, 8, 0), present=everything[:3])
    assert case.state == Case.State.RETURNED
    text, _ = _text(papers.receipt_pdf(_case(case.code)))
    for part in ["Akta Pembagian Hak Bersama (karena pewarisan)", "Pewaris (almarhum/ almarhumah)", "Sarno (alm.)", "Ahli waris", "Bagian 1/2",
                 "Bagian 1/4", "Dikuasakan kepada Joko (Surat kuasa 12 November 2026)", "SHM No. 789/Klegen",
                 "Kelurahan Klegen", "BELUM ADA", "dihitung setelah berkas lengkap",
                 "Berkas belum lengkap dan dikembalikan", "Rp 900.000"]:
        assert part in text, part
    for nik in NIKS[2:]:
        assert nik not in text
    assert "Target selesai 16" not in text


def test_a_free_case_shows_no_fee_and_the_rule(deed_office, officials):
    case = intake(deed_office, officials, sale(fee_free=True), when=local(2026, 3, 2, 8, 0))
    text, _ = _text(papers.receipt_pdf(_case(case.code)))
    assert "Rp 0" in text and "tanpa biaya (pemohon tidak mampu)" in text
    assert "PP 24/2016 Pasal 32 ayat (2)" in text
    assert "Satu juta lima ratus ribu" not in text


def test_a_lower_agreed_fee_is_printed_with_its_cap(deed_office, officials):
    case = intake(deed_office, officials, sale(fee=1_000_000), when=local(2026, 3, 2, 8, 0))
    text, _ = _text(papers.receipt_pdf(_case(case.code)))
    assert "Uang jasa Rp 1.000.000" in text and "Satu juta rupiah" in text
    assert "Paling banyak Rp 1.500.000" in text


def test_the_receipt_of_a_registered_deed_carries_its_number(done):
    text, _ = _text(papers.receipt_pdf(_case(done.code)))
    assert "Nomor akta 1/2026" in text and "Dicatat di Buku Register PPAT" in text


def test_a_long_paragraph_typed_by_a_clerk_is_not_markup(deed_office, officials):
    data = sale(land_address="Jl. <b>Salak</b> & Co <font size=40>x</font>")
    case = intake(deed_office, officials, data, when=local(2026, 3, 2, 8, 0))
    text, _ = _text(papers.receipt_pdf(_case(case.code)))
    assert "Jl. <b>Salak</b> & Co <font size=40>x</font>" in text


# --- the cover ------------------------------------------------------------------------------------

def test_the_cover_of_a_registered_sale(done):
    pdf = papers.cover_pdf(_case(done.code))
    assert pdf.startswith(b"%PDF")
    text, pages = _text(pdf)
    assert pages == 1
    for part in ["PEJABAT PEMBUAT AKTA TANAH SEMENTARA", "CAMAT KARTOHARJO", "Daerah kerja: Kecamatan Kartoharjo",
                 "AKTA JUAL BELI", "Nomor: 1/2026", "Tanggal: 3 Maret 2026", "Penjual Siti Aminah",
                 "Pembeli Budi Santoso", "Letter C No. 1234 Persil 56", "Kelurahan Oro-oro Ombo", "250 m²",
                 "35.77.010.001.001-0001.0", "Rp 150.000.000 (seratus lima puluh juta rupiah)",
                 # The PPAT is named from the office's data (the Camat's titled name and NIP, printed
                 # in the 8-6-1-3 grouping), not from the signing account.
                 "Dibuat di hadapan:", "TJATOER WAHJOEDIANTO, S.Sos.", "Camat Kartoharjo selaku PPAT Sementara",
                 "NIP. 19671010 198903 1 013",
                 "Saksi: Saksi Satu dan Saksi Dua", "Buku Register PPAT Nomor 1/2026 tanggal 3 Maret 2026",
                 f"Kode berkas {done.code[:4]}-{done.code[4:]}"]:
        assert part in text, part
    for nik in NIKS:
        assert nik not in text and nik[:6] + "*" * 10 not in text  # no NIK on the cover at all


def test_the_cover_of_an_inheritance_lists_heirs_with_shares(deed_office, officials, done):
    case = registered(deed_office, officials, inheritance(), sidang=local(2026, 3, 4, 10, 0))
    text, _ = _text(papers.cover_pdf(_case(case.code)))
    for part in ["AKTA PEMBAGIAN HAK BERSAMA (KARENA PEWARISAN)", "Nomor: 2/2026", "Tanggal: 4 Maret 2026", "Sarno (alm.)",
                 "Sumini (bagian 1/2); Joko (bagian 1/4); Wati (bagian 1/4)", "Kuasa Joko untuk Wati",
                 "SHM No. 789/Klegen (Sertifikat Hak Milik)", "Rp 90.000.000 (sembilan puluh juta rupiah)"]:
        assert part in text, part


def test_the_cover_stays_after_hand_over(done, officials):
    services.case_handover(code=done.code, actor=officials["ppat"], to="Budi Santoso")
    text, _ = _text(papers.cover_pdf(_case(done.code)))
    assert "Nomor: 1/2026" in text


@pytest.mark.parametrize("stop", ["validated", "scheduled", "signed"])
def test_no_cover_before_the_register(deed_office, officials, stop):
    case = registered(deed_office, officials, sale(), sidang=local(2026, 3, 3, 9, 0), stop=stop)
    with pytest.raises(papers.NotRegistered):
        papers.cover_pdf(_case(case.code))


# --- the view ---------------------------------------------------------------------------------------

def _url(code, paper):
    return reverse("deeds:paper", args=[code, paper])


@pytest.mark.parametrize("role", ["front", "ppat", "kasi_pem", "kasi_other", "sekcam", "camat", "bendahara",
                                  "admin"])
def test_every_staff_role_gets_both_papers(client, officials, done, role):
    client.force_login(officials[role])
    for paper, words in [("tanda-terima", "TANDA TERIMA BERKAS AKTA TANAH"), ("sampul", "Nomor: 1/2026")]:
        r = client.get(_url(done.code, paper))
        assert r.status_code == 200, paper
        assert r["Content-Type"] == "application/pdf"
        assert r["Content-Disposition"] == f'inline; filename="{paper}-{done.code}.pdf"'
        assert r.content.startswith(b"%PDF")
        assert words in _text(r.content)[0]


def test_the_code_may_be_typed_in_any_case_with_a_dash(client, officials, done):
    client.force_login(officials["front"])
    code = f"{done.code[:4]}-{done.code[4:]}".lower()
    assert client.get(_url(code, "tanda-terima")).status_code == 200


def test_the_view_404s(client, deed_office, officials, done):
    client.force_login(officials["front"])
    assert client.get(_url(done.code, "kuitansi")).status_code == 404  # unknown paper
    assert client.get(_url("ZZZZZZZZ", "tanda-terima")).status_code == 404  # no such case
    signed = registered(deed_office, officials, sale(), sidang=local(2026, 3, 5, 9, 0), stop="signed")
    assert client.get(_url(signed.code, "sampul")).status_code == 404  # signed, not yet registered
    assert client.get(_url(signed.code, "tanda-terima")).status_code == 200
    other = other_office_case(deed_office, at=local(2026, 3, 10, 10, 0))
    for paper in ("tanda-terima", "sampul"):
        assert client.get(_url(other.code, paper)).status_code == 404  # another office's case


def test_the_other_office_sees_only_its_own(client, deed_office, done):
    other = other_office_case(deed_office, at=local(2026, 3, 10, 10, 0))
    client.force_login(other.received_by)
    assert client.get(_url(done.code, "tanda-terima")).status_code == 404
    r = client.get(_url(other.code, "sampul"))
    assert r.status_code == 200 and "Kelurahan Rahasia" in _text(r.content)[0]


def test_anonymous_and_non_staff(client, django_user_model, done):
    r = client.get(_url(done.code, "tanda-terima"))
    assert r.status_code == 302 and r["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    client.force_login(django_user_model.objects.create_user("warga", password="x-Pass-12345"))
    assert client.get(_url(done.code, "tanda-terima")).status_code == 403


def test_the_tax_proofs_recorded_by_the_helper(done):
    kinds = set(done.tax_proofs.values_list("kind", flat=True))
    assert kinds == {TaxProof.Kind.PBB, TaxProof.Kind.BPHTB, TaxProof.Kind.PPH}
    assert done.signed_at == local(2026, 3, 3, 9, 5) and done.register_entry.entered_at == local(2026, 3, 3, 10, 0)

