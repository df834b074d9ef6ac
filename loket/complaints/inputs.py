"""Checking what was typed for a complaint (pengaduan): a new complaint from any channel (the
public web form or a clerk recording a visit, call or letter), its attachments, and the notes
the later acts require. Pure checks: each returns clean values or raises InvalidInput naming
every wrong field (in Indonesian), so the acts in ``services`` never see raw input.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from loket.catalog.models import Edition, ServiceType
from loket.complaints.models import Category, Complaint
from loket.core.errors import InvalidInput
from loket.core.inputs import date_parse
from loket.core.uploads import UploadRefused, upload_check
from loket.offices.models import Office, Staff, Unit

C = Complaint.Channel
R = Complaint.ReplyVia

TEXT_MAX = 5000
TEXT_MIN = 10
SUBJECT_MAX = 200
NOTE_MAX = 2000
MAX_ATTACHMENTS = 5


class Errors(dict):
    """Field → messages, filled as the fields are checked; raised at once as InvalidInput."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _text(errors: Errors, data: dict, field: str, label: str, max_len: int, *, required: bool, min_len: int = 0) -> str:
    value = str(data.get(field) or "").strip()
    if required and not value:
        errors.add(field, f"{label} wajib diisi.")
    elif len(value) > max_len:
        errors.add(field, f"{label} paling panjang {max_len} karakter (sekarang {len(value)}).")
    elif value and len(value) < min_len:
        errors.add(field, f"{label} terlalu pendek; tulis paling sedikit {min_len} karakter.")
    return value


def _phone(raw: str) -> str:
    return "".join(ch for ch in str(raw or "") if ch.isdigit() or ch == "+")


def _phone_ok(phone: str) -> bool:
    digits = phone.lstrip("+")
    return digits.isdigit() and phone.startswith(("0", "62", "+62")) and 9 <= len(digits) <= 15


CONTACT_FOR = {
    R.TELEPHONE: "phone", R.SMS: "phone", R.WHATSAPP: "phone", R.EMAIL: "email", R.LETTER: "address",
    R.MESSENGER: "account", R.INSTAGRAM: "account", R.FACEBOOK: "account", R.LAPOR: "lapor_number",
}
# LAPOR! keeps the reporter's identity itself (and may keep it confidential): its follow-up page
# reaches an anonymous complainant too.
ANONYMOUS_REPLIES = (R.WEBSITE, R.IN_PERSON, R.LAPOR)

# A LAPOR! tracking number ("Tracking ID", e.g. #1916449): digits, written with or without "#".
# The length LAPOR! uses is not published; 5 to 12 digits are accepted (docs/complaints.md).
LAPOR_NUMBER = re.compile(r"#?\s*(\d{5,12})")


def lapor_number_clean(errors: "Errors", office: Office, channel: str, raw) -> str:
    """The tracking number of a complaint that came through SP4N-LAPOR!: required for that channel,
    refused for the others, unique per office."""
    value = str(raw or "").strip()
    if channel != C.LAPOR:
        if value:
            errors.add("lapor_number", "Nomor tracking LAPOR! hanya diisi untuk saluran SP4N-LAPOR!.")
        return ""
    if not value:
        errors.add("lapor_number", "Nomor tracking LAPOR! wajib diisi untuk pengaduan dari SP4N-LAPOR!.")
        return ""
    match = LAPOR_NUMBER.fullmatch(value)
    if match is None:
        errors.add("lapor_number", "Nomor tracking LAPOR! berupa 5–12 angka, contoh 1916449 (boleh diawali #).")
        return ""
    number = match.group(1)
    taken = Complaint.objects.filter(office=office, lapor_number=number).values_list("code", flat=True).first()
    if taken:
        errors.add("lapor_number", f"Nomor tracking LAPOR! {number} sudah dicatat pada pengaduan {taken}.")
    return number


def staff_named_clean(errors: "Errors", office_id: int, raw) -> Staff | None:
    """The staff member a complaint is about ("Pegawai yang diadukan"): empty, or the user id of
    an active staff member of this office (the choices of ``selectors.staff_choices``). The Staff
    row comes with its user (and the user with it: ``user.staff`` needs no query)."""
    if raw in (None, ""):
        return None
    staff = None
    try:
        key = int(str(raw).strip())
        if 0 < key < 2**31:  # beyond any key the database holds: unknown, not an overflow
            staff = Staff.objects.filter(office_id=office_id, user_id=key, user__is_active=True).select_related("user").first()
    except (ValueError, TypeError):
        pass
    if staff is None:
        errors.add("staff_named", "Pegawai yang diadukan tidak dikenal: pilih pegawai aktif kantor ini dari daftar.")
    return staff


