"""Reads of the privacy area: the office's public notice."""

from __future__ import annotations

from dataclasses import dataclass

from loket.offices.models import Office
from loket.privacy.models import Officer, Processing


@dataclass
class Notice:
    office: Office
    activities: list[Processing]
    officer: Officer | None


def notice(*, office: Office) -> Notice:
    """What the public notice shows: the active activities in order, and the officer."""
    return Notice(office=office,
                  activities=list(Processing.objects.filter(office=office, active=True).order_by("order", "pk")),
                  officer=Officer.objects.filter(office=office).first())
