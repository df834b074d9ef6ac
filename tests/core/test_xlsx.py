"""loket.core.xlsx: the bounded reader gives the cells openpyxl gives for what Excel-like writers
produce, and refuses what breaks a limit or the format, with the row and column where it can."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from loket.core import xlsx
from tests.surveys.hostile_files import (HEADER_ROW, NS, SHEET, SHEET_HEAD, SHEET_TAIL, deflated, repeated,
                                         workbook, zip_bytes)

LIMITS = xlsx.Limits(rows=1000, columns=50)


def _rows(data: bytes, limits=LIMITS) -> list[tuple[int, list]]:
    return list(xlsx.rows(data, limits=limits))


def _openpyxl_rows(data: bytes) -> list[tuple[int, list]]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    for number, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        if values:
            out.append((number, values))
    wb.close()
    return out


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(xml_rows: str, **kw) -> bytes:
    return workbook(deflated(SHEET, SHEET_HEAD + xml_rows + SHEET_TAIL), **kw)


# --- the same cells as openpyxl --------------------------------------------------------------

def test_the_cells_of_a_workbook_written_by_openpyxl_are_those_openpyxl_reads():
    wb = Workbook()
    ws = wb.active
    ws.append(["persyaratan", "tanggal", "saran", "umur", "benar", "pecahan"])
    ws.append([3, dt.datetime(2025, 3, 17), "Antrean panjang", 41, True, 2.5])
    ws.append([None, dt.date(2025, 3, 18), "  spasi  ", None, False, -0.25])
    ws["D4"] = 17  # a row with a gap before it and an empty cell in it
    ws["F6"] = "=1+1"  # a formula: no cached value, so nothing to read
    ws.cell(row=8, column=2, value=dt.datetime(2025, 12, 31, 8, 30))
    second = wb.create_sheet("lain")
    second.append(["tidak dibaca"])
    data = _save(wb)
    assert _rows(data) == _openpyxl_rows(data)
    assert _rows(data)[1] == (2, [3, dt.datetime(2025, 3, 17), "Antrean panjang", 41, True, 2.5])


def test_inline_strings_rich_text_and_the_1904_calendar_as_openpyxl():
    wb = Workbook(write_only=True)
    wb.epoch = __import__("openpyxl").utils.datetime.CALENDAR_MAC_1904
    ws = wb.create_sheet("SKM")
    ws.append(["saran", "tanggal"])
    ws.append([CellRichText(["Petugas ", TextBlock(InlineFont(b=True), "ramah"), "."]), dt.date(2025, 1, 2)])
    data = _save(wb)
    assert _rows(data) == _openpyxl_rows(data) == [(1, ["saran", "tanggal"]),
                                                   (2, ["Petugas ramah.", dt.datetime(2025, 1, 2)])]


def test_shared_strings_with_runs_and_without_the_phonetic_guide():
    sst = deflated("xl/sharedStrings.xml", (
        f'<sst xmlns="{NS}"><si><t>persyaratan</t></si><si><r><t>Sangat </t></r><r><rPr><b/></rPr><t>baik</t></r>'
        '<rPh sb="0" eb="1"><t>ふりがな</t></rPh></si></sst>'))
    data = _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>',
                  shared_strings=sst)
    assert _rows(data) == [(1, ["persyaratan"]), (2, ["Sangat baik"])]


def test_prefixed_element_names_read_like_plain_ones():
    sheet = (f'<x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="1"><x:c r="B1" t="inlineStr"><x:is><x:t>waktu'
             '</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>')
    assert _rows(workbook(deflated(SHEET, sheet))) == [(1, [None, "waktu"])]


def test_rows_and_cells_without_their_numbers_follow_the_ones_before():
    data = _sheet('<row><c><v>1</v></c><c><v>2</v></c></row><row r="3"><c r="C3"><v>3</v></c><c><v>4</v></c></row>'
                  '<row><c><v>5</v></c></row>')
    assert _rows(data) == [(1, [1, 2]), (3, [None, None, 3, 4]), (4, [5])]


def test_errors_booleans_and_iso_dates_as_openpyxl():
    data = _sheet('<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1" t="b"><v>1</v></c>'
                  '<c r="C1" t="d"><v>2025-03-17T00:00:00</v></c><c r="D1" t="str"><v>teks rumus</v></c></row>')
    assert _rows(data) == [(1, ["#N/A", True, dt.datetime(2025, 3, 17), "teks rumus"])]


# --- limits of the content -------------------------------------------------------------------------

def test_reading_stops_at_the_first_row_past_the_limit_that_has_a_cell():
    limits = xlsx.Limits(rows=3, columns=50)
    tail = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(2, 10))
    assert _rows(_sheet(HEADER_ROW + tail), limits)[-1] == (4, [])
    # rows past the limit that are only formatted (no cell) are skipped, not counted
    formatted = "".join(f'<row r="{i}" s="1" customFormat="1"/>' for i in range(4, 5000))
    assert _rows(_sheet('<row r="1"><c r="A1"><v>1</v></c></row>' + formatted), limits) == [(1, [1])]


def test_a_value_past_the_last_column_names_its_row_and_column():
    with pytest.raises(xlsx.XlsxRefused, match=r"Baris 7: ada sel di kolom AY \(kolom ke-51\)"):
        _rows(_sheet('<row r="7"><c r="AY7"><v>1</v></c></row>'))


def test_empty_cells_are_passed_over_wherever_they_are_but_keep_their_place():
    # formatted but empty cells far to the right are no reason to refuse a file
    assert _rows(_sheet('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row>')) == [(1, [1])]
    # a cell without an address comes after the empty ones before it
    assert _rows(_sheet('<row r="2"><c r="A2"><v>1</v></c><c r="D2" s="1"/><c/><c><v>6</v></c>'
                        '<c s="1"/><c><v>8</v></c></row>')) == [(2, [1, None, None, None, None, 6, None, 8])]


def test_rows_out_of_order_or_past_excels_last_are_damage():
    with pytest.raises(xlsx.XlsxRefused, match="baris 3 sesudah baris 5"):
        _rows(_sheet('<row r="5"/><row r="3"/>'))
    with pytest.raises(xlsx.XlsxRefused, match="melewati baris terakhir Excel"):
        _rows(_sheet('<row r="1048577"/>'))
    with pytest.raises(xlsx.XlsxRefused, match="tidak berurutan"):
        _rows(_sheet('<row r="1"><c r="C1"><v>1</v></c><c r="B1"><v>1</v></c></row>'))


def test_a_cell_longer_than_excel_allows_is_refused_with_its_row():
    text = "x" * (xlsx.EXCEL_CELL_CHARS + 1)
    with pytest.raises(xlsx.XlsxRefused, match="Baris 2: isi sel lebih dari 32.767 karakter"):
        _rows(_sheet(f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>'))
    sst = deflated("xl/sharedStrings.xml", f'<sst xmlns="{NS}"><si><t>{text}</t></si></sst>')
    with pytest.raises(xlsx.XlsxRefused, match="lebih dari 32.767 karakter dalam satu sel"):
        _rows(_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared_strings=sst))


def test_shared_strings_and_text_are_counted_not_taken_from_the_file():
    sst = deflated("xl/sharedStrings.xml", f'<sst xmlns="{NS}" count="1" uniqueCount="1">'
                   + "<si><t>a</t></si>" * 11 + "</sst>")
    with pytest.raises(xlsx.XlsxRefused, match="lebih dari 10 teks berbeda"):
        _rows(_sheet("", shared_strings=sst), xlsx.Limits(rows=10, columns=5, shared_strings=10))
    with pytest.raises(xlsx.XlsxRefused, match="lebih dari 20 karakter teks"):
        _rows(_sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>' + "b" * 21 + "</t></is></c></row>"),
              xlsx.Limits(rows=10, columns=5, text_chars=20))


def test_elements_are_counted():
    with pytest.raises(xlsx.XlsxRefused, match="lebih dari 100 unsur XML"):
        _rows(_sheet('<row r="1">' + "<x/>" * 200 + "</row>"), xlsx.Limits(rows=10, columns=5, elements=100))


def test_a_shared_string_that_does_not_exist_is_damage():
    with pytest.raises(xlsx.XlsxRefused, match="teks bersama nomor 5 tidak ada"):
        _rows(_sheet('<row r="1"><c r="A1" t="s"><v>5</v></c></row>'))


# --- the XML ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", SHEET])
def test_a_doctype_in_any_part_is_refused(part):
    data = zipfile.ZipFile(io.BytesIO(_sheet(HEADER_ROW)))
    parts = []
    for info in data.infolist():
        body = data.read(info)
        if info.filename == part:
            body = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)
            if not body.startswith(b"<?xml"):
                body = b'<!DOCTYPE x [<!ENTITY a "b">]>' + body
        parts.append(deflated(info.filename, body))
    with pytest.raises(xlsx.XlsxRefused, match=f"DOCTYPE \\({part}\\)"):
        _rows(zip_bytes(parts))


def test_a_tag_longer_than_the_limit_is_refused_before_it_is_parsed():
    attrs = "".join(f' a{i}="1"' for i in range(2000))
    with pytest.raises(xlsx.XlsxRefused, match="lebih dari 16 KB"):
        _rows(_sheet(f'<row r="1"{attrs}/>'), xlsx.Limits(rows=10, columns=5, token_bytes=16 * 1024))


def test_xml_that_is_not_well_formed_is_damage():
    with pytest.raises(xlsx.XlsxRefused, match="tidak dapat dibaca"):
        _rows(workbook(deflated(SHEET, SHEET_HEAD + "<row>")))


# --- the archive -----------------------------------------------------------------------------------

def test_a_part_that_unpacks_beyond_what_the_directory_says_is_refused():
    part = deflated(SHEET, SHEET_HEAD + HEADER_ROW + SHEET_TAIL)
    part.declared_size = 100
    with pytest.raises(xlsx.XlsxRefused, match="lebih besar daripada yang tertulis di daftar isi"):
        _rows(workbook(part))


def test_a_wrong_crc_is_refused():
    z = zipfile.ZipFile(io.BytesIO(_sheet(HEADER_ROW)))
    parts = [deflated(i.filename, z.read(i)) for i in z.infolist()]
    for p in parts:
        if p.name == "xl/styles.xml":
            p.crc ^= 1
    with pytest.raises(xlsx.XlsxRefused, match="CRC"):
        _rows(zip_bytes(parts))


def test_the_ratio_counts_while_unpacking_not_only_as_declared():
    # declared 10 MB (ratio under 100 as declared), packs 1,000:1 in truth: stopped after ~1 MB
    bomb = repeated(SHEET, SHEET_HEAD + HEADER_ROW, "<row/>" * 4096, SHEET_TAIL, packed_bytes=0, count=4000)
    bomb.declared_size = 10 * 1024 * 1024
    book = xlsx._Workbook(workbook(bomb), LIMITS)
    with pytest.raises(xlsx.XlsxRefused, match="dipadatkan secara tidak wajar"):
        for _ in book._chunks(SHEET, LIMITS.member_bytes):
            pass
    assert book.unpacked < 2 * 1024 * 1024


def test_parts_that_differ_only_in_case_are_refused():
    data = _sheet(HEADER_ROW, extra=[deflated("XL/Workbook.xml", "<workbook/>")])
    with pytest.raises(xlsx.XlsxRefused, match="ada dua kali"):
        _rows(data)


def test_a_chart_sheet_first_is_passed_over_for_the_first_worksheet():
    data = _sheet(HEADER_ROW)
    z = zipfile.ZipFile(io.BytesIO(data))
    parts = []
    for info in z.infolist():
        body = z.read(info).decode()
        if info.filename == "xl/workbook.xml":
            body = body.replace("<sheets>", '<sheets><sheet name="Grafik" sheetId="9" r:id="rIdC"/>')
        if info.filename == "xl/_rels/workbook.xml.rels":
            body = body.replace("</Relationships>", '<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/'
                                'officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>'
                                "</Relationships>")
        parts.append(deflated(info.filename, body))
    parts.append(deflated("xl/chartsheets/sheet1.xml", "<chartsheet/>"))
    assert _rows(zip_bytes(parts))[0][0] == 1
