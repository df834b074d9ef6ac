"""Acts on hall bookings (sewa gedung pertemuan), per the standard's procedure: the order comes
by letter or telephone to the Bendahara Penerimaan/ Kasubbag Umum dan Keuangan, is written in
the Buku Register Penyewa and on the Papan Penyewa; the Bendahara records the payment and gives
a numbered receipt (kuitansi).

Every act: keyword-only arguments, one transaction, a Transition row with the new state.
Refusals: PermissionDenied (role), WrongState (state), InvalidInput (fields, Indonesian
messages), Taken (a half-day already booked: the database's unique key says so). Nothing is
half-saved: no booking without its slots, no register number without its booking.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from loket.catalog.models import Edition, ServiceType
from loket.core import codes, flow
from loket.core import errors
from loket.core.errors import InvalidInput
from loket.offices.models import Office
from loket.registers.models import RegisterBook
from loket.registers.services import register_entry_add
from loket.rentals.models import HALVES, Booking, Deposit, Session, Slot, Transition, Venue
from loket.rentals.policy import ACTS, TREASURY, authorise_deposit, authorise_intake, date_check
from loket.core.money import rupiah
from loket.rentals.quote import Quote, QuoteError, quote_compute

S = Booking.State
MAX_DAYS = 7  # a longer use is arranged in parts
TEXT_MAX = {"renter_name": 150, "organisation": 200, "event": 200, "note": 2000, "reason": 2000}


class Taken(errors.Taken):
    """The session asked for is already booked on that day (HTTP 409)."""


# --- the tariff and the quote --------------------------------------------------------------------

def _service(*, office: Office, code: str) -> ServiceType:
    service = (ServiceType.objects.filter(edition__office=office, edition__status=Edition.Status.ACTIVE, code=code)
               .select_related("edition").prefetch_related("tariffs").first())
    if service is None:
        raise QuoteError(f"Layanan '{code}' tidak ada di standar pelayanan yang berlaku.")
    return service


def quote_for(*, office: Office, venue: Venue | None = None, session: str, days: int = 1, government: bool,
              cleaning: bool, security: bool, parking: bool) -> Quote:
    """The quote of a booking from the tariff of the edition in force (catalog.Tariff).
    InvalidInput (on the field asked for) when the edition has no tariff line for it."""
    try:
        return _quote(office=office, venue=venue, session=session, days=days, government=government,
                      cleaning=cleaning, security=security, parking=parking)
    except QuoteError as exc:
        raise InvalidInput({exc.field: [str(exc)]}) from None


def _quote(*, office, venue, session, days, government, cleaning, security, parking) -> Quote:
    service = _service(office=office, code=venue.service_code if venue else "sewa-gedung")
    return quote_compute(tariffs=list(service.tariffs.all()), government_percent=service.fee_government_discount_percent,
                         session=session, days=days, government=government, cleaning=cleaning, security=security,
                         parking=parking, edition_year=service.edition.year)


# --- checking a booking's fields --------------------------------------------------------------------

def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "ya", "yes")


def _whole(errors: dict, data: dict, field: str, label: str, lo: int, hi: int, default=None) -> int | None:
    raw = data.get(field, default)
    if raw in (None, ""):
        errors.setdefault(field, []).append(f"{label} wajib diisi.")
        return None
    try:
        value = int(str(raw).strip()) if not isinstance(raw, bool) else None
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        errors.setdefault(field, []).append(f"{label} harus bilangan bulat {lo}–{hi}.")
        return None
    return value


def booking_clean(*, office: Office, data: dict, today: dt.date | None = None) -> dict:
    """The fields of a booking, checked; InvalidInput with every problem."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def text(field, label, required=True):
        value = str(data.get(field) or "").strip()
        if required and not value:
            errors.setdefault(field, []).append(f"{label} wajib diisi.")
        elif len(value) > TEXT_MAX[field]:
            errors.setdefault(field, []).append(f"{label} paling panjang {TEXT_MAX[field]} karakter.")
        return value

    def choice(field, label, choices):
        value = str(data.get(field) or "").strip()
        if value not in choices.values:
            errors.setdefault(field, []).append(f"{label} harus salah satu dari: {', '.join(choices.values)}.")
        return value

    venue = None
    venues = Venue.objects.filter(office=office, active=True)
    code = str(data.get("venue") or "").strip()
    venue = venues.filter(code=code).first() if code else venues.first()
    if venue is None:
        errors.setdefault("venue", []).append("Gedung tidak dikenal di kantor ini.")
    day, why = date_check(data.get("date"), today=today)
    if why:
        errors.setdefault("date", []).append(why)
    phone = "".join(ch for ch in str(data.get("phone") or "") if ch.isdigit() or ch == "+")
    if not phone:
        errors.setdefault("phone", []).append("Telepon pemesan wajib diisi.")
    elif not (phone.lstrip("+").isdigit() and phone.startswith(("0", "62", "+62")) and 9 <= len(phone.lstrip("+")) <= 15):
        errors.setdefault("phone", []).append("Nomor telepon tidak valid (contoh 081234567890).")
    cleaned = {
        "venue": venue, "date": day,
        "days": _whole(errors, data, "days", "Jumlah hari", 1, MAX_DAYS, default=1),
        "session": choice("session", "Sesi", Session),
        "channel": choice("channel", "Cara memesan", Booking.Channel),
        "renter_type": choice("renter_type", "Jenis pemesan", Booking.RenterType),
        "renter_name": text("renter_name", "Nama pemesan"),
        "organisation": text("organisation", "Instansi/ organisasi", required=False),
        "phone": phone,
        "event": text("event", "Nama acara"),
        "attendance": _whole(errors, data, "attendance", "Perkiraan peserta", 1, 100_000),
        "cleaning": _bool(data.get("cleaning")), "security": _bool(data.get("security")),
        "parking": _bool(data.get("parking")), "note": text("note", "Catatan", required=False),
    }
    if venue and cleaned["attendance"] and cleaned["attendance"] > venue.capacity:
        errors.setdefault("attendance", []).append(
            f"Perkiraan peserta melebihi kapasitas {venue.name} ({venue.capacity} orang).")
    if errors:
        raise InvalidInput(errors)
    cleaned["government"] = cleaned["renter_type"] == Booking.RenterType.OPD
    return cleaned


