"""Printed papers of the counter: the receipt (tanda terima berkas), the return slip (slip
pengembalian berkas) and the verification label stuck on the legalised paper.

Each function returns the PDF as bytes, built in memory with reportlab and the built-in
Helvetica; the building blocks (styles, header, QR codes as vector squares) are the kit's
(loket.core.pdf).
No paper carries the applicant's full NIK or telephone number: the receipt shows the masked
name and NIK only, the slip and the label no personal data at all.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A5, A6
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepInFrame, KeepTogether, Spacer, Table, TableStyle

from loket.core import codes
from loket.core.formats import indonesian, tanggal
from loket.core.nik import nik_mask
from loket.core.pdf import (
    FRAME_PADDING, CheckBox, QrFlowable, actor_text, build, draw_qr, facts, header, letterhead, para, styles, text_width,
)
from loket.dossiers.models import Dossier
from loket.dossiers.selectors import mask_name

STAMP_SIZE = (80 * mm, 50 * mm)
RECEIPT_MARGIN = 8 * mm


URL_MIN_SIZE = 5  # points: below this a printed address is no longer readable


def _url_sentence(text: str, url: str, style, width: float):
    """A paragraph holding ``url`` (inside ``text``) in a font no larger than the style's at
    which the address fits the width on one line: it is never broken across lines, so a
    citizen can type it exactly as printed. Only an address too long even at URL_MIN_SIZE is
    split (rather than running off the paper)."""
    size = style.fontSize
    while size > URL_MIN_SIZE and stringWidth(url, style.fontName, size) > width - 1:
        size -= 0.25
    fitted = ParagraphStyle(f"{style.name}-url", parent=style, fontSize=size, leading=size * 1.25)
    return para(text, fitted)


def _tracking_sentence(tracking_url: str, code: str, st, width: float, prefix: str = "Lacak berkas Anda di"):
    return _url_sentence(f"{prefix} {tracking_url} dengan kode {codes.display(code)}", tracking_url, st["normal"], width)


def _tracking_block(tracking_url: str, code: str, st, width: float, qr_size: float) -> Table:
    """QR of the tracking page beside the sentence that says where and with which code to look
    (the address on one line: ``_url_sentence``)."""
    text_w = width - qr_size - 2 * mm
    table = Table([[QrFlowable(tracking_url, qr_size), _tracking_sentence(tracking_url, code, st, text_w)]],
                  colWidths=[qr_size + 2 * mm, text_w])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


SURVEY_QR = 22 * mm
SURVEY_LINE = "Kanan: setelah berkas diserahkan, nilai pelayanan kami (survei kepuasan masyarakat)."
TRACK_QR_LINE = "Kiri: lacak berkas Anda (alamat dan kode di bawah)."
TRACK_QR_ALONE_LINE = "Pindai kode QR untuk melacak berkas Anda (alamat dan kode di bawah)."


def _receipt_qr_block(tracking_url: str, survey_url: str | None, code: str, st, width: float) -> list:
    """The receipt's QR codes, and under them, across the whole width, the sentence with the
    tracking address on one line. Without ``survey_url``: the tracking QR (26 mm). With it,
    the tracking QR and the survey QR (/skm/<code>/) side by side (22 mm each) and beside them
    which is which."""
    if survey_url:
        q = SURVEY_QR
        cell = q + 1.5 * mm
        codes_row = [QrFlowable(tracking_url, q), QrFlowable(survey_url, q),
                     [para(TRACK_QR_LINE, st["normal"]), para(SURVEY_LINE, st["normal"])]]
        widths = [cell, cell, width - 2 * cell]
    else:
        q = 26 * mm
        cell = q + 1.5 * mm
        codes_row = [QrFlowable(tracking_url, q), para(TRACK_QR_ALONE_LINE, st["normal"])]
        widths = [cell, width - cell]
    table = Table([codes_row], colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (-1, 0), (-1, 0), 1 * mm),
    ]))
    return [table, Spacer(1, 2), _tracking_sentence(tracking_url, code, st, width)]


def _latest_return(dossier: Dossier):
    """The last transition to "returned" (transitions are ordered by time, then id)."""
    returns = [t for t in dossier.transitions.all() if t.to_state == Dossier.State.RETURNED]
    return returns[-1] if returns else None


# --- the papers --------------------------------------------------------------------------

def receipt_pdf(*, dossier: Dossier, tracking_url: str, survey_url: str | None = None,
                privacy_url: str | None = None) -> bytes:
    """Tanda Terima Berkas, on A6: what was received, from whom (masked), when, the standard
    time of the service, how to track it, with ``survey_url`` the QR of the satisfaction survey
    (SKM) the applicant fills in once the dossier is handed over, and with ``privacy_url`` where
    the office's privacy notice is (UU 27/2022: the subject is told how their data are processed)."""
    office, service = dossier.office, dossier.service
    st = styles(8)
    width = text_width(A6, RECEIPT_MARGIN)
    rows = [
        ("Layanan", service.name),
        ("Diterima", tanggal(dossier.received_at, with_time=True)),
    ]
    if dossier.clock_started_at and abs((dossier.clock_started_at - dossier.received_at).total_seconds()) >= 60:
        rows.append(("Lengkap", tanggal(dossier.clock_started_at, with_time=True)))
    rows += [
        # the dossier's own applicant data, as taken in (or corrected before signature)
        ("Pemohon", mask_name(dossier.applicant_name)),
        ("NIK", nik_mask(dossier.applicant_nik)),
    ]
    if dossier.by_proxy:
        rows.append(("Dikuasakan", mask_name(dossier.proxy_name)))
    rows += [
        ("Standar waktu", f"{service.duration_text} (dihitung sejak berkas lengkap diterima)"),
        ("Status", indonesian(Dossier.State(dossier.state).label)),
        ("Petugas", actor_text(dossier.received_by)),
    ]

    received = []
    for item in dossier.items.all():
        if not item.present:
            continue
        text = item.requirement.text
        if item.requirement.show_original and item.original_shown:
            text += " (asli ditunjukkan)"
        received.append(text)

    flow = header(office, st) + [
        para("TANDA TERIMA BERKAS", st["title"]),
        para(codes.display(dossier.code), st["code"]),
        facts(rows, st, width),
        Spacer(1, 4),
        para("Berkas yang diterima:", st["bold"]),
    ]
    if received:
        flow += [para(f"{i}. {text}", st["normal"]) for i, text in enumerate(received, 1)]
    else:
        flow.append(para("—", st["normal"]))
    if dossier.state == Dossier.State.RETURNED:
        flow += [Spacer(1, 3), para("Berkas belum lengkap: lihat slip pengembalian berkas.", st["bold"])]
    flow += [
        Spacer(1, 6),
        *_receipt_qr_block(tracking_url, survey_url, dossier.code, st, width),
        Spacer(1, 3),
        para("Simpan tanda terima ini dan tunjukkan saat mengambil berkas.", st["small"]),
    ]
    if privacy_url:
        flow.append(para(f"Pemberitahuan pelindungan data pribadi: {privacy_url}", st["small"]))
    # One A6 sheet, always: a service with a long checklist is shrunk to the page rather than
    # spilling onto a second sheet the citizen would lose (issue 15). The tracking address is
    # laid out for the full width, so shrinking never breaks it.
    page = KeepInFrame(width, A6[1] - RECEIPT_MARGIN - (RECEIPT_MARGIN + 3 * mm) - 2 * FRAME_PADDING - 1,
                       flow, mode="shrink")
    return build(A6, RECEIPT_MARGIN, [page], title=f"Tanda Terima Berkas {codes.display(dossier.code)}", office=office)


