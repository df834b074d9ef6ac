"""The SKM report of a period as an office publishes it: a PDF (A4 portrait, signed by the
Camat) and an XLSX workbook. Both are plain functions of ``selectors.Report``.

Layout of the Laporan Hasil Survei Kepuasan Masyarakat (Permenpan RB 14/2017): the office
heading, the period, service or unit and the weight used; the nine elements (No, Unsur
pelayanan, Jumlah nilai, Jumlah responden, NRR, NRR tertimbang), the IKM, the IKM unit, the
quality grade (mutu pelayanan) and the performance (kinerja); respondents beside the minimum
sample; per service, per unit and the trend; the respondents' profile; every suggestion; the
signature block of the Camat. The documents are the office's Indonesian publication, like the
Buku Register (``core.tables``), whose helpers they use: control characters removed,
the office heading, Helvetica, the print time and page number at the foot.
"""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from fractions import Fraction
from xml.sax.saxutils import escape

from django.utils import timezone

from loket.core.formats import tanggal
from loket.core.tables import DATETIME_FORMAT, PDF_BOLD, PDF_FONT
from loket.core.tables import clean as _clean, heading as _heading
from loket.surveys.ikm import round_half_up
from loket.surveys.models import Response, Setting
from loket.surveys.selectors import Group, Report

TITLE = "Laporan Hasil Survei Kepuasan Masyarakat"
# Decimals shown (the computation itself is exact; the IKM unit is the regulation's rounding).
NRR_PLACES, WEIGHTED_PLACES, IKM_PLACES, UNIT_PLACES = 3, 3, 3, 2
DASH = "\u2013"
PROFILE_TITLES = [
    ("jenis_kelamin", "Jenis kelamin"), ("umur", "Umur"), ("pendidikan", "Pendidikan"), ("pekerjaan", "Pekerjaan"),
]
SOURCE_TITLE = "Cara mengisi"
ELEMENT_HEADERS = ["No", "Unsur pelayanan", "Jumlah nilai", "Jumlah responden", "NRR", "NRR tertimbang"]
GROUP_HEADERS = ["Responden", "IKM unit pelayanan", "Mutu pelayanan", "Kinerja unit pelayanan", "Keterangan"]
SAMPLE_SHORT = ("Jumlah responden kurang dari sampel minimum; hasil survei belum mewakili seluruh penerima "
                "layanan pada periode ini.")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- numbers and labels shared by the page and the files --------------------------------------

def decimal(value: Fraction | None, places: int) -> Decimal | None:
    """An exact value rounded half up to ``places`` decimals, as a Decimal (None stays None)."""
    if value is None:
        return None
    whole = round_half_up(Fraction(value), places) * 10 ** places  # an integer now
    return Decimal(int(whole)).scaleb(-places)


def angka(value: Fraction | Decimal | int | None, places: int = 0) -> str:
    """A number in the Indonesian format (decimal comma, dot between thousands); "–" for None."""
    if value is None:
        return DASH
    d = decimal(Fraction(value), places)
    text = f"{d:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(count: int, total: int) -> Decimal | None:
    """count / total in per cent, one decimal."""
    return decimal(Fraction(100 * count, total), 1) if total else None


def weight_label(weight: str) -> str:
    return dict(Setting.Weight.choices).get(weight, weight)


def filename(rep: Report, ext: str) -> str:
    """ikm-2026-semester-1.pdf; with a filter: ikm-2026-semester-1-layanan-pindah.xlsx."""
    parts = ["ikm", rep.period.slug]
    if rep.service_code:
        parts += ["layanan", rep.service_code]
    if rep.unit_code:
        parts += ["unit", rep.unit_code]
    return "-".join(parts) + f".{ext}"


