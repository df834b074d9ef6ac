"""The shipped retention schedule (loket/privacy/data/retention.yaml): the record types Loket
knows, what happens to each when its period has passed, the default period and its source; and
the act that gives an office its ``RetentionPeriod`` rows (UU 27/2022 Pasal 42-44). The schedule
itself is carried out by loket/subjects/retention.py (``loket retention``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from loket.offices.models import Office
from loket.privacy.models import RetentionPeriod

RETENTION_FILE = Path(__file__).parent / "data" / "retention.yaml"
ACTIONS = ("anonymise", "delete", "delete-file", "keep")
SCOPES = ("kantor", "server")


@dataclass(frozen=True)
class Kind:
    """One record type of the schedule as shipped."""

    kind: str
    label: str
    action: str
    months: int | None  # None: kept (Loket never removes it)
    scope: str
    what: str
    source: str

    @property
    def kept(self) -> bool:
        return self.action == "keep"


@cache
def shipped_retention() -> tuple[Kind, ...]:
    """Every kind of the file, in its order; a malformed row stops with the file and the kind."""
    rows = yaml.safe_load(RETENTION_FILE.read_text(encoding="utf-8"))
    kinds, seen = [], set()
    for row in rows:
        name = row.get("kind", "?")
        unknown = set(row) - {"kind", "label", "action", "months", "scope", "what", "source"}
        months = row.get("months")
        keep = row.get("action") == "keep"
        if (unknown or name in seen or row.get("action") not in ACTIONS or row.get("scope") not in SCOPES
                or keep != (months is None) or (months is not None and (not isinstance(months, int) or months < 0))
                or len(name) > RetentionPeriod._meta.get_field("kind").max_length):
            raise ValueError(f"{RETENTION_FILE}: kind {name}: unknown {sorted(unknown)}, or a bad action, scope or months")
        seen.add(name)
        kinds.append(Kind(kind=name, label=row["label"].strip(), action=row["action"], months=months,
                          scope=row["scope"], what=" ".join(row["what"].split()),
                          source=" ".join(row["source"].split())))
    return tuple(kinds)


def kind_of(name: str) -> Kind | None:
    return next((k for k in shipped_retention() if k.kind == name), None)


def period_choices() -> list[tuple[str, str]]:
    """The kinds an office sets a period for (the admin's choices): every kind but the kept ones."""
    return [(k.kind, k.label) for k in shipped_retention() if not k.kept]


@transaction.atomic
def retention_defaults_create(*, office: Office) -> int:
    """The shipped periods the office does not have yet (by kind; rows the office changed are kept
    as they are). Returns how many were added."""
    have = set(RetentionPeriod.objects.filter(office=office).values_list("kind", flat=True))
    made = [RetentionPeriod(office=office, kind=k.kind, months=k.months, source=k.source)
            for k in shipped_retention() if not k.kept and k.kind not in have]
    RetentionPeriod.objects.bulk_create(made)
    return len(made)
