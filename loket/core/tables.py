"""Table export building blocks shared by every book (Buku Register, Buku Pengaduan, the rentals'
and deeds' registers, the SKM report): an XLSX workbook streamed in openpyxl's write-only mode and an
A4 landscape PDF whose header row repeats on every page.

The callers give rows as tuples in the headers' order and read their querysets in chunks
(``CHUNK``), so a year's book of tens of thousands of lines is never held as a list of model
objects. Dates are shown in the office's time zone (Asia/Jakarta).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from xml.sax.saxutils import escape

from django.utils import timezone

from loket.offices.models import Office

CHUNK = 2000

DATETIME_FORMAT_XLSX = "dd-mm-yyyy hh:mm"
DATETIME_FORMAT = "%d-%m-%Y %H:%M"

# Control characters other than tab/newline: XML 1.0 (inside XLSX) cannot carry them, and
# nothing a clerk types needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value) -> str:
    return _CONTROL.sub("", str(value or ""))


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Aware → naive local time of the office (what a spreadsheet shows as-is)."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.replace(tzinfo=None)


def heading(office: Office, title: str) -> str:
    return f"{office.name}, {office.city} — {title}" if office.city else f"{office.name} — {title}"


# --- XLSX ----------------------------------------------------------------------------------

def table_xlsx(rows, *, office: Office, title: str, sheet: str, headers: list[str], widths: list[int],
               date_columns=()):
    """A book as an XLSX workbook, written in openpyxl's streaming (write-only) mode to a
    temporary file: the office heading, the print date, then the bold header row (frozen and
    repeated on printed pages), A4 landscape. ``rows`` yields tuples in the headers' order; the
    ``date_columns`` hold naive local datetimes. Returns the file, rewound and open for reading
    (FileResponse closes it)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    header_row = 3
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    def text(value, **style):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # always text: a name starting with "=" is not a formula
        for key, val in style.items():
            setattr(cell, key, val)
        return cell

    def when(value):
        cell = WriteOnlyCell(ws, value=value)
        if value is not None:
            cell.number_format = DATETIME_FORMAT_XLSX
        return cell

    def safe(value):
        # Plain values are several times faster than a cell object each; a text that Excel would
        # read as a formula ("=…") is the one kind that must be forced to text. A NIK is a
        # string, so it stays text (16 digits, leading zeros kept).
        return text(value) if isinstance(value, str) and value.startswith("=") else value

    ws.append([text(clean(heading(office, title)), font=Font(bold=True, size=14))])
    printed = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    ws.append([text(f"Dicetak {printed.strftime(DATETIME_FORMAT)}", font=Font(italic=True, size=9))])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    wrap = Alignment(vertical="center", wrap_text=True)
    ws.append([text(h, font=bold, fill=fill, alignment=wrap) for h in headers])
    dates = set(date_columns)
    for row in rows:
        ws.append([when(v) if i in dates else safe(v) for i, v in enumerate(row)])

    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


# --- PDF -----------------------------------------------------------------------------------

PDF_FONT, PDF_BOLD, PDF_SIZE, PDF_LEADING, PDF_PAD = "Helvetica", "Helvetica-Bold", 7.5, 9, 3
DASH = "\u2014"


def table_pdf(
    rows, *, office: Office, title: str, headers: list[str], widths_mm: list[float], date_columns=(),
    empty_text: str = "Tidak ada entri.", size: float = PDF_SIZE, leading: float = PDF_LEADING,
    shorten: dict[int, int] | None = None,
) -> bytes:
    """A book as an A4 landscape PDF: the office heading, one table whose header row repeats on
    every page, the page number at the foot. Built-in Helvetica. ``rows`` yields tuples in the
    headers' order; the ``date_columns`` hold naive local datetimes; ``shorten`` cuts long
    texts of some columns to a number of characters (the spreadsheet keeps them whole).

    A value that fits its column is drawn as plain text (drawn as-is, never parsed); a longer
    one becomes a wrapping Paragraph, whose markup parser only ever sees escaped text. Plain
    cells keep a book of thousands of lines quick to lay out."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    page = landscape(A4)
    margin = 10 * mm
    widths = [w * mm for w in widths_mm]
    scale = (page[0] - 2 * margin) / sum(widths)
    widths = [w * scale for w in widths]
    room = [w - 2 * PDF_PAD - 0.5 for w in widths]

    cell = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=size, leading=leading)
    head = ParagraphStyle("head", parent=cell, fontName=PDF_BOLD)
    h1 = ParagraphStyle("h1", fontName=PDF_BOLD, fontSize=13, leading=16)
    small = ParagraphStyle("small", fontName=PDF_FONT, fontSize=8, leading=10)

    def p(value, style):
        return Paragraph(escape(clean(value)).replace("\n", "<br/>"), style)

    def fit(value, col):
        text = clean(value)
        if "\n" not in text and stringWidth(text, PDF_FONT, size) <= room[col]:
            return text
        return p(text, cell)

    def cut(value: str, limit: int) -> str:
        value = " ".join(value.split())
        return value if len(value) <= limit else value[: limit - 1].rstrip() + "\u2026"

    printed = timezone.localtime(timezone.now(), timezone.get_default_timezone()).strftime(DATETIME_FORMAT)
    title_line = clean(heading(office, title))

    data = [[p(h, head) for h in headers]]
    for row in rows:
        values = list(row)
        for i in date_columns:
            values[i] = values[i].strftime(DATETIME_FORMAT) if values[i] else DASH
        for i, limit in (shorten or {}).items():
            values[i] = cut(clean(values[i]), limit)
        data.append([fit(v, i) for i, v in enumerate(values)])
    if len(data) == 1:
        data.append([empty_text] + [""] * (len(headers) - 1))

    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), PDF_FONT, size, leading),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PDF_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PDF_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(PDF_FONT, 7.5)
        canvas.drawString(margin, 6 * mm, f"{title_line} \u00b7 dicetak {printed}")
        canvas.drawRightString(page[0] - margin, 6 * mm, f"Halaman {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=14 * mm,
        title=title_line, author=clean(office.name), creator="Loket",
    )
    # the office's government line above the book's title, as on its other papers (Office.government)
    kop = [p(getattr(office, "government", "").upper(), small)] if getattr(office, "government", "") else []
    doc.build([*kop, p(title_line, h1), p(f"Dicetak {printed}", small), Spacer(0, 4 * mm), table],
              onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