# --- the acts ---------------------------------------------------------------------------------------

_move = partial(flow.move, history=Transition, link="booking")  # the new state and its Transition together


def _days(b: Booking) -> list[dt.date]:
    return [b.date + dt.timedelta(days=i) for i in range(b.days)]


def _hold(b: Booking) -> None:
    """Take the booking's half-days; Taken when one is already held (the unique key decides,
    so two clerks pressing at the same moment cannot both get it)."""
    slots = [Slot(booking=b, venue_id=b.venue_id, date=d, half=h) for d in _days(b) for h in HALVES[Session(b.session)]]
    try:
        with transaction.atomic():
            Slot.objects.bulk_create(slots)
    except IntegrityError:
        taken = (Slot.objects.filter(venue_id=b.venue_id, released=False, date__in=_days(b),
                                     half__in=HALVES[Session(b.session)])
                 .select_related("booking").order_by("date", "half").first())
        when = f" ({taken.date:%d-%m-%Y}, {taken.get_half_display().lower()}: {taken.booking.event})" if taken else ""
        raise Taken(f"Sesi itu sudah dipesan{when}. Pilih tanggal atau sesi lain.") from None


def _register(b: Booking, actor) -> None:
    """Dicatat di Buku Register Penyewa (procedure step 4): the next number of the year."""
    b.register_entry = register_entry_add(
        office_id=b.office_id, kind=RegisterBook.Kind.PENYEWA, actor=actor,
        subject=f"Sewa {b.venue.name}: {b.event}", name=b.renter_name, reference=b.code,
        note=f"{b.date:%d-%m-%Y}" + (f" ({b.days} hari)" if b.days > 1 else "")
             + f", {b.get_session_display()}; {b.organisation or b.get_renter_type_display()}; {rupiah(b.total)}",
    )
    _quote_issue(b, actor)
    _skrd_issue(b, actor)