def return_slip_pdf(*, dossier: Dossier, tracking_url: str) -> bytes:
    """Slip Pengembalian Berkas, on A5: the latest return, who made it and why, and exactly the
    missing requirements recorded on that return, each with a box to tick."""
    returned = _latest_return(dossier)
    if returned is None:
        raise ValueError(f"Berkas {dossier.code} belum pernah dikembalikan.")
    office, service = dossier.office, dossier.service
    st = styles(9)
    width = text_width(A5, 12 * mm)
    rows = [
        ("Layanan", service.name),
        ("Dikembalikan", tanggal(returned.at, with_time=True)),
        ("Oleh", actor_text(returned.actor)),
        ("Alasan", returned.note or "—"),
    ]
    flow = letterhead(office, st, width) + [
        para("SLIP PENGEMBALIAN BERKAS", st["title"]),
        para(codes.display(dossier.code), st["code"]),
        facts(rows, st, width),
        Spacer(1, 6),
        para("Persyaratan yang belum lengkap:", st["bold"]),
        Spacer(1, 2),
    ]
    missing = [m for m in (returned.missing or []) if m]
    if missing:
        table = Table(
            [[para(f"{i}.", st["normal"]), CheckBox(), para(text, st["normal"])] for i, text in enumerate(missing, 1)],
            colWidths=[7 * mm, 6 * mm, width - 13 * mm],
        )
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        flow.append(table)
    else:
        flow.append(para("Tidak ada daftar persyaratan; lihat alasan pengembalian di atas.", st["normal"]))
    flow += [
        Spacer(1, 6),
        para("Silakan lengkapi dan bawa kembali berkas ini ke loket. Kode berkas tetap sama.", st["bold"]),
        Spacer(1, 8),
        KeepTogether([_tracking_block(tracking_url, dossier.code, st, width, 30 * mm)]),
    ]
    return build(A5, 12 * mm, flow, title=f"Slip Pengembalian Berkas {codes.display(dossier.code)}", office=office)


