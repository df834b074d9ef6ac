"""Paper SKM forms from a spreadsheet (CSV or XLSX): columns matched by header in any order.

Required columns: the nine element keys (loket.surveys.ikm.KEYS); a blank cell means the
question was not answered. Optional: tanggal (YYYY-MM-DD), layanan (service code),
jenis_kelamin (L/P), umur, pendidikan, pekerjaan, saran. Headers are matched ignoring case and
surrounding spaces. Every bad row is reported with its row number in the file (the header is
row 1) and the reason; a file with any bad row gives no rows at all (nothing is imported).
Rows whose every cell is blank are skipped (spreadsheets often end with some).

The file is read within bounds, checked as it is read, never after (docs/skm.md, "Limits"): at
most the upload limit of bytes, MAX_ROWS rows, MAX_COLUMNS columns, MAX_CELL_CHARS characters a
cell and MAX_ROW_CHARS a row, no control characters; the header is checked before any data row,
and a value in a column without a header refuses the file instead of vanishing. An XLSX goes
through loket.core.xlsx (zip bombs, entities, lying headers); a CSV is UTF-8 (or UTF-16 with
its BOM). A form's date lies between DATE_MIN and today (Asia/Jakarta).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from loket.core import xlsx
from loket.surveys.ikm import KEYS
from loket.surveys.periods import YEARS
from loket.core.money import thousands

OPTIONAL = ["tanggal", "layanan", "jenis_kelamin", "umur", "pendidikan", "pekerjaan", "saran"]
TEXT_MAX = {"layanan": 50, "pendidikan": 100, "pekerjaan": 100, "saran": 2000}
MAX_ROWS = 100_000
MAX_COLUMNS = 50  # the 16 known headers, with room for empty columns between them


class ImportRefused(ValueError):
    """The file cannot be imported; ``problems`` lists every reason (row number first)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Row:
    number: int  # row number in the file (header = 1)
    answers: dict[str, int | None]
    profile: dict = field(default_factory=dict)  # the optional columns that were filled


# --- reading a file: every limit checked as the rows come, never after ----------------------------

MAX_CELL_CHARS = xlsx.EXCEL_CELL_CHARS  # Excel's own limit for one cell; CSV fields too
MAX_ROW_CHARS = 64 * 1024  # the text of one row: 16 columns, the longest (saran) 2,000 characters
CSV_SNIFF_CHARS = 4096
# C0 control characters other than tab, line feed and carriage return, DEL and the C1 controls:
# none belongs in a questionnaire, and PostgreSQL cannot store NUL in text at all.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A line longer than MAX_ROW_CHARS, tried only at the start of each line: one pass over the text.
_LONG_LINE = re.compile(r"(?:^|(?<=\r))[^\r\n]{%d}" % (MAX_ROW_CHARS + 1), re.MULTILINE)
_EMPTY = ()  # the row of a line the file does not have (a gap in an XLSX's row numbers)


def _max_bytes() -> int:
    """The upload limit (settings.LOKET_UPLOAD_MAX_BYTES), also for files read from disk (CLI)."""
    from django.conf import settings

    from loket.core import uploads

    return getattr(settings, "LOKET_UPLOAD_MAX_BYTES", uploads.MAX_BYTES) if settings.configured else uploads.MAX_BYTES


def _size_text(n: int) -> str:
    """"5 MB", "1,5 MB", "512 KB", as the import screen says it (staff_views._size_text)."""
    value, unit = (n / (1024 * 1024), "MB") if n >= 1024 * 1024 else (max(n, 1) / 1024, "KB")
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " " + unit


def _too_long_text() -> str:
    return (f"Paling banyak {MAX_ROWS} baris per berkas (baris 1 judul kolom, jadi sampai baris {MAX_ROWS + 1}); "
            "berkas ini lebih panjang. Bagi menjadi beberapa berkas, atau hapus baris kosong yang berformat di bawah "
            "data, lalu unggah lagi.")


