"""Who may do what on a hall booking (the act table of the rentals flow): the services
authorise from it, the screens and the API offer only what ``acts_allowed`` returns.

The standard's procedure: the order is taken by the Bendahara Penerimaan or the Kasubbag Umum
dan Keuangan; only the Bendahara records the payment.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from loket.core import flow
from loket.core.inputs import InputProblem, date_parse
from loket.offices.models import Unit
from loket.offices.roles import Role, staff_of
from loket.rentals.models import Booking

S = Booking.State
MAX_AHEAD_DAYS = 2 * 366  # bookings at most two years ahead


def date_check(value, *, today: dt.date, field: str = "date") -> tuple[dt.date | None, str]:
    """A day of use: YYYY-MM-DD, not in the past, at most two years ahead. (day, "" ) or (None, reason)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    try:
        day = date_parse(value, label="Tanggal", earliest=today, latest=today + dt.timedelta(days=MAX_AHEAD_DAYS),
                         before_text="Tanggal sudah lewat.", after_text="Pesanan paling jauh dua tahun ke depan.")
    except InputProblem as exc:
        return None, str(exc)
    if day is None:
        return None, "Tanggal wajib diisi, berbentuk TTTT-BB-HH, misalnya 2026-12-31."
    return day, ""


# --- who may act --------------------------------------------------------------------------------

def _is_umum_head(staff) -> bool:
    return staff.role == Role.KASI and staff.unit_id is not None and staff.unit.kind == Unit.Kind.SUBBAG


def _handles(staff, b=None) -> bool:
    return staff.role == Role.BENDAHARA or _is_umum_head(staff)


def may_handle(user) -> bool:
    """The Bendahara Penerimaan or the Kasubbag Umum dan Keuangan (the seed's procedure)."""
    staff = staff_of(user)
    return staff is not None and _handles(staff)


HANDLERS = (Role.BENDAHARA, Role.KASI)
HANDLERS_TEXT = "Pesanan sewa gedung dilayani hanya untuk Bendahara Penerimaan atau Kasubbag Umum dan Keuangan."


def _not_bookable(b: Booking) -> str:
    """An inquiry whose day has passed can only be cancelled."""
    _, why = date_check(b.date, today=timezone.localdate())
    return f"Pesanan {b.code} tidak dapat dipesan: {why}" if why else ""


def _not_used_yet(b: Booking) -> str:
    """The hall is recorded as used from its first day on."""
    return f"Pesanan {b.code} baru dipakai {b.date:%d-%m-%Y}." if timezone.localdate() < b.date else ""


def _wrong_state(b: Booking, act: flow.Act, staff) -> str:
    return f"Pesanan {b.code} berstatus {b.get_state_display().lower()}; {act.doing} tidak dapat dilakukan."


ACTS = flow.Table(acts={
    "confirm": flow.Act("Pesan", HANDLERS, (S.INQUIRY,), scope=_handles, refused=HANDLERS_TEXT, doing="pemesanan",
                        ready=_not_bookable),
    "pay": flow.Act("Catat pembayaran", (Role.BENDAHARA,), (S.BOOKED,), doing="pembayaran",
                    refused="Pembayaran sewa gedung dicatat hanya untuk Bendahara Penerimaan."),
    "use": flow.Act("Catat pemakaian", HANDLERS, (S.PAID,), scope=_handles, refused=HANDLERS_TEXT,
                    doing="pencatatan pemakaian", ready=_not_used_yet),
    "cancel": flow.Act("Batalkan", HANDLERS, (S.INQUIRY, S.BOOKED, S.PAID), scope=_handles, refused=HANDLERS_TEXT,
                       doing="pembatalan"),
}, wrong_state=_wrong_state)


def acts_allowed(b: Booking, user) -> set[str]:
    """The acts this user may do on the booking now, by role, office and state: the screens and
    the API offer only these (each act checks again)."""
    return set(flow.acts_allowed(ACTS, user, b))  # a set, as the screens and tests read it


def acts_waiting(b: Booking, user) -> dict[str, str]:
    """The acts this user will be offered once the booking is ready (recording the use waits for
    the hall's first day), with the reason; the booking screen shows them."""
    return flow.acts_waiting(ACTS, user, b)


def authorise_intake(*, office, actor):
    """Taking an order (no booking yet): a handler of this office."""
    staff = staff_of(actor)
    if staff is None or not _handles(staff):
        raise PermissionDenied(HANDLERS_TEXT)
    if staff.office_id != office.pk:
        raise PermissionDenied(ACTS.other_office)
    return staff


# --- the hall's money: deposit of receipts to the Kas Daerah -------------------------------------

TREASURER_TEXT = "Setoran ke Kas Daerah dicatat hanya oleh Bendahara Penerimaan."


def _not_depositable(b: Booking) -> str:
    """Only a paid receipt not yet deposited (a refunded, cancelled booking's receipt too: the
    money was received and goes to the Kas Daerah all the same)."""
    if b.paid_at is None or b.receipt_entry_id is None:
        return f"Pesanan {b.code} belum dibayar; tidak ada kuitansi untuk disetor."
    if b.deposit_id is not None:
        return f"Kuitansi pesanan {b.code} sudah disetor ke Kas Daerah; satu kuitansi disetor sekali saja."
    return ""


# The Bendahara Penerimaan deposits the receipts (Permendagri 77/2020; docs/rental.md): a table of
# its own, because one deposit takes many receipts; each receipt is authorised by it.
TREASURY = flow.Table(acts={
    "deposit": flow.Act("Setor ke Kas Daerah", (Role.BENDAHARA,), (S.PAID, S.USED, S.CANCELLED),
                        refused=TREASURER_TEXT, doing="penyetoran", ready=_not_depositable),
}, wrong_state=_wrong_state)


def deposit_allowed(b: Booking, user) -> bool:
    """Whether this user may deposit this booking's receipt now (the screens and the API ask)."""
    return flow.allowed(TREASURY, "deposit", user, b)


def may_deposit(user) -> bool:
    staff = staff_of(user)
    return staff is not None and TREASURY["deposit"].may(staff, None)


def authorise_deposit(*, office, actor):
    """Recording a deposit (before its receipts are read): the Bendahara Penerimaan of this office."""
    staff = staff_of(actor)
    if not may_deposit(actor):
        raise PermissionDenied(TREASURER_TEXT)
    if staff.office_id != office.pk:
        raise PermissionDenied(TREASURY.other_office)
    return staff
