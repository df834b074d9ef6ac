"""Acts on offices, roles and staff accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from loket.offices.models import Office, Staff, Unit, nip_check
from loket.offices.roles import GROUP_NAMES, ROLE_PERMISSIONS, Role, staff_of


@transaction.atomic
def roles_sync() -> list[str]:
    """Create the role groups and give each exactly its permissions. Returns what changed."""
    changed = []
    # Every permission once, in one query (not one query per permission of every role).
    pk_of = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for role, name in GROUP_NAMES.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            changed.append(f"grup {name} dibuat")
        wanted = {pk_of[perm] for perm in ROLE_PERMISSIONS.get(role, [])}  # KeyError: a typo in the table
        have = set(group.permissions.values_list("pk", flat=True))
        if wanted != have:
            group.permissions.set(wanted)
            changed.append(f"izin grup {name} diperbarui")
    return changed


class StaffError(ValidationError):
    """A staff act refused for its input (unknown role, a unit of another office, a username
    taken, a weak password …): ``message_dict`` maps each field to its Indonesian messages.
    Nothing was saved."""


ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud at a desk


def password_generate() -> str:
    """A one-time password to hand over once: 3 groups of 4 from 31 symbols (about 59 bits)."""
    return "-".join("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(3))


def _require_manager(actor, office: Office, *, target=None) -> None:
    """Who may manage the staff of ``office``: the platform superuser, or an active Admin of that
    office; ``actor=None`` is the operator at the server (``loket staff``, ``loket setup``).
    A superuser's account is managed by a superuser only."""
    if actor is None or (actor.is_active and actor.is_superuser):
        return
    staff = staff_of(actor)
    if not actor.is_active or staff is None or staff.role != Role.ADMIN or staff.office_id != office.pk:
        raise PermissionDenied("Pegawai hanya dapat dikelola oleh Admin kantornya sendiri.")
    if target is not None and target.is_superuser:
        raise PermissionDenied("Akun superuser hanya dapat dikelola oleh superuser.")


def staff_check(
    *, office: Office | None, role: str, unit: Unit | None = None, username: str | None = None,
    password: str | None = None, full_name: str = "", user=None, nip: str = "",
) -> None:
    """Every rule of a staff record at once; raises StaffError naming each bad field.

    ``username`` is checked for a new account only (``user`` is the existing one on a change);
    ``password`` when the caller chose it (a generated one-time password needs no check)."""
    errors: dict[str, list[str]] = {}
    User = get_user_model()
    try:
        nip_check(nip)
    except ValidationError as exc:
        errors["nip"] = exc.messages
    if office is None:
        errors["office"] = ["Pilih kantor kecamatan."]
    if role not in Role.values:
        errors["role"] = ["Peran tidak dikenal; pilih salah satu: " + ", ".join(Role.values) + "."]
    elif role == Role.KASI and unit is None:
        errors["unit"] = ["Kasi harus mempunyai unit kerja; pilih unit yang dipimpinnya."]
    if unit is not None and office is not None and unit.office_id != office.pk:
        errors.setdefault("unit", []).append("Unit kerja ini milik kantor lain; pilih unit kantor ini.")
    if user is None:
        username = (username or "").strip()
        if not username:
            errors["username"] = ["Isi nama pengguna."]
        else:
            try:
                User.username_validator(username)
                if len(username) > 150:
                    raise ValidationError("")
            except ValidationError:
                errors["username"] = [
                    "Nama pengguna hanya boleh berisi huruf, angka dan . @ + - _ (paling panjang 150 karakter)."
                ]
            else:
                if User.objects.filter(username__iexact=username).exists():
                    errors["username"] = [f"Nama pengguna '{username}' sudah dipakai; pilih nama lain."]
    if password is not None:
        first, _, last = full_name.partition(" ")
        probe = user or User(username=username or "", first_name=first, last_name=last)
        try:
            password_validation.validate_password(password, user=probe)
        except ValidationError as exc:
            errors["password"] = ["Sandi terlalu lemah: " + " ".join(exc.messages)]
    if errors:
        raise StaffError(errors)


@transaction.atomic
def staff_create(
    *, office: Office, username: str, role: str, password: str, full_name: str = "", unit: Unit | None = None,
    position: str = "", nip: str = "", actor=None, titled_name: str = "", rank: str = "",
) -> Staff:
    """Create a staff account with its role group (StaffError for bad input, nothing saved).
    A Kasi must name the unit they head; a unit must belong to the same office. ``full_name`` is
    the account's name; ``titled_name`` the name with academic titles as printed on papers."""
    _require_manager(actor, office)
    staff_check(office=office, role=role, unit=unit, username=username, password=password, full_name=full_name,
                nip=nip)
    User = get_user_model()
    first, _, last = full_name.strip().partition(" ")
    user = User.objects.create_user(
        username=username.strip(), password=password, first_name=first, last_name=last,
        is_staff=(role == Role.ADMIN),
    )
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role(role)]))
    return Staff.objects.create(user=user, office=office, role=role, unit=unit, position=position, nip=nip,
                                full_name=titled_name.strip(), rank=rank.strip())


@dataclass
class DemoAccount:
    username: str
    password: str
    role: str
    position: str


