"""Reading the first worksheet of an uploaded XLSX within fixed bounds of time and memory.

An XLSX is a zip of XML parts, and both layers can be made to explode: a few hundred KB of
deflate unpack to gigabytes (50 million empty rows, one row of 20 million cells, 20 million
shared strings), and XML can declare entities that expand a billionfold. openpyxl trusts what
the file says about itself and keeps what it parsed, so Loket reads the few parts it needs
(relationships, workbook, shared strings, styles, the first worksheet) itself, as a stream,
and stops at the first limit (``Limits``) it meets:

- the archive, as declared by its central directory: at most ``members`` parts (checked in
  the end record before zipfile lists them), names unique ignoring case, nothing encrypted,
  only the stored and deflate methods, no part declared larger than ``member_bytes`` (all
  parts: ``total_bytes``) or packed more than ``ratio`` to 1;
- the archive, as it really is: a zip header can lie, so every part is counted while it is
  unpacked (its bytes, its ratio to the bytes it was packed in, the total of the parts read)
  and reading stops at the limit whatever the header said;
- the XML (expat, event by event, no tree kept): no DOCTYPE at all (ECMA-376 Part 2, Open
  Packaging Conventions, rule M1.18: DTD declarations "shall not be used", and a reader "shall
  treat the presence of DTD declarations as an error"), so no entity is ever declared, let
  alone expanded; no external resource is fetched; and no stretch of more than ``token_bytes``
  without a ``>`` is handed to the parser, so no single tag (a million attributes) or text can
  grow without bound inside it;
- the content: rows are read in order and reading stops at the first row past ``rows`` that
  has a cell (rows that are only formatted are skipped, and a row number must grow and stay
  within Excel's 1,048,576); a value past column ``columns`` refuses the file (empty cells,
  often only formatted, are passed over without a look); a cell holds at
  most 32,767 characters (Excel's own limit); at most ``shared_strings`` shared strings and
  ``text_chars`` characters of text in all, counted as they are read, never taken from the
  ``count`` or ``<dimension>`` the file declares.

Values come out as openpyxl gives them with ``data_only=True`` (numbers as int or float, date
cells as datetime through openpyxl's own helpers, shared and inline strings as str, booleans),
so callers that used openpyxl see the same cells.

Every refusal is ``XlsxRefused``, with a message for the clerk (Indonesian) that says what to do.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from loket.core.money import thousands

MIB = 1024 * 1024
CHUNK = 64 * 1024
# Excel specifications and limits (Microsoft support): characters a cell can contain, rows on a
# worksheet, unique cell formats.
EXCEL_CELL_CHARS = 32_767
EXCEL_ROWS = 1_048_576
EXCEL_CELL_STYLES = 65_490

SIGNATURE = b"PK\x03\x04"
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


@dataclass(frozen=True)
class Limits:
    """How far the reader goes. ``rows`` and ``columns`` are the caller's (its questionnaire's);
    the defaults of the others are far above what a valid file of ``rows`` rows needs."""

    rows: int  # the last row number wanted; the first row past it that has a cell ends the reading
    columns: int  # a cell past this column refuses the file
    cell_chars: int = EXCEL_CELL_CHARS
    members: int = 100  # Excel writes about 10 parts, LibreOffice about 15
    member_bytes: int = 96 * MIB  # one part, unpacked (100,000 rows of all 16 columns: about 62 MB)
    total_bytes: int = 128 * MIB  # every part read, unpacked
    ratio: int = 100  # a sheet of numbers packs about 11:1; a bomb about 1,000:1 (deflate's most)
    ratio_after: int = 1 * MIB  # a small part may pack better: the ratio counts past this much
    small_part_bytes: int = 1 * MIB  # relationships, workbook
    styles_bytes: int = 16 * MIB
    token_bytes: int = 256 * 1024  # the longest stretch without ">" (a tag, or a cell's text in UTF-8)
    shared_strings: int = 400_000
    text_chars: int = 16 * MIB  # every character of text kept (shared strings and the sheet's own)
    relationships: int = 1_000
    cell_styles: int = EXCEL_CELL_STYLES
    # XML elements read in all parts: what bounds the time (half a microsecond to a microsecond
    # each). 100,000 rows of all 16 columns as Excel writes them (text in shared strings) are 3.3
    # million; with inline strings (openpyxl's write-only mode) 4.6 million, but such a file is
    # over 5 MB anyway.
    elements: int = 3_500_000


class XlsxRefused(Exception):
    """The workbook is not read; ``str(exc)`` says why and what to do (Indonesian)."""


class _Done(Exception):
    """A handler has what it needs: stop reading the part."""


def _mb(n: int) -> str:
    return f"{n // MIB} MB"


DAMAGED = ("Berkas XLSX tidak dapat dibaca: rusak atau bukan XLSX ({why}). Buka di Excel atau LibreOffice, simpan "
           "lagi sebagai .xlsx (atau CSV UTF-8), lalu unggah lagi.")
TOO_BIG = ("Berkas XLSX ini membengkak menjadi lebih dari {limit} saat dibuka ({part}), melebihi batas impor. "
           "Hapus lembar kerja, baris dan kolom yang tidak perlu atau bagi menjadi beberapa berkas, lalu unggah lagi.")
PACKED = ("Berkas XLSX ini dipadatkan secara tidak wajar ({part} membengkak lebih dari {ratio} kali); berkas seperti "
          "ini tidak diproses. Salin datanya ke buku kerja baru di Excel atau LibreOffice, simpan, lalu unggah lagi.")
MEMBERS = ("Berkas XLSX berisi {n} bagian (paling banyak {limit}); buku kerja kuesioner tidak sebesar itu. Salin "
           "kuesionernya saja ke buku kerja baru, simpan, lalu unggah lagi.")


def _damaged(why: str) -> XlsxRefused:
    return XlsxRefused(DAMAGED.format(why=why))


def column_letters(n: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _end_record_check(data: bytes, limits: Limits) -> None:
    """Before zipfile lists the members: the count and directory size of the end record, so
    that a directory of 100,000 empty entries is refused before it is read into memory. A zip64
    end record (0xFFFF/0xFFFFFFFF here) is left to zipfile; the upload's size bounds it anyway."""
    tail = data[-(22 + 65535):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _damaged("akhir arsip zip tidak ditemukan")
    _sig, _disk, _disk_cd, _here, entries, size_cd, _offset, _comment = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if entries != 0xFFFF and entries > limits.members:
        raise XlsxRefused(MEMBERS.format(n=entries, limit=limits.members))
    if size_cd != 0xFFFFFFFF and size_cd > limits.members * 1024:
        raise _damaged("daftar isi arsip terlalu besar")


def _local(name: str) -> str:
    """An element's or attribute's name without its prefix: "x:c" → "c"."""
    return name[name.find(":") + 1:]


def _names() -> tuple[dict[str, str], Callable[[str], str]]:
    """(cache, local): ``_local`` remembering the first names it saw, for handlers that run
    millions of times (``cache.get(name) or local(name)``). A part can hold millions of distinct
    names: the cache stops growing at 64."""
    cache: dict[str, str] = {}

    def local(name: str) -> str:
        tag = _local(name)
        if len(cache) < 64:
            cache[name] = tag
        return tag

    return cache, local


class _Workbook:
    """One reading of one workbook: the archive, the counters, the parts read so far."""

    def __init__(self, data: bytes, limits: Limits):
        self.limits = limits
        self.unpacked = 0  # bytes of every part read so far
        self.text = 0  # characters of text kept so far
        if not data.startswith(SIGNATURE):
            raise _damaged("bukan arsip zip")
        _end_record_check(data, limits)
        self.data = data
        self.elements = 0  # elements read so far, in every part
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                infos = z.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error,
                NotImplementedError) as exc:
            raise _damaged(f"arsip zip: {exc}") from None
        self._check_members(infos)
        self.members = {i.filename: i for i in infos}

    def has(self, name: str | None) -> bool:
        return bool(name) and name in self.members

    def _check_members(self, infos: list[zipfile.ZipInfo]) -> None:
        lim = self.limits
        if len(infos) > lim.members:
            raise XlsxRefused(MEMBERS.format(n=len(infos), limit=lim.members))
        names = set()
        declared = 0
        for info in infos:
            # Part names are equal ignoring case (OPC, rule M1.12): two parts of one name could
            # be read differently by two readers.
            key = info.filename.lower()
            if key in names:
                raise _damaged(f"bagian {info.filename} ada dua kali")
            names.add(key)
            if info.flag_bits & 0x1:
                raise XlsxRefused("Berkas XLSX dikunci dengan kata sandi. Buka di Excel atau LibreOffice, simpan "
                                  "tanpa kata sandi, lalu unggah lagi.")
            if info.compress_type not in METHODS:
                raise _damaged(f"bagian {info.filename} dipadatkan dengan metode {info.compress_type}, "
                               "yang tidak dipakai Excel")
            if info.file_size > lim.member_bytes:
                raise XlsxRefused(TOO_BIG.format(limit=_mb(lim.member_bytes), part=info.filename))
            declared += info.file_size
            if declared > lim.total_bytes:
                raise XlsxRefused(TOO_BIG.format(limit=_mb(lim.total_bytes), part="seluruh bagian"))
            if info.file_size > lim.ratio_after and info.file_size > lim.ratio * max(info.compress_size, 1):
                raise XlsxRefused(PACKED.format(part=info.filename, ratio=lim.ratio))

    # --- reading one part ---------------------------------------------------------------------

    def _chunks(self, name: str, max_bytes: int) -> Iterator[bytes]:
        """The unpacked bytes of a part, unpacked here rather than by zipfile so that the ratio
        can be taken against the packed bytes consumed so far: a bomb is stopped after its first
        megabyte, not after ``ratio`` times its whole packed size. At most ``max_bytes``, within
        the workbook's total, never more than the directory says; the size and CRC are checked at
        the end (a part read only up to what is needed, such as a sheet up to </sheetData>, is
        not checked further)."""
        lim = self.limits
        info = self.members[name]
        data = self.data
        at = info.header_offset
        if data[at:at + 4] != SIGNATURE or len(data) < at + 30:
            raise _damaged(f"bagian {name}: kepala berkas tidak ditemukan")
        name_len, extra_len = struct.unpack("<HH", data[at + 26:at + 30])
        begin = at + 30 + name_len + extra_len
        packed = memoryview(data)[begin:begin + info.compress_size]
        if len(packed) < info.compress_size:
            raise _damaged(f"bagian {name}: terpotong")
        inflate = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
        got = crc = pos = 0
        while True:
            if inflate is None:  # stored: the bytes as they are
                out = bytes(packed[pos:pos + CHUNK])
                pos += len(out)
                consumed = pos
                done = pos >= len(packed)
            else:
                tail = inflate.unconsumed_tail
                if not tail:
                    tail = bytes(packed[pos:pos + CHUNK // 4])
                    pos += len(tail)
                try:
                    out = inflate.decompress(tail, CHUNK)
                except zlib.error as exc:
                    raise _damaged(f"bagian {name}: {exc}") from None
                consumed = pos - len(inflate.unconsumed_tail)
                done = inflate.eof or (not out and not inflate.unconsumed_tail and pos >= len(packed))
            if out:
                got += len(out)
                self.unpacked += len(out)
                if got > info.file_size:  # the directory said less: a lie, or damage
                    raise _damaged(f"bagian {name}: isinya lebih besar daripada yang tertulis di daftar isi")
                if got > max_bytes:
                    raise XlsxRefused(TOO_BIG.format(limit=_mb(max_bytes), part=name))
                if self.unpacked > lim.total_bytes:
                    raise XlsxRefused(TOO_BIG.format(limit=_mb(lim.total_bytes), part="seluruh bagian"))
                if got > lim.ratio_after and got > lim.ratio * max(consumed, 1):
                    raise XlsxRefused(PACKED.format(part=name, ratio=lim.ratio))
                crc = zlib.crc32(out, crc)
                yield out
            if done:
                break
        if inflate is not None and not inflate.eof:
            raise _damaged(f"bagian {name}: terpotong")
        if got != info.file_size or crc != info.CRC:
            raise _damaged(f"bagian {name}: ukuran atau CRC tidak cocok dengan daftar isi")

    def parse(self, name: str, max_bytes: int, *, start: Callable, end: Callable | None = None,
              text: Callable | None = None) -> Iterator[None]:
        """Feed a part to expat chunk by chunk, with the handlers given (they get element names as
        written, "c" or "x:c": ``local`` turns one into "c"); yields after each chunk, so that the
        caller can hand on what its handlers collected. A handler raises _Done to stop early."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def doctype(*_args):
            raise XlsxRefused(f"Berkas XLSX memuat deklarasi DOCTYPE ({name}), yang tidak pernah ditulis Excel dan "
                              "dilarang standar berkas Office; berkas tidak diproses. Simpan lagi dari Excel atau "
                              "LibreOffice, lalu unggah lagi.")

        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        gap = 0  # bytes since the last ">"
        try:
            for chunk in self._chunks(name, max_bytes):
                pieces = chunk.split(b">")
                longest = max(gap + len(pieces[0]), max(map(len, pieces[1:-1]), default=0))
                gap = len(pieces[-1]) if len(pieces) > 1 else gap + len(chunk)
                if max(longest, gap) > self.limits.token_bytes:
                    raise _damaged(f"bagian {name}: tag atau teks lebih dari {self.limits.token_bytes // 1024} KB")
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
            yield
        except _Done:
            yield
        except expat.ExpatError as exc:
            raise _damaged(f"bagian {name}: {expat.errors.messages[exc.code]}, baris {exc.lineno}") from None

    def count(self, n: int = 1) -> None:
        """Count elements read; refuse past ``limits.elements``."""
        self.elements += n
        if self.elements > self.limits.elements:
            raise XlsxRefused(
                f"Berkas XLSX memuat lebih dari {thousands(self.limits.elements)} unsur XML, jauh melebihi "
                f"kuesioner {thousands(self.limits.rows)} baris. Salin kuesionernya saja ke buku kerja baru atau "
                "bagi menjadi beberapa berkas, lalu unggah lagi.")

    def keep_text(self, s: str) -> str:
        self.text += len(s)
        if self.text > self.limits.text_chars:
            raise XlsxRefused(f"Berkas XLSX memuat lebih dari {thousands(self.limits.text_chars)} karakter teks, "
                              "jauh melebihi kuesioner satu berkas. Bagi menjadi beberapa berkas, lalu unggah lagi.")
        return s

    # --- the parts ----------------------------------------------------------------------------

    def relationships(self, source: str) -> dict[str, tuple[str, str]]:
        """{Id: (Type, part name)} from a part's _rels/<name>.rels; internal targets only."""
        folder, base = posixpath.split(source)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(name):
            return {}
        out: dict[str, tuple[str, str]] = {}
        _cache, local = _names()

        def start(name_, attrs):
            self.count()
            if local(name_) != "Relationship" or attrs.get("TargetMode") == "External":
                return
            if len(out) >= self.limits.relationships:
                raise _damaged(f"bagian {name}: terlalu banyak hubungan antarbagian")
            target = attrs.get("Target") or ""
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[attrs.get("Id") or ""] = (attrs.get("Type") or "", target)

        for _ in self.parse(name, self.limits.small_part_bytes, start=start):
            pass
        return out

    def workbook_part(self) -> str:
        for rel_type, target in self.relationships("").values():
            if rel_type.endswith("/officeDocument"):
                return target
        return "xl/workbook.xml"

    def first_worksheet(self, workbook: str, rels: dict[str, tuple[str, str]]) -> tuple[str, bool]:
        """(the part of the workbook's first worksheet, whether its dates count from 1904)."""
        if not self.has(workbook):
            raise _damaged("bagian buku kerja tidak ada")
        found: dict = {"date1904": False}
        _cache, local = _names()

        def start(name_, attrs):
            self.count()
            tag = local(name_)
            if tag == "workbookPr":
                found["date1904"] = attrs.get("date1904") in ("1", "true")
            elif tag == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id" and k != "id"), None)
                rel_type, target = rels.get(rid, ("", ""))
                if rel_type.endswith("/worksheet") and self.has(target):  # not a chart sheet
                    found["sheet"] = target
                    raise _Done

        for _ in self.parse(workbook, self.limits.small_part_bytes, start=start):
            pass
        if "sheet" not in found:
            raise _damaged("tidak ada lembar kerja")
        return found["sheet"], found["date1904"]

    def shared_strings(self, name: str | None) -> list[str]:
        """The shared-string table: the text of each <si> (its <t>, or its runs' <r><t>), never
        the phonetic guide (<rPh>)."""
        if not self.has(name):
            return []
        lim = self.limits
        out: list[str] = []
        parts: list[str] = []
        state = {"si": False, "rph": 0, "t": False, "length": 0}
        _cache, local = _names()

        def start(name_, attrs):
            self.count()
            tag = local(name_)
            if tag == "t":
                state["t"] = state["si"] and not state["rph"]
            elif tag == "si":
                if len(out) >= lim.shared_strings:
                    raise XlsxRefused(
                        f"Berkas XLSX memuat lebih dari {thousands(lim.shared_strings)} teks berbeda, jauh melebihi "
                        "kuesioner satu berkas. Salin kuesionernya saja ke buku kerja baru atau bagi menjadi beberapa "
                        "berkas, lalu unggah lagi.")
                state["si"], state["length"] = True, 0
                parts.clear()
            elif tag == "rPh":
                state["rph"] += 1

        def end(name_):
            tag = local(name_)
            if tag == "t":
                state["t"] = False
            elif tag == "si":
                out.append(self.keep_text("".join(parts)))
                state["si"] = False
            elif tag == "rPh":
                state["rph"] -= 1

        def text(s):
            if state["t"]:
                state["length"] += len(s)
                if state["length"] > lim.cell_chars:
                    raise XlsxRefused(f"Berkas XLSX memuat teks lebih dari {thousands(lim.cell_chars)} karakter "
                                      "dalam satu sel (batas Excel sendiri); berkas tidak diproses.")
                parts.append(s)

        for _ in self.parse(name, lim.member_bytes, start=start, end=end, text=text):
            pass
        return out

    def date_styles(self, name: str | None) -> tuple[frozenset[int], frozenset[int]]:
        """(the cell formats that show a date, those that show a duration), decided as openpyxl
        does (its is_date_format/ is_timedelta_format over the built-in and custom codes)."""
        if not self.has(name):
            return frozenset(), frozenset()
        from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format

        custom: dict[int, str] = {}
        formats: list[int] = []
        depth = {"cellXfs": 0}
        _cache, local = _names()

        def number(attrs, what):
            try:
                return int(attrs.get("numFmtId") or 0)
            except ValueError:
                raise _damaged(f"bagian {name}: {what} tanpa nomor format") from None

        def start(name_, attrs):
            self.count()
            tag = local(name_)
            if tag == "numFmt":
                if len(custom) >= self.limits.cell_styles:
                    raise _damaged(f"bagian {name}: terlalu banyak format angka")
                custom[number(attrs, "format angka")] = (attrs.get("formatCode") or "")[:255]
            elif tag == "cellXfs":
                depth["cellXfs"] += 1
            elif tag == "xf" and depth["cellXfs"]:
                if len(formats) >= self.limits.cell_styles:
                    raise _damaged(f"bagian {name}: lebih dari {self.limits.cell_styles} format sel")
                formats.append(number(attrs, "format sel"))

        def end(name_):
            if local(name_) == "cellXfs":
                depth["cellXfs"] -= 1

        for _ in self.parse(name, self.limits.styles_bytes, start=start, end=end):
            pass
        dates, durations = set(), set()
        for i, fmt_id in enumerate(formats):
            code = custom[fmt_id] if fmt_id in custom else builtin_format_code(fmt_id)
            if is_date_format(code):
                dates.add(i)
            if is_timedelta_format(code):
                durations.add(i)
        return frozenset(dates), frozenset(durations)


def rows(data: bytes, *, limits: Limits, first_row: Callable | None = None) -> Iterator[tuple[int, list[object]]]:
    """(row number, values by column from A, without trailing empty cells) for every row of the
    first worksheet that has a value, in order. Past ``limits.rows`` it yields the first row
    that has a cell, even an empty one, as (number, []) and stops, so that the caller can say
    the file is too long. XlsxRefused for a file past any other limit, or damaged.
    ``first_row(number, values)``, when given, is called as soon as the first row with a value
    is read, before any other: it may raise to stop the reading there (a wrong header)."""
    book = _Workbook(data, limits)
    workbook = book.workbook_part()
    rels = book.relationships(workbook)
    sheet, date1904 = book.first_worksheet(workbook, rels)
    by_type: dict[str, str] = {}
    for rel_type, target in rels.values():
        by_type.setdefault(rel_type.rsplit("/", 1)[-1], target)
    strings = book.shared_strings(by_type.get("sharedStrings"))
    dates, durations = book.date_styles(by_type.get("styles"))
    out: list[tuple[int, list[object]]] = []
    start, end, text = _sheet_handlers(book, out, strings, dates, durations, date1904, first_row)
    for _ in book.parse(sheet, limits.member_bytes, start=start, end=end, text=text):
        yield from out
        out.clear()


def _sheet_handlers(book: _Workbook, out: list, strings: list[str], dates, durations, date1904: bool,
                    first_row: Callable | None = None):
    """The expat handlers that turn a worksheet into rows of values, appended to ``out``. Written
    as closures over plain variables: they run a few million times for a large sheet."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

    lim = book.limits
    max_rows, max_columns, cell_chars = lim.rows, lim.columns, lim.cell_chars
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    columns = {column_letters(n): n for n in range(1, max_columns + 1)}
    # name as written → its local name when the handlers act on it, "" for any other element (the
    # handlers return at once for those: a sheet may hold millions of elements of no use here)
    tags: dict[str, str] = {}
    wanted = {"c", "v", "row", "t", "is", "rPh", "sheetData"}

    def learn(name: str) -> str:
        tag = _local(name)
        tag = tag if tag in wanted else ""
        if len(tags) < 64:
            tags[name] = tag
        return tag

    keep_text = book.keep_text
    digits = "0123456789"
    date_styles = {str(i) for i in dates}  # compared with the s attribute as written
    unstyled_is_date = 0 in dates

    budget = lim.elements - book.elements  # elements this sheet may still have
    out_any = [False]  # whether a row with a value has been read
    row = 0  # number of the row being read (or of the last one)
    column = 0  # of the last cell with a value read in this row
    skipped_ref, skipped = None, 0  # empty cells since: the last one's address, those without one after it
    values: list[object] = []
    in_cell = False
    ref = kind = style = None  # the r, t and s of the cell being read
    vtext = None  # the text of its <v>, or of its inline string's <t>s
    collect = False  # inside a <v>, or a <t> of an <is> (not of a phonetic guide <rPh>)
    inline = False  # inside an <is>
    rph = 0

    def start(name, attrs):
        nonlocal row, column, values, in_cell, ref, kind, style, vtext, collect, inline, rph, budget, skipped, \
            skipped_ref
        budget -= 1
        if budget < 0:
            book.count(lim.elements)  # refuses
        tag = tags.get(name)
        if tag is None:
            tag = learn(name)
        if not tag:
            return
        if tag == "c":
            if row > max_rows:
                out.append((row, []))
                raise _Done
            in_cell, vtext = True, None
            ref, kind, style = attrs.get("r"), attrs.get("t", "n"), attrs.get("s")
        elif tag == "v":
            collect = in_cell and kind != "inlineStr"
        elif tag == "row":
            r = attrs.get("r")
            try:
                number = row + 1 if r is None else int(r)
            except ValueError:
                raise _damaged(f"nomor baris '{r[:20]}'") from None
            if number <= row:
                raise _damaged(f"baris {number} sesudah baris {row}")
            if number > EXCEL_ROWS:
                raise _damaged(f"baris {number} melewati baris terakhir Excel")
            row, column, values, skipped_ref, skipped = number, 0, [], None, 0
        elif tag == "t":
            collect = inline and not rph
        elif tag == "is":
            inline = in_cell
        elif tag == "rPh":
            rph += 1

    def end(name):
        nonlocal values, in_cell, collect, inline, rph, column, skipped, skipped_ref
        tag = tags.get(name)
        if tag is None:
            tag = learn(name)
        if not tag:
            return
        if tag == "v":
            collect = False
        elif tag == "c":
            if not in_cell:
                return
            in_cell = False
            if not vtext:
                # An empty cell (often only formatted): nothing to read or check. Its place counts
                # only for a later cell written without an address.
                if ref is None:
                    skipped += 1
                else:
                    skipped_ref, skipped = ref, 0
                return
            if ref is None:
                if skipped_ref is not None:
                    m = _CELL_REF.fullmatch(skipped_ref)
                    if m is None:
                        raise _damaged(f"alamat sel '{skipped_ref[:20]}'")
                    column = max(column, _column_number(m.group(1)))
                col = column + skipped + 1
            else:
                letters = ref.rstrip(digits)
                col = columns.get(letters)
                if col is None or len(letters) == len(ref):
                    if _CELL_REF.fullmatch(ref) is None:
                        raise _damaged(f"alamat sel '{ref[:20]}'")
                    col = _column_number(letters)
            if col <= column:
                raise _damaged(f"baris {row}: sel {ref} tidak berurutan")
            if col > max_columns:
                raise XlsxRefused(
                    f"Baris {row}: ada sel di kolom {column_letters(col)} (kolom ke-{col}), padahal kuesioner paling "
                    f"banyak {max_columns} kolom (sampai kolom {column_letters(max_columns)}). Hapus kolom di kanan "
                    "data, simpan, lalu unggah lagi.")
            column, skipped_ref, skipped = col, None, 0
            if kind == "n" and not (style in date_styles if style is not None else unstyled_is_date):
                # the common case first: a number that is not shown as a date
                try:
                    value = float(vtext) if ("." in vtext or "E" in vtext or "e" in vtext) else int(vtext)
                except ValueError:
                    raise _damaged(f"baris {row}: nilai sel '{vtext[:20]}'") from None
            else:
                value = _value(kind, style, vtext)
            if len(values) < col - 1:
                values.extend([None] * (col - 1 - len(values)))
            values.append(value)
        elif tag == "row":
            if values:
                if first_row is not None and not out_any[0]:
                    first_row(row, values)
                out_any[0] = True
                out.append((row, values))
            values = []
        elif tag == "t":
            collect = False
        elif tag == "is":
            inline = False
        elif tag == "rPh":
            rph -= 1
        elif tag == "sheetData":
            raise _Done  # what follows the cells (merged cells, hyperlinks …) is of no use here

    def text(s):
        nonlocal vtext
        if collect:
            vtext = s if vtext is None else vtext + s
            if len(vtext) > cell_chars:
                raise XlsxRefused(f"Baris {row}: isi sel lebih dari {thousands(cell_chars)} karakter (batas Excel "
                                  "sendiri); berkas tidak diproses.")

    def _value(kind: str, style: str | None, v: str):
        """One cell's value as openpyxl reads it with data_only=True."""
        if kind == "inlineStr":
            return keep_text(v)
        try:
            if kind == "n":
                number = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                if dates:
                    s = int(style) if style else 0
                    if s in dates:
                        try:
                            return from_excel(number, epoch, timedelta=s in durations)
                        except (OverflowError, ValueError):
                            return "#VALUE!"  # as openpyxl: a date serial outside the calendar
                return number
            if kind == "s":
                index = int(v)
                if not 0 <= index < len(strings):
                    raise _damaged(f"baris {row}: teks bersama nomor {index} tidak ada")
                return strings[index]
            if kind == "b":
                return bool(int(v))
            if kind == "d":
                try:
                    return from_ISO8601(v)
                except ValueError:
                    return keep_text(v)
        except ValueError:
            raise _damaged(f"baris {row}: nilai sel '{v[:20]}'") from None
        return keep_text(v)  # "str" (a formula's text), "e" (an error such as #N/A)

    return start, end, text
