"""Reads of the privacy area: the office's public notice, and the search of the record of who read
what."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from loket.core import codes
from loket.offices.models import Office
from loket.privacy.models import Access, Officer, Processing, RetentionPeriod
from loket.privacy.retention_defaults import shipped_retention


_CODE = re.compile(r"[A-Z0-9]{4}[- ][A-Z0-9]{4}")


@dataclass
class Notice:
    office: Office
    activities: list[Processing]
    officer: Officer | None
    periods: list[tuple[str, int]]  # (record type, months kept after the record ended)


def notice(*, office: Office) -> Notice:
    """What the public notice shows: the active activities in order, the officer, and the
    retention periods the office set (the schedule's order; the kinds Loket keeps are said by
    the activities' own retention text)."""
    own = dict(RetentionPeriod.objects.filter(office=office).values_list("kind", "months"))
    periods = [(k.label, own[k.kind]) for k in shipped_retention() if not k.kept and k.kind in own]
    return Notice(office=office,
                  activities=list(Processing.objects.filter(office=office, active=True).order_by("order", "pk")),
                  officer=Officer.objects.filter(office=office).first(), periods=periods)


# --- the record of who read what (issue 19 item 5) ----------------------------------------------

ACCESS_LIMIT = 500  # rows one search returns; narrow the search for more


@dataclass
class AccessFilters:
    nik: str = ""
    actor_id: int | None = None
    kind: str = ""
    record: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def access_filters(query) -> tuple[AccessFilters, list[str]]:
    """The search's filters from a query string (nik, petugas, jenis, catatan, dari, sampai), and
    the problems of those left out (a NIK that is not 16 digits, a date that is not a date, an
    unknown kind): the search runs without them, never a server error."""
    from loket.core.inputs import InputProblem, date_parse

    problems: list[str] = []
    nik = "".join(str(query.get("nik") or "").split())
    if nik and not (len(nik) == 16 and nik.isdigit()):
        problems.append("NIK harus 16 angka; pencarian tanpa NIK.")
        nik = ""
    actor = str(query.get("petugas") or "").strip()
    if actor and not actor.isdigit():
        problems.append("Petugas tidak dikenal; pencarian tanpa petugas.")
        actor = ""
    kind = str(query.get("jenis") or "").strip()
    if kind and kind not in Access.Kind.values:
        problems.append("Jenis catatan tidak dikenal; pencarian semua jenis.")
        kind = ""
    dates = {}
    for key, label in (("dari", "Tanggal 'dari'"), ("sampai", "Tanggal 'sampai'")):
        try:
            dates[key] = date_parse(query.get(key, ""), label=label)
        except InputProblem as exc:
            problems.append(str(exc))
            dates[key] = None
    record = str(query.get("catatan") or "").strip().upper()[:40]
    if _CODE.fullmatch(record):  # a case's code as printed (ABCD-EFGH) is stored without its dash
        record = codes.normalise(record)
    return AccessFilters(nik=nik, actor_id=int(actor) if actor else None, kind=kind, record=record,
                         date_from=dates["dari"], date_to=dates["sampai"]), problems


def access_search(*, office: Office, f: AccessFilters, limit: int = ACCESS_LIMIT) -> list[Access]:
    """The office's access records that match, newest first, each with its reader's account and
    staff record (one query). With a NIK: the rows of that person, and the exports whose period
    covers a day on which the office recorded something of theirs are found by
    ``exports_covering`` (loket.subjects), not here: this is the raw record."""
    qs = Access.objects.filter(office=office).select_related("actor", "actor__staff")
    if f.nik:
        qs = qs.filter(subject_nik=f.nik)
    if f.actor_id:
        qs = qs.filter(actor_id=f.actor_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.record:
        qs = qs.filter(record=f.record)
    tz = timezone.get_current_timezone()
    if f.date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(f.date_from, dt.time.min, tzinfo=tz))
    if f.date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return list(qs.order_by("-at", "-pk")[:limit])


def reader_label(access: Access) -> str:
    """The reader as the citizen and the officer read it: name and position, not the username."""
    user = access.actor
    staff = getattr(user, "staff", None)
    name = (getattr(staff, "full_name", "") or user.get_full_name() or user.username)
    position = getattr(staff, "position", "") or (staff.get_role_display() if staff else "")
    return f"{name}, {position}" if position else name
