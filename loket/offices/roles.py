"""Staff roles (peran) and the Django groups and permissions that carry them.

The roles follow the seed's procedure: front office (Petugas Registrasi Pelayanan), the Kasi
who initials (paraf), the Sekcam who signs a.n. Camat, the Camat, the Bendahara Penerimaan
for the hall, the PPAT officer, and the admin who keeps the catalog.
"""

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    FRONT_OFFICE = "front_office", "Petugas Pelayanan (front office)"
    KASI = "kasi", "Kasi / Kasubbag"
    SEKCAM = "sekcam", "Sekretaris Kecamatan"
    CAMAT = "camat", "Camat"
    BENDAHARA = "bendahara", "Bendahara Penerimaan"
    PPAT_OFFICER = "ppat_officer", "Petugas administrasi PPAT"
    ADMIN = "admin", "Admin"


# Group name per role, and the model permissions ("app_label.codename") each group holds.
# Later areas add their own permissions here, so that one table says who may do what.
GROUP_NAMES = {role: role.label for role in Role}
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.FRONT_OFFICE: ["catalog.view_edition", "catalog.view_servicetype"],
    Role.KASI: ["catalog.view_edition", "catalog.view_servicetype"],
    Role.SEKCAM: ["catalog.view_edition", "catalog.view_servicetype"],
    Role.CAMAT: ["catalog.view_edition", "catalog.view_servicetype"],
    Role.BENDAHARA: ["catalog.view_edition", "catalog.view_servicetype"],
    Role.PPAT_OFFICER: ["catalog.view_edition", "catalog.view_servicetype"],
    # The office's Admin keeps its own office's data only (loket/offices/admin_scope.py). No
    # auth.* permission: accounts are managed through the Staff admin of its own office, never
    # Django's user admin (which would let it set is_superuser or reset any office's password).
    # Offices are added and removed by the platform superuser only; staff are deactivated, not
    # deleted. roles_sync() sets these exactly, so an upgrade takes the old ones away.
    Role.ADMIN: [
        f"{app}.{action}_{model}"
        for app, models_ in {
            "catalog": ["edition", "servicetype", "requirement", "procedurestep", "tariff"],
            "offices": ["unit", "kelurahan", "holiday", "actingappointment", "absence"],
            "complaints": ["category"],
            "rentals": ["venue", "halltreasury"],
            "deeds": ["taxrule", "setting", "ppatappointment"],
            "privacy": ["processing", "officer", "retentionperiod"],
        }.items()
        for model in models_
        for action in ("view", "add", "change", "delete")
    ]
    + ["offices.view_office", "offices.change_office", "offices.view_staff", "offices.add_staff",
       "offices.change_staff", "privacy.view_retentionrun"],
}


def staff_of(user):
    """The user's Staff record, or None (anonymous, or an account without an office)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "staff", None)


def has_role(user, *roles: str, unit=None) -> bool:
    staff = staff_of(user)
    if staff is None or staff.role not in roles:
        return False
    return unit is None or staff.unit_id == getattr(unit, "pk", unit)


def require_role(user, *roles: str, unit=None) -> None:
    """Raise PermissionDenied with a message a clerk understands."""
    if not has_role(user, *roles, unit=unit):
        names = ", ".join(Role(r).label for r in roles)
        raise PermissionDenied(f"Tindakan ini hanya untuk {names}" + (f" unit {unit}" if unit else "") + ".")


# Who may read a full NIK in registers and exports (UU 27/2022 on personal data protection:
# only those whose task needs it). Others see it masked.
NIK_FULL_ROLES = {Role.FRONT_OFFICE, Role.KASI, Role.SEKCAM, Role.CAMAT, Role.ADMIN}


def can_see_full_nik(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in NIK_FULL_ROLES
