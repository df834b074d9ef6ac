"""The SKM report as a PDF and an XLSX (surveys.exports): the figures of the selectors in the
layout an office publishes, every suggestion, the Camat's signature, numbers as numbers."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from loket.surveys import exports, selectors
from loket.surveys.periods import Period, containing
from tests.support.surveys import forms  # noqa: F401 — the fixture

SEM1 = Period("semester", 2026, 1)


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _rep(office, period=SEM1, **kw):
    return selectors.report(office=office, period=period, suggestions_limit=None, **kw)


# --- numbers ------------------------------------------------------------------------------------

def test_indonesian_numbers_rounded_half_up():
    assert exports.angka(Fraction(76605, 1000), 2) == "76,61"
    assert exports.angka(Fraction(10, 3), 3) == "3,333" and exports.angka(Fraction(2, 3), 3) == "0,667"
    assert exports.angka(1234567) == "1.234.567" and exports.angka(None) == "–"
    assert exports.decimal(Fraction(82, 27), 3) == Decimal("3.037") and exports.percent(1, 3) == Decimal("33.3")
    assert exports.percent(1, 0) is None


def test_file_names():
    class Rep:
        period, service_code, unit_code = Period("semester", 2026, 1), None, None
    assert exports.filename(Rep, "pdf") == "ikm-2026-semester-1.pdf"
    Rep.period, Rep.service_code = Period("bulan", 2026, 3), "pindah"
    assert exports.filename(Rep, "xlsx") == "ikm-2026-bulan-03-layanan-pindah.xlsx"


# --- PDF ----------------------------------------------------------------------------------------

def test_the_pdf_holds_the_whole_report(office, forms):
    rep = _rep(office)
    pdf = exports.report_pdf(rep)
    assert pdf.startswith(b"%PDF")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert float(box.width) < float(box.height)  # A4 portrait
    text = _pdf_text(pdf)
    for expected in [
        "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", "Kecamatan Contoh, Kota Contoh", "Semester I 2026",
        "1 Januari 2026 – 30 Juni 2026", "Semua jenis layanan", "1/9 (tepat)",
        "Persyaratan", "Sarana dan prasarana", "3,333", "0,370", "3,037", "75,93", "Kurang Baik",
        "Sampel minimum", "87,50", "Kasi Pemerintahan", "Unsur tanpa satu pun", "Semester II 2025", "25,00",
        "Perempuan", "50,0", "Kuesioner kertas (impor)",
        "Cepat sekali", "=1+2", "Parkir <b>sempit</b>",
        "Camat Contoh", "Budi", "Pembina", "NIP. 19700101 199001 1 001", "Halaman 1",
    ]:
        assert expected in text, expected
    assert "Lama" not in text  # semester II 2025's suggestion belongs to another period


def test_the_pdf_names_the_filter_and_warns_of_a_short_sample(office, people, all_items, forms):
    from tests.support.surveys import taken_in as _taken_in
    _taken_in(office, people, all_items)
    rep = _rep(office, containing("bulan", timezone.localdate()), service_code="pindah")
    text = _pdf_text(exports.report_pdf(rep, service_name="Pindah penduduk"))
    assert "Pindah penduduk" in text
    assert "IKM belum dapat dihitung: Belum ada responden pada periode ini." in text
    assert "Jumlah responden kurang dari sampel minimum" in text


def test_the_pdf_prints_every_suggestion(office, people, forms):
    from tests.support.surveys import import_lines as _import, line as _line
    _import(office, people["front"], [_line([3] * 9, "2026-05-05", "", "", "", "", "", f"Saran nomor {i}")
                                      for i in range(250)])
    rep = _rep(office)
    assert rep.suggestions_total == len(rep.suggestions) == 253
    text = _pdf_text(exports.report_pdf(rep))
    assert "Saran nomor 0" in text and "Saran nomor 249" in text


# --- XLSX ----------------------------------------------------------------------------------------

def _book(rep, **kw):
    return openpyxl.load_workbook(exports.report_xlsx(rep, **kw))


def test_the_xlsx_holds_numbers_in_their_cells(office, forms):
    rep = _rep(office)
    wb = _book(rep)
    assert wb.sheetnames == ["IKM", "Per layanan", "Per unit", "Tren", "Profil", "Saran"]
    ws = wb["IKM"]
    assert "Kecamatan Contoh" in ws["A1"].value and "Laporan Hasil Survei Kepuasan Masyarakat" in ws["A1"].value
    h = exports.HEADER_ROW
    assert [c.value for c in ws[h]] == exports.ELEMENT_HEADERS
    for i, e in enumerate(rep.result.elements, start=1):
        row = [c.value for c in ws[h + i]]
        assert row[:4] == [i, e.name, e.total, e.answered]
        assert row[4] == pytest.approx(float(e.nrr)) and row[5] == pytest.approx(float(e.weighted))
    assert ws.cell(h + 9, 5).value == pytest.approx(10 / 3) and ws.cell(h + 9, 5).number_format == "0.000"
    figures = {r[1]: r[2] for r in ws.iter_rows(min_row=h + 10, values_only=True) if r[1]}
    assert figures["Nilai IKM"] == pytest.approx(82 / 27)
    assert figures["IKM unit pelayanan"] == 75.93 and isinstance(figures["IKM unit pelayanan"], float)
    assert (figures["Mutu pelayanan"], figures["Kinerja unit pelayanan"]) == ("C", "Kurang Baik")
    assert (figures["Jumlah responden"], figures["Populasi (berkas diterima)"]) == (4, 0)
    scope = {r[1]: r[2] for r in ws.iter_rows(min_row=2, max_row=6, values_only=True)}
    assert scope["Bobot tiap unsur"] == "1/9 (tepat)" and scope["Periode"].startswith("Semester I 2026")

    services_ = {r[0]: r[1:] for r in wb["Per layanan"].iter_rows(min_row=exports.TABLE_ROW + 1, values_only=True)}
    assert services_["pindah"][1:5] == (2, 87.5, "B", "Baik")
    assert services_["sewa-gedung"][2] is None and "Sarana dan prasarana" in services_["sewa-gedung"][5]
    units = {r[0]: r[2] for r in wb["Per unit"].iter_rows(min_row=exports.TABLE_ROW + 1, values_only=True)}
    assert units == {None: 1, "pemerintahan": 2, "umum": 1}

    trend = list(wb["Tren"].iter_rows(min_row=exports.TABLE_ROW + 1, values_only=True))
    assert [(t[0], t[3], t[4]) for t in trend] == [
        ("Semester II 2024", 0, None), ("Semester I 2025", 0, None), ("Semester II 2025", 1, 25),
        ("Semester I 2026", 4, 75.93)]
    assert trend[0][1] == dt.datetime(2024, 7, 1) and trend[0][7] == "Belum ada responden."

    profile = {(r[0], r[1]): (r[2], r[3]) for r in wb["Profil"].iter_rows(min_row=exports.TABLE_ROW + 1,
                                                                             values_only=True)}
    assert profile[("Jenis kelamin", "Perempuan")] == (2, 50) and profile[("Umur", "≥ 60")] == (1, 25)
    assert profile[("Cara mengisi", "Kuesioner kertas (impor)")] == (4, 100)


def test_the_xlsx_keeps_a_formula_like_answer_as_text(office, forms):
    ws = _book(_rep(office))["Saran"]
    rows = list(ws.iter_rows(min_row=exports.TABLE_ROW + 1))
    texts = {r[3].value: r[3].data_type for r in rows}
    assert texts == {"=1+2": "s", "Parkir <b>sempit</b>": "s", "Cepat sekali": "s"}
    assert rows[0][0].value == dt.datetime(2026, 6, 30)


def test_the_xlsx_of_an_empty_period_and_another_weight(office, forms):
    wb = _book(_rep(office, Period("bulan", 2026, 3), weight="0.11"))
    ws = wb["IKM"]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "IKM belum dapat dihitung: Belum ada responden pada periode ini." in values
    assert "0,11 (dibulatkan)" in values and "IKM unit pelayanan" not in values
    assert list(wb["Saran"].iter_rows(min_row=exports.TABLE_ROW + 1, values_only=True)) == []
