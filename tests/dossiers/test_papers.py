"""Printed papers: the receipt, the return slip and the verification label, as PDF bytes and
through the staff endpoint."""

import datetime as dt
import io

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from loket.core.formats import tanggal
from loket.core import codes
from loket.core import pdf
from loket.dossiers import papers, services
from loket.dossiers.models import Dossier
from tests.factories import applicant_data
from tests.support.pdf import text_and_pages, text_of
from loket.core.errors import InvalidInput

S = Dossier.State
NIK = "3577014508900001"
PHONE = "081234567890"
TRACK = "http://testserver/lacak/{}/"
SURVEY = "http://testserver/skm/{}/"
VERIFY = "http://testserver/verifikasi/{}/"
SERVICE = "LEGALISASI PELAYANAN PENGURUSAN PENDUDUK PINDAH"


def intake(office, people, present, originals=None, **kw):
    return services.dossier_intake(
        office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
        present=present, originals=present if originals is None else originals, **kw,
    )


def registered(office, people, items):
    d = intake(office, people, items)
    for fn, who in [(services.dossier_forward, "front"), (services.dossier_initial, "kasi"),
                    (services.dossier_sign, "camat"), (services.dossier_register, "front")]:
        d = fn(code=d.code, actor=people[who])
    return d


@pytest.fixture
def qr_calls(monkeypatch):
    """Record what the papers ask a QR code for, while still building it."""
    calls = []
    real = pdf.qr_matrix

    def spy(data):
        calls.append(data)
        return real(data)

    monkeypatch.setattr(pdf, "qr_matrix", spy)
    return calls


# --- helpers ---------------------------------------------------------------------------------

def test_dates_are_in_jakarta_time_with_indonesian_months():
    at = dt.datetime(2026, 11, 25, 7, 5, tzinfo=dt.timezone.utc)
    assert tanggal(at, with_time=True) == "25 November 2026 14:05 WIB"
    assert tanggal(at) == "25 November 2026"
    assert tanggal(dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.timezone.utc), with_time=True) == "1 Januari 2027 00:30 WIB"
    assert tanggal(dt.date(2026, 8, 17)) == "17 Agustus 2026"


def test_qr_matrix_is_the_segno_code_of_the_url():
    url = TRACK.format("ABCDEFGH")
    matrix = pdf.qr_matrix(url)
    expected = segno.make_qr(url, error="m")
    assert len(matrix) == len(matrix[0]) == expected.symbol_size(border=0)[0]
    assert [list(row) for row in matrix] == [list(row) for row in expected.matrix]
    assert matrix != pdf.qr_matrix(TRACK.format("ABCDEFGJ"))


# --- receipt ---------------------------------------------------------------------------------

def test_receipt(office, people, all_items, qr_calls):
    d = intake(office, people, all_items)
    url = TRACK.format(d.code)
    pdf = papers.receipt_pdf(dossier=d, tracking_url=url)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    shown = codes.display(d.code)
    for expected in [
        "KECAMATAN CONTOH", "Telp. (0351) 1", "TANDA TERIMA BERKAS", shown, SERVICE, "S*** A*****",
        "357701**********", "5 – 10 menit", "Surat Pengantar RT/ RW",
        "Kartu Keluarga asli (asli ditunjukkan)", f"Lacak berkas Anda di {url} dengan kode {shown}",
    ]:
        assert expected in text, expected
    assert "Formulir F-1.35" not in text  # its condition was not met: not part of this dossier
    assert NIK not in text and PHONE not in text and "Siti" not in text and "Aminah" not in text
    assert qr_calls == [url]


def test_receipt_carries_the_qr_of_the_satisfaction_survey(office, people, all_items, qr_calls):
    d = intake(office, people, all_items)
    url, survey = TRACK.format(d.code), SURVEY.format(d.code)
    pdf = papers.receipt_pdf(dossier=d, tracking_url=url, survey_url=survey)
    text = text_of(pdf)
    assert qr_calls == [url, survey]  # both QR codes are drawn: tracking, then the survey form
    assert papers.SURVEY_LINE in text and papers.TRACK_QR_LINE in text
    # the address runs across the whole width, on one line, never broken
    assert f"Lacak berkas Anda di {url} dengan kode {codes.display(d.code)}" in text
    assert "Simpan tanda terima ini" in text
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox  # still A6
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (105, 148)
    assert len(reader.pages) == 1  # the mini standard's three requirements and both QRs fit on one page
    assert NIK not in text and PHONE not in text


def test_receipt_says_where_the_privacy_notice_is(client, office, people, all_items):
    d = intake(office, people, all_items)
    text = text_of(papers.receipt_pdf(dossier=d, tracking_url=TRACK.format(d.code),
                                      privacy_url="https://loket.example/contoh/privasi/"))
    assert "Pemberitahuan pelindungan data pribadi: https://loket.example/contoh/privasi/" in text
    client.force_login(people["front"])
    served = text_of(client.get(f"/staf/berkas/{d.code}/tanda-terima.pdf").content)
    assert f"/{office.slug}/privasi/" in served  # the page's receipt links the office's own notice


