"""The legalisation endorsement (pengesahan / legalisasi) printed onto the citizen's own paper.

The clerk puts the citizen's document (a form, a letter from the kelurahan, a copy) in the
printer's tray and prints this page on it: everything is blank except the endorsement block,
placed where the paper has room, in the lower right corner (``pojok``) or across the bottom
(``bawah``), on A4 or F4 (folio, 215 × 330 mm, the size most village and kelurahan letters
use). The block says who legalised it (the office, the signer's title lines with a.n./Plt.,
name, pangkat and NIP), the letter number and date, and a QR code of the public verification
page with the code written out for those who type it.

Whether a document needs a legalisation at all: Permendagri 104/2019 (documents signed
electronically by Dukcapil need none; docs/papers.md).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas

from loket.core import codes
from loket.core.formats import tanggal
from loket.core.pdf import draw_qr
from loket.offices.models import nip_text

F4 = (215 * mm, 330 * mm)
PAPERS = {"A4": A4, "F4": F4}
POSITIONS = {"pojok": "Pojok kanan bawah", "bawah": "Bagian bawah, di tengah"}
BLOCK = (95 * mm, 62 * mm)  # the endorsement's box: fits under a signed letter's last lines
EDGE = 12 * mm  # printers do not print to the edge; folio letters keep at least this margin
DEMO_NOTE = "DEMO — bukan sertifikat resmi"


@dataclass(frozen=True)
class Endorsement:
    """What the block prints: taken from the issued Document, so a reprint is the same paper."""

    office_name: str
    title_lines: list[str]
    signer_name: str
    signer_rank: str
    signer_nip: str
    number: str
    issued_on: object  # date or datetime
    service: str
    verification_code: str
    verify_url: str
    electronic: bool = False
    demo: bool = False


def _fit(text: str, font: str, size: float, width: float, minimum: float = 5) -> float:
    while size > minimum and stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def block_origin(paper: str, position: str) -> tuple[float, float]:
    """The lower left corner of the block on the page."""
    if paper not in PAPERS:
        raise ValueError(f"Ukuran kertas tidak dikenal: {paper}.")
    if position not in POSITIONS:
        raise ValueError(f"Posisi tidak dikenal: {position}.")
    width, _height = PAPERS[paper]
    if position == "pojok":
        return width - EDGE - BLOCK[0], EDGE
    return (width - BLOCK[0]) / 2, EDGE


def draw_endorsement(c, e: Endorsement, x: float, y: float) -> None:
    """Draw the block with its lower left corner at (x, y)."""
    w, h = BLOCK
    pad = 3 * mm
    qr = 24 * mm
    c.saveState()
    c.setLineWidth(0.6)
    c.rect(x, y, w, h, stroke=1, fill=0)
    text_w = w - 2 * pad - qr - 2 * mm
    left = x + pad
    top = y + h - pad - 3
    lines: list[tuple[str, str, float]] = [("Mengetahui / Dilegalisasi oleh:", "Helvetica", 7)]
    lines += [(t, "Helvetica-Bold", 7.5) for t in (e.title_lines or ["CAMAT"])]
    lines += [(f"Nomor : {e.number}", "Helvetica", 7), (f"Tanggal : {tanggal(e.issued_on)}", "Helvetica", 7)]
    cy = top
    for text, font, size in lines:
        size = _fit(text, font, size, text_w)
        c.setFont(font, size)
        c.drawString(left, cy, text)
        cy -= size * 1.3
    # the room for the wet signature and stamp, or the note of the electronic one
    sign_top = cy
    if e.electronic:
        c.setFont("Helvetica-Oblique", 6.5)
        c.drawString(left, sign_top - 8, "Ditandatangani secara elektronik")
        if e.demo:
            c.setFont("Helvetica-Bold", 6.5)
            c.drawString(left, sign_top - 16, DEMO_NOTE)
    name_y = y + pad + 16
    name = e.signer_name or "(nama penanda tangan belum diisi)"
    size = _fit(name, "Helvetica-Bold", 8, text_w)
    c.setFont("Helvetica-Bold", size)
    c.drawString(left, name_y, name)
    c.setLineWidth(0.5)
    c.line(left, name_y - 1.5, left + stringWidth(name, "Helvetica-Bold", size), name_y - 1.5)
    c.setFont("Helvetica", 7)
    if e.signer_rank:
        c.drawString(left, name_y - 9, _clip(e.signer_rank, "Helvetica", 7, text_w))
    if e.signer_nip:
        c.drawString(left, name_y - 17 if e.signer_rank else name_y - 9, f"NIP. {nip_text(e.signer_nip)}")
    # QR and the code, at the right
    qx = x + w - pad - qr
    qy = y + pad + 8
    draw_qr(c, e.verify_url, qx, qy, qr)
    c.setFont("Helvetica", 5.5)
    c.drawCentredString(qx + qr / 2, qy - 6, "Kode verifikasi")
    c.setFont("Helvetica-Bold", 7)
    c.drawCentredString(qx + qr / 2, qy - 13, codes.display(e.verification_code))
    c.setFont("Helvetica", 5.5)
    c.drawCentredString(qx + qr / 2, y + h - pad - 3, _clip(e.office_name, "Helvetica", 5.5, qr + 2 * mm))
    c.restoreState()


def _clip(text: str, font: str, size: float, width: float) -> str:
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text


def legalisation_pdf(e: Endorsement, *, paper: str = "A4", position: str = "pojok") -> bytes:
    """One page of ``paper`` with only the endorsement block on it, at ``position``."""
    x, y = block_origin(paper, position)
    buffer = io.BytesIO()
    c = pdfcanvas.Canvas(buffer, pagesize=PAPERS[paper])
    c.setTitle(f"Legalisasi {e.number}")
    c.setAuthor(e.office_name)
    c.setSubject(e.service)
    c.setCreator("Loket")
    draw_endorsement(c, e, x, y)
    c.showPage()
    c.save()
    return buffer.getvalue()
