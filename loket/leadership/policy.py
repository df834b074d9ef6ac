"""Who reads what on the leadership's desk.

The service performance report holds no personal data (counts and times per service and per
kelurahan): every staff role of the office reads it, as the other reports (complaints, SKM).
The staff evaluation (komponen 14) and internal oversight (komponen 9) are the Camat's and the
Sekcam's (Permenpan RB 15/2014, komponen 9: pengawasan oleh atasan langsung)."""

from __future__ import annotations

from loket.offices.roles import Role, staff_of

LEADERS = (Role.CAMAT, Role.SEKCAM)


def may_read_report(user) -> bool:
    return staff_of(user) is not None


def is_leader(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in LEADERS


# The desk (/staf/pimpinan/): the Camat and the Sekcam see the whole office; a Kasi sees the
# figures of their own unit (komponen 9: pengawasan oleh atasan langsung, the Kasi over their
# section). Everyone else has their own work list.
DESK_ROLES = (Role.CAMAT, Role.SEKCAM, Role.KASI)
DESK_REFUSED = "Ringkasan kantor hanya untuk Camat, Sekretaris Kecamatan dan Kasi (untuk unitnya)."


def desk_scope(user):
    """(may see the desk, the unit it is limited to or None for the whole office)."""
    staff = staff_of(user)
    if staff is None or staff.role not in DESK_ROLES:
        return False, None
    return True, (staff.unit if staff.role == Role.KASI else None)


# Publishing the month's figures for the public: the Camat and the Sekcam, as the IKM result.
PUBLISHERS = (Role.CAMAT, Role.SEKCAM)
PUBLISHERS_TEXT = "Publikasi kinerja pelayanan hanya untuk Camat dan Sekretaris Kecamatan."


def may_publish(user) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in PUBLISHERS

OVERSIGHT_TEXT = "Pengawasan internal hanya untuk Camat dan Sekretaris Kecamatan."


def desk_kind(user) -> str:
    """What the staff menu offers: "office" (Camat, Sekcam), "unit" (a Kasi) or "" (no desk);
    reads no unit (no query)."""
    staff = staff_of(user)
    if staff is None or staff.role not in DESK_ROLES:
        return ""
    return "unit" if staff.role == Role.KASI else "office"


# Evaluasi kinerja pelaksana (komponen 14): the Camat and the Sekcam, as direct superiors
# (komponen 9 names them for supervision). Nobody evaluates themselves, and the Sekcam does not
# evaluate the Camat; a sheet is read by whoever may write it.
EVALUATION_TEXT = "Evaluasi kinerja pelaksana hanya untuk Camat dan Sekretaris Kecamatan."
EVALUATION_PERSON_TEXT = "Anda tidak dapat membuka atau menilai evaluasi pegawai ini."


def may_evaluate(user, staff) -> bool:
    """May ``user`` read and assess ``staff`` (a Staff of an evaluated role)?"""
    own = staff_of(user)
    if own is None or own.role not in LEADERS or staff is None or staff.office_id != own.office_id:
        return False
    if staff.user_id == own.user_id:
        return False
    return not (own.role == Role.SEKCAM and staff.role == Role.CAMAT)
