"""Who signs an official paper for an office on a given day, and how the signature is titled.

Papers of a kecamatan are signed by the Camat; the Sekretaris Kecamatan signs on the Camat's
behalf ("a.n. CAMAT …", the atas nama form of the regional tata naskah dinas); a Plt. or Plh.
appointed for the Camat's post signs "Plt. CAMAT …" / "Plh. CAMAT …" while the appointment
runs (``ActingAppointment``). The Bendahara Penerimaan signs the kuitansi; the Camat as PPAT
Sementara signs deeds.

These functions only resolve for a date: a paper that must keep its signer after a change of
post stores the ``Signer`` it was printed with (its fields are plain values).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from loket.offices.models import ActingAppointment, Office, Staff, nip_text
from loket.offices.roles import Role

POSTS = ("camat", "sekcam")

# How the person signs: in their own post, on behalf of the Camat, or acting for a post.
OWN = "definitif"
ON_BEHALF = "a.n."
PLT = "Plt."
PLH = "Plh."


@dataclass(frozen=True)
class Signer:
    """A signer as printed: ``title_lines`` above the signature space, then ``name`` (with
    academic titles), ``rank`` and ``nip`` below. ``user`` is None when the office's head is
    known only from the office's own fields (no account). ``capacity``: "definitif", "a.n.",
    "Plt." or "Plh."."""

    user: object | None
    name: str
    nip: str
    rank: str
    position: str
    title_lines: list[str] = field(default_factory=list)
    capacity: str = OWN

    @property
    def nip_text(self) -> str:
        return nip_text(self.nip)


def _area(office: Office) -> str:
    """ "KARTOHARJO" from "Kecamatan Kartoharjo"."""
    return office.name.removeprefix("Kecamatan ").removeprefix("KECAMATAN ").strip().upper()


def _camat_title(office: Office) -> str:
    return f"CAMAT {_area(office)}"


def staff_name(staff: Staff) -> str:
    """The name as printed: the titled full name, else the account's name."""
    return staff.full_name or staff.user.get_full_name() or staff.user.username


def _active_staff(office: Office, role: str) -> Staff | None:
    return (Staff.objects.select_related("user").filter(office=office, role=role, user__is_active=True)
            .order_by("pk").first())


def _acting(office: Office, post: str, on: dt.date) -> ActingAppointment | None:
    """The appointment valid on ``on``; a Plh. (short absence) before a Plt. (vacant post) when
    both run, the latest start first."""
    rows = (ActingAppointment.objects.select_related("user", "user__staff")
            .filter(office=office, post=post, starts__lte=on).filter(Q(ends__isnull=True) | Q(ends__gte=on))
            .order_by("-starts", "-pk"))
    rows = list(rows)
    rows.sort(key=lambda a: a.kind != ActingAppointment.Kind.PLH)
    return rows[0] if rows else None


def _from_staff(staff: Staff, *, position: str, title_lines: list[str], capacity: str) -> Signer:
    return Signer(user=staff.user, name=staff_name(staff), nip=staff.nip, rank=staff.rank, position=position,
                  title_lines=title_lines, capacity=capacity)


def _camat(office: Office, user=None) -> Signer:
    """The Camat in post: the account that signed when it is the Camat's (``user``), else the
    office's active Camat account; printed with the titled name and NIP entered on that staff
    record. Where the record has no titled name yet, the office's head fields (loaded with the
    standard, kept by the admin) are printed instead, and the account's name as a last resort."""
    staff = None
    if user is not None:
        own = getattr(user, "staff", None)
        if own is not None and own.office_id == office.pk and own.role == Role.CAMAT:
            staff = own
    staff = staff or _active_staff(office, Role.CAMAT)
    title = [_camat_title(office)]
    if staff is not None and staff.full_name:
        return _from_staff(staff, position="Camat", title_lines=title, capacity=OWN)
    if office.head_name:
        return Signer(user=staff.user if staff else None, name=office.head_name, nip=office.head_nip,
                      rank=office.head_rank or (staff.rank if staff else ""), position="Camat",
                      title_lines=title, capacity=OWN)
    if staff is not None:
        return _from_staff(staff, position="Camat", title_lines=title, capacity=OWN)
    return Signer(user=None, name="", nip="", rank="", position="Camat", title_lines=title, capacity=OWN)


