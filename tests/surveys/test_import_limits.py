"""The limits of the paper-form import that are not about zip bombs (those are in
test_hostile_files.py and tests/core/test_xlsx.py): CSV encodings, line endings, cell and row
length, control characters and NUL (a 500 on PostgreSQL before), content under a column without
a header, the header checked before any data row, form dates within bounds, and a file on disk
read no further than the upload limit. Every refusal names the row and saves nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from loket.surveys import importer, staff_views
from loket.surveys.ikm import KEYS
from loket.surveys.importer import ImportRefused, parse, read_cells
from loket.surveys.models import Response

HEADER = ",".join(KEYS)
ROW = ",".join(["3"] * 9)
TODAY = dt.date(2026, 6, 30)


def _parse(data: bytes | str, name="k.csv"):
    if isinstance(data, str):
        data = data.encode()
    return parse(read_cells(name, data), today=TODAY)


def _refused(data, name="k.csv") -> list[str]:
    with pytest.raises(ImportRefused) as exc:
        _parse(data, name)
    return exc.value.problems


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- CSV: encodings and line endings --------------------------------------------------------------

@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),  # Excel's "CSV UTF-8"
    lambda t: t.encode("utf-16"),  # Excel's "Unicode text": UTF-16 with its BOM (here tab-separated)
])
def test_utf8_with_or_without_bom_and_utf16_with_bom_are_read(encode):
    text = "\t".join(KEYS + ["saran"]) + "\r\n" + "\t".join(["3"] * 9 + ["Ruang tunggu sejuk – terima kasih"]) + "\r\n"
    rows = parse(read_cells("k.csv", encode(text)), today=TODAY)
    assert rows[0].profile["saran"] == "Ruang tunggu sejuk – terima kasih"


def test_text_that_is_not_utf8_is_refused_with_its_line_and_what_to_do():
    data = (HEADER + ",saran\n" + ROW + ",baik\n" + ROW + ",sejuk – terima kasih\n").encode("cp1252")
    [problem] = _refused(data)
    assert "Berkas bukan CSV (UTF-8) atau XLSX: baris 3 berisi byte 0x96" in problem and "CSV UTF-8" in problem


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_any_line_ending_and_line_breaks_inside_quotes(newline):
    text = newline.join([HEADER + ",saran", ROW + ',"baris satu' + newline + 'baris dua"', ROW + ",", ""])
    rows = _parse(text)
    assert [r.number for r in rows] == [2, 3]
    assert rows[0].profile["saran"] == "baris satu" + newline + "baris dua"


# --- NUL and other control characters -------------------------------------------------------------

@pytest.mark.parametrize("char, shown", [("\x00", "NUL, U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"),
                                         ("\x7f", "U+007F"), ("\x85", "U+0085")])
def test_a_control_character_is_refused_naming_row_and_column(char, shown):
    text = f"{HEADER},saran\n{ROW},baik\n{ROW},ba{char}ik\n"
    assert _refused(text) == [
        f"Baris 3, kolom J: ada karakter kendali ({shown}) yang tidak boleh ada dalam kuesioner (sering terbawa dari "
        "salinan sistem lain atau dari berkas yang bukan teks). Hapus karakter itu, simpan, lalu unggah lagi."]


def test_tab_and_line_breaks_are_not_control_characters_here():
    rows = _parse(f'{HEADER},saran\n{ROW},"satu\tdua\r\ntiga"\n')
    assert rows[0].profile["saran"] == "satu\tdua\r\ntiga"


def test_a_control_character_in_a_workbook_is_refused_too():
    problems = _refused(_xlsx([KEYS + ["saran"], [3] * 9 + ["ba\x7fik"]]), name="k.xlsx")
    assert problems[0].startswith("Baris 2, kolom J: ada karakter kendali (U+007F)")


# --- lengths ----------------------------------------------------------------------------------

def test_a_cell_longer_than_excel_allows_is_refused_with_its_place():
    assert _refused(f"{HEADER},saran\n{ROW},{'x' * 32_768}\n") == [
        "Baris 2, kolom J: isinya lebih dari 32.767 karakter."]


def test_a_field_past_the_csv_modules_own_limit_is_a_message_not_a_crash():
    # short lines inside one quoted field: no line is long, the field is
    [problem] = _refused(f'{HEADER},saran\n{ROW},"' + "x\n" * 100_000 + '"\n')
    assert problem.startswith("Baris 65538: tidak dapat dibaca sebagai CSV (ada kolom yang terlalu panjang)")


def test_a_row_longer_than_a_questionnaire_can_be_is_refused():
    long = "y" * 20_000
    header = HEADER + ",pendidikan,pekerjaan,saran,layanan"
    assert _refused(f"{header}\n{ROW},{long},{long},{long},{long}\n") == [
        "Baris 2: lebih dari 65.536 karakter; satu baris kuesioner tidak sepanjang itu."]


@pytest.mark.parametrize("newline", ["\n", "\r"])
def test_a_line_of_a_million_separators_is_refused_before_it_is_split(newline):
    assert _refused(f"{HEADER}{newline}{ROW}{newline}{ROW}" + "," * 1_000_000 + newline) == [
        "Baris 3: lebih dari 65.536 karakter; satu baris kuesioner tidak sepanjang itu."]


def test_a_record_longer_than_a_row_over_short_lines_is_refused_too():
    field = '"' + "kata\n" * 6000 + '"'  # 30,000 characters over 6,000 short lines
    text = f"{HEADER},saran,pekerjaan,pendidikan\n{ROW},{field},{field},{field}\n"
    assert _refused(text) == ["Baris 2: lebih dari 65.536 karakter; satu baris kuesioner tidak sepanjang itu."]


# --- the header first, and nothing under a column without one -------------------------------------

def test_the_header_is_refused_before_any_data_row_is_read():
    # the bad header is reported, not the damage further down (which would be read first otherwise)
    text = "nama," + HEADER + "\n" + "Budi," + ROW + "\n" + ROW + ",\x00\n"
    assert _refused(text)[0].startswith("Baris 1: kolom 'nama' tidak dikenal")
    workbook = _xlsx([["nama"] + KEYS] + [["x"] * 60] * 5)
    assert _refused(workbook, name="k.xlsx")[0].startswith("Baris 1: kolom 'nama' tidak dikenal")


def test_a_header_of_more_than_50_columns_is_one_problem_not_one_per_column():
    assert _refused(",".join(f"kolom{i}" for i in range(5000)) + "\n") == [
        "Baris 1: lebih dari 50 kolom; kuesioner hanya punya 16 judul kolom yang dikenal (" + ", ".join(
            KEYS + importer.OPTIONAL) + ")."]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_content_in_a_column_without_a_header_is_refused_not_dropped(fmt):
    # "Pelayanan cepat, terima kasih." without quotes: the words after the comma used to vanish
    if fmt == "csv":
        data = f"{HEADER},saran\n{ROW},baik\n{ROW},Pelayanan cepat, terima kasih.\n".encode()
    else:
        data = _xlsx([KEYS + [None, "saran"], [3] * 9 + [None, "baik"], [3] * 9 + ["catatan", "baik"]])
    column = "K" if fmt == "csv" else "J"
    value = " terima kasih." if fmt == "csv" else "catatan"
    assert _refused(data, name=f"k.{fmt}") == [
        f"Baris 3: kolom {column} berisi '{value}', padahal kolom itu tidak berjudul. Beri judul kolom yang "
        "dikenal, atau hapus isinya, lalu unggah lagi."]


def test_empty_cells_under_a_column_without_a_header_are_fine():
    assert len(_parse(f"{HEADER},,saran\n{ROW},,baik\n{ROW}, ,\n")) == 2


def test_the_row_limit_counts_rows_the_sheet_leaps_over(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    wb = Workbook()
    ws = wb.active
    ws.append(KEYS)
    ws.cell(row=2, column=1, value=3)
    ws.cell(row=9, column=1, value=3)  # rows 3–8 empty: row 9 is past the limit of 3 + the header
    buf = io.BytesIO()
    wb.save(buf)
    cells = read_cells("k.xlsx", buf.getvalue())
    assert len(cells) == 5 and cells[2] == ()
    with pytest.raises(ImportRefused, match="Paling banyak 3 baris per berkas"):
        parse(cells, today=TODAY)


# --- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, ok", [
    ("2026-06-30", True), ("2026-07-01", False), ("2000-01-01", True), ("1999-12-31", False), ("0225-03-17", False),
])
def test_a_form_date_lies_between_2000_and_today(day, ok):
    text = f"{HEADER},tanggal\n{ROW},{day}\n"
    if ok:
        assert _parse(text)[0].profile["tanggal"] == dt.date.fromisoformat(day)
    else:
        [problem] = _refused(text)
        assert problem.startswith(f"Baris 2: tanggal {day} ")
        assert ("sesudah hari ini (2026-06-30)" in problem) == (day > "2026-06-30")


def test_excel_date_cells_before_2000_are_refused():
    problems = _refused(_xlsx([KEYS + ["tanggal"], [3] * 9 + [dt.datetime(1900, 1, 5)],
                               [3] * 9 + [dt.datetime(1899, 12, 30)]]), name="k.xlsx")
    # serial 0 (an empty date cell typed over) reads as a time of day, not a date
    assert problems == ["Baris 2: tanggal 1900-01-05 sebelum 2000-01-01; periksa tahunnya.",
                        "Baris 3: tanggal '00:00:00' bukan TTTT-BB-HH."]


def test_today_is_asia_jakarta(monkeypatch):
    # 2026-06-30 20:00 UTC is already 1 July in Jakarta (UTC+7): a form dated 1 July is not in the future
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 6, 30, 20, 0, tzinfo=dt.timezone.utc))
    assert parse(read_cells("k.csv", f"{HEADER},tanggal\n{ROW},2026-07-01\n".encode()))[0].profile["tanggal"] == \
        dt.date(2026, 7, 1)
    with pytest.raises(ImportRefused, match="sesudah hari ini"):
        parse(read_cells("k.csv", f"{HEADER},tanggal\n{ROW},2026-07-02\n".encode()))


def test_a_long_bad_value_is_shown_shortened_in_the_message():
    [problem] = _refused(f"{HEADER}\n{'9' * 5000}," + ",".join(["3"] * 8) + "\n")
    assert len(problem) < 200 and "…" in problem


# --- through the screen and the API: a message, nothing saved, never a 500 -----------------------------

@pytest.fixture
def front(client, people):
    client.force_login(people["front"])
    return people["front"]


def _screen(client, data: bytes, name="k.csv"):
    return client.post("/staf/skm/impor/", {staff_views.UPLOAD_FIELD: SimpleUploadedFile(name, data)})


def test_a_nul_in_a_data_cell_is_a_form_error_on_the_screen(client, office, front):
    r = _screen(client, f"{HEADER},saran\n{ROW},baik\x00\n".encode())
    assert r.status_code == 400
    assert "Baris 2, kolom J: ada karakter kendali (NUL, U+0000)" in r.content.decode()
    assert not Response.objects.exists()


def test_a_nul_in_a_data_cell_is_400_in_the_api(client, office, people):
    from loket.api.models import ApiToken

    key = ApiToken.issue(user=people["front"], name="tes")[1]
    r = client.post("/api/v1/skm/import/", {"file": SimpleUploadedFile("k.csv", f"{HEADER},saran\n{ROW},a\x00b\n".encode())},
                    HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 400
    assert r.json()["problems"][0].startswith("Baris 2, kolom J: ada karakter kendali (NUL, U+0000)")
    assert not Response.objects.exists()


def test_a_future_date_is_a_form_error_on_the_screen(client, office, front):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    r = _screen(client, f"{HEADER},tanggal\n{ROW},{tomorrow}\n".encode())
    assert r.status_code == 400 and f"Baris 2: tanggal {tomorrow} sesudah hari ini" in r.content.decode()
    assert not Response.objects.exists()


# --- a file on disk (the CLI) ---------------------------------------------------------------------

def test_a_file_on_disk_is_read_no_further_than_the_upload_limit(tmp_path, settings, capsys):
    settings.LOKET_UPLOAD_MAX_BYTES = 1024
    path = tmp_path / "besar.csv"
    path.write_bytes((HEADER + "\n" + (ROW + "\n") * 200).encode())
    with pytest.raises(ImportRefused, match="Berkas terlalu besar: ukuran paling besar 1 KB"):
        read_cells(path)
    with pytest.raises(SystemExit) as exc:
        call_command("skm", "ikm", "--csv", str(path))
    assert exc.value.code == 2 and "Berkas terlalu besar" in capsys.readouterr().err