# The Booking fields a registration writes (the register line and the SKRD).
REGISTERED_FIELDS = ("register_entry", "skrd_entry", "skrd_amount", "skrd_due")


def _skrd_issue(b: Booking, actor) -> None:
    """Surat Ketetapan Retribusi Daerah (SKRD): the assessment the renter pays against (UU 1/2022
    Pasal 87: the Wajib Retribusi pays for the service used; the hall is a Retribusi Jasa Usaha,
    pemakaian kekayaan daerah). Numbered in the office's Buku Register SKRD, issued with the
    booking's registration: the obligor (the renter), the retribution object (the venue, day(s),
    session), the amount of the quote, and the due date: the first day of use (the hall is used
    only once paid). Stored as an issued paper (papers.document_issue), signed by the Bendahara."""
    from loket.offices.signers import treasurer_for
    from loket.papers.models import Document
    from loket.papers.services import document_issue
    from loket.rentals import papers

    now = timezone.now()
    b.skrd_amount = b.total
    b.skrd_due = max(b.date, timezone.localdate(now))
    b.skrd_entry = register_entry_add(
        office_id=b.office_id, kind=RegisterBook.Kind.SKRD, actor=actor, at=now,
        subject=f"Retribusi pemakaian {b.venue.name}: {b.event}"[:400], name=b.renter_name[:200], reference=b.code,
        note=f"{rupiah(b.skrd_amount)}; jatuh tempo {b.skrd_due:%d-%m-%Y}",
    )
    document_issue(
        office=b.office, kind=Document.Kind.SKRD, title="Surat Ketetapan Retribusi Daerah (SKRD) Sewa Gedung",
        reference=b.code, actor=actor, signer=treasurer_for(office=b.office, on=timezone.localdate(now)),
        addressee=(b.renter_name + (f", {b.organisation}" if b.organisation else ""))[:300],
        subject=f"Retribusi pemakaian {b.venue.name}: {b.event}"[:300], number=b.skrd_entry.number_display, at=now,
        render=lambda *, number, verification_code, issued_at: papers.skrd_pdf(
            booking=b, verification_code=verification_code),
    )


def _archive_code(b: Booking) -> str:
    """The kode klasifikasi arsip of the hall's service in the edition in force (the venue's own
    service, as the quote's tariff is)."""
    code = (ServiceType.objects.filter(edition__office_id=b.office_id, edition__status=Edition.Status.ACTIVE,
                                       code=b.venue.service_code).values_list("archive_code", flat=True).first())
    return code or ""


def _quote_issue(b: Booking, actor) -> None:
    """The Surat Penawaran/ Tagihan as a numbered paper of the office (Buku Agenda Surat Keluar),
    signed by the Bendahara Penerimaan, stored as issued (papers.document_issue)."""
    from loket.offices.signers import treasurer_for
    from loket.papers.models import Document
    from loket.papers.services import document_issue
    from loket.rentals import papers

    document_issue(
        office=b.office, kind=Document.Kind.QUOTE, title="Surat Penawaran/ Tagihan Sewa Gedung", reference=b.code,
        actor=actor, signer=treasurer_for(office=b.office, on=timezone.localdate()),
        classification=_archive_code(b), addressee=(b.renter_name + (f", {b.organisation}" if b.organisation else ""))[:300],
        subject=f"Sewa {b.venue.name}: {b.event}"[:300],
        render=lambda *, number, verification_code, issued_at: papers.quote_pdf(
            booking=b, number=number, verification_code=verification_code),
    )