def _fit(canv, text: str, font: str, size: float, width: float, minimum: float) -> float | None:
    """The largest font size ≤ size at which text fits the width, or None below the minimum."""
    while size >= minimum:
        if stringWidth(text, font, size) <= width:
            return size
        size -= 0.25
    return None


def verification_stamp_pdf(*, dossier: Dossier, verify_url: str) -> bytes:
    """An 80 × 50 mm label for the legalised paper: the register number and date, the
    verification code and a QR of the public verification page."""
    entry = dossier.register_entry
    if entry is None or not dossier.verification_code:
        raise ValueError(f"Berkas {dossier.code} belum diregister.")
    office = dossier.office
    w, h = STAMP_SIZE
    margin = 3 * mm
    buffer = io.BytesIO()
    c = pdfcanvas.Canvas(buffer, pagesize=STAMP_SIZE)
    c.setTitle(f"Label Verifikasi {entry.number_display}")
    c.setAuthor(office.name)
    c.setCreator("Loket")

    # frame
    c.setLineWidth(0.8)
    c.roundRect(1.5 * mm, 1.5 * mm, w - 3 * mm, h - 3 * mm, 2 * mm, stroke=1, fill=0)

    # title across the top, shrunk to fit, in two lines when the office name is long
    inner = w - 2 * margin
    y = h - margin - 4 * mm
    title = f"Terverifikasi Loket — {office.name}"
    size = _fit(c, title, "Helvetica-Bold", 8, inner, 6)
    if size:
        c.setFont("Helvetica-Bold", size)
        c.drawCentredString(w / 2, y, title)
        y -= size * 1.2
    else:
        c.setFont("Helvetica-Bold", 7)
        c.drawCentredString(w / 2, y, "Terverifikasi Loket —")
        y -= 7 * 1.2
        size = _fit(c, office.name, "Helvetica-Bold", 7, inner, 4) or 4
        c.setFont("Helvetica-Bold", size)
        c.drawCentredString(w / 2, y, office.name)
        y -= size * 1.2
    c.setLineWidth(0.4)
    c.line(margin, y + 1 * mm, w - margin, y + 1 * mm)

    # QR on the right, facts on the left
    qr_size = min(y - margin - 1 * mm, 36 * mm)
    qr_x = w - margin - qr_size + 1 * mm
    draw_qr(c, verify_url, qr_x, margin, qr_size)

    text_w = qr_x - margin
    ty = y - 3 * mm
    for label, value, font, vsize in [
        ("No. Register", entry.number_display, "Helvetica-Bold", 9),
        ("Tanggal register", tanggal(entry.entered_at), "Helvetica", 7),
        ("Kode verifikasi", codes.display(dossier.verification_code), "Helvetica-Bold", 8),
    ]:
        c.setFont("Helvetica", 5.5)
        c.drawString(margin, ty, label)
        ty -= vsize * 1.1
        c.setFont(font, _fit(c, value, font, vsize, text_w, 4) or 4)
        c.drawString(margin, ty, value)
        ty -= 2.8 * mm
    c.setFont("Helvetica-Oblique", 6)
    c.drawString(margin, margin + 1 * mm, "Pindai untuk memeriksa keaslian")
    c.showPage()
    c.save()
    return buffer.getvalue()
