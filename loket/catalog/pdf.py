"""The printable Standar Pelayanan book of one edition (A4, as a kecamatan office prints it).

Layout follows the usual form of the Lampiran of Permenpan RB 15/2014: a cover, the list of
service types, the Maklumat Pelayanan, then one section per service with the table
"No. | Komponen | Uraian" of the 14 components, and the signature of the head of office.

Only reportlab's built-in Helvetica is used, so nothing is downloaded or bundled.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from loket.catalog.rules import MODEL_MAKLUMAT, own_maklumat  # noqa: F401  (MODEL_MAKLUMAT: tests)
from loket.catalog.models import Edition, ServiceType
from loket.core.formats import tanggal
from loket.core.money import rupiah
from loket.core.pdf import signature_block
from loket.offices.signers import signer_for

PAGE_W, PAGE_H = A4
MARGIN_X = 2 * cm
MARGIN_TOP = 2 * cm
MARGIN_BOTTOM = 2.2 * cm  # room for the footer
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

# Column widths of the component table; the Uraian column gets the rest of the page.
COL_NO, COL_KOMPONEN = 1.0 * cm, 4.2 * cm
COL_URAIAN = FRAME_W - COL_NO - COL_KOMPONEN
PAD = 4  # cell padding, points
URAIAN_INNER_W = COL_URAIAN - 2 * PAD
# A row of a platypus Table cannot be split, and one taller than the frame raises LayoutError.
# Each item of a component therefore gets its own row, and an item taller than this is cut
# into several rows. A third of the page keeps far clear of the limit (heading + header row).
MAX_PIECE_H = FRAME_H / 3

def _style(name, **kw) -> ParagraphStyle:
    base = dict(fontName="Helvetica", fontSize=10, leading=13)
    base.update(kw)
    return ParagraphStyle(name, **base)


S_BODY = _style("body")
S_CELL = _style("cell", fontSize=9.5, leading=12)
S_CELL_BOLD = _style("cell_bold", fontName="Helvetica-Bold", fontSize=9.5, leading=12)
S_HEAD = _style("head", fontName="Helvetica-Bold", fontSize=9.5, leading=12, alignment=TA_CENTER)
S_ITEM = _style("item", parent=S_CELL, leftIndent=12, bulletIndent=0, bulletFontSize=9.5)
# Wider hanging indent for numbered items: "300." must not run into its text.
S_NUM = _style("num", parent=S_ITEM, leftIndent=20)
S_SMALL = _style("small", fontSize=8, leading=10)
S_SMALL_HEAD = _style("small_head", fontName="Helvetica-Bold", fontSize=8, leading=10, alignment=TA_CENTER)
S_TITLE = _style("title", fontName="Helvetica-Bold", fontSize=14, leading=18, alignment=TA_CENTER)
S_SECTION = _style("section", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceAfter=8)
S_COVER_1 = _style("cover1", fontName="Helvetica-Bold", fontSize=26, leading=34, alignment=TA_CENTER)
S_COVER_2 = _style("cover2", fontName="Helvetica-Bold", fontSize=18, leading=24, alignment=TA_CENTER)
S_COVER_3 = _style("cover3", fontSize=11, leading=15, alignment=TA_CENTER)
S_SIGN = _style("sign", alignment=TA_CENTER)
S_SIGN_NAME = _style("sign_name", fontName="Helvetica-Bold", alignment=TA_CENTER)


def t(text) -> str:
    """Plain text made safe for Paragraph markup (its mini-HTML would choke on & < >)."""
    return escape(str(text or "")).strip()


def _lines(text: str) -> list[str]:
    # Text fields may hold several paragraphs; Paragraph treats newlines as spaces.
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _plain(text: str) -> list[Flowable]:
    return [Paragraph(t(line), S_CELL) for line in _lines(text)]


def _bullets(items) -> list[Flowable]:
    return [Paragraph(t(i), S_ITEM, bulletText="•") for i in items if str(i or "").strip()]


def _numbered(items) -> list[Flowable]:
    items = [i for i in items if str(i or "").strip()]
    return [Paragraph(t(i), S_NUM, bulletText=f"{n}.") for n, i in enumerate(items, 1)]


# --- the 14 components ------------------------------------------------------------------


def _requirements(service: ServiceType) -> list[Flowable]:
    out, group, n = [], None, 0
    for r in service.requirements.all():
        if r.group and r.group != group:
            out.append(Paragraph(t(r.group), S_CELL_BOLD))
        group = r.group
        n += 1
        text = t(r.text)
        if r.condition:
            text += f" <i>({t(r.condition)})</i>"
        if r.show_original:
            text += " (asli ditunjukkan)"
        out.append(Paragraph(text, S_NUM, bulletText=f"{n}."))
    return out


def _procedure(service: ServiceType) -> list[Flowable]:
    return _numbered(step.text for step in service.procedure_steps.all())


def _tariff_table(tariffs) -> Table:
    rows = [[Paragraph(h, S_SMALL_HEAD) for h in ("No.", "Uraian", "Waktu", "Volume", "Tarif", "Jumlah")]]
    for n, tr in enumerate(tariffs, 1):
        hours = f"{tr.start:%H.%M} – {tr.end:%H.%M} WIB" if tr.start and tr.end else "-"
        volume = f"{tr.quantity} {tr.unit}".strip()
        rows.append([
            Paragraph(str(n), S_SMALL), Paragraph(t(tr.label), S_SMALL), Paragraph(t(hours), S_SMALL),
            Paragraph(t(volume), S_SMALL), Paragraph(rupiah(tr.unit_price), S_SMALL),
            Paragraph(rupiah(tr.amount), S_SMALL),
        ])
    widths = [0.8 * cm, None, 2.5 * cm, 1.6 * cm, 2.1 * cm, 2.1 * cm]
    widths[1] = URAIAN_INNER_W - sum(w for w in widths if w)
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _fee(service: ServiceType) -> list[Flowable]:
    out = _plain(service.fee_text)
    tariffs = list(service.tariffs.all())
    if tariffs:
        out += [Spacer(1, 3), _tariff_table(tariffs), Spacer(1, 3)]
    if service.fee_government_discount_percent is not None:
        out.append(Paragraph(
            f"Pemakaian oleh Pemerintah Daerah dikenakan {service.fee_government_discount_percent} % dari tarif.",
            S_CELL,
        ))
    out += _bullets(service.fee_notes or [])
    return out


def _complaints(service: ServiceType) -> list[Flowable]:
    data = service.complaint_handling or {}
    out = []
    if data.get("channels"):
        out.append(Paragraph("Sarana pengaduan:", S_CELL_BOLD))
        out += _bullets(data["channels"])
    if data.get("contacts"):
        out.append(Paragraph("Kontak:", S_CELL_BOLD))
        out += [
            Paragraph(f"{t(c.get('label'))}: {t(c.get('value'))}", S_ITEM, bulletText="•")
            for c in data["contacts"]
        ]
    if data.get("steps"):
        out.append(Paragraph("Mekanisme:", S_CELL_BOLD))
        out += _numbered(data["steps"])
    return out


def _components(service: ServiceType) -> list[tuple[str, list[Flowable]]]:
    return [
        ("Dasar Hukum", _bullets(service.legal_basis or [])),
        ("Persyaratan pelayanan", _requirements(service)),
        ("Sistem, mekanisme dan prosedur", _procedure(service)),
        ("Jangka waktu penyelesaian", _plain(service.duration_text)),
        ("Biaya/ tarif", _fee(service)),
        ("Produk layanan", _plain(service.product)),
        ("Sarana, prasarana, dan/ atau fasilitas", _bullets(service.facilities or [])),
        ("Kompetensi pelaksana", _bullets(service.competence or [])),
        ("Pengawasan internal", _plain(service.internal_oversight)),
        ("Penanganan pengaduan, saran dan masukan", _complaints(service)),
        ("Jumlah pelaksana", _plain(service.staffing)),
        ("Jaminan pelayanan", _plain(service.service_guarantee)),
        ("Jaminan keamanan dan keselamatan pelayanan", _plain(service.security_guarantee)),
        ("Evaluasi kinerja pelaksana", _bullets(service.performance_evaluation or [])),
    ]


def _pieces(flowables: list[Flowable]) -> list[Flowable]:
    """Cut any flowable taller than MAX_PIECE_H into parts that each fit (see MAX_PIECE_H)."""
    out = []
    for f in flowables:
        while True:
            _, h = f.wrap(URAIAN_INNER_W, FRAME_H)
            if h <= MAX_PIECE_H:
                out.append(f)
                break
            parts = f.split(URAIAN_INNER_W, MAX_PIECE_H)
            if len(parts) < 2:  # cannot be cut (e.g. one enormous word): leave it to reportlab
                out.append(f)
                break
            out += parts[:-1]
            f = parts[-1]
    return out


def _service_table(service: ServiceType) -> Table:
    header = [Paragraph("No.", S_HEAD), Paragraph("Komponen", S_HEAD), Paragraph("Uraian", S_HEAD)]
    rows = [header]
    style = [
        ("BOX", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEAFTER", (0, 0), (1, 0), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9d9d9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, 0), PAD), ("BOTTOMPADDING", (0, 0), (-1, 0), PAD),
    ]
    for number, (label, content) in enumerate(_components(service), 1):
        pieces = _pieces(content) or [Paragraph("-", S_CELL)]
        first = len(rows)
        for i, piece in enumerate(pieces):
            # Only the first row of a component carries its number and name; the rest continue
            # the Uraian cell, so no line is drawn between them (the BOX below frames the lot).
            rows.append([Paragraph(f"{number}.", S_CELL) if i == 0 else "",
                         Paragraph(label, S_CELL) if i == 0 else "", piece])
        last = len(rows) - 1
        style += [
            # A BOX cut by a page break is closed on both pages by reportlab.
            ("BOX", (0, first), (-1, last), 0.6, colors.black),
            ("LINEAFTER", (0, first), (1, last), 0.6, colors.black),
            ("TOPPADDING", (0, first), (-1, first), PAD),
            ("BOTTOMPADDING", (0, last), (-1, last), PAD),
        ]
    return Table(rows, colWidths=[COL_NO, COL_KOMPONEN, COL_URAIAN], style=TableStyle(style),
                 repeatRows=1, splitByRow=1, hAlign="LEFT")


# --- the rest of the book ---------------------------------------------------------------


def _cover(edition: Edition) -> list[Flowable]:
    office = edition.office
    out = [Spacer(1, 6 * cm), Paragraph("STANDAR PELAYANAN", S_COVER_1), Spacer(1, 1.2 * cm),
           Paragraph(t(office.name.upper()), S_COVER_2), Spacer(1, 0.3 * cm),
           Paragraph(t(office.city.upper()), S_COVER_2), Spacer(1, 1.2 * cm),
           Paragraph(f"TAHUN {edition.year}", S_COVER_2), Spacer(1, 5 * cm)]
    contact = " · ".join(x for x in (office.address, office.telephone and f"Telp. {office.telephone}", office.email) if x)
    if contact:
        out.append(Paragraph(t(contact), S_COVER_3))
    return out + [PageBreak()]


def _contents(services) -> list[Flowable]:
    rows = [[Paragraph("No.", S_HEAD), Paragraph("Jenis Pelayanan", S_HEAD)]]
    rows += [[Paragraph(f"{s.number}.", S_CELL), Paragraph(t(s.name), S_CELL)] for s in services]
    table = Table(rows, colWidths=[COL_NO, FRAME_W - COL_NO], repeatRows=1, hAlign="LEFT", style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9d9d9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return [Paragraph("DAFTAR JENIS PELAYANAN", S_TITLE), Spacer(1, 0.6 * cm), table]


def _maklumat(office, edition: Edition) -> list[Flowable]:
    paragraphs = _lines(office.maklumat)
    if not paragraphs:
        return []
    out = [PageBreak(), Paragraph("MAKLUMAT PELAYANAN", S_TITLE), Spacer(1, 0.8 * cm)]
    out += [Paragraph(t(p), _style("maklumat", fontSize=11, leading=16, spaceAfter=8, alignment=TA_CENTER))
            for p in paragraphs]
    if own_maklumat(office):
        # Signed by the Camat in post on the day the edition was signed (or today for a draft).
        on = edition.signed_on or timezone.localdate()
        signer = signer_for(office=office, post="camat", on=on)
        place = office.city.removeprefix("Kota ").removeprefix("Kabupaten ")
        block = signature_block(signer, place=place, on=on, st={"normal": _style("sign_mk", fontSize=11,
                                                                                  leading=14)}, width=8 * cm)
        out += [Spacer(1, 0.8 * cm), Table([["", block]], colWidths=[FRAME_W - 8 * cm, 8 * cm], hAlign="LEFT")]
    else:
        out.append(Paragraph(t("Contoh maklumat pelayanan (Permenpan RB 15/2014); maklumat kantor yang "
                               "ditandatangani belum diisi."), _style("mk_note", fontSize=8, leading=10,
                                                                      alignment=TA_CENTER)))
    return out


def _place_date(edition: Edition) -> str:
    if edition.signed_place_date:
        return edition.signed_place_date
    if edition.signed_on:
        # Fallback when the standard gives no wording: the city without "Kota"/"Kabupaten".
        place = edition.office.city.removeprefix("Kota ").removeprefix("Kabupaten ")
        return f"{place}, {tanggal(edition.signed_on)}"
    return ""


def _signature(edition: Edition) -> list[Flowable]:
    lines = [Paragraph(t(_place_date(edition)), S_SIGN), Paragraph(t(edition.signer_title), S_SIGN),
             Spacer(1, 2.2 * cm), Paragraph(f"<u>{t(edition.signer_name)}</u>", S_SIGN_NAME)]
    if edition.signer_rank:
        lines.append(Paragraph(t(edition.signer_rank), S_SIGN))
    if edition.signer_nip:
        lines.append(Paragraph(f"NIP. {t(edition.signer_nip)}", S_SIGN))
    # Right half of the page, kept in one piece so the name never lands alone on a new page.
    block = Table([["", lines]], colWidths=[FRAME_W - 8 * cm, 8 * cm], hAlign="LEFT")
    return [Spacer(1, 0.8 * cm), KeepTogether([block])]


def standard_book_pdf(*, edition: Edition, services) -> bytes:
    """The whole Standar Pelayanan of ``edition`` as PDF bytes. ``services`` are its service
    types in order, ideally from ``selectors.services_of`` (parts prefetched)."""
    office = edition.office
    services = list(services)
    buffer = io.BytesIO()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setLineWidth(0.4)
        y = MARGIN_BOTTOM - 0.9 * cm
        canvas.line(MARGIN_X, y + 10, PAGE_W - MARGIN_X, y + 10)
        canvas.drawString(MARGIN_X, y, office.name)
        canvas.drawCentredString(PAGE_W / 2, y, f"Standar Pelayanan {edition.year}")
        canvas.drawRightString(PAGE_W - MARGIN_X, y, f"Halaman {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=edition.title, author=office.name, subject="Standar Pelayanan",
        creator="Loket",
    )
    story = _cover(edition) + _contents(services) + _maklumat(office, edition)
    for s in services:
        story += [PageBreak(), Paragraph(f"{s.number}. JENIS PELAYANAN : {t(s.name)}", S_SECTION), _service_table(s)]
    if edition.signer_name:
        story += _signature(edition)
    # The cover carries no footer; every later page does.
    doc.build(story, onFirstPage=lambda c, d: None, onLaterPages=footer)
    return buffer.getvalue()
