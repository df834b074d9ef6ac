"""The public page of an office's service performance (/<office>/kinerja/): the newest published
month (leadership.Publication) and the earlier ones, with the latest published IKM. No login, no
person named; cached for visitors like the other public pages (loket.core.cache)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from loket.catalog.selectors import office_get
from loket.core.cache import public_page
from loket.leadership.models import Publication
from loket.surveys.selectors import publication_latest

EARLIER_SHOWN = 24


def newest_per_month(office) -> list[Publication]:
    """The newest publication of each month, newest month first."""
    seen, out = set(), []
    for p in Publication.objects.filter(office=office).order_by("-year", "-month", "-published_at", "-pk")[:200]:
        if (p.year, p.month) not in seen:
            seen.add((p.year, p.month))
            out.append(p)
    return out[:EARLIER_SHOWN + 1]


@require_GET
@public_page
def board(request, office):
    office = office_get(office)
    months = newest_per_month(office)
    return render(request, "leadership/public_board.html", {
        "office": office, "latest": months[0] if months else None, "earlier": months[1:],
        "ikm": publication_latest(office=office),
    })