def test_receipt_date_is_indonesian(office, people, all_items):
    d = intake(office, people, all_items)
    Dossier.objects.filter(pk=d.pk).update(received_at=dt.datetime(2026, 11, 25, 7, 5, tzinfo=dt.timezone.utc))
    d.refresh_from_db()
    assert "25 November 2026 14:05 WIB" in text_of(papers.receipt_pdf(dossier=d, tracking_url=TRACK.format(d.code)))


def test_receipt_lists_only_what_was_handed_in(office, people, all_items):
    first, _conditional, original = all_items
    d = intake(office, people, [first])
    text = text_of(papers.receipt_pdf(dossier=d, tracking_url=TRACK.format(d.code)))
    assert "Surat Pengantar RT/ RW" in text
    assert "Kartu Keluarga asli" not in text
    assert "lihat slip pengembalian" in text


# --- return slip -----------------------------------------------------------------------------

def test_return_slip_lists_exactly_what_is_missing(office, people, all_items, qr_calls):
    first, conditional, original = all_items
    # F-1.35 applies and is missing; the KK was handed in but its original not shown.
    d = intake(office, people, [first, original], originals=[], answers={"pindah_antar_kota_provinsi": True})
    assert d.state == S.RETURNED
    recorded = d.transitions.filter(to_state=S.RETURNED).last().missing
    assert recorded == ["Formulir F-1.35", "Kartu Keluarga asli (tunjukkan yang asli)"]
    url = TRACK.format(d.code)
    pdf = papers.return_slip_pdf(dossier=d, tracking_url=url)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    shown = codes.display(d.code)
    for expected in [
        "SLIP PENGEMBALIAN BERKAS", shown, SERVICE, "Berkas belum lengkap.", "Petugas",
        "1. Formulir F-1.35", "2. Kartu Keluarga asli (tunjukkan yang asli)",
        "Silakan lengkapi dan bawa kembali berkas ini ke loket. Kode berkas tetap sama.",
        f"Lacak berkas Anda di {url} dengan kode {shown}",
    ]:
        assert expected in text, expected
    assert "Surat Pengantar RT/ RW" not in text  # handed in
    assert NIK not in text and PHONE not in text
    assert qr_calls == [url]


def test_return_slip_follows_the_latest_return(office, people, all_items):
    first, _conditional, original = all_items
    d = intake(office, people, [first])
    assert d.transitions.last().missing == ["Kartu Keluarga asli"]
    d = services.dossier_resubmit(code=d.code, actor=people["front"], present=[first, original], originals=[])
    assert d.state == S.RETURNED
    text = text_of(papers.return_slip_pdf(dossier=d, tracking_url=TRACK.format(d.code)))
    assert "1. Kartu Keluarga asli (tunjukkan yang asli)" in text
    assert "Masih belum lengkap." in text
    assert "Surat Pengantar RT/ RW" not in text


def test_return_slip_by_the_kasi_shows_who_and_why(office, people, all_items):
    d = intake(office, people, all_items)
    services.dossier_forward(code=d.code, actor=people["front"])
    reason = "Cap kelurahan <tidak jelas> & buram"
    d = services.dossier_return(code=d.code, actor=people["kasi"], reason=reason, missing=["Surat Pengantar RT/ RW"])
    d.refresh_from_db()
    text = text_of(papers.return_slip_pdf(dossier=d, tracking_url=TRACK.format(d.code)))
    assert reason in text  # escaped, not taken as markup
    assert "Kasi.Pem, Kasi Pemerintahan" in text
    assert "1. Surat Pengantar RT/ RW" in text
    assert "Kartu Keluarga asli" not in text and "Formulir F-1.35" not in text


def test_return_slip_refuses_a_dossier_never_returned(office, people, all_items):
    d = intake(office, people, all_items)
    with pytest.raises(ValueError):
        papers.return_slip_pdf(dossier=d, tracking_url=TRACK.format(d.code))


# --- verification label --------------------------------------------------------------------

def test_verification_stamp(office, people, all_items, qr_calls):
    d = registered(office, people, all_items)
    qr_calls.clear()  # registering drew the legalisation's QR; this test is about the label's
    url = VERIFY.format(d.verification_code)
    pdf = papers.verification_stamp_pdf(dossier=d, verify_url=url)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (80, 50)
    text = text_of(pdf)
    for expected in [
        "Terverifikasi Loket — Kecamatan Contoh", d.register_entry.number_display,
        codes.display(d.verification_code), "Pindai untuk memeriksa keaslian",
        tanggal(d.register_entry.entered_at),
    ]:
        assert expected in text, expected
    assert NIK not in text and "Siti" not in text
    assert qr_calls == [url]


def test_verification_stamp_refuses_an_unregistered_dossier(office, people, all_items):
    d = intake(office, people, all_items)
    with pytest.raises(ValueError):
        papers.verification_stamp_pdf(dossier=d, verify_url=VERIFY.format("X"))


# --- endpoints ---------------------------------------------------------------------------

def _get(client, d, kind):
    return client.get(reverse("dossiers:paper", args=[d.code, kind]))


