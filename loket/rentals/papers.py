"""Printed papers of the hall: the quote/ invoice (Surat Penawaran/ Tagihan Sewa Gedung), the
Surat Ketetapan Retribusi Daerah (SKRD) the renter pays against, the numbered receipt (kuitansi)
the Bendahara Penerimaan gives on payment, and the Surat Tanda Setoran (STS) of a deposit of
receipts to the Kas Daerah.

Plain functions of a Booking returning the PDF as bytes; the layout helpers (office header,
styles, label/value rows, page footer) come from the kit (loket.core.pdf).
The amounts and their words come from the quote kept on the booking, so a reprint reads the same
after a new tariff edition. No paper carries the renter's telephone number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from django.conf import settings
from django.utils import timezone
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from loket.core import codes
from loket.core.formats import tanggal
from loket.core.money import rupiah, terbilang
from loket.core.pdf import build, facts, header, letterhead, para, place_of, signature_block, styles, text_width
from loket.offices.signers import treasurer_for
from loket.rentals.models import Booking

RECEIPT_STATES = (Booking.State.PAID, Booking.State.USED)


def _right(st, key="normal") -> ParagraphStyle:
    return ParagraphStyle(f"{key}-right", parent=st[key], alignment=TA_RIGHT)


def _centre(st, key="normal") -> ParagraphStyle:
    return ParagraphStyle(f"{key}-centre", parent=st[key], alignment=TA_CENTER)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def when_text(b: Booking) -> str:
    """1 Agustus 2026, or 1 Agustus 2026 s.d. 3 Agustus 2026 (3 hari)."""
    if b.days <= 1:
        return tanggal(b.date)
    return f"{tanggal(b.date)} s.d. {tanggal(b.date + dt.timedelta(days=b.days - 1))} ({b.days} hari)"


def _signature(b: Booking, st, *, day, user=None) -> list:
    """The signature place: "Madiun, 1 Agustus 2026", the Bendahara Penerimaan of the office
    (``treasurer_for``: the one who received the payment, else the office's), space, name, NIP;
    a dotted line to write on when the office has none."""
    on = timezone.localdate(day) if isinstance(day, dt.datetime) else day
    signer = treasurer_for(office=b.office, on=on, user=user)
    signer = replace(signer, title_lines=[*signer.title_lines, b.office.name])
    return signature_block(signer, place=_place(b), on=on, st=st, width=0)


def _halves(left, right, width: float) -> Table:
    """Two cells side by side, each half the width (the signature goes on the right)."""
    table = Table([[left, right]], colWidths=[width * 0.5, width * 0.5])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _place(b: Booking) -> str:
    """"Madiun": the city as a letter is dated (core.pdf.place_of)."""
    return place_of(b.office)


def _lines_table(b: Booking, st, width: float) -> Table:
    """No · Uraian · Banyaknya · Harga satuan · Jumlah, and the total."""
    r, bold_r = _right(st), _right(st, "bold")
    widths = [10 * mm, 0, 22 * mm, 30 * mm, 32 * mm]
    widths[1] = width - sum(widths)
    rows = [[para("No", st["bold"]), para("Uraian", st["bold"]), para("Banyaknya", bold_r), para("Harga satuan", bold_r),
             para("Jumlah", bold_r)]]
    for i, line in enumerate(b.quote.get("lines", []), 1):
        rows.append([para(f"{i}.", st["normal"]), para(line["label"], st["normal"]), para(str(line["quantity"]), r),
                     para(rupiah(line["unit_price"]), r), para(rupiah(line["amount"]), r)])
    rows.append(["", para("JUMLAH", st["bold"]), "", "", para(rupiah(b.total), bold_r)])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("SPAN", (1, -1), (3, -1)),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _notice(office) -> str:
    """Where the office's privacy notice is, as printed (the site's address when it is known)."""
    path = f"/{office.slug}/privasi/"
    return f"{settings.LOKET_PUBLIC_URL}{path}" if settings.LOKET_PUBLIC_URL else f"halaman {path} di situs Loket kantor"


def quote_pdf(*, booking: Booking, number: str = "", verification_code: str = "") -> bytes:
    """Surat Penawaran/ Tagihan Sewa Gedung, on A4: to whom, the event, the day(s) and session, the
    lines of the quote as given, the total in figures and words, its notes, where to pay, and the
    signature place of the Bendahara Penerimaan."""
    b = booking
    office = b.office
    st = styles(10)
    width = text_width(A4, 18 * mm)
    reference = [f"Kode pesanan {codes.display(b.code)}"]
    if b.register_entry_id:
        reference.append(f"Buku Register Penyewa No. {b.register_entry.number_display}")
    rows = [
        ("Kepada Yth.", b.renter_name + (f", {b.organisation}" if b.organisation else "")),
        ("Jenis pemesan", b.get_renter_type_display()),
        ("Acara", b.event),
        ("Gedung", b.venue.name),
        ("Tanggal", when_text(b)),
        ("Sesi", b.get_session_display()),
        ("Perkiraan peserta", f"{b.attendance} orang"),
    ]
    if verification_code:
        reference.append(f"Kode verifikasi {codes.display(verification_code)}")
    flow = letterhead(office, st, width) + [
        para("SURAT PENAWARAN/ TAGIHAN SEWA GEDUNG", st["title"]),
        *([para(f"Nomor: {number}", _centre(st, "bold"))] if number else []),
        para(" · ".join(reference), st["center"]),
        Spacer(1, 6),
        facts(rows, st, width),
        Spacer(1, 6),
        para("Dengan hormat, bersama ini kami sampaikan rincian retribusi sewa gedung sesuai tarif yang berlaku:",
           st["normal"]),
        Spacer(1, 4),
        _lines_table(b, st, width),
        Spacer(1, 4),
        para(f"Terbilang: {_capital(b.quote.get('total_words') or terbilang(b.total))}", st["bold"]),
    ]
    notes = [n for n in b.quote.get("notes", []) if n]
    if notes:
        flow += [Spacer(1, 6), para("Catatan:", st["bold"])]
        flow += [para(f"{i}. {n}", st["small"]) for i, n in enumerate(notes, 1)]
    flow += [
        Spacer(1, 4),
        para(f"Pembayaran diterima oleh Bendahara Penerimaan {office.name} dengan kuitansi bernomor. "
           "Sesi dipesan atas nama pemesan di atas sampai dibatalkan.", st["small"]),
        para(f"Data pemesan diproses menurut pemberitahuan pelindungan data pribadi kantor: {_notice(office)} "
             "(UU 27/2022).", st["small"]),
        Spacer(1, 10),
        KeepTogether([_halves("", _signature(b, st, day=b.created_at), width)]),
    ]
    return build(A4, 18 * mm, flow, title=f"Surat Penawaran Sewa Gedung {codes.display(b.code)}", office=office)


def has_receipt(b: Booking) -> bool:
    """A kuitansi exists once the retribution is paid (and stays after the hall is used)."""
    return b.state in RECEIPT_STATES and b.receipt_entry_id is not None and b.paid_amount is not None


def receipt_pdf(*, booking: Booking, verification_code: str = "") -> bytes:
    """Kuitansi of the retribution, on A5 landscape: its number in the receipt book, from whom,
    the amount in words and figures, for what, the date and the Bendahara Penerimaan."""
    b = booking
    entry = b.receipt_entry
    if not has_receipt(b):
        raise ValueError(f"Pesanan {b.code} belum dibayar.")
    office = b.office
    st = styles(10)
    page = landscape(A5)
    width = text_width(page, 12 * mm)
    words = _capital(terbilang(b.paid_amount))
    purpose = (f"Retribusi sewa {b.venue.name}, acara {b.event}, tanggal {when_text(b)}, "
               f"sesi {b.get_session_display()}")
    amount_box = Table([[para(rupiah(b.paid_amount), ParagraphStyle("amount", parent=st["bold"], fontSize=13,
                                                                   leading=16))]],
                       colWidths=[55 * mm])
    amount_box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.black),
                                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eeeeee")),
                                    ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    flow = header(office, st) + [
        para("KUITANSI", st["title"]),
        para(f"Kuitansi No. {entry.number_display}", _centre(st, "bold")),
        para(f"Kode pesanan {codes.display(b.code)}"
           + (f" · SKRD No. {b.skrd_entry.number_display}" if b.skrd_entry_id else "")
           + (f" · Buku Register Penyewa No. {b.register_entry.number_display}" if b.register_entry_id else "")
           + (f" · Kode verifikasi {codes.display(verification_code)}" if verification_code else ""),
           st["center"]),
        Spacer(1, 6),
        facts([
            ("Telah terima dari", b.renter_name + (f", {b.organisation}" if b.organisation else "")),
            ("Uang sejumlah", words),
            ("Untuk pembayaran", purpose),
        ], st, width),
        Spacer(1, 6),
    ]
    signature = _signature(b, st, day=b.paid_at, user=entry.entered_by)
    flow.append(KeepTogether([_halves(amount_box, signature, width)]))
    return build(page, 12 * mm, flow, title=f"Kuitansi {entry.number_display} Sewa Gedung", office=office)


def skrd_pdf(*, booking: Booking, verification_code: str = "") -> bytes:
    """SKRD of the hall, on A4: its number in the Buku Register SKRD, the obligor (Wajib
    Retribusi), the retribution object (the venue, day(s), session), the lines and the amount in
    figures and words, the due date, where to pay, and the Bendahara Penerimaan's signature place."""
    b = booking
    if not b.skrd_entry_id:
        raise ValueError(f"Pesanan {b.code} belum mempunyai SKRD.")
    office = b.office
    st = styles(10)
    width = text_width(A4, 18 * mm)
    amount = b.skrd_amount if b.skrd_amount is not None else b.total
    reference = [f"Kode pesanan {codes.display(b.code)}"]
    if b.register_entry_id:
        reference.append(f"Buku Register Penyewa No. {b.register_entry.number_display}")
    if verification_code:
        reference.append(f"Kode verifikasi {codes.display(verification_code)}")
    flow = letterhead(office, st, width) + [
        para("SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)", st["title"]),
        para(f"Nomor: {b.skrd_entry.number_display}", _centre(st, "bold")),
        para(" · ".join(reference), st["center"]),
        Spacer(1, 6),
        facts([
            ("Jenis retribusi", "Retribusi Jasa Usaha \u2014 pemakaian kekayaan daerah"),
            ("Wajib Retribusi", b.renter_name + (f", {b.organisation}" if b.organisation else "")),
            ("Objek retribusi", f"{b.venue.name}, {when_text(b)}, sesi {b.get_session_display()}"),
            ("Acara", b.event),
            ("Jumlah retribusi", rupiah(amount)),
            ("Terbilang", _capital(terbilang(amount))),
            ("Jatuh tempo", tanggal(b.skrd_due) if b.skrd_due else "-"),
        ], st, width),
        Spacer(1, 6),
        _lines_table(b, st, width),
        Spacer(1, 6),
        para(f"Dibayar tunai kepada Bendahara Penerimaan {office.name} paling lambat pada tanggal jatuh tempo, "
             "dengan menunjukkan SKRD ini; pembayaran diberi kuitansi bernomor.", st["small"]),
        Spacer(1, 10),
        KeepTogether([_halves("", _signature(b, st, day=b.skrd_entry.entered_at), width)]),
    ]
    return build(A4, 18 * mm, flow, title=f"SKRD {b.skrd_entry.number_display} Sewa Gedung", office=office)


