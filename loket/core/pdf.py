"""The building blocks of Loket's printed papers (reportlab, built-in Helvetica): paragraph
styles, the office header, label/value rows, QR codes drawn as vector squares (segno, no image
files), a tick box, the width of the text column and the page footer with the paper's title.
Each flow app's papers.py composes its papers from these; none of them knows a flow.

``letterhead`` is the official kop (emblem, government, kecamatan, address, double rule) of
letters and quotes; ``header`` the compact one of counter receipts; ``signature_block`` the
place and date, the signer's title lines, name, rank and NIP (a ``loket.offices.signers.Signer``).
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from loket.core.formats import tanggal
from loket.offices.models import nip_text
from loket.offices.roles import Role, staff_of

QR_BORDER = 4  # quiet zone in modules, as ISO/IEC 18004 asks
FRAME_PADDING = 6  # points; reportlab's default padding of a SimpleDocTemplate frame, on each side


def qr_matrix(data: str) -> tuple:
    """The QR code of ``data`` as rows of 0/1 modules, without the quiet zone."""
    return segno.make_qr(data, error="m").matrix


def draw_qr(canv, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR of ``data`` as filled squares in the box (x, y, size × size), quiet zone included.
    Horizontal runs of dark modules are drawn as one rectangle."""
    matrix = qr_matrix(data)
    n = len(matrix)
    module = size / (n + 2 * QR_BORDER)
    canv.saveState()
    canv.setFillColor(colors.black)
    for r, row in enumerate(matrix):
        top = y + size - (QR_BORDER + r) * module
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                canv.rect(x + (QR_BORDER + start) * module, top - module, (c - start) * module, module,
                          stroke=0, fill=1)
            else:
                c += 1
    canv.restoreState()


class QrFlowable(Flowable):
    """A QR code for platypus layouts."""

    def __init__(self, data: str, size: float):
        super().__init__()
        self.data, self.size = data, size
        self.width = self.height = size

    def wrap(self, availWidth, availHeight):
        return self.size, self.size

    def draw(self):
        draw_qr(self.canv, self.data, 0, 0, self.size)


class CheckBox(Flowable):
    """An empty square for the applicant to tick."""

    def __init__(self, size: float = 3.2 * mm):
        super().__init__()
        self.size = size
        self.width = self.height = size

    def wrap(self, availWidth, availHeight):
        return self.size, self.size

    def draw(self):
        self.canv.setLineWidth(0.7)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


