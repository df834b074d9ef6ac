"""Who may do what on a dossier, and who reads the applicant's NIK in full (the act table of the
counter flow): the services authorise from it, the detail screen and the API offer only what
``acts_allowed`` returns, so a button can never disagree with a refusal.

Who holds a dossier (the standard's procedure): the front office at the counter (received,
returned) and after the signature (register, hand over); the Kasi of the service's unit for the
re-check and the paraf; the Camat, or the Sekcam a.n. Camat unless the standard names the Camat
as the signer, for the signature.
"""

from __future__ import annotations

from loket.catalog.models import ServiceType
from loket.core import codes, flow
from loket.dossiers.models import Dossier
from loket.offices.roles import Role, can_see_full_nik

S = Dossier.State
FO, KASI, SIGNERS = Role.FRONT_OFFICE, Role.KASI, (Role.CAMAT, Role.SEKCAM)

# Who may correct the applicant's data, and in which states: the one who holds the dossier at
# that moment. The front office while it is at the counter (received, or returned to the
# applicant), the Kasi of its unit while it is at the re-check and after the paraf (the paraf
# vouched for the data; the Kasi who gave it is the one to change them). Never from the
# signature on: a signed, registered or handed-over paper keeps its facts (see SIGNED_STATES).
CORRECTORS = {
    FO: (S.RECEIVED, S.RETURNED),
    KASI: (S.FORWARDED, S.INITIALLED),
}
SIGNED_STATES = (S.SIGNED, S.REGISTERED, S.HANDED_OVER)


def may_read_personal(user) -> bool:
    """Who reads a whole NIK, KK number and telephone (offices.roles.can_see_full_nik)."""
    return can_see_full_nik(user)


def _only(*roles) -> str:
    return "Tindakan ini hanya untuk " + ", ".join(Role(r).label for r in roles) + "."


def _kasi_of_unit(d: Dossier) -> str:
    return f"Tindakan ini hanya untuk {Role.KASI.label} unit {d.unit}."


def _of_its_unit(staff, d: Dossier) -> bool:
    """The front office, or the Kasi of the dossier's own unit."""
    return staff.role != KASI or staff.unit_id == d.unit_id


def _may_sign(staff, d: Dossier) -> bool:
    """A service the standard has the Camat sign is signed by the Camat alone, not a.n. Camat."""
    return d.service.signer != ServiceType.Signer.CAMAT or staff.role == Role.CAMAT


def _correction_wrong_state(d: Dossier, staff) -> str:
    label, shown = d.get_state_display(), codes.display(d.code)
    if d.state in SIGNED_STATES:
        return (f"Berkas {shown} berstatus {label}: data surat yang sudah ditandatangani tidak dapat dikoreksi. "
                "Bila datanya salah, terima berkas baru dengan data yang benar; surat ini tetap tercatat apa adanya.")
    holder = f"Kasi {d.unit.name}" if staff.role == FO else "petugas loket"
    return f"Berkas {shown} berstatus {label}; koreksi datanya sekarang dilakukan oleh {holder}."


def _wrong_state(d: Dossier, act: flow.Act, staff) -> str:
    return (f"Berkas {codes.display(d.code)} berstatus {d.get_state_display()}; "
            f"belum/tidak bisa {act.doing_for(staff.role)}.")


def last_return(d: Dossier):
    """The transition that put a returned dossier in its state (its last one), or None."""
    steps = list(d.transitions.all())  # prefetched by the screens and the API; one query in an act
    return steps[-1] if steps and steps[-1].to_state == S.RETURNED else None


def return_standing(d: Dossier):
    """The latest return of the dossier that was not undone ('Batalkan pengembalian' names the
    return it undoes in Transition.cancels), or None: the one a return slip prints."""
    steps = list(d.transitions.all())
    undone = {t.cancels_id for t in steps if t.cancels_id}
    return next((t for t in reversed(steps) if t.to_state == S.RETURNED and t.pk not in undone), None)


def _return_not_undoable(d: Dossier) -> str:
    """'Batalkan pengembalian' undoes a return made at the counter (at intake, by the front
    office before forwarding, or at a resubmission found still incomplete): the clerk's own
    ticks, which the clerk may find wrong. A return by the Kasi after the re-check is the Kasi's
    judgement of the papers: it stands, and the dossier comes back by 'Ajukan kembali'."""
    last = last_return(d)
    if last is None:
        return f"Berkas {codes.display(d.code)} tidak sedang dikembalikan."
    if last.from_state in (S.RECEIVED, S.RETURNED):
        return ""
    return (f"Berkas {codes.display(d.code)} dikembalikan oleh Kasi sesudah pemeriksaan; pengembalian itu tidak "
            "dibatalkan di loket. Bila pemohon melengkapi, terima kembali dengan 'Ajukan kembali'.")