class _Rows:
    """The cells of a file as parse() takes them, collected row by row from either reader with
    the same checks: the header (refused at once when wrong, before any data row is read), no
    content in a column without a header, a cell, a row and a file of bounded length, no control
    characters. Row ``n`` of the file is ``cells[n - 1]``; gaps are empty rows."""

    def __init__(self):
        self.cells: list = []
        self.width = 0  # the header's columns, up to its last title
        self.untitled: list[int] = []  # those of them without a title

    def add(self, number: int, values) -> bool:
        """Add row ``number`` (1-based, growing); False once the file is known to be too long."""
        cells = self.cells
        if number > MAX_ROWS + 1:
            self._pad(MAX_ROWS + 1)
            cells.append(list(values))  # one past the limit: parse() says the file is too long
            return False
        if len(cells) < number - 1:
            self._pad(number - 1)
        values = list(values)
        while values and _blank(values[-1]):
            values.pop()
        if not values:
            cells.append(_EMPTY)
            return True
        _check_text(number, values)
        if number == 1:
            _header(values)  # ImportRefused: no data row is read for a file with a wrong header
            self.width = len(values)
            self.untitled = [i for i, v in enumerate(values) if _blank(v)]
        else:
            if not cells or cells[0] is _EMPTY:
                raise ImportRefused(["Baris 1: tidak ada judul kolom."])
            stray = [i for i in self.untitled if i < len(values) and not _blank(values[i])]
            if len(values) > self.width:
                stray.append(len(values) - 1)  # the last value is not blank
            if stray:
                i = stray[0]
                raise ImportRefused([
                    f"Baris {number}: kolom {xlsx.column_letters(i + 1)} berisi '{_shown(values[i])}', padahal kolom "
                    "itu tidak berjudul. Beri judul kolom yang dikenal, atau hapus isinya, lalu unggah lagi."])
        cells.append(values)
        return True

    def _pad(self, length: int) -> None:
        if len(self.cells) < length:
            self.cells.extend([_EMPTY] * (length - len(self.cells)))


def _check_text(number: int, values: list) -> None:
    """The text of one row: no cell longer than MAX_CELL_CHARS, the row no longer than
    MAX_ROW_CHARS, no control character. One pass in C over the row's text joined; the cell is
    looked for only when something is wrong."""
    texts = [v for v in values if v.__class__ is str]
    if not texts:
        return
    joined = "\n".join(texts)
    if CONTROL.search(joined) is None and len(joined) <= MAX_ROW_CHARS and max(map(len, texts)) <= MAX_CELL_CHARS:
        return
    for i, v in enumerate(values):
        if not isinstance(v, str):
            continue
        if len(v) > MAX_CELL_CHARS:
            raise ImportRefused([f"Baris {number}, kolom {xlsx.column_letters(i + 1)}: isinya lebih dari "
                                 f"{thousands(MAX_CELL_CHARS)} karakter."])
        bad = CONTROL.search(v)
        if bad:
            char = bad.group()
            name = "NUL, " if char == "\x00" else ""
            raise ImportRefused([
                f"Baris {number}, kolom {xlsx.column_letters(i + 1)}: ada karakter kendali ({name}U+{ord(char):04X}) "
                "yang tidak boleh ada dalam kuesioner (sering terbawa dari salinan sistem lain atau dari berkas yang "
                "bukan teks). Hapus karakter itu, simpan, lalu unggah lagi."])
    raise ImportRefused([f"Baris {number}: lebih dari {thousands(MAX_ROW_CHARS)} karakter; satu baris "
                         "kuesioner tidak sepanjang itu."])


def _shown(v) -> str:
    s = str(v)
    return s if len(s) <= 40 else s[:40] + "…"


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes) or UTF-16 with its BOM (Excel's "Unicode
    text"); anything else is refused with the line of the first byte that is not UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRefused(["Berkas bukan CSV atau XLSX: berawal seperti teks UTF-16 tetapi rusak. Simpan lagi "
                                 "sebagai CSV UTF-8 atau XLSX, lalu unggah lagi."]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ImportRefused([
            f"Berkas bukan CSV (UTF-8) atau XLSX: baris {line} berisi byte 0x{raw[exc.start]:02X} yang bukan teks "
            "UTF-8. Di Excel pilih Simpan Sebagai → \"CSV UTF-8 (Comma delimited)\" (LibreOffice: set karakter "
            "Unicode (UTF-8)), atau unggah berkas XLSX-nya, lalu unggah lagi."]) from None