def styles(base: float = 8) -> dict[str, ParagraphStyle]:
    normal = ParagraphStyle("normal", fontName="Helvetica", fontSize=base, leading=base * 1.25)
    return {
        "normal": normal,
        "small": ParagraphStyle("small", parent=normal, fontSize=base - 1.5, leading=(base - 1.5) * 1.25),
        "label": ParagraphStyle("label", parent=normal, fontSize=base - 1, leading=(base - 1) * 1.25,
                                textColor=colors.HexColor("#444444")),
        "bold": ParagraphStyle("bold", parent=normal, fontName="Helvetica-Bold"),
        "office": ParagraphStyle("office", parent=normal, fontName="Helvetica-Bold", fontSize=base + 3,
                                 leading=(base + 3) * 1.2, alignment=TA_CENTER),
        "center": ParagraphStyle("center", parent=normal, alignment=TA_CENTER, fontSize=base - 1,
                                 leading=(base - 1) * 1.25),
        "title": ParagraphStyle("title", parent=normal, fontName="Helvetica-Bold", fontSize=base + 2,
                                leading=(base + 2) * 1.3, alignment=TA_CENTER, spaceBefore=4, spaceAfter=2),
        "code": ParagraphStyle("code", parent=normal, fontName="Helvetica-Bold", fontSize=base + 8,
                               leading=(base + 8) * 1.2, alignment=TA_CENTER, spaceAfter=4),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped, so that what a clerk typed cannot become markup."""
    return Paragraph(escape(str(text or "")), style)


def header(office, st) -> list:
    """The compact kop of counter receipts: government line, office name, city, address and
    telephone, then a rule."""
    flow = [para(office.government.upper(), st["center"])] if getattr(office, "government", "") else []
    flow.append(para(office.name.upper(), st["office"]))
    if office.city:
        flow.append(para(office.city, st["center"]))
    contact = " · ".join(part for part in [office.address, f"Telp. {office.telephone}" if office.telephone else ""] if part)
    if contact:
        flow.append(para(contact, st["center"]))
    rule = Table([[""]], colWidths=["100%"], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.8, colors.black)]))
    flow += [rule, Spacer(1, 2)]
    return flow


class EmblemPlaceholder(Flowable):
    """Where the emblem goes when the office uploaded none: a grey circle marked LOGO, so that
    nobody takes it for the regional emblem (whose use is regulated)."""

    def __init__(self, size: float):
        super().__init__()
        self.size = size
        self.width = self.height = size

    def wrap(self, availWidth, availHeight):
        return self.size, self.size

    def draw(self):
        c = self.canv
        r = self.size / 2
        c.saveState()
        c.setStrokeColor(colors.HexColor("#999999"))
        c.setFillColor(colors.HexColor("#eeeeee"))
        c.setDash(2, 2)
        c.circle(r, r, r - 1, stroke=1, fill=1)
        c.setFillColor(colors.HexColor("#888888"))
        c.setFont("Helvetica", max(6, self.size / 6))
        c.drawCentredString(r, r - self.size / 18, "LOGO")
        c.restoreState()


def emblem(office, size: float) -> Flowable:
    """The office's uploaded emblem scaled into a ``size`` square, or the LOGO placeholder (also
    when the stored file is missing or unreadable: a paper is never refused for its kop)."""
    field = getattr(office, "emblem", None)
    if field:
        try:
            with field.open("rb") as f:
                data = io.BytesIO(f.read())
            w, h = ImageReader(data).getSize()
            data.seek(0)
            scale = size / max(w, h)
            return Image(data, width=w * scale, height=h * scale)
        except (OSError, ValueError):
            pass
    return EmblemPlaceholder(size)


def _kop_lines(office) -> tuple[str, str, str, str]:
    """(government, "KECAMATAN X", address line, contact line) of the kop."""
    government = (getattr(office, "government", "") or "").upper()
    name = office.name.upper()
    address = office.address or ""
    postal = getattr(office, "postal_code", "")
    if office.city and office.city.upper() not in address.upper():
        address = f"{address}, {office.city}" if address else office.city
    if postal:
        address = f"{address} {postal}" if address else f"Kode Pos {postal}"
    contact = " · ".join(p for p in [
        f"Telp. {office.telephone}" if office.telephone else "",
        f"Faks. {office.fax}" if getattr(office, "fax", "") else "",
        f"Email: {office.email}" if office.email else "",
        f"Laman: {office.website}" if office.website else "",
    ] if p)
    return government, name, address, contact


def letterhead(office, st, width: float) -> list:
    """The official kop: the emblem at the left, in the centre the government (e.g. PEMERINTAH
    KOTA MADIUN), "KECAMATAN X" bold and larger, the address with the postal code, telephone,
    e-mail and website; a double rule (thick over thin) below."""
    government, name, address, contact = _kop_lines(office)
    base = st["normal"].fontSize
    centre = ParagraphStyle("kop", parent=st["normal"], alignment=TA_CENTER)
    lines = []
    if government:
        lines.append(para(government, ParagraphStyle("kop-gov", parent=centre, fontName="Helvetica-Bold",
                                                     fontSize=base + 3, leading=(base + 3) * 1.2)))
    lines.append(para(name, ParagraphStyle("kop-name", parent=centre, fontName="Helvetica-Bold",
                                           fontSize=base + 6, leading=(base + 6) * 1.2)))
    if address:
        lines.append(para(address, centre))
    if contact:
        lines.append(para(contact, ParagraphStyle("kop-contact", parent=centre, fontSize=base - 1,
                                                  leading=(base - 1) * 1.25)))
    size = 22 * mm if width > 120 * mm else 16 * mm
    table = Table([[emblem(office, size), lines, ""]], colWidths=[size + 2 * mm, width - 2 * (size + 2 * mm),
                                                                  size + 2 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, -1), 2, colors.black),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    thin = Table([[""]], colWidths=[width], rowHeights=[1.5])
    thin.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.black)]))
    return [table, thin, Spacer(1, 4 * mm)]


def place_of(office) -> str:
    """"Madiun": the city as a letter is dated, without "Kota"/"Kabupaten" (the office's name
    when no city is entered)."""
    return re.sub(r"^(Kota|Kabupaten|Kab\.)\s+", "", (office.city or "").strip()) or office.name


def signature_block(signer, *, place: str, on, st, width: float, electronic: bool = False,
                    demo: bool = False) -> list:
    """The signature place: "<place>, <date>", the title lines, the space
    to sign (or the note that it is signed electronically, or a DEMO note), the name bold and
    underlined, the rank and "NIP. …". An unknown name or NIP prints a dotted line to write on.
    Plain flowables, so that they can sit in a table cell; on their own in a story wrap them in
    ``KeepTogether`` so the name never lands alone on a new page."""
    c = ParagraphStyle("sign", parent=st["normal"], alignment=TA_CENTER)
    flow = [para(f"{place}, {tanggal(on)}" if place else tanggal(on), c)]
    flow += [para(line, c) for line in signer.title_lines]
    if demo:
        flow += [Spacer(1, 3 * mm), para("DEMO — bukan sertifikat resmi", ParagraphStyle(
            "sign-demo", parent=c, fontName="Helvetica-Oblique", textColor=colors.HexColor("#aa0000"))),
            Spacer(1, 3 * mm)]
    elif electronic:
        flow += [Spacer(1, 3 * mm), para("Ditandatangani secara elektronik", ParagraphStyle(
            "sign-el", parent=c, fontName="Helvetica-Oblique")), Spacer(1, 3 * mm)]
    else:
        flow.append(Spacer(1, 18 * mm))
    if signer.name:
        flow.append(Paragraph(f"<u>{escape(signer.name)}</u>", ParagraphStyle("sign-name", parent=c,
                                                                               fontName="Helvetica-Bold")))
    else:
        flow.append(para("(" + "." * 40 + ")", c))
    if signer.rank:
        flow.append(para(signer.rank, c))
    flow.append(para(f"NIP. {nip_text(signer.nip)}" if signer.nip else "NIP. " + "." * 30, c))
    return flow


def facts(rows: list[tuple[str, str]], st, width: float) -> Table:
    """Label/value rows."""
    label_w = 24 * mm if width < 100 * mm else 30 * mm
    table = Table([[para(k, st["label"]), para(v, st["normal"])] for k, v in rows],
                  colWidths=[label_w, width - label_w])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def actor_text(user) -> str:
    """"Name, position" of a staff member, e.g. "Kasi.Pem, Kasi Pemerintahan"."""
    if user is None:
        return "—"
    name = user.get_full_name() or user.username
    staff = staff_of(user)
    if staff is None:
        return name
    if staff.position:
        position = staff.position
    elif staff.role == Role.KASI and staff.unit_id:
        position = staff.unit.name
    else:
        position = staff.get_role_display()
    return f"{name}, {position}"


def text_width(pagesize, margin: float) -> float:
    return pagesize[0] - 2 * margin - 2 * FRAME_PADDING


def build(pagesize, margin: float, flow: list, *, title: str, office) -> bytes:
    """Lay out the flowables; every page carries the paper's title and page number at its foot,
    so that a second page of a long list still says which dossier it belongs to."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin + 3 * mm, title=title, author=office.name, creator="Loket", subject=title,
    )

    def footer(canv, doc_):
        canv.saveState()
        canv.setFont("Helvetica", 6)
        canv.setFillColor(colors.HexColor("#666666"))
        canv.drawRightString(pagesize[0] - margin, margin - 1 * mm, f"{title} · halaman {doc_.page}")
        canv.restoreState()

    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()

