"""Who may do what on a deed case, and who reads the parties' NIKs in full (the act table of
the deeds flow): the services authorise from it, the screens and the API offer only what
``acts_allowed`` returns."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from loket.core import codes, flow
from loket.core.errors import LoketError
from loket.deeds.models import Case, CertificateCheck, DeedKind, PpatAppointment, Signing
from loket.deeds.taxes import taxes_missing
from loket.offices.roles import Role, has_role, staff_of

S = Case.State
VALIDATOR_UNIT = "pemerintahan"  # komponen 11: "Kasi Pemerintahan (validasi)"
WITHDRAWABLE = (S.RECEIVED, S.RETURNED, S.PREPARING, S.WAITING, S.VALIDATED, S.SCHEDULED)


def _validates(staff, case=None) -> bool:
    return staff.role == Role.KASI and staff.unit_id is not None and staff.unit.code == VALIDATOR_UNIT


def is_validator(user) -> bool:
    staff = staff_of(user)
    return staff is not None and _validates(staff)


def may_read_personal(user) -> bool:
    """Who handles deeds reads NIKs in full (front office, Petugas PPAT, Kasi Pemerintahan, Camat);
    every other role sees them masked, on the screens and in the API."""
    staff = staff_of(user)
    return staff is not None and (staff.role in (Role.FRONT_OFFICE, Role.PPAT_OFFICER, Role.CAMAT)
                                  or _validates(staff))


INTAKE_ROLES = (Role.FRONT_OFFICE,)  # the counter takes in a deed dossier
RATE_ROLES = (Role.CAMAT, Role.ADMIN)  # the office's PPAT fee rate


def may_intake(user) -> bool:
    return has_role(user, *INTAKE_ROLES)


def may_set_rate(user) -> bool:
    return has_role(user, *RATE_ROLES)


def _taxes_incomplete(case: Case) -> str:
    """While a proof is missing the screen says which, and validation waits."""
    missing = taxes_missing(case)
    return "Bukti pajak belum lengkap: " + "; ".join(missing) + "." if missing else ""


def _sidang_not_begun(case: Case) -> str:
    """The Camat signs at the sidang, not before it begins."""
    starts = Signing.objects.filter(case=case, cancelled=False).values_list("starts_at", flat=True).first()
    if starts is None:
        return "Sidang belum dijadwalkan."
    if timezone.now() < starts:
        return f"Sidang baru dimulai {timezone.localtime(starts):%d-%m-%Y %H:%M}."
    return ""


def appointment_of(staff, on) -> PpatAppointment | None:
    """The SK PPAT Sementara of this person valid on the day ``on`` (PP 37/1998 Pasal 5 ayat (3)
    as amended by PP 24/2016), for the person's own office; None when there is none."""
    from django.db.models import Q

    return (PpatAppointment.objects.filter(office_id=staff.office_id, staff=staff, valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)).order_by("-valid_from", "-pk").first())


def _appointed(staff, case: Case) -> bool:
    return appointment_of(staff, timezone.localdate()) is not None


NOT_APPOINTED = ("Penandatangan belum ditunjuk sebagai PPAT Sementara: tidak ada SK PPAT Sementara yang berlaku "
                 "hari ini atas namanya. Catat SK penunjukannya di admin (SK PPAT Sementara) lebih dahulu.")


def ppat_missing(case: Case, user) -> str:
    """For the Camat's screen: the refusal of the signature at this case for want of an SK PPAT
    Sementara valid today ("" when it is on record, or when the act table refuses for another
    reason: not the Camat, not the case's state). Asks the act table, as the act does."""
    try:
        flow.authorise(ACTS, "sign", user, case)
    except PermissionDenied as exc:
        return NOT_APPOINTED if str(exc) == str(NOT_APPOINTED) else ""
    except LoketError:
        return ""
    return ""


def certificate_unchecked(case: Case) -> str:
    """Why the deed cannot be signed for want of a passing check of the certificate at the land
    office (PP 24/1997 Pasal 39 ayat (1)); "" when the latest check found it as registered. The
    help with a certificate makes no deed and needs none."""
    if case.deed_kind == DeedKind.SERTIFIKAT:
        return ""
    last = CertificateCheck.objects.filter(case=case).order_by("-checked_on", "-pk").first()
    if last is None:
        return ("Sertipikat belum dicek di Kantor Pertanahan: catat hasil pengecekan sertipikat lebih dahulu "
                "(PP 24/1997 Pasal 39 ayat (1)).")
    if last.result != CertificateCheck.Result.SESUAI:
        return (f"Pengecekan sertipikat tanggal {last.checked_on:%d-%m-%Y}: tidak sesuai dengan daftar di Kantor "
                "Pertanahan; akta tidak dapat ditandatangani (PP 24/1997 Pasal 39 ayat (1)).")
    return ""


