"""The papers of the hall: the Surat Penawaran/ Tagihan Sewa Gedung and the kuitansi, read back
as text with pypdf."""

from __future__ import annotations

import pytest

from loket.core.formats import tanggal
from loket.offices.models import Staff
from loket.rentals import papers, selectors, services
from loket.rentals.models import Booking
from tests.rentals.conftest import next_month, order
from tests.support.pdf import text_and_pages as _text


@pytest.fixture
def booked(hall_office, clerks) -> Booking:
    staff = Staff.objects.get(user=clerks["bendahara"])
    staff.nip = "198001012005011001"
    staff.save()
    return services.booking_create(office=hall_office, actor=clerks["kasubbag"], data=order())


def test_the_quote_has_the_lines_total_words_and_signature(booked):
    pdf = papers.quote_pdf(booking=booked)
    assert pdf.startswith(b"%PDF")
    text, pages = _text(pdf)
    assert pages == 1
    for part in ["SURAT PENAWARAN/ TAGIHAN SEWA GEDUNG", booked.office.name.upper(), "Drs. Bambang",
                 "Dinas Pendidikan Kota Madiun", "Rapat koordinasi kepala sekolah", "Gedung Pertemuan Karto Praja",
                 papers.when_text(booked), "Sehari (07.00–20.00 WIB)", "Pemerintah Daerah 50 %",
                 "Rp 1.000.000", "Rp 280.000", "Rp 70.000", "JUMLAH Rp 1.350.000",
                 "Terbilang: Satu juta tiga ratus lima puluh ribu rupiah",
                 "Honor petugas kebersihan", f"Buku Register Penyewa No. {booked.register_entry.number_display}",
                 "Bendahara Penerimaan", "Bendahara", "NIP. 19800101 200501 1 001"]:
        assert part in text, part
    assert booked.phone not in text  # no telephone number on paper


@pytest.mark.parametrize("site, shown", [("", "halaman /{slug}/privasi/ di situs Loket kantor"),
                                         ("https://loket.example.go.id", "https://loket.example.go.id/{slug}/privasi/")])
def test_the_quote_says_where_the_privacy_notice_is(booked, settings, site, shown):
    settings.LOKET_PUBLIC_URL = site
    text, _ = _text(papers.quote_pdf(booking=booked))
    assert shown.format(slug=booked.office.slug) in text.replace("\n", " ")


def test_an_inquirys_quote_has_no_register_number_and_a_long_booking_its_days(hall_office, clerks):
    b = services.booking_create(office=hall_office, actor=clerks["kasubbag"], inquiry=True,
                                data=order(session="siang", days="3", renter_type="swasta", organisation="",
                                           cleaning=False, parking=False, security=True))
    text, _ = _text(papers.quote_pdf(booking=b))
    assert "Buku Register Penyewa" not in text
    assert f"{papers.when_text(b)}" in text and "s.d." in text and "(3 hari)" in text
    assert "Rp 3.210.000" in text and "Tiga juta dua ratus sepuluh ribu rupiah" in text
    assert "Potongan 50 % hanya untuk pemakaian oleh Pemerintah Daerah" in text


def test_a_quote_without_a_bendahara_has_a_dotted_name(hall_office, clerks):
    b = services.booking_create(office=hall_office, actor=clerks["kasubbag"], data=order())
    Staff.objects.filter(user=clerks["bendahara"]).delete()
    text, _ = _text(papers.quote_pdf(booking=b))
    assert "(" + "." * 40 + ")" in text


def test_the_receipt_has_its_number_amount_words_purpose_and_bendahara(booked, clerks):
    with pytest.raises(ValueError):
        papers.receipt_pdf(booking=booked)
    services.booking_pay(code=booked.code, actor=clerks["bendahara"], amount=booked.total)
    b = selectors.booking_get(office=booked.office, code=booked.code)  # as the view reads it
    pdf = papers.receipt_pdf(booking=b)
    assert pdf.startswith(b"%PDF")
    text, pages = _text(pdf)
    assert pages == 1
    for part in ["KUITANSI", f"Kuitansi No. {b.receipt_entry.number_display}", "Telah terima dari",
                 "Drs. Bambang, Dinas Pendidikan Kota Madiun", "Uang sejumlah",
                 "Satu juta tiga ratus lima puluh ribu rupiah", "Rp 1.350.000",
                 "Retribusi sewa Gedung Pertemuan Karto Praja, acara Rapat koordinasi kepala sekolah, tanggal",
                 papers.when_text(b), "Bendahara Penerimaan", "Bendahara", "NIP. 19800101 200501 1 001",
                 f"Madiun, {tanggal(b.paid_at)}"]:
        assert part in text, part
    assert "Kota Madiun," not in text


def test_typed_markup_is_printed_as_text(hall_office, clerks):
    b = services.booking_create(office=hall_office, actor=clerks["kasubbag"],
                                data=order(event="Rapat <b>RT</b> & RW", date=next_month(20).isoformat()))
    text, _ = _text(papers.quote_pdf(booking=b))
    assert "Rapat <b>RT</b> & RW" in text