def _receipt_issue(b: Booking, actor) -> None:
    """The kuitansi as a stored paper, numbered in the Buku Kuitansi (not the letters' agenda)."""
    from loket.offices.signers import treasurer_for
    from loket.papers.models import Document
    from loket.papers.services import document_issue
    from loket.rentals import papers

    document_issue(
        office=b.office, kind=Document.Kind.RECEIPT, title="Kuitansi Retribusi Sewa Gedung", reference=b.code,
        actor=actor, signer=treasurer_for(office=b.office, on=timezone.localdate(b.paid_at), user=actor),
        addressee=b.renter_name[:300], subject=f"Retribusi sewa {b.venue.name}: {b.event}"[:300],
        number=b.receipt_entry.number_display, at=b.paid_at,
        render=lambda *, number, verification_code, issued_at: papers.receipt_pdf(
            booking=b, verification_code=verification_code),
    )


def booking_create(*, office: Office, actor, data: dict, inquiry: bool = False) -> Booking:
    """Take an order (or, with ``inquiry``, only note the question: no session is held and
    nothing is registered yet). A booking holds its half-days and gets its number in the Buku
    Register Penyewa at once."""
    authorise_intake(office=office, actor=actor)
    c = booking_clean(office=office, data=data)
    q = quote_for(office=office, venue=c["venue"], session=c["session"], days=c["days"], government=c["government"],
                  cleaning=c["cleaning"], security=c["security"], parking=c["parking"])

    def write(code: str) -> Booking:
        # One transaction (flow.new_code's): on a clash of codes all of it is tried again.
        b = Booking.objects.create(office=office, code=code, state=S.INQUIRY, quote=q.as_json(), total=q.total,
                                   created_at=timezone.now(), created_by=actor, **c)
        if inquiry:
            Transition.objects.create(booking=b, from_state="", to_state=S.INQUIRY, actor=actor, at=b.created_at,
                                      note=b.get_channel_display())
            return b
        # a direct order starts its history as booked: it never was a mere question
        _hold(b)
        _register(b, actor)
        Transition.objects.create(booking=b, from_state="", to_state=S.BOOKED, actor=actor, at=b.created_at,
                                  note=b.get_channel_display())
        b.state = S.BOOKED
        b.save(update_fields=["state", "updated_at", *REGISTERED_FIELDS])
        return b

    return flow.new_code(write)


def _book(b: Booking, actor) -> Booking:
    _hold(b)
    _register(b, actor)
    return _move(b, to=S.BOOKED, actor=actor, fields=REGISTERED_FIELDS)


def _locked(code: str) -> Booking:
    return flow.locked(Booking.objects.select_related("venue", "office", "skrd_entry__book"), code=codes.normalise(code),
                       missing=f"Pesanan {code} tidak ditemukan.")


@transaction.atomic
def booking_confirm(*, code: str, actor) -> Booking:
    """An inquiry becomes a booking: its half-days are held (if still free) and it is registered."""
    b = _locked(code)
    flow.authorise(ACTS, "confirm", actor, b)
    return _book(b, actor)


@transaction.atomic
def booking_pay(*, code: str, actor, amount: int) -> Booking:
    """The Bendahara records the payment of the whole quote; a numbered kuitansi is given."""
    b = _locked(code)
    flow.authorise(ACTS, "pay", actor, b)
    due = b.skrd_amount if b.skrd_amount is not None else b.total  # a booking registered before SKRDs: its quote
    if isinstance(amount, bool) or not isinstance(amount, int) or amount != due:
        what = f" (SKRD {b.skrd_entry.number_display})" if b.skrd_entry_id else ""
        raise InvalidInput({"amount": [f"Jumlah dibayar harus sama dengan tagihan: {rupiah(due)}{what}."]})
    now = timezone.now()
    b.receipt_entry = register_entry_add(
        office_id=b.office_id, kind=RegisterBook.Kind.KUITANSI, actor=actor, at=now,
        subject=f"Retribusi sewa {b.venue.name}: {b.event}", name=b.renter_name, reference=b.code,
        note=rupiah(amount) + (f"; SKRD {b.skrd_entry.number_display}" if b.skrd_entry_id else ""),
    )
    b.paid_amount, b.paid_at = amount, now
    moved = _move(b, to=S.PAID, actor=actor, note=rupiah(amount), fields=("receipt_entry", "paid_amount", "paid_at"))
    _receipt_issue(moved, actor)
    return moved


