"""Sewa gedung pertemuan (service 18) endpoints: the availability of the hall and a quote for
the public; the bookings for staff (token or session). Every rule lives in
loket.rentals.services/ selectors/ quote; this module only translates JSON to the acts and the
results back.

Public answers never carry who booked (only "free" or "taken" per session). Staff: every staff
member of the office reads; taking orders, confirming, marking used and cancelling is for the
Bendahara Penerimaan or the Kasubbag Umum dan Keuangan, recording a payment for the Bendahara
only (the services decide: 403). Wrong state → 409, a session already booked → 409, bad input
→ 400 with field errors, unknown code (or another office's code) → 404, too many public
requests → 429. The renter's telephone is shown in full only to those who handle bookings."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from loket.api.auth import staff_auth, staff_office
from loket.api.idempotency import idempotent
from loket.api.schemas import ErrorOut, FieldErrorsOut
from loket.catalog.selectors import office_get
from loket.core import flow
from loket.core.ratelimit import public_lookup_allowed
from loket.core.errors import InvalidInput
from loket.offices.models import Office
from loket.rentals import policy, selectors, services
from loket.rentals.models import Booking, Session, Venue
from loket.rentals.policy import date_check
from loket.privacy.models import Access
from loket.privacy.services import access_record, access_record_lines

router = Router(tags=["Sewa Gedung"])

TOO_MANY = "Terlalu banyak permintaan; coba lagi sebentar lagi."
YEAR_MIN, YEAR_MAX = 2000, 2100
LIST_MAX = 500
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def _enum(values, description: str = "") -> dict:
    """A string documented with its allowed values, checked here or by the service (Indonesian
    message; a Literal would give pydantic's English one)."""
    return {"json_schema_extra": {"enum": list(values)}, "description": description}


def _values(choices) -> str:
    return "Salah satu dari: " + ", ".join(choices.values) + "."


# --- input --------------------------------------------------------------------------------------

class QuoteIn(Schema):
    date: str = Field(..., description="Tanggal pemakaian (hari pertama), TTTT-BB-HH; tidak boleh lewat.")
    session: str = Field(..., **_enum(Session.values, "Sesi: siang (07.00–15.00), malam (15.00–20.00) "
                                                      "atau sehari (07.00–20.00)."))
    days: int = Field(1, description=f"Jumlah hari berturut-turut (1–{services.MAX_DAYS}).")
    government: bool = Field(False, description="Pemakaian oleh Pemerintah Daerah (OPD): 50 % dari tarif gedung.")
    cleaning: bool = Field(False, description="Minta petugas kebersihan.")
    security: bool = Field(False, description="Minta petugas keamanan.")
    parking: bool = Field(False, description="Minta petugas parkir.")
    office: str | None = Field(None, description="Slug kantor (bawaan: kantor utama instalasi ini).")
    venue: str | None = Field(None, description="Kode gedung (bawaan: gedung pertama kantor itu).")


class BookingIn(Schema):
    """Pesanan yang diterima petugas (surat pesanan, telepon, atau datang langsung)."""

    venue: str = Field("", description="Kode gedung (bawaan: gedung pertama kantor ini).")
    date: str = Field(..., description="Tanggal pemakaian (hari pertama), TTTT-BB-HH.")
    days: int = Field(1, description=f"Jumlah hari berturut-turut (1–{services.MAX_DAYS}).")
    session: str = Field(..., **_enum(Session.values, "Sesi pemakaian."))
    channel: str = Field(..., **_enum(Booking.Channel.values, "Cara memesan."))
    renter_type: str = Field(..., **_enum(Booking.RenterType.values,
                                          "Jenis pemesan; opd mendapat 50 % dari tarif gedung."))
    renter_name: str = Field(..., description="Nama pemesan (paling panjang 150 karakter).")
    organisation: str = Field("", description="OPD/ instansi/ perusahaan/ kelompok.")
    phone: str = Field(..., description="Telepon/ WhatsApp pemesan, misalnya 081234567890.")
    event: str = Field(..., description="Nama acara (paling panjang 200 karakter).")
    attendance: int = Field(..., description="Perkiraan jumlah peserta (paling banyak kapasitas gedung).")
    cleaning: bool = False
    security: bool = False
    parking: bool = False
    note: str = Field("", description="Catatan internal.")
    inquiry: bool = Field(False, description="Hanya pertanyaan: belum memegang sesi dan belum dicatat di "
                                             "Buku Register Penyewa (konfirmasi kemudian dengan `confirm`).")


class BookingActIn(Schema):
    """One body for every act; each act reads only its own field."""

    amount: int | None = Field(None, description="pay: jumlah dibayar (rupiah), harus sama dengan tagihan.")
    reason: str = Field("", description="cancel: alasan pembatalan (wajib).")


# --- output -------------------------------------------------------------------------------------

class VenueOut(Schema):
    code: str
    name: str
    capacity: int


class DayOut(Schema):
    date: dt.date
    siang: Literal["free", "taken"]
    malam: Literal["free", "taken"]
    sehari: Literal["free", "taken"] = Field(..., description="free hanya bila siang dan malam keduanya kosong.")


class AvailabilityOut(Schema):
    venue: VenueOut
    month: str = Field(..., description="TTTT-BB.")
    days: list[DayOut]


class QuoteLineOut(Schema):
    code: str
    label: str
    quantity: int
    unit_price: int
    amount: int


class QuoteOut(Schema):
    lines: list[QuoteLineOut]
    total: int
    total_words: str = Field(..., description="Terbilang, misalnya \"satu juta tiga ratus lima puluh ribu rupiah\".")
    notes: list[str]
    edition_year: int = Field(..., description="Tahun standar pelayanan yang tarifnya dipakai.")


class BookingSummaryOut(Schema):
    code: str
    state: str
    state_label: str
    venue: VenueOut
    date: dt.date
    days: int
    session: str
    session_label: str
    channel: str
    renter_type: str
    government: bool
    renter_name: str
    organisation: str
    phone: str = Field(..., description="Lengkap untuk Bendahara Penerimaan dan Kasubbag Umum; "
                                        "disamarkan untuk yang lain.")
    event: str
    attendance: int
    cleaning: bool
    security: bool
    parking: bool
    total: int
    register_number: str | None = Field(..., description="Nomor Buku Register Penyewa (n/tttt), sejak dipesan.")
    receipt_number: str | None = Field(..., description="Nomor kuitansi (n/tttt), sejak dibayar.")
    paid_amount: int | None
    paid_at: dt.datetime | None
    skrd_number: str | None = Field(..., description="Nomor SKRD (n/tttt), terbit saat pesanan diregister.")
    skrd_amount: int | None = Field(..., description="Retribusi yang ditetapkan dalam SKRD (rupiah).")
    skrd_due: dt.date | None = Field(..., description="Jatuh tempo SKRD: hari pertama pemakaian.")
    sts_number: str | None = Field(..., description="Nomor STS setoran kuitansi ini ke Kas Daerah, bila sudah disetor.")
    created_at: dt.datetime


class BookingStepOut(Schema):
    at: dt.datetime
    from_state: str
    to_state: str
    actor: str
    note: str


class BookingDetailOut(BookingSummaryOut):
    note: str
    cancel_reason: str
    created_by: str
    quote: QuoteOut
    history: list[BookingStepOut]
    allowed_acts: list[str] = Field(..., description="Tindakan yang boleh dilakukan pemanggil sekarang "
                                                     "(confirm, pay, use, cancel).")
    deposit_allowed: bool = Field(..., description="Pemanggil boleh menyetor kuitansi ini ke Kas Daerah sekarang "
                                                   "(POST /rental/deposits/).")


# --- helpers ------------------------------------------------------------------------------------

def _who(user) -> str:
    return user.get_full_name() or user.username


def _mask_phone(value: str) -> str:
    return value[:4] + "*" * max(len(value) - 7, 0) + value[-3:] if len(value) > 7 else "*" * len(value)


def _venue_out(v: Venue) -> dict:
    return {"code": v.code, "name": v.name, "capacity": v.capacity}


def summary_out(b: Booking, *, full_contact: bool) -> dict:
    return {
        "code": b.code, "state": b.state, "state_label": b.get_state_display(), "venue": _venue_out(b.venue),
        "date": b.date, "days": b.days, "session": b.session, "session_label": b.get_session_display(),
        "channel": b.channel, "renter_type": b.renter_type, "government": b.government,
        "renter_name": b.renter_name, "organisation": b.organisation,
        "phone": b.phone if full_contact else _mask_phone(b.phone), "event": b.event, "attendance": b.attendance,
        "cleaning": b.cleaning, "security": b.security, "parking": b.parking, "total": b.total,
        "register_number": b.register_entry.number_display if b.register_entry_id else None,
        "receipt_number": b.receipt_entry.number_display if b.receipt_entry_id else None,
        "paid_amount": b.paid_amount, "paid_at": b.paid_at,
        "skrd_number": b.skrd_entry.number_display if b.skrd_entry_id else None, "skrd_amount": b.skrd_amount,
        "skrd_due": b.skrd_due, "sts_number": b.deposit.register_entry.number_display if b.deposit_id else None,
        "created_at": b.created_at,
    }


def detail_out(b: Booking, user) -> dict:
    full = policy.may_handle(user)
    if full and b.phone:
        access_record(actor=user, office_id=b.office_id, kind=Access.Kind.BOOKING, record=b.code,
                      purpose="API sewa aula", fields="telepon")
    return {
        **summary_out(b, full_contact=full),
        "note": b.note, "cancel_reason": b.cancel_reason, "created_by": _who(b.created_by), "quote": b.quote,
        "history": [{"at": t.at, "from_state": t.from_state, "to_state": t.to_state, "actor": _who(t.actor),
                     "note": t.note} for t in b.transitions.all()],
        "allowed_acts": sorted(policy.acts_allowed(b, user)), "deposit_allowed": policy.deposit_allowed(b, user),
    }


def _read(request, code: str) -> Booking:
    """The booking in the caller's office: 404 for an unknown code and for another office's."""
    b = selectors.booking_get(office=staff_office(request), code=code)
    if b is None:
        raise Http404(f"Pesanan {code} tidak ditemukan.")
    return b


def _month(value: str | None, field: str = "month") -> tuple[int, int]:
    m = _MONTH.fullmatch((value or "").strip())
    if not m:
        raise InvalidInput({field: ["Bulan harus berbentuk TTTT-BB, misalnya 2026-12."]})
    year, month = int(m[1]), int(m[2])
    if not 1 <= month <= 12:
        raise InvalidInput({field: ["Bulan harus 01–12."]})
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidInput({field: [f"Tahun harus {YEAR_MIN}–{YEAR_MAX}."]})
    return year, month


def _venue(office: Office, code: str | None) -> Venue:
    qs = selectors.venues(office=office)
    venue = qs.filter(code=code.strip()).first() if code and code.strip() else qs.first()
    if venue is None:
        raise Http404("Gedung tidak ditemukan." if code else "Kantor ini tidak menyewakan gedung.")
    return venue


def _rate_limited(request, scope: str) -> None:
    if not public_lookup_allowed(request, scope):
        raise HttpError(429, TOO_MANY)


ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# --- public -------------------------------------------------------------------------------------

@router.get(
    "/rental/availability/", url_name="rental_availability",
    response={200: AvailabilityOut, 400: FieldErrorsOut, 404: ErrorOut, 429: ErrorOut},
    summary="Jadwal gedung pertemuan sebulan: sesi yang kosong dan yang sudah dipesan (publik)",
    description=(
        "Tanpa login, tanpa data pemesan: per tanggal, siang/ malam/ sehari `free` atau `taken`. Sehari kosong "
        "hanya bila siang dan malam keduanya kosong. `office`: slug kantor (bawaan: kantor utama instalasi ini); "
        "`venue`: kode gedung (bawaan: gedung pertama kantor itu). 404 bila kantor atau gedung tidak dikenal, "
        "429 bila terlalu banyak permintaan."
    ),
)
def rental_availability(
    request,
    month: str = Query(..., description=f"Bulan, TTTT-BB (tahun {YEAR_MIN}–{YEAR_MAX})."),
    venue: str | None = Query(None, description="Kode gedung."),
    office: str | None = Query(None, description="Slug kantor."),
):
    _rate_limited(request, "rental_availability")
    year, number = _month(month)
    v = _venue(office_get(office), venue)
    word = {True: "free", False: "taken"}
    return {
        "venue": _venue_out(v), "month": f"{year:04d}-{number:02d}",
        "days": [{"date": d["date"], "siang": word[d["siang"]], "malam": word[d["malam"]], "sehari": word[d["sehari"]]}
                 for d in selectors.availability(venue=v, year=year, month=number)],
    }


@router.post(
    "/rental/quote/", url_name="rental_quote",
    response={200: QuoteOut, 400: FieldErrorsOut, 404: ErrorOut, 429: ErrorOut},
    summary="Perkiraan biaya sewa gedung menurut tarif standar pelayanan yang berlaku (publik)",
    description=(
        "Tanpa login. Rincian per baris (gedung per sesi dan hari; petugas kebersihan, keamanan, parkir per orang "
        "dan hari), jumlah dan terbilang, dalam rupiah. Pemakaian oleh Pemerintah Daerah (`government`) membayar "
        "50 % dari tarif gedung; honor petugas tidak dikurangi. Perkiraan ini tidak memesan sesi dan tidak "
        "memeriksa apakah sesi masih kosong (lihat jadwal gedung). 400 dengan pesan per isian; 429 bila terlalu "
        "banyak permintaan."
    ),
)
def rental_quote(request, payload: QuoteIn):
    _rate_limited(request, "rental_quote")
    errors: dict[str, list[str]] = {}
    _, why = date_check(payload.date, today=timezone.localdate())
    if why:
        errors["date"] = [why]
    session = payload.session.strip()
    if session not in Session.values:
        errors["session"] = [f"Sesi harus salah satu dari: {', '.join(Session.values)}."]
    if not 1 <= payload.days <= services.MAX_DAYS:
        errors["days"] = [f"Jumlah hari harus bilangan bulat 1–{services.MAX_DAYS}."]
    if errors:
        raise InvalidInput(errors)
    office = office_get(payload.office)
    v = _venue(office, payload.venue)
    # a line the edition does not price is a field error (InvalidInput) from the service
    q = services.quote_for(office=office, venue=v, session=session, days=payload.days,
                           government=payload.government, cleaning=payload.cleaning,
                           security=payload.security, parking=payload.parking)
    return q.as_json()


# --- staff --------------------------------------------------------------------------------------

@router.get(
    "/rental/bookings/", auth=staff_auth, url_name="rental_bookings",
    response={200: list[BookingSummaryOut], 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
    summary="Daftar pesanan sewa gedung kantor",
    description=(
        f"Urut tanggal pemakaian, paling banyak {LIST_MAX}. `month` (TTTT-BB): pesanan yang hari pertamanya di "
        "bulan itu; `state`: status. Untuk semua pegawai kantor; telepon pemesan lengkap hanya untuk Bendahara "
        "Penerimaan dan Kasubbag Umum."
    ),
)
def rental_booking_list(
    request,
    month: str | None = Query(None, description="Bulan, TTTT-BB."),
    state: str | None = Query(None, description=_values(Booking.State)),
):
    office = staff_office(request)
    start = end = None
    if month:
        year, number = _month(month)
        days = selectors.month_days(year, number)
        start, end = days[0], days[-1]
    if state and state not in Booking.State.values:
        raise InvalidInput({"state": [f"Status harus salah satu dari: {', '.join(Booking.State.values)}."]})
    full = policy.may_handle(request.user)
    rows = list(selectors.bookings(office=office, state=state or None, start=start, end=end)[:LIST_MAX])
    if full:
        access_record_lines(actor=request.user, office_id=office.pk, kind=Access.Kind.BOOKING,
                            purpose="API daftar sewa aula", fields="telepon", lines=[(b.code, "") for b in rows if b.phone])
    return [summary_out(b, full_contact=full) for b in rows]


@router.post(
    "/rental/bookings/", auth=staff_auth, url_name="rental_bookings", response={201: BookingDetailOut, **ERRORS},
    summary="Catat pesanan sewa gedung",
    description=(
        "Untuk Bendahara Penerimaan dan Kasubbag Umum dan Keuangan (403 untuk peran lain). Pesanan memegang sesinya "
        "dan mendapat nomor Buku Register Penyewa; dengan `inquiry` hanya dicatat sebagai pertanyaan. Tarif dari "
        "standar pelayanan yang berlaku; jenis pemesan `opd` membayar 50 % dari tarif gedung. 409 bila sesi itu "
        "sudah dipesan (Sehari memakai siang dan malam); tidak ada yang disimpan."
    ),
)
@idempotent
def rental_booking_create(request, payload: BookingIn):
    office = staff_office(request)
    data = payload.dict()
    inquiry = data.pop("inquiry")
    b = services.booking_create(office=office, actor=request.user, data=data, inquiry=inquiry)
    return Status(201, detail_out(_read(request, b.code), request.user))


@router.get(
    "/rental/bookings/{code}/", auth=staff_auth, url_name="rental_booking", response={200: BookingDetailOut, **ERRORS},
    summary="Baca pesanan sewa gedung (dengan rincian biaya, nomor register, kuitansi dan riwayat)",
)
def rental_booking_detail(request, code: str):
    return detail_out(_read(request, code), request.user)


Action = Literal["confirm", "pay", "use", "cancel"]


@router.post(
    "/rental/bookings/{code}/{action}/", auth=staff_auth, url_name="rental_booking_act",
    response={200: BookingDetailOut, **ERRORS},
    summary="Tindakan atas pesanan sewa gedung",
    description=(
        "confirm (pertanyaan menjadi pesanan: memegang sesi, nomor register) · pay (amount: sama dengan tagihan; "
        "hanya Bendahara Penerimaan; kuitansi bernomor) · use (sudah dipakai, sejak hari pertama) · "
        "cancel (reason: wajib; sesi kosong kembali). Selain pay: Bendahara Penerimaan atau Kasubbag Umum dan "
        "Keuangan. 409 bila status tidak memungkinkan atau sesi sudah dipesan orang lain."
    ),
)
@idempotent
def rental_booking_act(request, code: str, action: Action, payload: BookingActIn | None = None):
    p = payload or BookingActIn()
    code = _read(request, code).code  # 404 before 403 for a code of another office
    user = request.user
    flow.perform(services.RUN, action, code=code, actor=user, data=p.model_dump())
    return detail_out(_read(request, code), user)


# --- the hall's money: deposits to the Kas Daerah (STS) and the reconciliation ----------------------

class DepositIn(Schema):
    """Satu setoran Bendahara Penerimaan ke Kas Daerah (STS) atas satu atau lebih kuitansi."""

    receipts: list[str] = Field(..., description="Kode pesanan yang kuitansinya disetor (paling sedikit satu).")
    date: str = Field(..., description="Tanggal setor, TTTT-BB-HH; tidak setelah hari ini.")
    reference: str = Field(..., description="Nomor bukti setor/ validasi bank (paling panjang 100 karakter).")
    amount: int = Field(..., description="Jumlah disetor (rupiah): harus sama dengan jumlah kuitansi.")
    note: str = Field("", description="Catatan.")


class DepositOut(Schema):
    sts_number: str
    date: dt.date
    reference: str
    amount: int
    receipts: list[str] = Field(..., description="Nomor kuitansi yang disetor.")
    bookings: list[str] = Field(..., description="Kode pesanannya.")
    created_by: str


class PendingOut(Schema):
    code: str
    receipt_number: str
    skrd_number: str | None
    paid_at: dt.datetime
    amount: int
    deadline: dt.date = Field(..., description="Batas setor: hari kerja ke-N setelah diterima (bawaan 1).")
    overdue: bool


class DepositsOut(Schema):
    month: str
    pending: list[PendingOut] = Field(..., description="Semua kuitansi yang belum disetor (tidak hanya bulan ini).")
    deposits: list[DepositOut] = Field(..., description="Setoran yang tanggal STS-nya di bulan itu.")


class CountSum(Schema):
    n: int
    s: int


class ReconciliationOut(Schema):
    month: str
    billed: CountSum = Field(..., description="SKRD yang terbit di bulan itu.")
    collected_of_billed: CountSum
    outstanding: CountSum = Field(..., description="SKRD bulan itu yang belum dibayar (pesanan masih berjalan).")
    void: CountSum = Field(..., description="SKRD bulan itu yang pesanannya batal sebelum dibayar.")
    collected: CountSum = Field(..., description="Kuitansi yang diterima di bulan itu.")
    deposited_of_collected: CountSum
    not_deposited: CountSum
    deposited_in_month: CountSum = Field(..., description="Setoran (STS) bertanggal bulan itu.")
    billing_gap: int = Field(..., description="billed − (collected_of_billed + outstanding + void); 0 bila seimbang.")
    cash_gap: int = Field(..., description="collected − (deposited_of_collected + not_deposited); 0 bila seimbang.")
    bad_sts: list[int] = Field(..., description="Nomor STS yang jumlahnya tidak sama dengan kuitansinya.")
    balanced: bool


def _deposit_out(d) -> dict:
    receipts = list(d.receipts.all())
    return {"sts_number": d.register_entry.number_display, "date": d.date, "reference": d.reference,
            "amount": d.amount, "receipts": [b.receipt_entry.number_display for b in receipts],
            "bookings": [b.code for b in receipts], "created_by": _who(d.created_by)}


def _month_or_now(month: str | None) -> tuple[int, int]:
    if month:
        return _month(month)
    today = timezone.localdate()
    return today.year, today.month


@router.get(
    "/rental/deposits/", auth=staff_auth, url_name="rental_deposits",
    response={200: DepositsOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
    summary="Kuitansi yang belum disetor ke Kas Daerah dan setoran (STS) sebulan",
    description="Untuk semua pegawai kantor. `month` (TTTT-BB, bawaan bulan ini): setoran bertanggal bulan itu; "
                "`pending`: semua kuitansi yang belum disetor, dengan batas setor dan tanda terlambat.",
)
def rental_deposit_list(request, month: str | None = Query(None, description="Bulan, TTTT-BB.")):
    office = staff_office(request)
    year, number = _month_or_now(month)
    start, end = selectors.month_bounds(year, number)
    pending = [{"code": p.booking.code, "receipt_number": p.booking.receipt_entry.number_display,
                "skrd_number": p.booking.skrd_entry.number_display if p.booking.skrd_entry_id else None,
                "paid_at": p.booking.paid_at, "amount": p.booking.paid_amount or 0, "deadline": p.deadline,
                "overdue": p.overdue} for p in selectors.undeposited(office=office)]
    return {"month": f"{year:04d}-{number:02d}", "pending": pending,
            "deposits": [_deposit_out(d) for d in selectors.deposits(office=office, start=start, end=end)]}


@router.post(
    "/rental/deposits/", auth=staff_auth, url_name="rental_deposits", response={201: DepositOut, **ERRORS},
    summary="Catat setoran kuitansi ke Kas Daerah (STS)",
    description="Hanya Bendahara Penerimaan (403 untuk peran lain). Jumlah harus sama dengan jumlah kuitansi "
                "(400); kuitansi yang sudah disetor atau pesanan yang belum dibayar: 409, tidak ada yang disimpan. "
                "STS bernomor dari Buku Register STS.",
)
@idempotent
def rental_deposit_create(request, payload: DepositIn):
    office = staff_office(request)
    d = services.deposit_record(office=office, actor=request.user, **payload.dict())
    d = selectors.deposits(office=office, start=d.date, end=d.date).get(pk=d.pk)
    return Status(201, _deposit_out(d))


@router.get(
    "/rental/reconciliation/", auth=staff_auth, url_name="rental_reconciliation",
    response={200: ReconciliationOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut},
    summary="Rekonsiliasi retribusi sewa gedung sebulan: ditetapkan, diterima, disetor, piutang",
    description="Untuk semua pegawai kantor. Dua persamaan, masing-masing dengan dasarnya: SKRD bulan itu = "
                "dibayar + belum dibayar + batal; kuitansi bulan itu = disetor + belum disetor. `balanced` false "
                "bila ada selisih.",
)
def rental_reconciliation(request, month: str | None = Query(None, description="Bulan, TTTT-BB.")):
    year, number = _month_or_now(month)
    r = selectors.reconciliation(office=staff_office(request), year=year, month=number)
    return {**r, "month": f"{year:04d}-{number:02d}"}