def _cells_csv(data: bytes) -> list[list[object]]:
    text = _decode(data)
    # A line longer than a row may be is refused before the csv module splits it into (up to
    # millions of) fields; records spanning lines are checked again as rows (_check_text).
    long_line = _LONG_LINE.search(text) if len(text) > MAX_ROW_CHARS else None
    if long_line:
        breaks = "\n" if "\n" in text else "\r"  # old Mac files end lines with CR alone
        line = text.count(breaks, 0, long_line.start()) + 1
        raise ImportRefused([f"Baris {line}: lebih dari {thousands(MAX_ROW_CHARS)} karakter; satu baris "
                             "kuesioner tidak sepanjang itu."])
    try:
        dialect = csv.Sniffer().sniff(text[:CSV_SNIFF_CHARS], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = _Rows()
    # newline="": the csv module itself ends records at \r\n, \n or \r, and keeps line breaks
    # inside quoted fields.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    number = 0
    try:
        for record in reader:
            number += 1
            if not rows.add(number, record):
                break
    except csv.Error as exc:
        reason = "ada kolom yang terlalu panjang" if "field limit" in str(exc) else "susunan tanda kutip atau pemisahnya salah"
        raise ImportRefused([f"Baris {reader.line_num}: tidak dapat dibaca sebagai CSV ({reason}). Periksa baris itu, "
                             "atau simpan lagi dari Excel atau LibreOffice sebagai CSV UTF-8, lalu unggah lagi."]) from None
    return rows.cells


def _first_row(number: int, values: list) -> None:
    """The first row of a sheet with a value must be the header, in row 1."""
    _header(values if number == 1 else None)


def _cells_xlsx(data: bytes) -> list[list[object]]:
    rows = _Rows()
    limits = xlsx.Limits(rows=MAX_ROWS + 1, columns=MAX_COLUMNS, cell_chars=MAX_CELL_CHARS)
    try:
        # the header is checked as soon as the sheet has given it, before any data row is read
        for number, values in xlsx.rows(data, limits=limits, first_row=_first_row):
            if not rows.add(number, values):
                break
    except xlsx.XlsxRefused as exc:
        raise ImportRefused([str(exc)]) from None
    return rows.cells


def read_cells(path: Path | str, data: bytes | None = None) -> list[list[object]]:
    """The cells of a CSV or XLSX file (by its content, whatever its name says), row by row;
    ImportRefused for any file that is not one, is too large, or breaks a limit."""
    limit = _max_bytes()
    if data is None:
        with open(path, "rb") as f:  # never more than the limit, whatever the file's size
            data = f.read(limit + 1)
    if len(data) > limit:
        raise ImportRefused([f"Berkas terlalu besar: ukuran paling besar {_size_text(limit)}."])
    if data[:4] == xlsx.SIGNATURE:  # an XLSX is a zip, whatever its name says
        return _cells_xlsx(data)
    if data[:4] == b"\xd0\xcf\x11\xe0":  # the old binary Excel (.xls), or an XLSX locked with a password
        raise ImportRefused(["Berkas Excel lama (.xls) atau berkas Excel yang dikunci kata sandi tidak dapat dibaca: "
                             "simpan sebagai .xlsx tanpa kata sandi atau sebagai CSV, lalu unggah lagi."])
    return _cells_csv(data)


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _whole(v) -> int:
    """A cell as a whole number: 3, 3.0 or "3"; ValueError for anything else (3.5, True,
    infinity or NaN from a spreadsheet's number cell, text)."""
    if isinstance(v, bool):
        raise ValueError
    if isinstance(v, float):
        if not math.isfinite(v) or v != int(v):
            raise ValueError
        return int(v)
    if isinstance(v, int):
        return v
    return int(str(v).strip())


def _answer(v) -> int:
    v = _whole(v)
    if v not in (1, 2, 3, 4):
        raise ValueError
    return v


AGE_MIN, AGE_MAX = 10, 120
# The earliest date a form may carry: the first day of the report's years (periods.YEARS), so
# that every stored response shows in some report. Not a legal date: a floor for typing errors
# (0225-03-17, or 1900-01-00, the serial 0 of an empty Excel date cell).
DATE_MIN = dt.date(YEARS[0], 1, 1)


def _today() -> dt.date:
    """Today in the office's time zone (settings.TIME_ZONE, Asia/Jakarta)."""
    from django.utils import timezone

    return timezone.localdate()


def _date_bounds(d: dt.date, today: dt.date) -> str:
    """Why a form's date cannot be right ("" when it can): after today, or before DATE_MIN."""
    if d > today:
        return f"tanggal {d.isoformat()} sesudah hari ini ({today.isoformat()}); periksa tahun dan bulannya"
    if d < DATE_MIN:
        return f"tanggal {d.isoformat()} sebelum {DATE_MIN.isoformat()}; periksa tahunnya"
    return ""


def clean(get, *, today: dt.date | None = None) -> tuple[dict[str, int | None], dict, dict[str, str]]:
    """The answers and the profile of one respondent, from ``get(column) -> value`` (a sheet's
    cell or a web form's field): (answers by key, the optional columns that were filled, and
    {column: reason} for every bad value). One set of rules for paper forms and the web form.
    A date (``tanggal``) lies between DATE_MIN and ``today`` (Asia/Jakarta when not given)."""
    why: dict[str, str] = {}
    answers: dict[str, int | None] = {}
    for k in KEYS:
        v = get(k)
        if _blank(v):
            answers[k] = None
            continue
        try:
            answers[k] = _answer(v)
        except (ValueError, TypeError):
            why[k] = f"{k} harus 1, 2, 3 atau 4 (bukan '{_shown(v)}')"
    if not why and all(v is None for v in answers.values()):
        why["jawaban"] = "tidak ada satu pun unsur yang dijawab"
    profile = {}
    for col in OPTIONAL:
        v = get(col)
        if _blank(v):
            continue
        if col == "tanggal":
            if isinstance(v, dt.datetime):
                profile[col] = v.date()
            elif isinstance(v, dt.date):
                profile[col] = v
            else:
                try:
                    profile[col] = dt.date.fromisoformat(str(v).strip())
                except ValueError:
                    why[col] = f"tanggal '{_shown(v)}' bukan TTTT-BB-HH"
            if col in profile:
                why_date = _date_bounds(profile[col], today or _today())
                if why_date:
                    why[col] = why_date
        elif col == "jenis_kelamin":
            s = str(v).strip().upper()
            if s not in ("L", "P"):
                why[col] = f"jenis_kelamin harus L atau P (bukan '{_shown(v)}')"
            profile[col] = s
        elif col == "umur":
            try:
                profile[col] = _age(v)
            except ValueError:
                why[col] = f"umur harus bilangan bulat {AGE_MIN}–{AGE_MAX} (bukan '{_shown(v)}')"
        else:
            s = str(v).strip()
            if len(s) > TEXT_MAX[col]:
                why[col] = f"{col} paling panjang {TEXT_MAX[col]} karakter"
            profile[col] = s
    return answers, profile, why


def _header(cells0) -> dict[str, int]:
    """{column: index} from the header row, or ImportRefused with every problem of it."""
    if not cells0 or all(_blank(c) for c in cells0):
        raise ImportRefused(["Baris 1: tidak ada judul kolom."])
    if len(cells0) > MAX_COLUMNS and any(not _blank(h) for h in cells0[MAX_COLUMNS:]):
        raise ImportRefused([f"Baris 1: lebih dari {MAX_COLUMNS} kolom; kuesioner hanya punya "
                             f"{len(KEYS) + len(OPTIONAL)} judul kolom yang dikenal ({', '.join(KEYS + OPTIONAL)})."])
    headers = [str(h or "").strip().lower() for h in cells0]
    problems = []
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        if not h:
            continue
        if h in seen:
            problems.append(f"Baris 1: kolom '{h}' ada dua kali.")
        elif h not in KEYS and h not in OPTIONAL:
            problems.append(f"Baris 1: kolom '{h}' tidak dikenal (kolom yang dikenal: {', '.join(KEYS + OPTIONAL)}).")
        seen.setdefault(h, i)
    missing = [k for k in KEYS if k not in seen]
    if missing:
        problems.append("Baris 1: kolom wajib tidak ada: " + ", ".join(missing) + ".")
    if problems:
        raise ImportRefused(problems)
    return seen


def parse(cells: list[list[object]], *, today: dt.date | None = None) -> list[Row]:
    """Rows of answers from the cells of a sheet (first row = headers), or ImportRefused.
    ``today`` (Asia/Jakarta, the default) bounds the forms' dates."""
    seen = _header(cells[0] if cells else None)
    if len(cells) - 1 > MAX_ROWS:
        raise ImportRefused([_too_long_text()])
    today = today or _today()
    problems = []

    rows = []
    for number, cells_row in enumerate(cells[1:], start=2):
        get = lambda col: cells_row[seen[col]] if col in seen and seen[col] < len(cells_row) else None  # noqa: E731
        if all(_blank(c) for c in cells_row):
            continue
        answers, profile, bad = clean(get, today=today)
        why = list(bad.values())
        if why:
            problems.append(f"Baris {number}: " + "; ".join(why) + ".")
        else:
            rows.append(Row(number, answers, profile))
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused(["Berkas tidak berisi satu pun baris jawaban."])
    return rows


def _age(v) -> int:
    age = _whole(v)
    if not AGE_MIN <= age <= AGE_MAX:
        raise ValueError
    return age