def signer_for(*, office: Office, post: str, on: dt.date, user=None) -> Signer:
    """Who signs for ``post`` ("camat" or "sekcam") of ``office`` on day ``on``.

    - "camat": a Plt./Plh. of the Camat valid on ``on`` ("Plt. CAMAT KARTOHARJO"), else the Camat.
    - "sekcam": the Sekretaris Kecamatan signing a.n. Camat ("a.n. CAMAT KARTOHARJO" /
      "Sekretaris Kecamatan"), with their own name and NIP; a Plt./Plh. of the Sekcam's post
      signs "a.n. CAMAT …" / "Plt. Sekretaris Kecamatan".

    ``user``: the account that actually signed, when known (e.g. the dossier's signer); it wins
    over the lookup when it holds the post or the appointment. An unknown name is left empty
    (the paper then shows a line to write on)."""
    if post not in POSTS:
        raise ValueError(f"post must be one of {POSTS}, not {post!r}")
    acting = _acting(office, post, on)
    if acting is not None and user is not None and acting.user_id != user.pk:
        own = getattr(user, "staff", None)
        if own is not None and own.office_id == office.pk and own.role == post:
            acting = None  # the holder signs in person (back from leave while the Plh. runs)
    if post == "camat":
        if acting is not None:
            prefix = PLT if acting.kind == ActingAppointment.Kind.PLT else PLH
            staff = getattr(acting.user, "staff", None)
            return Signer(user=acting.user, name=staff_name(staff) if staff else acting.user.get_full_name(),
                          nip=staff.nip if staff else "", rank=staff.rank if staff else "",
                          position=f"{prefix} Camat", title_lines=[f"{prefix} {_camat_title(office)}"],
                          capacity=prefix)
        return _camat(office, user)
    # sekcam
    on_behalf = f"a.n. {_camat_title(office)}"
    if acting is not None:
        prefix = PLT if acting.kind == ActingAppointment.Kind.PLT else PLH
        staff = getattr(acting.user, "staff", None)
        return Signer(user=acting.user, name=staff_name(staff) if staff else acting.user.get_full_name(),
                      nip=staff.nip if staff else "", rank=staff.rank if staff else "",
                      position=f"{prefix} Sekretaris Kecamatan",
                      title_lines=[on_behalf, f"{prefix} Sekretaris Kecamatan"], capacity=prefix)
    staff = None
    if user is not None:
        own = getattr(user, "staff", None)
        if own is not None and own.office_id == office.pk and own.role == Role.SEKCAM:
            staff = own
    staff = staff or _active_staff(office, Role.SEKCAM)
    lines = [on_behalf, "Sekretaris Kecamatan"]
    if staff is None:
        return Signer(user=None, name="", nip="", rank="", position="Sekretaris Kecamatan", title_lines=lines,
                      capacity=ON_BEHALF)
    return _from_staff(staff, position="Sekretaris Kecamatan", title_lines=lines, capacity=ON_BEHALF)


def treasurer_for(*, office: Office, on: dt.date, user=None) -> Signer:
    """The Bendahara Penerimaan who signs a kuitansi: ``user`` when they hold that role in the
    office (the one who received the payment), else the office's active Bendahara."""
    staff = None
    if user is not None:
        own = getattr(user, "staff", None)
        if own is not None and own.office_id == office.pk and own.role == Role.BENDAHARA:
            staff = own
    staff = staff or _active_staff(office, Role.BENDAHARA)
    lines = ["Bendahara Penerimaan"]
    if staff is None:
        return Signer(user=None, name="", nip="", rank="", position="Bendahara Penerimaan", title_lines=lines)
    return _from_staff(staff, position="Bendahara Penerimaan", title_lines=lines, capacity=OWN)


def ppat_for(*, office: Office, on: dt.date) -> Signer:
    """The Camat as PPAT Sementara (PP 24/2016, the Camat appointed PPAT Sementara where there
    are too few PPAT): the Camat's name; a Plt./Plh. of the Camat is not a PPAT (the appointment
    as PPAT Sementara is personal), so the Camat in post is named."""
    camat = _camat(office)
    title = f"Camat {_area(office).title()} selaku PPAT Sementara"
    return Signer(user=camat.user, name=camat.name, nip=camat.nip, rank=camat.rank, position="PPAT Sementara",
                  title_lines=[title], capacity=OWN)