def _sign_ready(case: Case) -> str:
    return certificate_unchecked(case) or _sidang_not_begun(case)


def _delivered(case: Case) -> str:
    """Delivered once: the land office's receipt is kept."""
    if case.delivered_on:
        return (f"Akta sudah disampaikan ke Kantor Pertanahan tanggal {case.delivered_on:%d-%m-%Y} "
                f"(tanda terima {case.delivery_receipt}).")
    return ""


def _wrong_state(c: Case, act: flow.Act, staff) -> str:
    return (f"Berkas {codes.display(c.code)} berstatus {c.get_state_display().lower()}; "
            f"{act.doing} tidak dapat dilakukan.")


FO, PPAT = (Role.FRONT_OFFICE,), (Role.PPAT_OFFICER,)


def _act(label, roles, states, refused, doing, **more) -> flow.Act:
    return flow.Act(label, roles, states, refused=f"{refused}.", doing=doing, **more)


ACTS = flow.Table(acts={
    "resubmit": _act("Terima ulang", FO, (S.RETURNED,), "Berkas akta diterima oleh petugas pelayanan (front office)",
                     "penerimaan ulang"),
    "forward": _act("Teruskan ke Petugas PPAT", FO, (S.RECEIVED,), "Berkas diteruskan ke Petugas PPAT oleh front office",
                    "penerusan ke Petugas PPAT"),
    "taxproof": _act("Catat bukti pajak", PPAT, (S.PREPARING, S.WAITING), "Bukti pajak dicatat oleh Petugas PPAT",
                     "pencatatan bukti pajak"),
    "certcheck": _act("Catat pengecekan sertipikat", PPAT, (S.PREPARING, S.WAITING, S.VALIDATED, S.SCHEDULED),
                      "Pengecekan sertipikat dicatat oleh Petugas PPAT", "pencatatan pengecekan sertipikat"),
    "wait": _act("Tunda", PPAT, (S.PREPARING,), "Berkas ditunda oleh Petugas PPAT", "penundaan"),
    "resume": _act("Lanjutkan", PPAT, (S.WAITING,), "Berkas dilanjutkan oleh Petugas PPAT", "melanjutkan berkas"),
    "validate": _act("Validasi", (Role.KASI,), (S.PREPARING,), "Validasi akta dilakukan oleh Kasi Pemerintahan",
                     "validasi", scope=_validates, ready=_taxes_incomplete),
    "schedule": _act("Jadwalkan sidang", PPAT, (S.VALIDATED, S.SCHEDULED), "Sidang dijadwalkan oleh Petugas PPAT",
                     "penjadwalan sidang"),
    "sign": _act("Tanda tangani", (Role.CAMAT,), (S.SCHEDULED,), "Akta ditandatangani oleh Camat selaku PPAT",
                 "penandatanganan", ready=_sign_ready, who=_appointed, who_text=NOT_APPOINTED),
    "register": _act("Catat di Buku Register PPAT", PPAT, (S.SIGNED,),
                     "Akta dicatat di Buku Register PPAT oleh Petugas PPAT", "pencatatan di Buku Register PPAT"),
    "handover": _act("Serahkan", PPAT, (S.REGISTERED,), "Akta diserahkan oleh Petugas PPAT", "penyerahan"),
    "deliver": _act("Catat penyampaian ke Kantor Pertanahan", PPAT, (S.REGISTERED, S.HANDED_OVER),
                    "Penyampaian akta ke Kantor Pertanahan dicatat oleh Petugas PPAT",
                    "pencatatan penyampaian ke Kantor Pertanahan", ready=_delivered),
    "withdraw": _act("Batalkan", FO + PPAT, WITHDRAWABLE, "Berkas dibatalkan oleh front office atau Petugas PPAT",
                     "pembatalan"),
}, wrong_state=_wrong_state)


def acts_allowed(case: Case, user) -> set[str]:
    """The acts this user may do on the case now (the screens and the API offer only these)."""
    return set(flow.acts_allowed(ACTS, user, case))  # a set, as the screens and tests read it


def acts_waiting(case: Case, user) -> dict[str, str]:
    """The acts this user will be offered once the case is ready (validation waits for the tax
    proofs, the signature for the sidang), with the reason; the case screen shows them."""
    return flow.acts_waiting(ACTS, user, case)