@transaction.atomic
def booking_use(*, code: str, actor) -> Booking:
    """After the event: the hall was used (from its first day on)."""
    b = _locked(code)
    flow.authorise(ACTS, "use", actor, b)
    return _move(b, to=S.USED, actor=actor)


@transaction.atomic
def booking_cancel(*, code: str, actor, reason: str) -> Booking:
    """Cancel an inquiry, a booking or a paid booking, with the reason; its half-days are free
    again (the slots stay, released, as history). A paid booking's refund is noted in the reason."""
    b = _locked(code)
    flow.authorise(ACTS, "cancel", actor, b)
    reason = str(reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["Alasan pembatalan wajib diisi."]})
    if len(reason) > TEXT_MAX["reason"]:
        raise InvalidInput({"reason": [f"Alasan paling panjang {TEXT_MAX['reason']} karakter."]})
    Slot.objects.filter(booking=b, released=False).update(released=True)
    b.cancel_reason = reason
    return _move(b, to=S.CANCELLED, actor=actor, note=reason, fields=("cancel_reason",))


# --- the hall's money to the Kas Daerah -------------------------------------------------------------

REFERENCE_MAX = 100


def _sts_issue(d: Deposit, receipts: list[Booking], actor) -> None:
    """The STS as a stored paper, numbered in the Buku Register STS (not the letters' agenda)."""
    from loket.papers.models import Document
    from loket.papers.services import document_issue
    from loket.offices.signers import treasurer_for
    from loket.rentals import papers, selectors

    kas = selectors.treasury(office=d.office).kas_daerah
    document_issue(
        office=d.office, kind=Document.Kind.STS, title="Surat Tanda Setoran Retribusi Sewa Gedung",
        reference=f"STS-{d.register_entry.number}-{d.register_entry.book.year}", actor=actor,
        signer=treasurer_for(office=d.office, on=d.date, user=actor), addressee=(kas or "Kas Daerah")[:300],
        subject=f"Setoran retribusi sewa gedung {rupiah(d.amount)}"[:300], number=d.register_entry.number_display,
        at=d.created_at,
        render=lambda *, number, verification_code, issued_at: papers.sts_pdf(
            deposit=d, receipts=receipts, kas_daerah=kas, verification_code=verification_code),
    )


