"""The public board of an office's IKM (Permenpan RB 14/2017 Bab IV: the result of the survey is
published): /<office>/ikm/, no login, the latest Publication and the earlier ones below it.

Only what the snapshot froze at publication is shown: the IKM, its grade, the NRR of each
element, the result per service and per unit, the respondents and the weight. Never the names
of staff (who published) or respondents, nor the suggestions (free text that may carry personal
data). Cached for visitors like the catalog's pages (loket.core.cache): a new publication shows
within a minute."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.shortcuts import render
from django.views.decorators.http import require_GET

from loket.catalog.selectors import office_get
from loket.core.cache import public_page
from loket.surveys import selectors
from loket.surveys.models import Setting

EARLIER_SHOWN = 20


def angka(value, places: int = 2) -> str:
    """84.5 → "84,50": Indonesian decimal comma, half up to ``places``."""
    if value is None:
        return "—"
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _groups(rows) -> list[dict]:
    return [{"name": g.get("name") or "", "respondents": g.get("respondents", 0), "unit": angka(g.get("ikm_unit")),
             "grade": g.get("grade") or "", "label": g.get("label") or ""} for g in rows or []]


def _board(pub) -> dict:
    data = pub.data or {}
    result = data.get("ikm") or {}
    return {
        "pub": pub,
        "unit": angka(pub.ikm_unit),
        "weight": Setting.Weight(pub.weight).label if pub.weight in Setting.Weight.values else pub.weight,
        "elements": [{"name": e["name"], "nrr": angka(e["nrr"], 4), "weighted": angka(e["weighted"], 4)}
                     for e in result.get("elements", [])],
        "ikm": angka(result.get("ikm"), 4) if result.get("ikm") is not None else "",
        "population": data.get("population"),
        "sample_min": data.get("sample_min"),
        "by_service": _groups(data.get("by_service")),
        "by_unit": _groups(data.get("by_unit")),
    }


@require_GET
@public_page
def board(request, office):
    office = office_get(office)
    rows = list(selectors.publications(office=office)[:EARLIER_SHOWN + 1])
    latest = _board(rows[0]) if rows else None
    earlier = [{"pub": p, "unit": angka(p.ikm_unit)} for p in rows[1:]]
    return render(request, "surveys/board.html", {"office": office, "latest": latest, "earlier": earlier})
