"""Hostile spreadsheets, made in code (no binary checked in), and the measurement of one import.

Shared by tests/surveys/test_hostile_files.py (each file refused, peak memory bounded) and
bench/xlsx_bombs.py (seconds and MB per file, as ratios to the goal). Every file is built to the
size asked for, up to the upload limit: a deflate stream of one block repeated n times is the
block packed once (after a full flush, deflate starts afresh, so every copy packs to the same
bytes), written n times; its CRC comes from zlib's crc32_combine, so building a file that unpacks
to gigabytes takes milliseconds and the archive is valid to the last byte.

Run as a script it measures one import in a fresh process (so the peak is its own):

    python -m tests.surveys.hostile_files FILE
    → one JSON line: outcome (refused/accepted), problems, seconds, peak_mb (VmHWM above the
      baseline taken after imports and reading the file, with the peak reset before)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import string
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
KEYS = ["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "pengaduan", "sarana"]
PROFILE = ["tanggal", "layanan", "jenis_kelamin", "umur", "pendidikan", "pekerjaan", "saran"]
TODAY = dt.date(2026, 6, 30)  # the child's "today" for form dates (no Django settings there)

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --- CRC of repeated data ---------------------------------------------------------------------

def _gf2_times(mat: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc_repeat(block: bytes, n: int) -> int:
    result, piece, length = 0, zlib.crc32(block), len(block)
    while n:
        if n & 1:
            result = crc32_combine(result, piece, length)
        piece = crc32_combine(piece, piece, length)
        length *= 2
        n >>= 1
    return result


# --- a zip written by hand (sizes and flags may lie) -------------------------------------------

@dataclass
class Part:
    name: str
    packed: bytes
    crc: int
    size: int  # the true unpacked size
    method: int = 8
    declared_size: int | None = None  # what the headers say, when they lie
    flags: int = 0


def deflated(name: str, data: bytes | str) -> Part:
    if isinstance(data, str):
        data = data.encode()
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Part(name, c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def stored(name: str, data: bytes) -> Part:
    return Part(name, data, zlib.crc32(data), len(data), method=0)


def repeated(name: str, head: bytes | str, block: bytes | str, tail: bytes | str, *, packed_bytes: int,
             count: int | None = None) -> Part:
    """head + block × n + tail, deflated; n fills ``packed_bytes`` (or is ``count``)."""
    head, block, tail = (x.encode() if isinstance(x, str) else x for x in (head, block, tail))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed_head = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    packed_block = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    assert again == packed_block  # deflate after a full flush packs the same block the same way
    packed_tail = c.compress(tail) + c.flush()
    n = count if count is not None else max(1, (packed_bytes - len(packed_head) - len(packed_tail) - 4096)
                                            // len(packed_block))
    crc = crc32_combine(crc32_combine(zlib.crc32(head), _crc_repeat(block, n), len(block) * n),
                        zlib.crc32(tail), len(tail))
    return Part(name, packed_head + packed_block * n + packed_tail, crc, len(head) + len(block) * n + len(tail))


def zip_bytes(parts: list[Part]) -> bytes:
    out, central = bytearray(), bytearray()
    for p in parts:
        name = p.name.encode()
        size = p.size if p.declared_size is None else p.declared_size
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, p.flags, p.method, 0, 0x21, p.crc, len(p.packed), size,
                           len(name), 0) + name + p.packed
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, p.flags, p.method, 0, 0x21, p.crc,
                               len(p.packed), size, len(name), 0, 0, 0, 0, 0, offset) + name
    out += central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central),
                                 len(out), 0)
    return bytes(out)


# --- a workbook around a sheet ---------------------------------------------------------------

def _header_cells(columns: list[str]) -> str:
    return "".join(f'<c r="{_letters(i + 1)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(columns))


def _letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}" xmlns:r="{NS_R}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
HEADER_ROW = f'<row r="1">{_header_cells(KEYS)}</row>'
STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><numFmts count="1"><numFmt numFmtId="164" '
          'formatCode="yyyy-mm-dd"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" '
          'applyNumberFormat="1"/></cellXfs></styleSheet>')


def workbook(sheet: Part, *, shared_strings: Part | None = None, sheets: int = 1, extra: list[Part] = ()) -> bytes:
    """A minimal XLSX as Excel lays it out (openpyxl opens it), with ``sheet`` as its first worksheet."""
    names = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, sheets + 1))
    rels += f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>'
    if shared_strings is not None:
        rels += f'<Relationship Id="rIdT" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [("/xl/workbook.xml", "sheet.main"), ("/xl/styles.xml", "styles")]
    overrides += [(f"/xl/worksheets/sheet{i}.xml", "worksheet") for i in range(1, sheets + 1)]
    if shared_strings is not None:
        overrides.append(("/xl/sharedStrings.xml", "sharedStrings"))
    types = "".join(f'<Override PartName="{n}" ContentType="{ct}.{t}+xml"/>' for n, t in overrides)
    parts = [
        deflated("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                 'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                 f'{types}</Types>'),
        deflated("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{NS_PR}"><Relationship Id="rId1" '
                 f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        deflated("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{NS_R}"><sheets>{names}'
                 '</sheets></workbook>'),
        deflated("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{NS_PR}">{rels}'
                 '</Relationships>'),
        deflated("xl/styles.xml", STYLES),
        sheet,
    ]
    if shared_strings is not None:
        parts.append(shared_strings)
    for i in range(2, sheets + 1):
        parts.append(deflated(f"xl/worksheets/sheet{i}.xml", SHEET_HEAD + SHEET_TAIL))
    return zip_bytes(parts + list(extra))


SHEET = "xl/worksheets/sheet1.xml"


def _data_row(i: int) -> str:
    return f'<row r="{i}">' + "".join(f'<c r="{_letters(j + 1)}{i}"><v>{1 + (i + j) % 4}</v></c>'
                                      for j in range(len(KEYS))) + "</row>"


# --- the hostile files ------------------------------------------------------------------------

NAMES = ("empty_rows", "wide_row", "shared_strings", "empty_rows_low_ratio", "wide_row_low_ratio",
         "shared_strings_low_ratio", "junk_elements", "empty_cells", "row_gap", "row_past_excel", "long_cell", "long_tag",
         "billion_laughs", "external_entity", "lying_size", "lying_size_plausible", "lying_size_low_ratio",
         "many_parts", "many_sheets", "encrypted", "bzip2", "nested_zip", "truncated", "not_a_zip")


def hostile(limit: int = 5 * MIB) -> dict[str, tuple[bytes, str]]:
    """{name: (file, words its refusal must contain)}, each at most ``limit`` bytes."""
    fill = limit - 16 * 1024  # the parts around the bomb
    files: dict[str, tuple[bytes, str]] = {}

    def put(name, data, words):
        assert len(data) <= limit, (name, len(data))
        files[name] = (data, words)

    # The review's files: tens of millions of empty rows; one row of millions of cells; millions of
    # shared strings (whose count attribute says 1).
    put("empty_rows", workbook(repeated(SHEET, SHEET_HEAD + HEADER_ROW, "<row/>" * 4096, SHEET_TAIL,
                                        packed_bytes=fill)), "membengkak")
    put("wide_row", workbook(repeated(SHEET, SHEET_HEAD + HEADER_ROW + "<row>", "<c><v>1</v></c>" * 4096,
                                      "</row>" + SHEET_TAIL, packed_bytes=fill)), "membengkak")
    put("shared_strings", workbook(
        deflated(SHEET, SHEET_HEAD + HEADER_ROW + _data_row(2) + SHEET_TAIL),
        shared_strings=repeated("xl/sharedStrings.xml", f'<sst xmlns="{NS}" count="1" uniqueCount="1">',
                                "<si><t>x</t></si>" * 4096, "</sst>", packed_bytes=fill)),
        "membengkak")
    # The same shapes packed only 50:1 (a little noise in each block), under the ratio limit: the
    # counts stop them (rows past Excel's last, a cell past column AX, shared strings, elements).
    noise = "".join(f"<!--{i:08x}{(i * 2654435761) % 2**32:08x}-->" for i in range(64))
    put("empty_rows_low_ratio", workbook(repeated(SHEET, SHEET_HEAD + HEADER_ROW, "<row/>" * 512 + noise,
                                                  SHEET_TAIL, packed_bytes=fill)), "baris terakhir Excel")
    put("wide_row_low_ratio", workbook(repeated(SHEET, SHEET_HEAD + HEADER_ROW + "<row>",
                                                "<c><v>1</v></c>" * 256 + noise, "</row>" + SHEET_TAIL,
                                                packed_bytes=fill)), "kolom AY (kolom ke-51)")
    put("shared_strings_low_ratio", workbook(
        deflated(SHEET, SHEET_HEAD + HEADER_ROW + _data_row(2) + SHEET_TAIL),
        shared_strings=repeated("xl/sharedStrings.xml", f'<sst xmlns="{NS}" count="1">', "<si><t>x</t></si>" * 128
                                + noise, "</sst>", packed_bytes=fill)), "teks berbeda")
    put("junk_elements", workbook(repeated(SHEET, SHEET_HEAD + HEADER_ROW + "<row r=\"2\">",
                                           "<x/>" * 4096 + noise[:len(noise) // 4], "</row>" + SHEET_TAIL,
                                           packed_bytes=0, count=2500)), "unsur XML")
    # Forms with 41 empty (formatted) cells each to column AX: as many elements as the reader
    # allows, every one of them a cell it must look at.
    form = "<row>" + "<c><v>3</v></c>" * len(KEYS) + '<c s="1"/>' * 41 + "</row>"
    put("empty_cells", workbook(repeated(SHEET, SHEET_HEAD + HEADER_ROW, form * 8 + noise[:len(noise) // 8],
                                         SHEET_TAIL, packed_bytes=0, count=12_000)), "unsur XML")
    # Row numbers that leap: a cell in row 500,000 after the header, a <dimension> that lies; a row
    # number past Excel's last.
    put("row_gap", workbook(deflated(SHEET, SHEET_HEAD.replace("<sheetData>", '<dimension ref="A1:I2"/><sheetData>')
                                     + HEADER_ROW + '<row r="500000"><c r="A500000"><v>3</v></c></row>'
                                     + SHEET_TAIL)), "Paling banyak 100000 baris")
    put("row_past_excel", workbook(deflated(SHEET, SHEET_HEAD + HEADER_ROW + '<row r="99999999999"/>' + SHEET_TAIL)),
        "baris terakhir Excel")
    # One cell of millions of characters (inline), one tag of 40,000 attributes.
    words = "".join(random.Random(13).choices(string.ascii_lowercase + " ", k=65536))
    put("long_cell", workbook(repeated(SHEET, SHEET_HEAD + HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>',
                                       words, "</t></is></c></row>" + SHEET_TAIL, packed_bytes=fill)),
        "isi sel lebih dari 32.767 karakter")
    put("long_tag", workbook(repeated(SHEET, SHEET_HEAD + HEADER_ROW + '<row r="2"><c r="A2"',
                                      "".join(f' a{i}="1"' for i in range(40_000)), "/></row>" + SHEET_TAIL,
                                      packed_bytes=0, count=1)), "lebih dari 256 KB")
    # XML entities: a billion laughs, and an external entity that would read a local file.
    laughs = '<!DOCTYPE worksheet [<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10)) + "]>"
    put("billion_laughs", workbook(deflated(SHEET, SHEET_HEAD.replace("<worksheet", laughs + "<worksheet")
                                            .replace("<sheetData>", "<sheetData>") + HEADER_ROW
                                            + '<row r="2"><c r="A2" t="inlineStr"><is><t>&l9;</t></is></c></row>'
                                            + SHEET_TAIL)), "DOCTYPE")
    put("external_entity", workbook(deflated(SHEET, SHEET_HEAD.replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet') + HEADER_ROW
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c></row>' + SHEET_TAIL)), "DOCTYPE")
    # Headers that lie: the sheet says it unpacks to 1 KB (local and central header).
    lying = repeated(SHEET, SHEET_HEAD + HEADER_ROW, "<row/>" * 4096, SHEET_TAIL, packed_bytes=fill)
    lying.declared_size = 1024
    put("lying_size", workbook(lying), "tidak dapat dibaca")
    lying_plausible = repeated(SHEET, SHEET_HEAD + HEADER_ROW, "<row/>" * 4096, SHEET_TAIL, packed_bytes=fill)
    lying_plausible.declared_size = 90 * MIB
    put("lying_size_plausible", workbook(lying_plausible), "dipadatkan secara tidak wajar")
    row = "<row>" + "<c><v>3</v></c>" * len(KEYS) + "</row>"
    lying_low = repeated(SHEET, SHEET_HEAD + HEADER_ROW, row * 4 + noise, SHEET_TAIL, packed_bytes=fill)
    lying_low.declared_size = 1024
    put("lying_size_low_ratio", workbook(lying_low), "tidak dapat dibaca")
    # The archive itself: too many parts; many sheets; encrypted; a method Excel never uses (a
    # bzip2 bomb packs far better than deflate); a zip inside the zip; not a zip at all.
    put("many_parts", zip_bytes([stored(f"x/{i}", b"") for i in range(50_000)]), "bagian (paling banyak 100)")
    put("many_sheets", workbook(deflated(SHEET, SHEET_HEAD + HEADER_ROW + SHEET_TAIL), sheets=500),
        "bagian (paling banyak 100)")
    encrypted = deflated(SHEET, SHEET_HEAD + HEADER_ROW + SHEET_TAIL)
    encrypted.flags = 1
    put("encrypted", workbook(encrypted), "kata sandi")
    bz = deflated(SHEET, SHEET_HEAD + HEADER_ROW + SHEET_TAIL)
    bz.method = 12
    put("bzip2", workbook(bz), "metode 12")
    inner = zip_bytes([repeated(SHEET, SHEET_HEAD + HEADER_ROW, "<row/>" * 4096, SHEET_TAIL, packed_bytes=1 * MIB)])
    put("nested_zip", workbook(stored(SHEET, inner)), "tidak dapat dibaca")
    put("truncated", workbook(deflated(SHEET, SHEET_HEAD + HEADER_ROW + _data_row(2) + SHEET_TAIL))[:-200],
        "tidak dapat dibaca")
    put("not_a_zip", b"PK\x03\x04" + bytes(range(256)) * (limit // 256 - 1), "tidak dapat dibaca")
    assert tuple(files) == NAMES
    return files


VALID_COLUMNS = KEYS + ["tanggal", "layanan", "jenis_kelamin", "umur", "saran"]


def _valid_row(i: int) -> tuple[list[int], dt.date, str, int, str]:
    answers = [1 + (i * 7 + j * 3) % 4 for j in range(len(KEYS))]
    saran = f"Saran nomor {i}: antrean pagi panjang." if i % 20 == 0 else ""
    return answers, dt.date(2025, 1, 1) + dt.timedelta(days=i % 365), "LP"[i % 2], 17 + i % 60, saran


NAMES_CSV = ("csv_wide_header", "csv_one_line", "csv_long_field", "csv_unclosed_quote", "csv_blank_lines",
             "csv_nul_at_the_end", "csv_not_utf8", "csv_binary")


def hostile_csv(limit: int = 5 * MIB) -> dict[str, tuple[bytes, str]]:
    """{name: (file, words its refusal must contain)}: CSV files of ``limit`` bytes at most."""
    header = ",".join(KEYS + ["saran"]) + "\n"
    n = limit - 1024
    files = {
        "csv_wide_header": (("a," * (n // 2)).encode(), "Baris 1: lebih dari 65.536 karakter"),
        "csv_one_line": ((header + "3," * (n // 2)).encode(), "Baris 2: lebih dari 65.536 karakter"),
        "csv_long_field": ((header + ",".join(["3"] * 9) + ',"' + "x" * n + '"\n').encode(),
                           "Baris 2: lebih dari 65.536 karakter"),
        "csv_unclosed_quote": ((header + ",".join(["3"] * 9) + ',"' + "x\n" * (n // 2)).encode(), "terlalu panjang"),
        "csv_blank_lines": ((header + "\n" * n).encode(), "Paling banyak 100000 baris"),
        "csv_nul_at_the_end": ((header + (",".join(["3"] * 9) + ",baik\n") * 90_000 + "3,\x00\n").encode(),
                               "(NUL, U+0000)"),
        "csv_not_utf8": ((header + (",".join(["3"] * 9) + ",baik\n") * 90_000).encode() + b"3,\xff\n",
                         "bukan CSV (UTF-8) atau XLSX"),
        "csv_binary": (random.Random(5).randbytes(n), "bukan CSV"),  # one generator: random bytes
    }
    for name, (data, _) in files.items():
        assert len(data) <= limit, (name, len(data))
    assert tuple(files) == NAMES_CSV
    return files


def valid_xlsx(rows: int = 100_000) -> bytes:
    """``rows`` paper forms as Excel writes them (text in shared strings, the date a number in a
    date format), with the columns that let 100,000 of them fit the 5 MB upload limit."""
    fixed = ["ktp-el", "L", "P"] + VALID_COLUMNS
    strings = fixed + [_valid_row(i)[4] for i in range(0, rows, 20)]
    first_saran = len(fixed)
    base = (dt.date(2025, 1, 1) - dt.date(1899, 12, 30)).days
    out = [SHEET_HEAD, '<row r="1">']
    out += [f'<c r="{_letters(j + 1)}1" t="s"><v>{3 + j}</v></c>' for j in range(len(VALID_COLUMNS))]
    out.append("</row>")
    for i in range(rows):
        r = i + 2
        answers, day, sex, age, saran = _valid_row(i)
        cells = [f'<c r="{_letters(j + 1)}{r}"><v>{a}</v></c>' for j, a in enumerate(answers)]
        cells.append(f'<c r="J{r}" s="1"><v>{base + (day - dt.date(2025, 1, 1)).days}</v></c>')
        cells.append(f'<c r="K{r}" t="s"><v>0</v></c><c r="L{r}" t="s"><v>{1 if sex == "L" else 2}</v></c>')
        cells.append(f'<c r="M{r}"><v>{age}</v></c>')
        if saran:
            cells.append(f'<c r="N{r}" t="s"><v>{first_saran + i // 20}</v></c>')
        out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    out.append(SHEET_TAIL)
    sst = (f'<sst xmlns="{NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    return workbook(deflated(SHEET, "".join(out)), shared_strings=deflated("xl/sharedStrings.xml", sst))


def valid_csv(rows: int = 100_000) -> bytes:
    lines = [",".join(VALID_COLUMNS)]
    for i in range(rows):
        answers, day, sex, age, saran = _valid_row(i)
        lines.append(",".join(map(str, answers)) + f",{day.isoformat()},ktp-el,{sex},{age},{saran}")
    return ("\r\n".join(lines) + "\r\n").encode()


# --- measuring one import in a fresh process --------------------------------------------------

def measure(path: Path | str, *, timeout: float = 120) -> dict:
    """Run ``read_cells`` + ``parse`` on the file in a child process; its JSON result."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the importer needs no settings (limit: the 5 MB default)
    proc = subprocess.run([sys.executable, "-m", "tests.surveys.hostile_files", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"measuring {path} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _vm_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(path: str) -> None:
    import time

    from loket.surveys import importer
    import openpyxl.styles.numbers  # noqa: F401  (imported by the reader on first use: not the file's cost)
    import openpyxl.utils.datetime  # noqa: F401

    data = Path(path).read_bytes()
    try:
        Path("/proc/self/clear_refs").write_text("5")  # peak := now (Linux ≥ 4.0)
    except OSError:
        pass
    baseline = _vm_kb("VmRSS")  # without the reset, the peak is over-estimated, never under
    t0 = time.perf_counter()
    try:
        rows = importer.parse(importer.read_cells(Path(path).name, data), today=TODAY)
        outcome, problems, count = "accepted", [], len(rows)
    except importer.ImportRefused as exc:
        outcome, problems, count = "refused", exc.problems[:3], 0
    seconds = time.perf_counter() - t0
    peak = _vm_kb("VmHWM")
    print(json.dumps({"outcome": outcome, "problems": problems, "rows": count, "seconds": seconds,
                      "peak_mb": (peak - baseline) / 1024,
                      "baseline_mb": baseline / 1024}))


if __name__ == "__main__":
    _child(sys.argv[1])