def complaint_clean(*, office: Office, data: dict, public: bool) -> dict:
    """Validate a new complaint's fields; return the cleaned values or raise InvalidInput with
    every bad field. ``public`` is the web form: channel website, no internal fields."""
    errors = Errors()
    out: dict = {}

    kind = str(data.get("kind") or "")
    if kind not in Complaint.Kind.values:
        errors.add("kind", "Pilih jenis: pengaduan, konsultasi, saran, atau permintaan informasi.")
    out["kind"] = kind

    if public:
        out["channel"] = C.WEBSITE
    else:
        channel = str(data.get("channel") or "")
        if channel not in C.values:
            errors.add("channel", "Pilih saluran masuknya pengaduan.")
        out["channel"] = channel
    out["lapor_number"] = "" if public else lapor_number_clean(errors, office, out["channel"], data.get("lapor_number"))

    out["category"] = None
    raw_cat = data.get("category")
    if raw_cat not in (None, ""):
        try:
            key = int(raw_cat)
            if not 0 < key < 2**31:  # beyond any key the database holds: unknown, not an overflow
                raise ValueError(key)
            out["category"] = Category.objects.get(office=office, pk=key, active=True)
        except (ValueError, TypeError, Category.DoesNotExist):
            errors.add("category", "Kategori tidak dikenal.")

    out["service"] = None
    raw_service = str(data.get("service") or "").strip()
    if raw_service:
        out["service"] = ServiceType.objects.filter(
            edition__office=office, edition__status=Edition.Status.ACTIVE, code=raw_service,
        ).only("pk", "code", "name", "unit_id").first()
        if out["service"] is None:
            errors.add("service", "Layanan tidak dikenal di standar pelayanan yang berlaku.")

    out["unit"] = None
    raw_unit = str(data.get("unit") or "").strip()
    if raw_unit and not public:
        out["unit"] = Unit.objects.filter(office=office, code=raw_unit).first()
        if out["unit"] is None:
            errors.add("unit", "Unit tidak dikenal.")
    if out["unit"] is None and out["service"] is not None:
        out["unit_id_from_service"] = out["service"].unit_id

    anonymous = bool(data.get("anonymous")) and str(data.get("anonymous")).lower() not in ("0", "false", "")
    out["anonymous"] = anonymous
    out["name"] = _text(errors, data, "name", "Nama", 150, required=not anonymous)
    out["address"] = _text(errors, data, "address", "Alamat", 250, required=False)
    out["account"] = _text(errors, data, "account", "Akun media sosial", 100, required=False)
    phone = _phone(data.get("phone"))
    if phone and not _phone_ok(phone):
        errors.add("phone", "Nomor telepon tidak valid; contoh 081234567890.")
    out["phone"] = phone
    email = str(data.get("email") or "").strip()
    if email:
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors.add("email", "Alamat e-mail tidak valid.")
    out["email"] = email

    reply = str(data.get("reply_via") or "")
    if reply not in R.values:
        errors.add("reply_via", "Pilih cara jawaban disampaikan.")
    elif anonymous and reply not in ANONYMOUS_REPLIES:
        errors.add("reply_via", "Pengadu tanpa nama menerima jawaban lewat halaman lacak (kode) atau datang langsung.")
    elif reply in CONTACT_FOR and not out[CONTACT_FOR[reply]] and CONTACT_FOR[reply] not in errors:
        needed = {"phone": "Nomor telepon/ WhatsApp", "email": "Alamat e-mail", "address": "Alamat",
                  "account": "Akun media sosial", "lapor_number": "Nomor tracking LAPOR!"}[CONTACT_FOR[reply]]
        errors.add(CONTACT_FOR[reply], f"{needed} wajib diisi untuk jawaban lewat {R(reply).label}.")
    out["reply_via"] = reply
    if anonymous:
        # Nothing that identifies an anonymous complainant is kept, even if it was typed.
        out.update(name="", phone="", email="", address="", account="")

    # Which staff member the complaint is about: recorded by the office, never asked of the public.
    staff = None if public else staff_named_clean(errors, office.pk, data.get("staff_named"))
    if staff is not None and kind in Complaint.Kind.values and kind != Complaint.Kind.COMPLAINT:
        errors.add("staff_named", "Pegawai yang diadukan hanya dicatat untuk jenis pengaduan.")
    out["staff_named"] = staff.user if staff is not None else None

    out["subject"] = _text(errors, data, "subject", "Pokok masalah", SUBJECT_MAX, required=True)
    out["text"] = _text(errors, data, "text", "Uraian", TEXT_MAX, required=True, min_len=TEXT_MIN)
    if errors:
        raise InvalidInput(dict(errors))
    return out


def files_check(files) -> list[tuple[object, str, int]]:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_ATTACHMENTS:
        raise InvalidInput({"attachments": [f"Lampiran paling banyak {MAX_ATTACHMENTS} berkas."]})
    checked, problems = [], []
    for f in files:
        name = str(getattr(f, "name", "") or "lampiran")[-200:]
        try:
            kind = upload_check(f)
        except UploadRefused as exc:
            problems.append(f"{name}: {exc.message}")
            continue
        checked.append((f, kind, getattr(f, "size", 0) or 0))
    if problems:
        raise InvalidInput({"attachments": problems})
    return checked


def required_note(value: str, field: str, label: str, max_len: int = NOTE_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput({field: [f"{label} wajib diisi."]})
    if len(value) > max_len:
        raise InvalidInput({field: [f"{label} paling panjang {max_len} karakter (sekarang {len(value)})."]})
    return value


def day(value) -> dt.date | None:
    """The date of a musyawarah (TTTT-BB-HH, 2000–2100: core.inputs); InputProblem otherwise."""
    return date_parse(value, label="Tanggal musyawarah")