@transaction.atomic
def deposit_record(*, office: Office, actor, receipts, date, reference: str, amount, note: str = "") -> Deposit:
    """The Bendahara Penerimaan deposits paid receipts to the Kas Daerah: one STS numbered in the
    Buku Register STS for one or more receipts (given by their booking codes), the day deposited,
    the bank's reference, and the amount, which must be the sum of the receipts. A receipt is
    deposited once: the bookings are locked (in one order, so two deposits at once wait for each
    other instead of deadlocking) and one already deposited refuses the whole deposit (WrongState).
    A deposit after the deadline is recorded all the same; the books show it late."""
    from loket.core.inputs import InputProblem, date_parse

    authorise_deposit(office=office, actor=actor)
    errors: dict[str, list[str]] = {}
    wanted = [codes.normalise(str(c)) for c in (receipts or []) if str(c).strip()]
    if not wanted:
        errors["receipts"] = ["Pilih paling sedikit satu kuitansi yang disetor."]
    elif len(set(wanted)) != len(wanted):
        errors["receipts"] = ["Satu kuitansi disebut dua kali dalam setoran ini."]
    today = timezone.localdate()
    try:
        day = date_parse(date, label="Tanggal setor", latest=today,
                         after_text="Tanggal setor tidak boleh setelah hari ini.")
    except InputProblem as exc:
        day, errors["date"] = None, [str(exc)]
    else:
        if day is None:
            errors["date"] = ["Tanggal setor wajib diisi, berbentuk TTTT-BB-HH."]
    reference = str(reference or "").strip()
    if not reference:
        errors["reference"] = ["Nomor bukti setor/ validasi bank wajib diisi."]
    elif len(reference) > REFERENCE_MAX:
        errors["reference"] = [f"Nomor bukti setor paling panjang {REFERENCE_MAX} karakter."]
    note = str(note or "").strip()
    if len(note) > TEXT_MAX["note"]:
        errors["note"] = [f"Catatan paling panjang {TEXT_MAX['note']} karakter."]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = ["Jumlah setoran harus bilangan bulat rupiah lebih dari nol."]
    if errors.get("receipts"):
        raise InvalidInput(errors)
    rows = list(Booking.objects.select_for_update(of=("self",)).filter(office=office, code__in=wanted)
                .select_related("venue", "receipt_entry__book", "skrd_entry__book").order_by("pk"))
    found = {b.code for b in rows}
    missing = [c for c in wanted if c not in found]
    if missing:
        errors["receipts"] = [f"Pesanan {', '.join(missing)} tidak ditemukan di kantor ini."]
        raise InvalidInput(errors)
    for b in rows:  # role, office, state, not yet deposited: WrongState (409) for a receipt deposited already
        flow.authorise(TREASURY, "deposit", actor, b)
    total = sum(b.paid_amount or 0 for b in rows)
    if "amount" not in errors and amount != total:
        errors["amount"] = [f"Jumlah setoran harus sama dengan jumlah kuitansi yang disetor: {rupiah(total)}."]
    if day is not None:
        first_paid = min(timezone.localdate(b.paid_at) for b in rows)
        if day < first_paid:
            errors["date"] = [f"Tanggal setor tidak boleh sebelum kuitansi diterima ({first_paid:%d-%m-%Y})."]
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    numbers = ", ".join(b.receipt_entry.number_display for b in rows)
    entry = register_entry_add(
        office_id=office.pk, kind=RegisterBook.Kind.STS, actor=actor, at=now,
        subject="Setoran retribusi sewa gedung ke Kas Daerah", reference=reference[:40],
        note=f"{day:%d-%m-%Y}; {rupiah(total)}; kuitansi {numbers}"[:2000],
    )
    d = Deposit.objects.create(office=office, register_entry=entry, date=day, reference=reference, amount=total,
                               note=note, created_at=now, created_by=actor)
    Booking.objects.filter(pk__in=[b.pk for b in rows], deposit__isnull=True).update(deposit=d)
    for b in rows:
        b.deposit = d
    _sts_issue(d, rows, actor)
    return d


# --- setting up ---------------------------------------------------------------------------------------

_CAPACITY = re.compile(r"^(?P<name>.+?)\s+dengan kapasitas\s+(?P<n>\d+)\s+orang", re.IGNORECASE)


@transaction.atomic
def venues_default_create(*, office: Office, service_code: str = "sewa-gedung") -> int:
    """The venue the standard describes (komponen 7 of the hall's service: "Gedung Pertemuan …
    dengan kapasitas 400 orang" and the facilities that follow), when the office has none."""
    if Venue.objects.filter(office=office).exists():
        return 0
    service = ServiceType.objects.filter(edition__office=office, edition__status=Edition.Status.ACTIVE,
                                         code=service_code).first()
    if service is None:
        return 0
    for i, line in enumerate(service.facilities):
        m = _CAPACITY.match(str(line).strip().rstrip(";"))
        if m:
            name = re.sub(r"\s+Kecamatan\s+\S+$", "", m["name"].strip())
            Venue.objects.create(office=office, code=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40],
                                 name=name, capacity=int(m["n"]), service_code=service_code,
                                 facilities="\n".join(str(x).strip().rstrip(";") for x in service.facilities[i + 1:]))
            return 1
    return 0


# The act each name runs, for the screens and the API alike (core.flow.perform); the names are
# those of policy.ACTS and of the API's path.
RUN = {"confirm": booking_confirm, "pay": booking_pay, "use": booking_use, "cancel": booking_cancel}
