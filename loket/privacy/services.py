"""Acts of the privacy area: giving an office the shipped register of processing."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from loket.offices.models import Office
from loket.privacy.models import Processing

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
