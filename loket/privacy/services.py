"""Acts of the privacy area: giving an office the shipped register of processing, and writing the
record of who read a person's data (the flows call ``access_record`` from their screens and
exports)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from loket.offices.models import Office
from loket.privacy.models import Access, Processing

REGISTER_FILE = Path(__file__).parent / "data" / "register.yaml"
FIELDS = ("name", "purpose", "data_items", "optional_items", "source", "basis", "legal_reference", "readers",
          "recipients", "retention")


@cache
def shipped_register() -> list[dict]:
    rows = yaml.safe_load(REGISTER_FILE.read_text(encoding="utf-8"))
    for row in rows:
        unknown = set(row) - {"key", *FIELDS}
        if unknown or row["basis"] not in Processing.Basis.values:
            raise ValueError(f"{REGISTER_FILE}: row {row.get('key')}: unknown {sorted(unknown) or row['basis']}")
    return rows


@transaction.atomic
def register_default_create(*, office: Office) -> int:
    """The shipped rows the office does not have yet (by key; rows the admin changed are kept as
    they are). Returns how many were added."""
    have = set(Processing.objects.filter(office=office).values_list("key", flat=True))
    made = [Processing(office=office, key=row["key"], order=10 * (i + 1),
                       **{f: (row.get(f) or "").strip() for f in FIELDS})
            for i, row in enumerate(shipped_register()) if row["key"] not in have]
    Processing.objects.bulk_create(made)
    return len(made)


@transaction.atomic
def officer_demo_create(*, office: Office, user) -> int:
    """The demo install's privacy officer (the demo Kasubbag Umum), reached through the office's
    own e-mail and telephone; none when the office has one already."""
    from loket.offices.signers import staff_name
    from loket.privacy.models import Officer

    staff = getattr(user, "staff", None)
    if staff is None or staff.office_id != office.pk or Officer.objects.filter(office=office).exists():
        return 0
    Officer.objects.create(office=office, user=user, name=staff_name(staff),
                           position=staff.position or staff.get_role_display(), email=office.email,
                           telephone=office.telephone or "-", decree="DEMO — bukan keputusan resmi")
    return 1


# --- who read what (issue 19 item 5; UU 27/2022 Pasal 31 and 32) ----------------------------------

def _staff_user(actor):
    """The account to record, or None for someone who is not signed in (nothing to record: the
    public pages never show a full NIK)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def access_record(*, actor, office_id: int, kind: str, purpose: str, fields: str, record: str = "",
                  subject_nik: str = "", period_start=None, period_end=None) -> Access | None:
    """One showing of a person's full NIK, KK number, telephone or address to ``actor``, or one
    export that contains them (then ``period_start``/``period_end``: what it covered, both empty
    for everything). Written by the screen or export itself, in the request that shows it."""
    user = _staff_user(actor)
    if user is None:
        return None
    return Access.objects.create(office_id=office_id, actor=user, at=timezone.now(), kind=kind, record=record[:40],
                                 subject_nik=subject_nik or "", fields=fields[:120], purpose=purpose[:120],
                                 period_start=period_start, period_end=period_end)


def access_record_lines(*, actor, office_id: int, kind: str, purpose: str, fields: str,
                        lines: Iterable[tuple[str, str]]) -> int:
    """One access row per (record, NIK) shown on one screen (a page of a register shows up to
    fifty people): one insert for all of them."""
    user = _staff_user(actor)
    if user is None:
        return 0
    at = timezone.now()
    rows = [Access(office_id=office_id, actor=user, at=at, kind=kind, record=(record or "")[:40],
                   subject_nik=nik or "", fields=fields[:120], purpose=purpose[:120])
            for record, nik in lines]
    Access.objects.bulk_create(rows)
    return len(rows)


def shown_fields(**shown) -> str:
    """The names of what a screen showed in full, e.g. shown_fields(nik=True, telepon="0812…",
    alamat="") -> "NIK, telepon": a value that is empty was not shown."""
    names = {"nik": "NIK", "kk": "nomor KK", "telepon": "telepon", "alamat": "alamat", "email": "e-mail"}
    return ", ".join(names.get(k, k) for k, v in shown.items() if v)


def export_period(filters: dict):
    """The first and last day an export of a book covered, from its filters (``year``,
    ``date_from``, ``date_to``): (None, None) when it covered every year."""
    import datetime as dt

    start, end = filters.get("date_from"), filters.get("date_to")
    year = filters.get("year")
    if year:
        start = max(start, dt.date(year, 1, 1)) if start else dt.date(year, 1, 1)
        end = min(end, dt.date(year, 12, 31)) if end else dt.date(year, 12, 31)
    return start, end
