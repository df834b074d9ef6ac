"""Pengawasan internal (Permenpan RB 15/2014, komponen 9): the list of what needs a look by the
Sekcam or the Camat, gathered from the flows, with each item's follow-up (leadership.FollowUp).

What comes on the list (each item is named by a key, kind:code):

- ``late``: an open dossier already past the standard time (working time, dashboard.late_now);
- ``returns``: a citizen (one NIK) whose dossiers were returned twice or more in the window;
- ``correction``: a dossier whose applicant data were corrected in the window;
- ``cancelled``: an intake cancelled, or a return undone, in the window;
- ``complaint``: a complaint (kind "pengaduan") about a service, a unit or a staff member
  (Complaint.staff_named) received in the window, or any complaint whose complainant said the
  answer did not satisfy them;
- ``deed_delivery``: a signed deed not delivered to the Kantor Pertanahan within 7 working days.

An item whose last follow-up is "selesai" or "tidak perlu" leaves the list (``?semua=1`` shows it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from loket.complaints.models import Complaint
from loket.core import codes
from loket.deeds import selectors as deed_selectors
from loket.dossiers.models import Correction, Dossier, Transition
from loket.leadership.dashboard import late_now
from loket.leadership.models import FollowUp
from loket.offices.models import Office
from loket.offices.signers import staff_name

S = Dossier.State
WINDOW_DAYS = 30
KINDS = {
    "late": "Berkas melewati waktu standar",
    "returns": "Dikembalikan berulang kali",
    "correction": "Koreksi data pemohon",
    "cancelled": "Pembatalan",
    "complaint": "Pengaduan tentang layanan atau pegawai",
    "deed_delivery": "Akta terlambat disampaikan",
}
CLOSED = (FollowUp.Status.DONE, FollowUp.Status.NO_ACTION)


@dataclass
class Item:
    key: str
    kind: str
    title: str
    detail: str
    link: str
    since: dt.datetime | dt.date | None
    follow_ups: list[FollowUp] = field(default_factory=list)  # newest first

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status(self) -> str:
        return self.follow_ups[0].status if self.follow_ups else ""

    @property
    def status_label(self) -> str:
        return FollowUp.Status(self.status).label if self.status else "Belum ditinjau"

    @property
    def closed(self) -> bool:
        return self.status in CLOSED


def _person(user) -> str:
    staff = getattr(user, "staff", None)
    return staff_name(staff) if staff is not None else (user.get_full_name() or user.username)


def _dossier_link(code: str) -> str:
    return reverse("dossiers:detail", args=[code])


def items(*, office: Office, now: dt.datetime | None = None, days: int = WINDOW_DAYS, closed: bool = False) -> list[Item]:
    """What needs a look, the newest first within each kind (closed items only with ``closed``)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    out: list[Item] = []

    for late in late_now(office=office, now=now):
        d = late.dossier
        out.append(Item(f"late:{d.code}", "late", f"Berkas {codes.display(d.code)} · {d.service.short_name}",
                        f"{d.get_state_display()}; {late.minutes:.0f} menit kerja, standar {late.limit} menit.",
                        _dossier_link(d.code), d.clock_started_at))

    # One query: the returns of the window (not undone), newest first; grouped per NIK here.
    undone = Transition.objects.filter(dossier__office=office, cancels__isnull=False).values("cancels_id")
    per_nik: dict[str, list] = defaultdict(list)
    for nik, code, name, at in (Transition.objects.filter(dossier__office=office, to_state=S.RETURNED, at__gte=since)
                                .exclude(pk__in=undone).order_by("-at", "-pk")
                                .values_list("dossier__applicant_nik", "dossier__code", "dossier__applicant_name", "at")):
        per_nik[nik].append((code, name, at))
    for rows in per_nik.values():
        if len(rows) >= 2:
            code, name, at = rows[0]
            out.append(Item(f"returns:{code}", "returns", name,
                            f"{len(rows)} kali dikembalikan dalam {days} hari; terakhir berkas {codes.display(code)}.",
                            _dossier_link(code), at))

    corrected: dict[str, list] = defaultdict(list)
    for c in (Correction.objects.filter(dossier__office=office, at__gte=since).select_related("dossier")
              .order_by("-at", "-pk")):
        corrected[c.dossier.code].append(c)
    for code, rows in corrected.items():
        fields = ", ".join(sorted({c.get_field_display() for c in rows}))
        out.append(Item(f"correction:{code}", "correction", f"Berkas {codes.display(code)}",
                        f"Dikoreksi: {fields}. Alasan: {rows[0].reason}", _dossier_link(code), rows[0].at))

    for t in (Transition.objects.filter(dossier__office=office, at__gte=since)
              .filter(Q(to_state=S.CANCELLED) | Q(cancels__isnull=False)).select_related("dossier")
              .order_by("-at", "-pk")):
        what = "Penerimaan dibatalkan" if t.to_state == S.CANCELLED else "Pengembalian dibatalkan"
        out.append(Item(f"cancelled:{t.dossier.code}:{t.pk}", "cancelled", f"Berkas {codes.display(t.dossier.code)}",
                        f"{what}: {t.note or '—'}", _dossier_link(t.dossier.code), t.at))

    for c in (Complaint.objects.filter(office=office)
              .filter(Q(kind=Complaint.Kind.COMPLAINT, received_at__gte=since)
                      & (Q(service__isnull=False) | Q(unit__isnull=False) | Q(staff_named__isnull=False))
                      | Q(satisfied=False))
              .select_related("service", "unit", "staff_named__staff").order_by("-received_at")):
        about = c.service.short_name if c.service_id else (c.unit.name if c.unit_id else "")
        extra = " Pelapor tidak puas dengan jawaban." if c.satisfied is False else ""
        person = f" Pegawai yang diadukan: {_person(c.staff_named)}." if c.staff_named_id else ""
        out.append(Item(f"complaint:{c.code}", "complaint", f"Pengaduan {codes.display(c.code)}: {c.subject}",
                        ((f"Tentang {about}." if about else "") + person + extra).strip(),
                        reverse("complaints:detail", args=[c.code]), c.received_at))

    for case, due in deed_selectors.delivery_overdue(office=office, today=timezone.localdate(now)):
        out.append(Item(f"deed_delivery:{case.code}", "deed_delivery", f"Akta {codes.display(case.code)}",
                        f"Batas penyampaian ke Kantor Pertanahan {due:%d-%m-%Y} terlewati.",
                        reverse("deeds:detail", args=[case.code]), due))

    notes: dict[str, list] = defaultdict(list)
    for f in (FollowUp.objects.filter(office=office, key__in=[i.key for i in out]).select_related("actor")
              .order_by("-at", "-pk")):
        notes[f.key].append(f)
    for i in out:
        i.follow_ups = notes.get(i.key, [])
    return [i for i in out if closed or not i.closed]