# One account per role, and a Kasi for every unit (each unit initials its own dossiers).
DEMO_STAFF = [
    ("petugas", Role.FRONT_OFFICE, None, "Petugas Registrasi Pelayanan", "Petugas Pelayanan"),
    ("kasi.pemerintahan", Role.KASI, "pemerintahan", "Kasi Pemerintahan", "Kasi Pemerintahan"),
    ("kasi.kesos", Role.KASI, "kesos", "Kasi Kesejahteraan Sosial", "Kasi Kesos"),
    ("kasi.trantib", Role.KASI, "trantib", "Kasi Ketentraman dan Ketertiban", "Kasi Trantib"),
    ("kasi.pemberdayaan", Role.KASI, "pemberdayaan", "Kasi Pemberdayaan Masyarakat", "Kasi Pemberdayaan"),
    ("kasi.pembangunan", Role.KASI, "pembangunan", "Kasi Pembangunan", "Kasi Pembangunan"),
    ("kasubbag.umum", Role.KASI, "umum", "Kasubbag Umum dan Keuangan", "Kasubbag Umum"),
    ("sekcam", Role.SEKCAM, None, "Sekretaris Kecamatan", "Sekretaris Kecamatan"),
    ("camat", Role.CAMAT, None, "Camat", "Camat"),
    ("bendahara", Role.BENDAHARA, "umum", "Bendahara Penerimaan", "Bendahara Penerimaan"),
    ("ppat", Role.PPAT_OFFICER, "ppat", "Petugas Administrasi PPAT", "Petugas PPAT"),
    ("admin", Role.ADMIN, None, "Admin Loket", "Admin"),
]


DEMO_RANKS = {Role.CAMAT: "Pembina Tingkat I (IV/b)", Role.SEKCAM: "Pembina (IV/a)",
              Role.KASI: "Penata Tingkat I (III/d)", Role.BENDAHARA: "Penata (III/c)"}


def demo_nip(number: int) -> str:
    """A NIP of 18 digits that no civil servant has: born 1 January 1900, CPNS January 1900,
    serial ``number`` (19000101 190001 1 0NN)."""
    return f"190001011900011{number:03d}"


def _demo_password(*, username: str, full_name: str) -> str:
    """A random password the office's validators accept for this account. A random string can,
    rarely, look like the account's name to the similarity validator ("IGjvpAnEbuTs" and
    "Petugas PPAT"); such a draw is thrown away and another made, instead of failing the setup."""
    first, _, last = full_name.partition(" ")
    probe = get_user_model()(username=username, first_name=first, last_name=last)
    for _ in range(20):
        password = secrets.token_urlsafe(9)
        try:
            password_validation.validate_password(password, probe)
        except ValidationError:
            continue
        return password
    raise RuntimeError("no acceptable demo password in 20 draws")  # the validators refuse every random string


@transaction.atomic
def demo_staff_create(*, office: Office, prefix: str = "") -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet, each with a fresh random password;
    ``prefix`` starts every username (``taman.`` → ``taman.admin``) for a second office.

    Returns only the accounts created now: a password is shown once and never stored in clear."""
    User = get_user_model()
    created = []
    units = {u.code: u for u in office.units.all()}
    for number, (username, role, unit_code, position, full_name) in enumerate(DEMO_STAFF, 1):
        username = prefix + username
        if User.objects.filter(username=username).exists() or (unit_code and unit_code not in units):
            continue
        password = _demo_password(username=username, full_name=full_name)
        staff_create(
            office=office, username=username, role=role, password=password, full_name=full_name,
            unit=units.get(unit_code) if unit_code else None, position=position,
            nip=demo_nip(number), titled_name=f"{full_name} (Demo), S.Sos.", rank=DEMO_RANKS.get(role, ""),
        )
        created.append(DemoAccount(username, password, Role(role).label, position))
    return created


@transaction.atomic
def staff_save(*, staff: Staff, actor=None, full_name: str | None = None, active: bool | None = None) -> Staff:
    """Save a staff record edited by the admin (role, unit, position, NIP; the account's name
    and whether it is active) and keep the user's role group and admin-site access in step."""
    stored_office = Staff.objects.filter(pk=staff.pk).values_list("office_id", flat=True).first()
    if stored_office is not None and stored_office != staff.office_id:
        _require_manager(actor, Office.objects.get(pk=stored_office), target=staff.user)
    _require_manager(actor, staff.office, target=staff.user)
    staff_check(office=staff.office, role=staff.role, unit=staff.unit, user=staff.user, nip=staff.nip)
    if active is False and actor is not None and actor.pk == staff.user_id:
        raise StaffError({"active": ["Anda tidak dapat menonaktifkan akun Anda sendiri."]})
    staff.save()
    user = staff.user
    role_groups = Group.objects.filter(name__in=GROUP_NAMES.values())
    user.groups.remove(*role_groups.exclude(name=GROUP_NAMES[Role(staff.role)]))
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role(staff.role)]))
    # The admin site's door (is_staff) is the Admin role's only; a superuser keeps it.
    user.is_staff = staff.role == Role.ADMIN or user.is_superuser
    if full_name is not None:
        user.first_name, _, user.last_name = full_name.strip().partition(" ")
    if active is not None:
        user.is_active = active
    user.save(update_fields=["is_staff", "first_name", "last_name", "is_active"])
    return staff


@transaction.atomic
def staff_deactivate(*, staff: Staff, actor=None) -> Staff:
    """Nonaktifkan: the account can no longer log in, its open sessions and API tokens stop
    working (Django and the token check both refuse an inactive user). History keeps the
    account; nothing is deleted. Undo by ticking "Aktif" again in the admin."""
    _require_manager(actor, staff.office, target=staff.user)
    if actor is not None and actor.pk == staff.user_id:
        raise StaffError({"active": ["Anda tidak dapat menonaktifkan akun Anda sendiri."]})
    user = staff.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    return staff


@transaction.atomic
def staff_password_reset(*, staff: Staff, actor=None) -> str:
    """Give the account a fresh one-time password and return it (show it once, store it
    nowhere). Every session of the account ends: Django checks a hash of the password on each
    request and logs out a session made with the old one."""
    _require_manager(actor, staff.office, target=staff.user)
    password = password_generate()
    user = staff.user
    user.set_password(password)
    user.save(update_fields=["password"])
    return password