def sts_pdf(*, deposit, receipts: list[Booking], kas_daerah: str = "", verification_code: str = "") -> bytes:
    """Surat Tanda Setoran, on A4: its number in the Buku Register STS, the date, the Kas Daerah
    account and the bank's reference, the receipts deposited (kuitansi, SKRD, renter, amount),
    the total in figures and words, and the Bendahara Penerimaan's signature place."""
    office = deposit.office
    st = styles(10)
    width = text_width(A4, 18 * mm)
    r, bold_r = _right(st), _right(st, "bold")
    widths = [10 * mm, 25 * mm, 25 * mm, 0, 32 * mm]
    widths[3] = width - sum(widths)
    rows = [[para("No", st["bold"]), para("Kuitansi", st["bold"]), para("SKRD", st["bold"]),
             para("Uraian", st["bold"]), para("Jumlah", bold_r)]]
    for i, b in enumerate(receipts, 1):
        rows.append([para(f"{i}.", st["normal"]), para(b.receipt_entry.number_display, st["normal"]),
                     para(b.skrd_entry.number_display if b.skrd_entry_id else "-", st["normal"]),
                     para(f"Retribusi sewa {b.venue.name}: {b.renter_name}, {b.event}", st["normal"]),
                     para(rupiah(b.paid_amount or 0), r)])
    rows.append(["", "", "", para("JUMLAH", st["bold"]), para(rupiah(deposit.amount), bold_r)])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    entry = deposit.register_entry
    place = place_of(office)
    signer = treasurer_for(office=office, on=deposit.date, user=deposit.created_by)
    signer = replace(signer, title_lines=[*signer.title_lines, office.name])
    flow = letterhead(office, st, width) + [
        para("SURAT TANDA SETORAN (STS)", st["title"]),
        para(f"Nomor: {entry.number_display}", _centre(st, "bold")),
        *([para(f"Kode verifikasi {codes.display(verification_code)}", st["center"])] if verification_code else []),
        Spacer(1, 6),
        facts([
            ("Disetor ke", kas_daerah or "Rekening Kas Umum Daerah"),
            ("Tanggal setor", tanggal(deposit.date)),
            ("Bukti setor/ validasi bank", deposit.reference),
            ("Jumlah disetor", rupiah(deposit.amount)),
            ("Terbilang", _capital(terbilang(deposit.amount))),
        ], st, width),
        Spacer(1, 6),
        table,
        Spacer(1, 10),
        KeepTogether([_halves("", signature_block(signer, place=place, on=deposit.date, st=st, width=0), width)]),
    ]
    return build(A4, 18 * mm, flow, title=f"STS {entry.number_display} Retribusi Sewa Gedung", office=office)
