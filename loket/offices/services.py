"""Acts on offices, roles and staff accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from loket.offices.models import Office, Staff, Unit
from loket.offices.roles import GROUP_NAMES, ROLE_PERMISSIONS, Role


@transaction.atomic
def roles_sync() -> list[str]:
    """Create the role groups and give each exactly its permissions. Returns what changed."""
    changed = []
    for role, name in GROUP_NAMES.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            changed.append(f"grup {name} dibuat")
        wanted = set()
        for perm in ROLE_PERMISSIONS.get(role, []):
            app_label, codename = perm.split(".")
            wanted.add(Permission.objects.get(content_type__app_label=app_label, codename=codename).pk)
        have = set(group.permissions.values_list("pk", flat=True))
        if wanted != have:
            group.permissions.set(wanted)
            changed.append(f"izin grup {name} diperbarui")
    return changed


@transaction.atomic
def staff_create(
    *, office: Office, username: str, role: str, password: str, full_name: str = "", unit: Unit | None = None,
    position: str = "", nip: str = "",
) -> Staff:
    """Create a staff account with its role group. A Kasi must name the unit they head."""
    if role == Role.KASI and unit is None:
        raise ValueError("Kasi harus mempunyai unit kerja.")
    if unit is not None and unit.office_id != office.pk:
        raise ValueError("Unit kerja bukan milik kantor ini.")
    User = get_user_model()
    first, _, last = full_name.partition(" ")
    user = User.objects.create_user(
        username=username, password=password, first_name=first, last_name=last,
        is_staff=(role == Role.ADMIN),
    )
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role(role)]))
    return Staff.objects.create(user=user, office=office, role=role, unit=unit, position=position, nip=nip)


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


@transaction.atomic
def demo_staff_create(*, office: Office) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet, each with a fresh random password.

    Returns only the accounts created now: a password is shown once and never stored in clear."""
    User = get_user_model()
    created = []
    units = {u.code: u for u in office.units.all()}
    for username, role, unit_code, position, full_name in DEMO_STAFF:
        if User.objects.filter(username=username).exists() or (unit_code and unit_code not in units):
            continue
        password = secrets.token_urlsafe(9)
        staff_create(
            office=office, username=username, role=role, password=password, full_name=full_name,
            unit=units.get(unit_code) if unit_code else None, position=position,
        )
        created.append(DemoAccount(username, password, Role(role).label, position))
    return created


@transaction.atomic
def staff_save(*, staff: Staff) -> Staff:
    """Save a staff record edited by the admin and keep the user's role group in step."""
    if staff.role == Role.KASI and staff.unit_id is None:
        raise ValueError("Kasi harus mempunyai unit kerja.")
    staff.save()
    role_groups = Group.objects.filter(name__in=GROUP_NAMES.values())
    staff.user.groups.remove(*role_groups.exclude(name=GROUP_NAMES[Role(staff.role)]))
    staff.user.groups.add(Group.objects.get(name=GROUP_NAMES[Role(staff.role)]))
    if staff.role == Role.ADMIN and not staff.user.is_staff:
        staff.user.is_staff = True
        staff.user.save(update_fields=["is_staff"])
    return staff