def scope(rep: Report, *, service_name: str = "", unit_name: str = "") -> list[tuple[str, str]]:
    """What the report covers: period, service, unit and the weight of each element."""
    period = rep.period
    rows = [("Periode", f"{period.label} ({tanggal(period.start)} {DASH} {tanggal(period.end)})")]
    rows.append(("Jenis layanan", service_name or rep.service_code or "Semua jenis layanan"))
    rows.append(("Unit pelayanan", unit_name or rep.unit_code or "Semua unit"))
    rows.append(("Bobot tiap unsur", weight_label(rep.weight)))
    return rows


def _group_cells(g: Group) -> list:
    r = g.result
    if r is None:
        return [g.respondents, None, "", "", g.error]
    return [g.respondents, r.ikm_unit, r.grade, r.label, ""]


def _signature_lines(office) -> tuple[str, list[str]]:
    place = office.city.removeprefix("Kota ").removeprefix("Kabupaten ").strip()
    day = tanggal(timezone.localdate())
    return (f"{place}, {day}" if place else day), [office.head_title or "Camat"]


# --- PDF ------------------------------------------------------------------------------------

def report_pdf(rep: Report, *, service_name: str = "", unit_name: str = "") -> bytes:
    """The report as an A4 portrait PDF (bytes)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm, mm
    from reportlab.platypus import KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    office = rep.office
    page_w, _ = A4
    margin = 1.8 * cm
    frame_w = page_w - 2 * margin

    def style(name, **kw):
        base = dict(fontName=PDF_FONT, fontSize=9, leading=11.5)
        base.update(kw)
        return ParagraphStyle(name, **base)

    body = style("body", fontSize=9.5, leading=12.5)
    cell = style("cell")
    cell_r = style("cell_r", alignment=TA_RIGHT)
    head = style("head", fontName=PDF_BOLD, alignment=TA_CENTER)
    h1 = style("h1", fontName=PDF_BOLD, fontSize=13, leading=16, alignment=TA_CENTER)
    h2 = style("h2", fontName=PDF_BOLD, fontSize=10.5, leading=13, spaceBefore=10, spaceAfter=4, keepWithNext=1)
    small = style("small", fontSize=8, leading=10, alignment=TA_CENTER)
    warn = style("warn", fontName=PDF_BOLD, fontSize=9.5, leading=12.5)
    sign = style("sign", fontSize=10, leading=13, alignment=TA_CENTER)
    sign_name = style("sign_name", parent=sign, fontName=PDF_BOLD)

    def p(value, st=cell) -> Paragraph:
        return Paragraph(escape(_clean(value)).replace("\n", "<br/>"), st)

    def table(headers, rows, widths_cm, numeric=(), long=False, total_rows=0):
        widths = [w * cm for w in widths_cm]
        widths = [w * frame_w / sum(widths) for w in widths]
        data = [[p(h, head) for h in headers]]
        for row in rows:
            data.append([v if not isinstance(v, str) else p(v, cell_r if i in numeric else cell)
                         for i, v in enumerate(row)])
        t = (LongTable if long else Table)(data, colWidths=widths, repeatRows=1)
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if total_rows:
            commands.append(("BACKGROUND", (0, -total_rows), (-1, -1), colors.HexColor("#F2F2F2")))
        t.setStyle(TableStyle(commands))
        return t

    def facts(rows):
        t = Table([[p(k, cell), p(v, cell)] for k, v in rows], colWidths=[5 * cm, frame_w - 5 * cm])
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        return t

    def group_rows(groups: list[Group], first: str):
        rows = []
        for i, g in enumerate(groups, 1):
            respondents, unit, grade, label, error = _group_cells(g)
            if g.result is None:
                rows.append([str(i), g.name, angka(respondents), DASH, DASH, error])
            else:
                rows.append([str(i), g.name, angka(respondents), angka(unit, UNIT_PLACES), grade, label])
        return table(["No", first, "Responden", "IKM unit", "Mutu", "Kinerja / keterangan"], rows,
                     [1, 6.5, 2.2, 2, 1.5, 4.3], numeric=(0, 2, 3)) if rows else p("Tidak ada responden.", body)

    printed = timezone.localtime(timezone.now(), timezone.get_default_timezone()).strftime(DATETIME_FORMAT)
    heading = _clean(_heading(office, TITLE))
    story = [p(TITLE.upper(), h1), p(f"{office.name}, {office.city}" if office.city else office.name, h1),
             p(rep.period.label, h1), Spacer(0, 4 * mm),
             facts(scope(rep, service_name=service_name, unit_name=unit_name)), Spacer(0, 2 * mm)]

    # 1. The nine elements.
    story.append(p("1. Nilai rata-rata per unsur pelayanan", h2))
    r = rep.result
    if r is None:
        story.append(p(f"IKM belum dapat dihitung: {rep.error}", warn))
    else:
        rows = [[str(i), e.name, angka(e.total), angka(e.answered), angka(e.nrr, NRR_PLACES),
                 angka(e.weighted, WEIGHTED_PLACES)] for i, e in enumerate(r.elements, 1)]
        rows.append(["", "Nilai IKM (jumlah NRR tertimbang)", "", "", "", angka(r.ikm, IKM_PLACES)])
        story.append(table(ELEMENT_HEADERS, rows, [1, 7.4, 2.2, 2.4, 1.8, 2.4], numeric=(0, 2, 3, 4, 5),
                           total_rows=1))
        story.append(Spacer(0, 3 * mm))
        story.append(facts([
            ("Nilai IKM", angka(r.ikm, IKM_PLACES)),
            ("IKM unit pelayanan (IKM × 25)", angka(r.ikm_unit, UNIT_PLACES)),
            ("Mutu pelayanan", r.grade),
            ("Kinerja unit pelayanan", r.label),
        ]))

    # 2. Respondents and the sample.
    story.append(p("2. Responden dan sampel", h2))
    story.append(facts([
        ("Jumlah responden", angka(rep.respondents)),
        ("Populasi (berkas diterima)", angka(rep.population)),
        ("Sampel minimum (Krejcie–Morgan)", angka(rep.sample_min)),
    ]))
    if rep.sample_short:
        story.append(p(SAMPLE_SHORT, warn))

    # 3–4. Per service and per unit.
    story.append(p("3. IKM per jenis layanan", h2))
    story.append(group_rows(rep.by_service, "Jenis layanan"))
    story.append(p("4. IKM per unit pelayanan", h2))
    story.append(group_rows(rep.by_unit, "Unit pelayanan"))

    # 5. The trend.
    story.append(p("5. Perkembangan IKM", h2))
    trend_rows = []
    for period, g in zip(rep.period.trend(), rep.trend):
        res = g.result
        trend_rows.append([period.label, angka(g.respondents), angka(res.ikm_unit, UNIT_PLACES) if res else DASH,
                           res.grade if res else DASH, res.label if res else DASH])
    story.append(table(["Periode", "Responden", "IKM unit", "Mutu", "Kinerja"], trend_rows, [5, 2.5, 2.5, 2, 5],
                       numeric=(1, 2)))

    # 6. The respondents' profile.
    story.append(p("6. Profil responden", h2))
    for key, title in PROFILE_TITLES + [("sumber", SOURCE_TITLE)]:
        counts = rep.sources if key == "sumber" else rep.profile.get(key, [])
        rows = [[label, angka(c), angka(percent(c, rep.respondents), 1)] for label, c in counts]
        story.append(KeepTogether([
            p(title, style("h3", fontName=PDF_BOLD, spaceBefore=4, spaceAfter=2)),
            table([title, "Jumlah", "%"], rows or [["Tidak ada responden.", "", ""]], [9, 3, 3], numeric=(1, 2)),
        ]))

    # 7. Every suggestion.
    story.append(p("7. Saran dan masukan responden", h2))
    if rep.suggestions:
        rows = [[str(i), tanggal(s["date"]), s["service__name"] or DASH, s["suggestion"]]
                for i, s in enumerate(rep.suggestions, 1)]
        story.append(table(["No", "Tanggal", "Jenis layanan", "Saran"], rows, [1, 2.8, 4.5, 9], numeric=(0,),
                           long=True))
    else:
        story.append(p("Tidak ada saran.", body))

    # The Camat's signature, kept in one piece on the right half.
    place_date, titles = _signature_lines(office)
    lines = [p(place_date, sign)] + [p(t, sign) for t in titles] + [Spacer(1, 2.2 * cm),
                                                                      p(office.head_name or "", sign_name)]
    if office.head_rank:
        lines.append(p(office.head_rank, sign))
    if office.head_nip:
        lines.append(p(f"NIP. {office.head_nip}", sign))
    block = Table([["", lines]], colWidths=[frame_w - 8 * cm, 8 * cm], hAlign="LEFT")
    story += [Spacer(1, 0.8 * cm), KeepTogether([block])]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(PDF_FONT, 7.5)
        canvas.drawString(margin, 1.0 * cm, f"{heading} \u00b7 {rep.period.label} \u00b7 dicetak {printed}")
        canvas.drawRightString(page_w - margin, 1.0 * cm, f"Halaman {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=1.5 * cm, bottomMargin=1.8 * cm,
        title=f"{heading} {rep.period.label}", author=_clean(office.name), subject="IKM", creator="Loket",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


# --- XLSX -----------------------------------------------------------------------------------

SHEETS = ["IKM", "Per layanan", "Per unit", "Tren", "Profil", "Saran"]
HEADER_ROW = 8   # the element table's header on the sheet "IKM"; the elements follow it
TABLE_ROW = 3    # the header row of the other sheets


def report_xlsx(rep: Report, *, service_name: str = "", unit_name: str = ""):
    """The report as an XLSX workbook written in openpyxl's write-only mode to a temporary file
    (FileResponse closes it): the sheets of ``SHEETS``. Numbers are numbers (NRR and IKM
    exact to the float, shown with the page's decimals; the IKM unit as rounded by the
    regulation); a text that a spreadsheet would read as a formula is stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook(write_only=True)
    bold, big, fill = Font(bold=True), Font(bold=True, size=14), PatternFill("solid", fgColor="DDDDDD")
    wrap = Alignment(vertical="top", wrap_text=True)
    printed = timezone.localtime(timezone.now(), timezone.get_default_timezone()).strftime(DATETIME_FORMAT)
    formats = {"nrr": "0." + "0" * NRR_PLACES, "weighted": "0." + "0" * WEIGHTED_PLACES,
               "ikm": "0." + "0" * IKM_PLACES, "unit": "0.00", "pct": "0.0", "int": "0", "date": "dd-mm-yyyy"}

    def sheet(title: str, widths: list[int]):
        ws = wb.create_sheet(title=title)
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        return ws

    def c(ws, value, fmt: str | None = None, **style):
        if isinstance(value, Fraction):
            value = float(value)
        elif isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, str):
            value = _clean(value)
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # a respondent's "=…" is text, never a formula
        if fmt and value is not None:
            cell.number_format = formats[fmt]
        for key, val in style.items():
            setattr(cell, key, val)
        return cell

    def top(ws, subtitle: str = ""):
        ws.append([c(ws, _heading(rep.office, TITLE), font=big)])
        ws.append([c(ws, f"{rep.period.label}{' · ' + subtitle if subtitle else ''} · bobot "
                        f"{weight_label(rep.weight)} · dicetak {printed}", font=Font(italic=True, size=9))])

    def headers(ws, names):
        ws.append([c(ws, h, font=bold, fill=fill, alignment=wrap) for h in names])

    def groups(title: str, first: str, items: list[Group]):
        ws = sheet(title, [18, 48, 12, 14, 10, 18, 50])
        top(ws)
        headers(ws, ["Kode", first] + GROUP_HEADERS)
        for g in items:
            respondents, unit, grade, label, error = _group_cells(g)
            ws.append([c(ws, g.key), c(ws, g.name), c(ws, respondents, "int"), c(ws, unit, "unit"), c(ws, grade),
                       c(ws, label), c(ws, error)])

    # Sheet "IKM": scope, the element table, then the figures.
    ws = sheet("IKM", [6, 44, 14, 16, 10, 16])
    ws.append([c(ws, _heading(rep.office, TITLE), font=big)])
    for label, value in scope(rep, service_name=service_name, unit_name=unit_name):
        ws.append([None, c(ws, label, font=bold), c(ws, value)])
    ws.append([None, c(ws, "Dicetak", font=bold), c(ws, printed)])
    ws.append([])  # row 7: the element table's header is HEADER_ROW
    headers(ws, ELEMENT_HEADERS)
    r = rep.result
    if r is not None:
        for i, e in enumerate(r.elements, 1):
            ws.append([c(ws, i, "int"), c(ws, e.name), c(ws, e.total, "int"), c(ws, e.answered, "int"),
                       c(ws, e.nrr, "nrr"), c(ws, e.weighted, "weighted")])
    else:
        ws.append([None, c(ws, f"IKM belum dapat dihitung: {rep.error}", font=bold)])
    ws.append([])
    figures = []
    if r is not None:
        figures += [("Nilai IKM", r.ikm, "ikm"), ("IKM unit pelayanan", r.ikm_unit, "unit"),
                    ("Mutu pelayanan", r.grade, None), ("Kinerja unit pelayanan", r.label, None)]
    figures += [("Jumlah responden", rep.respondents, "int"), ("Populasi (berkas diterima)", rep.population, "int"),
                ("Sampel minimum (Krejcie–Morgan)", rep.sample_min, "int")]
    for label, value, fmt in figures:
        ws.append([None, c(ws, label, font=bold), c(ws, value, fmt)])
    if rep.sample_short:
        ws.append([None, c(ws, SAMPLE_SHORT, font=Font(bold=True, color="9C0006"))])

    groups("Per layanan", "Jenis layanan", rep.by_service)
    groups("Per unit", "Unit pelayanan", rep.by_unit)

    ws = sheet("Tren", [24, 14, 14, 12, 14, 10, 18, 50])
    top(ws)
    headers(ws, ["Periode", "Dari", "Sampai"] + GROUP_HEADERS)
    for period, g in zip(rep.period.trend(), rep.trend):
        respondents, unit, grade, label, error = _group_cells(g)
        ws.append([c(ws, period.label), c(ws, period.start, "date"), c(ws, period.end, "date"),
                   c(ws, respondents, "int"), c(ws, unit, "unit"), c(ws, grade), c(ws, label), c(ws, error)])

    ws = sheet("Profil", [18, 36, 12, 10])
    top(ws)
    headers(ws, ["Kelompok", "Jawaban", "Jumlah", "Persen"])
    for key, title in PROFILE_TITLES + [("sumber", SOURCE_TITLE)]:
        counts = rep.sources if key == "sumber" else rep.profile.get(key, [])
        for label, count in counts:
            ws.append([c(ws, title), c(ws, label), c(ws, count, "int"), c(ws, percent(count, rep.respondents), "pct")])

    ws = sheet("Saran", [12, 48, 26, 90])
    top(ws, f"{rep.suggestions_total} saran")
    headers(ws, ["Tanggal", "Jenis layanan", "Cara mengisi", "Saran"])
    sources = dict(Response.Source.choices)
    for s in rep.suggestions:
        ws.append([c(ws, s["date"], "date"), c(ws, s["service__name"] or ""),
                   c(ws, sources.get(s["source"], s["source"])),
                   c(ws, s["suggestion"], alignment=wrap)])

    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out
