"""Paper SKM forms from a spreadsheet (CSV or XLSX): columns matched by header in any order.

Required columns: the nine element keys (loket.surveys.ikm.KEYS); a blank cell means the
question was not answered. Optional: tanggal (YYYY-MM-DD), layanan (service code),
jenis_kelamin (L/P), umur, pendidikan, pekerjaan, saran. Headers are matched ignoring case and
surrounding spaces. Every bad row is reported with its row number in the file (the header is
row 1) and the reason; a file with any bad row gives no rows at all (nothing is imported).
Rows whose every cell is blank are skipped (spreadsheets often end with some).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

from loket.surveys.ikm import KEYS

OPTIONAL = ["tanggal", "layanan", "jenis_kelamin", "umur", "pendidikan", "pekerjaan", "saran"]
TEXT_MAX = {"layanan": 50, "pendidikan": 100, "pekerjaan": 100, "saran": 2000}
MAX_ROWS = 100_000
MAX_COLUMNS = 50  # the 16 known headers and room for a sheet's stray columns


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


def _cells_csv(data: bytes) -> list[list[object]]:
    text = data.decode("utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(itertools.islice(csv.reader(io.StringIO(text), dialect), MAX_ROWS + 2))


def _cells_xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    # A small, highly compressed workbook can unpack to millions of cells: read no further than
    # parse() accepts (one row past the limit, so that it can say the file is too long).
    rows = ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
    out = []
    for r in rows:
        r = list(r)
        while r and r[-1] is None:  # max_col pads every row to its width
            r.pop()
        out.append(r)
    return out


def read_cells(path: Path | str, data: bytes | None = None) -> list[list[object]]:
    path = Path(path)
    raw = data if data is not None else path.read_bytes()
    if raw[:4] == b"PK\x03\x04":  # an XLSX is a zip, whatever its name says
        try:
            return _cells_xlsx(raw)
        except Exception as exc:  # noqa: BLE001 — any damage in the workbook is one message
            raise ImportRefused([f"Berkas XLSX tidak dapat dibaca: {exc}"]) from None
    if raw[:4] == b"\xd0\xcf\x11\xe0":  # the old binary Excel (.xls)
        raise ImportRefused(["Berkas Excel lama (.xls) tidak dapat dibaca: simpan sebagai .xlsx atau CSV, lalu unggah lagi."])
    try:
        return _cells_csv(raw)
    except (UnicodeDecodeError, csv.Error):  # not text, or text the csv module cannot split (a NUL byte)
        raise ImportRefused(["Berkas bukan CSV (UTF-8) atau XLSX."]) from None


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


def clean(get) -> tuple[dict[str, int | None], dict, dict[str, str]]:
    """The answers and the profile of one respondent, from ``get(column) -> value`` (a sheet's
    cell or a web form's field): (answers by key, the optional columns that were filled, and
    {column: reason} for every bad value). One set of rules for paper forms and the web form."""
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
            why[k] = f"{k} harus 1, 2, 3 atau 4 (bukan '{v}')"
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
                    why[col] = f"tanggal '{v}' bukan TTTT-BB-HH"
        elif col == "jenis_kelamin":
            s = str(v).strip().upper()
            if s not in ("L", "P"):
                why[col] = f"jenis_kelamin harus L atau P (bukan '{v}')"
            profile[col] = s
        elif col == "umur":
            try:
                profile[col] = _age(v)
            except ValueError:
                why[col] = f"umur harus bilangan bulat {AGE_MIN}–{AGE_MAX} (bukan '{v}')"
        else:
            s = str(v).strip()
            if len(s) > TEXT_MAX[col]:
                why[col] = f"{col} paling panjang {TEXT_MAX[col]} karakter"
            profile[col] = s
    return answers, profile, why


def parse(cells: list[list[object]]) -> list[Row]:
    """Rows of answers from the cells of a sheet (first row = headers), or ImportRefused."""
    if not cells or all(_blank(c) for c in cells[0]):
        raise ImportRefused(["Baris 1: tidak ada judul kolom."])
    headers = [str(h or "").strip().lower() for h in cells[0]]
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
    if len(cells) - 1 > MAX_ROWS:
        raise ImportRefused([f"Paling banyak {MAX_ROWS} baris per berkas."])

    rows = []
    for number, cells_row in enumerate(cells[1:], start=2):
        get = lambda col: cells_row[seen[col]] if col in seen and seen[col] < len(cells_row) else None  # noqa: E731
        if all(_blank(c) for c in cells_row):
            continue
        answers, profile, bad = clean(get)
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