def test_endpoints_serve_pdfs(client, office, people, all_items):
    client.force_login(people["front"])
    d = registered(office, people, all_items)
    r = _get(client, d, "tanda-terima")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and codes.display(d.code) in text_of(r.content)
    assert f"/lacak/{d.code}/" in text_of(r.content).replace(" ", "")
    assert papers.SURVEY_LINE in text_of(r.content)
    r = _get(client, d, "stempel-verifikasi")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert codes.display(d.verification_code) in text_of(r.content)

    returned = intake(office, people, all_items[:1])
    r = _get(client, returned, "slip-pengembalian")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "Kartu Keluarga asli" in text_of(r.content)


def test_receipt_endpoint_points_the_survey_qr_at_the_public_form(client, office, people, all_items, qr_calls):
    client.force_login(people["front"])
    d = intake(office, people, all_items)
    r = _get(client, d, "tanda-terima")
    assert r.status_code == 200
    survey = SURVEY.format(d.code)
    assert survey == "http://testserver" + reverse("surveys:form", args=[d.code])
    assert qr_calls == [TRACK.format(d.code), survey]


def test_endpoints_refuse_papers_that_do_not_apply(client, office, people, all_items):
    client.force_login(people["front"])
    d = intake(office, people, all_items)
    assert _get(client, d, "slip-pengembalian").status_code == 404  # never returned
    assert _get(client, d, "stempel-verifikasi").status_code == 404  # not registered
    assert _get(client, d, "lain").status_code == 404
    assert _get(client, d, "tanda-terima").status_code == 200


def test_endpoints_need_a_staff_login(client, office, people, all_items):
    d = intake(office, people, all_items)
    r = _get(client, d, "tanda-terima")
    assert r.status_code == 302 and "/masuk/" in r["Location"]


LONG_PUBLIC = "https://pelayanan-kecamatan.kartoharjo.madiunkota.go.id"


def test_every_receipt_of_the_bundled_standard_is_one_page_with_the_address_whole(db):
    """Every service of the Kartoharjo standard, its whole checklist handed in, a long public
    address: the receipt (both QR codes) is one A6 page and the tracking address is printed
    whole (issue 15: a second sheet gets lost, a broken address cannot be typed)."""
    from loket.catalog.models import ServiceType
    from loket.catalog.services import standard_load
    from loket.offices.roles import Role
    from loket.offices.services import roles_sync, staff_create

    roles_sync()
    office = standard_load().office
    front = staff_create(office=office, username="fo", role=Role.FRONT_OFFICE, password="x-Pass-12345").user
    counter = ServiceType.objects.filter(edition__office=office, edition__status="active",
                                         register_book=ServiceType.RegisterBook.PELAYANAN)
    checked = 0
    for service in counter.prefetch_related("requirements"):
        ids = [r.pk for r in service.requirements.all() if not r.condition_key]
        try:
            d = services.dossier_intake(office=office, service_code=service.code,
                                        applicant=applicant_data(kelurahan="35.77.01.1008"),
                                        actor=front, present=ids, originals=ids)
        except InvalidInput:
            continue  # a service whose intake needs answers to its conditions; the others cover the layout
        url, survey = f"{LONG_PUBLIC}/lacak/{d.code}/", f"{LONG_PUBLIC}/skm/{d.code}/"
        for with_survey in (None, survey):
            text, pages = text_and_pages(papers.receipt_pdf(dossier=d, tracking_url=url, survey_url=with_survey))
            assert pages == 1, service.code
            assert f" {url} " in f" {text} ", service.code  # one word: not split by a line break
            assert all(r.text.split()[0] in text for r in service.requirements.all() if not r.condition_key)
        checked += 1
    assert checked >= 10


def test_receipt_endpoint_uses_the_public_address_when_set(client, office, people, all_items, qr_calls, settings):
    """LOKET_PUBLIC_URL: the receipt printed at a counter PC that opened Loket at
    http://127.0.0.1:8000 carries the office's public address in its QR codes and text."""
    settings.LOKET_PUBLIC_URL = "https://loket.contoh.go.id"
    client.force_login(people["front"])
    d = intake(office, people, all_items)
    r = client.get(reverse("dossiers:paper", args=[d.code, "tanda-terima"]), HTTP_HOST="127.0.0.1:8000")
    assert r.status_code == 200
    track = f"https://loket.contoh.go.id/lacak/{d.code}/"
    assert qr_calls == [track, f"https://loket.contoh.go.id/skm/{d.code}/"]
    text, pages = text_and_pages(r.content)
    assert f"Lacak berkas Anda di {track} dengan kode {codes.display(d.code)}" in text and pages == 1
    assert "127.0.0.1" not in text and "testserver" not in text


def test_papers_fall_back_to_the_request_address(client, office, people, all_items, qr_calls, settings):
    settings.LOKET_PUBLIC_URL = ""
    client.force_login(people["front"])
    d = intake(office, people, all_items[:1])  # returned: it has a slip too
    assert client.get(reverse("dossiers:paper", args=[d.code, "slip-pengembalian"])).status_code == 200
    assert qr_calls == [TRACK.format(d.code)]
