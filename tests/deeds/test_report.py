"""The PPAT's monthly report (Laporan Bulanan PPAT: daftar akta yang dibuat): the page, the XLSX
and the landscape PDF.

Deeds are taken through the real acts with the clock moved: two registered in March 2026 (the
second at 23:30 on the last day), one signed on 31 March but registered at 00:30 on 1 April in
Jakarta (still March in UTC), one signed in March and never registered, and one of another
office registered in March. Every figure below is worked out by hand."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from loket.deeds import exports
from tests.deeds.conftest import NIKS, inheritance, sale
from tests.support.deed_clock import BPHTB, PPH, local, other_office_case, registered
from tests.support.http import inline_code as _inline_code

MARCH = "2026-03"
GIFT = sale(deed_kind="hibah", value=50_000_000, njop=45_000_000, land_title="shgb",
            land_reference="SHGB No. 55/Sukosari", kelurahan="35.77.01.1002", land_address="", area_m2=120,
            nop="357701000200300040", parties=[
                {"role": "pemberi_hibah", "name": "Harjono", "nik": NIKS[0]},
                {"role": "penerima_hibah", "name": "Ratna Harjono", "nik": NIKS[1]},
            ])  # below Rp 60 juta: no SSB, no SSP


@pytest.fixture
def deeds(deed_office, officials):
    d = {
        "sale": registered(deed_office, officials, sale(), sidang=local(2026, 3, 3, 9, 0)),
        "waris": registered(deed_office, officials, inheritance(), sidang=local(2026, 3, 31, 14, 0),
                            registered_at=local(2026, 3, 31, 23, 30)),
        "april": registered(deed_office, officials, GIFT, sidang=local(2026, 3, 31, 15, 0),
                            registered_at=local(2026, 4, 1, 0, 30)),  # 31 March 17:30 UTC
        "signed": registered(deed_office, officials, sale(land_reference="Letter C No. 9 belum dicatat"),
                             sidang=local(2026, 3, 10, 9, 0), stop="signed"),
    }
    d["other"] = other_office_case(deed_office, at=local(2026, 3, 10, 10, 0))
    return d


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _pdf_text(response) -> tuple[str, int]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages), reader.pages[0]


def _get(client, name, bulan=MARCH):
    return client.get(reverse(f"deeds:{name}"), {"bulan": bulan} if bulan is not None else {})


# --- the data --------------------------------------------------------------------------------------

def test_the_month_counted_by_hand(deed_office, deeds):
    data = exports.month_report(office=deed_office, year=2026, month=3)
    assert [r.case.code for r in data["rows"]] == [deeds["sale"].code, deeds["waris"].code]  # register order
    assert [r.number for r in data["rows"]] == ["1/2026", "2/2026"]
    assert (data["count"], data["total_value"], data["total_area"]) == (2, 240_000_000, 430)
    assert (data["total_bphtb"], data["total_pph"]) == (BPHTB, 2 * PPH)  # an inheritance of Rp 90 juta is below the Rp 300 juta NPOPTKP
    s, w = data["rows"]
    assert (s.signed_on, s.kind, s.giving, s.receiving) == (dt.date(2026, 3, 3), "Akta Jual Beli", "Siti Aminah",
                                                            "Budi Santoso")
    assert (s.right, s.place, s.area, s.value, s.nop, s.njop) == (
        "Letter C No. 1234 Persil 56", "Jl. Salak III, Kelurahan Oro-oro Ombo", 250, 150_000_000,
        "35.77.010.001.001-0001.0", 120_000_000)
    assert (s.bphtb.amount, s.pph.amount) == (BPHTB, PPH)
    assert (w.signed_on, w.kind, w.giving) == (dt.date(2026, 3, 31), "Akta Pembagian Hak Bersama (karena pewarisan)", "Sarno (alm.)")
    assert w.receiving == "Sumini (bagian 1/2); Joko (bagian 1/4); Wati (bagian 1/4)"
    assert (w.right, w.place, w.nop) == ("SHM No. 789/Klegen", "Kelurahan Klegen", "35.77.010.003.002-0003.0")


def test_the_deed_registered_after_midnight_counts_in_april(deed_office, deeds):
    data = exports.month_report(office=deed_office, year=2026, month=4)
    assert [r.case.code for r in data["rows"]] == [deeds["april"].code]
    r = data["rows"][0]
    assert (r.number, r.signed_on, r.kind, r.giving, r.receiving, r.right) == (
        "3/2026", dt.date(2026, 3, 31), "Akta Hibah", "Harjono", "Ratna Harjono", "SHGB No. 55/Sukosari")
    assert r.bphtb is None and r.pph is None
    assert (data["total_bphtb"], data["total_pph"]) == (0, 0)


def test_the_other_office_has_its_own_report(deeds):
    other = deeds["other"]
    data = exports.month_report(office=other.office, year=2026, month=3)
    assert [r.case.code for r in data["rows"]] == ["LAINLAIN"]
    assert data["total_value"] == 777_000_000


# --- the page ------------------------------------------------------------------------------------

def test_the_page(client, officials, deeds):
    client.force_login(officials["ppat"])
    r = _get(client, "report")
    assert r.status_code == 200
    assert [row.case.code for row in r.context["report"]["rows"]] == [deeds["sale"].code, deeds["waris"].code]
    page = r.content.decode()
    assert 'id="r-month">Maret 2026<' in page
    assert re.search(r'id="r-count">2<', page)
    assert 'id="r-total">Rp 240.000.000<' in page
    assert 'id="r-area">430<' in page
    assert 'id="r-bphtb">Rp 4.500.000<' in page and 'id="r-pph">Rp 7.500.000<' in page
    row = re.search(rf'<tr id="r-deed-{deeds["sale"].code}">(.*?)</tr>', page, re.S).group(1)
    for text in ("1/2026", "3 Maret 2026", "Akta Jual Beli", "Siti Aminah", "Budi Santoso",
                 "Letter C No. 1234 Persil 56", "Kelurahan Oro-oro Ombo", "250", "Rp 150.000.000",
                 "35.77.010.001.001-0001.0", "Rp 120.000.000", "Rp 4.500.000", "Rp 3.750.000",
                 reverse("deeds:detail", args=[deeds["sale"].code])):
        assert text in row, text
    row = re.search(rf'<tr id="r-deed-{deeds["waris"].code}">(.*?)</tr>', page, re.S).group(1)
    assert "31 Maret 2026" in row and "Sumini (bagian 1/2); Joko (bagian 1/4); Wati (bagian 1/4)" in row
    for excluded in ("Harjono", "Letter C No. 9 belum dicatat", "Penjual Rahasia", "Kelurahan Rahasia",
                     "777.000.000", *NIKS):
        assert excluded not in page, excluded
    assert f'{reverse("deeds:report_xlsx")}?bulan=2026-03' in page
    assert f'{reverse("deeds:report_pdf")}?bulan=2026-03' in page
    assert 'href="?bulan=2026-02" rel="prev">‹ Februari 2026' in page
    assert 'href="?bulan=2026-04" rel="next">April 2026 ›' in page
    assert _inline_code(page) == []


def test_an_empty_month(client, officials, deeds):
    client.force_login(officials["camat"])
    r = _get(client, "report", "2026-05")
    assert r.status_code == 200 and "Tidak ada akta yang dibuat pada bulan ini." in r.content.decode()
    assert 'id="r-total">Rp 0<' in r.content.decode()
    rows = _rows(_get(client, "report_xlsx", "2026-05"))
    assert rows[2] == exports.XLSX_HEADERS and rows[3][3:5] == ["JUMLAH", "0 akta"] and len(rows) == 4
    text, _ = _pdf_text(_get(client, "report_pdf", "2026-05"))
    assert "Tidak ada akta yang dibuat pada bulan ini." in text and "JUMLAH" not in text


def test_this_month_by_default(client, officials):
    client.force_login(officials["front"])
    r = _get(client, "report", None)
    today = timezone.localdate()
    assert r.status_code == 200 and r.context["month"]["value"] == f"{today:%Y-%m}"
    assert r.context["error"] == ""
    assert _get(client, "report_xlsx", None).status_code == 200
    assert _get(client, "report_pdf", None).status_code == 200


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "maret", "2026-3-1", "1999-12", "2101-01", "2026-03'--"])
def test_a_bad_month(client, officials, bad):
    client.force_login(officials["front"])
    r = _get(client, "report", bad)
    assert r.status_code == 200
    today = timezone.localdate()
    assert r.context["month"]["value"] == f"{today:%Y-%m}"
    assert "Bulan tidak valid" in r.content.decode()
    assert 'role="alert"' in r.content.decode()
    assert _get(client, "report_xlsx", bad).status_code == 404
    assert _get(client, "report_pdf", bad).status_code == 404


# --- the files ----------------------------------------------------------------------------------

def test_the_spreadsheet(client, officials, deeds):
    client.force_login(officials["bendahara"])
    r = _get(client, "report_xlsx")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'attachment; filename="laporan-bulanan-ppat-2026-03.xlsx"' in r["Content-Disposition"]
    rows = _rows(r)
    assert rows[0][0] == ("Kecamatan Kartoharjo, Kota Madiun \u2014 Laporan Bulanan PPAT Sementara: Daftar Akta "
                          "yang Dibuat \u2014 Maret 2026")
    assert rows[1][0].startswith("Dicetak ")
    assert rows[2] == exports.XLSX_HEADERS
    assert rows[2][:6] == ["No. Urut", "Nomor Akta", "Tanggal Akta", "Jenis Akta",
                           "Nama Pihak yang Mengalihkan/ Memberikan", "Nama Pihak yang Menerima"]
    sale_row, waris_row, total = rows[3:]
    paid = deeds["sale"].tax_proofs.get(kind="bphtb").paid_on
    assert sale_row[:2] == [1, "1/2026"] and sale_row[2].date() == dt.date(2026, 3, 3)
    assert sale_row[3:12] == ["Akta Jual Beli", "Siti Aminah", "Budi Santoso", "Letter C No. 1234 Persil 56",
                              "Jl. Salak III, Kelurahan Oro-oro Ombo", 250, 150_000_000, "35.77.010.001.001-0001.0",
                              120_000_000]
    assert sale_row[12].date() == paid and sale_row[13] == BPHTB
    assert sale_row[14].date() == paid and sale_row[15] == PPH
    assert waris_row[:2] == [2, "2/2026"] and waris_row[2].date() == dt.date(2026, 3, 31)
    assert waris_row[5] == "Sumini (bagian 1/2); Joko (bagian 1/4); Wati (bagian 1/4)"
    assert waris_row[9] == 90_000_000
    assert total[3:5] == ["JUMLAH", "2 akta"]
    assert (total[8], total[9], total[13], total[15]) == (430, 240_000_000, BPHTB, 2 * PPH)
    flat = repr(rows)
    for excluded in ("Harjono", "belum dicatat", "Rahasia", *NIKS):
        assert excluded not in flat, excluded


def test_the_spreadsheet_of_april_leaves_the_missing_proofs_empty(client, officials, deeds):
    client.force_login(officials["ppat"])
    rows = _rows(_get(client, "report_xlsx", "2026-04"))
    gift = rows[3]
    assert gift[:2] == [1, "3/2026"] and gift[4:6] == ["Harjono", "Ratna Harjono"]
    assert gift[12:16] == [None, None, None, None]


def test_the_pdf(client, officials, deeds):
    client.force_login(officials["kasi_other"])
    r = _get(client, "report_pdf")
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="laporan-bulanan-ppat-2026-03.pdf"'
    assert r.content.startswith(b"%PDF")
    text, first = _pdf_text(r)
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    assert width > height  # landscape
    for part in ["Laporan Bulanan PPAT Sementara: Daftar Akta yang Dibuat", "Maret 2026", "No. Urut", "Nomor Akta",
                 "SSB BPHTB", "SSP PPh", "1/2026", "2/2026", "03-03-2026", "31-03-2026", "Akta Jual Beli", "Akta Pembagian Hak Bersama (karena pewarisan)",
                 "Siti Aminah", "Budi Santoso", "Sarno (alm.)", "Sumini (bagian 1/2)", "150.000.000", "90.000.000",
                 "4.500.000", "3.750.000", "JUMLAH", "2 akta", "240.000.000", "7.500.000"]:
        assert part in text, part
    for excluded in ("Harjono", "3/2026", "belum dicatat", "Rahasia", "777.000.000", *NIKS):
        assert excluded not in text, excluded


# --- who may see it -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["front", "ppat", "kasi_pem", "kasi_other", "sekcam", "camat", "bendahara",
                                  "admin"])
def test_every_staff_role_of_the_office_sees_it(client, officials, deeds, role):
    client.force_login(officials[role])
    r = _get(client, "report")
    assert r.status_code == 200 and r.context["report"]["count"] == 2
    assert _get(client, "report_xlsx").status_code == 200
    assert _get(client, "report_pdf").status_code == 200


def test_the_other_offices_staff_sees_only_its_own(client, deeds):
    client.force_login(deeds["other"].received_by)
    r = _get(client, "report")
    assert [row.case.code for row in r.context["report"]["rows"]] == ["LAINLAIN"]
    page = r.content.decode()
    assert "Rp 777.000.000" in page and "Siti Aminah" not in page and "Camat Lain selaku PPAT Sementara" in page


@pytest.mark.parametrize("name", ["report", "report_xlsx", "report_pdf"])
def test_anonymous_goes_to_login_and_a_non_staff_account_is_refused(db, client, django_user_model, name):
    r = _get(client, name)
    assert r.status_code == 302 and r["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    client.force_login(django_user_model.objects.create_user("warga", password="x-Pass-12345"))
    assert _get(client, name).status_code == 403


def test_only_get(client, officials):
    client.force_login(officials["front"])
    assert client.post(reverse("deeds:report")).status_code == 405


def test_the_report_reads_in_a_fixed_number_of_queries(deed_office, deeds, django_assert_num_queries):
    with django_assert_num_queries(3):  # the deeds (with book, kelurahan, service), their parties, their SSB/SSP
        data = exports.month_report(office=deed_office, year=2026, month=3)
        assert data["count"] == 2