ACTS = flow.Table(acts={
    "forward": flow.Act("Teruskan ke Kasi", (FO,), (S.RECEIVED,), refused=_only(FO), doing="diteruskan"),
    "return": flow.Act(
        "Kembalikan", (FO, KASI), {FO: (S.RECEIVED,), KASI: (S.FORWARDED,)}, scope=_of_its_unit, refused=_kasi_of_unit,
        doing={FO: "dikembalikan oleh petugas (sesudah diteruskan hanya Kasi)", KASI: "dikembalikan"}),
    "initial": flow.Act("Paraf", (KASI,), (S.FORWARDED,), scope=_of_its_unit, refused=_kasi_of_unit, doing="diparaf"),
    "sign": flow.Act("Tanda tangani", SIGNERS, (S.INITIALLED,), refused=_only(*SIGNERS), doing="ditandatangani",
                     who=_may_sign,
                     who_text="Layanan ini ditandatangani oleh Camat sendiri menurut Standar Pelayanan."),
    "register": flow.Act("Register", (FO,), (S.SIGNED,), refused=_only(FO), doing="diregister"),
    "handover": flow.Act("Serahkan", (FO,), (S.REGISTERED,), refused=_only(FO), doing="diserahkan"),
    "resubmit": flow.Act("Ajukan kembali", (FO,), (S.RETURNED,), refused=_only(FO), doing="diajukan kembali"),
    "correct": flow.Act(
        "Koreksi data pemohon", (FO, KASI), CORRECTORS, scope=_of_its_unit, wrong_state=_correction_wrong_state,
        refused=lambda d: f"Koreksi data pemohon hanya untuk {Role.FRONT_OFFICE.label} dan Kasi unit {d.unit.name}."),
    # The citizen waits at the counter for the signed paper: register and hand over in one act
    # (services.dossier_register_handover runs "register" then "handover", each checked again).
    "register_handover": flow.Act("Register & serahkan", (FO,), (S.SIGNED,), refused=_only(FO),
                                  doing="diregister dan diserahkan"),
    # --- undoing a mistake at the counter (issue 15): acts with a reason, never a silent edit ---
    "cancel_return": flow.Act(
        "Batalkan pengembalian", (FO,), (S.RETURNED,), refused=_only(FO), doing="dibatalkan pengembaliannya",
        ready=lambda d: _return_not_undoable(d)),
    "cancel_intake": flow.Act(
        "Batalkan penerimaan", (FO,), (S.RECEIVED, S.RETURNED), refused=_only(FO), doing="dibatalkan penerimaannya"),
    # The citizen brings the missing paper: take the dossier back and, complete, forward it at once
    # (services.dossier_resubmit_forward runs "resubmit" then "forward", each checked again).
    "resubmit_forward": flow.Act("Terima kembali & teruskan ke Kasi", (FO,), (S.RETURNED,), refused=_only(FO),
                                 doing="diajukan kembali dan diteruskan"),
}, wrong_state=_wrong_state, other_office="Berkas ini milik kantor lain.")


def acts_allowed(dossier: Dossier, user) -> list[str]:
    """The acts this user may do on the dossier now (the detail screen and the API offer only
    these; each act checks again)."""
    return flow.acts_allowed(ACTS, user, dossier)


def allowed(dossier: Dossier, user, act: str) -> bool:
    """Whether this user may do this one act on the dossier now (a work list's inline button)."""
    return flow.allowed(ACTS, act, user, dossier)


def may_correct(*, dossier: Dossier, actor) -> bool:
    """Whether ``actor`` may correct this dossier's data now (the screens offer the form only then)."""
    return flow.allowed(ACTS, "correct", actor, dossier)


# Who attaches a scan of the papers (DossierAttachment), and while when: the front office, which
# holds the papers at the counter, from intake (received or returned) until the Kasi has
# initialled: "Simpan & teruskan" forwards a complete dossier at once, and the scan is often made
# right after. Not from the paraf on: what is signed is what the Kasi checked. Not a step of the
# flow (no state change, no transition), so it has its own table rather than a line of ACTS.
ATTACH = flow.Table(acts={
    "attach": flow.Act("Lampirkan pindaian berkas", (FO,), (S.RECEIVED, S.RETURNED, S.FORWARDED), refused=_only(FO),
                       doing="dilampiri pindaian (hanya sampai diteruskan ke Kasi, sebelum paraf)"),
}, wrong_state=_wrong_state, other_office="Berkas ini milik kantor lain.")


def may_attach(*, dossier: Dossier, actor) -> bool:
    """Whether ``actor`` may attach a scan to this dossier now (the screen offers the form only then)."""
    return flow.allowed(ATTACH, "attach", actor, dossier)


# Who writes the letter a signed dossier produces (services 10, 11, 15, 16; papers.products): the
# front office or the Kasi of the dossier's unit, once the Camat/Sekcam has signed and until the
# dossier is closed. Not a step of the flow (no state change), so a table of its own, like ATTACH.
LETTER = flow.Table(acts={
    "letter": flow.Act(
        "Tulis surat", (FO, KASI), (S.SIGNED, S.REGISTERED, S.HANDED_OVER), scope=_of_its_unit,
        refused="Penulisan surat hanya untuk Petugas Pelayanan atau Kasi unit layanan ini.",
        doing="ditulis suratnya (sesudah ditandatangani Camat/Sekcam)"),
}, wrong_state=_wrong_state, other_office="Berkas ini milik kantor lain.")


def may_write_letter(*, dossier: Dossier, actor) -> bool:
    """Whether ``actor`` may write this dossier's letter now (the screen offers it only then)."""
    return flow.allowed(LETTER, "letter", actor, dossier)
