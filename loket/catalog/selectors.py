"""Reads of the catalog."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from loket.catalog import search
from loket.catalog.models import Edition, Requirement, ServiceType
from loket.offices.models import Office


def office_default() -> Office | None:
    """The office shown at "/": LOKET_DEFAULT_OFFICE, else the first one."""
    qs = Office.objects.all()
    if settings.LOKET_DEFAULT_OFFICE:
        return qs.filter(slug=settings.LOKET_DEFAULT_OFFICE).first()
    return qs.order_by("pk").first()


def office_get(slug: str | None) -> Office:
    office = Office.objects.filter(slug=slug).first() if slug else office_default()
    if office is None:
        raise Http404("Kantor tidak ditemukan.")
    return office


def edition_active(*, office: Office) -> Edition | None:
    return Edition.objects.filter(office=office, status=Edition.Status.ACTIVE).select_related("office").first()


def services_of(*, edition: Edition, query: str = "", unit: str = "", fee: str = "") -> QuerySet[ServiceType]:
    """The services of an edition in the standard's order, with everything a page shows
    fetched in a fixed number of queries. ``query`` searches name, product and requirements, and
    finds a service by the words people use for it (e-KTP, akte, PBG, SKCK: loket/catalog/search.py)."""
    qs = (
        ServiceType.objects.filter(edition=edition)
        .select_related("unit", "edition", "edition__office")
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("order")),
            "procedure_steps",
            "tariffs",
        )
        .order_by("number")
    )
    if query:
        for term in search.terms(query):
            w = term.typed
            match = (
                Q(name__icontains=w) | Q(short_name__icontains=w) | Q(product__icontains=w)
                | Q(code__icontains=w) | Q(requirements__text__icontains=w)
            )
            for piece in term.means:  # the words people use (data/synonyms.yaml)
                match |= Q(name__icontains=piece) | Q(short_name__icontains=piece)
            qs = qs.filter(match)
        qs = qs.distinct()
    if unit:
        qs = qs.filter(unit__code=unit)
    if fee:
        qs = qs.filter(fee_kind=fee)
    return qs


# What a list of services shows (name, time, fee, unit): none of the long texts of the standard.
LIST_FIELDS = [
    "id", "edition_id", "number", "code", "name", "short_name", "unit_id", "unit__id", "unit__name", "unit__code",
    "duration_min", "duration_max", "duration_unit", "duration_text", "fee_kind", "fee_text", "fee_percent_cap",
]


def service_rows(*, edition: Edition, query: str = "", unit: str = "", fee: str = "") -> QuerySet[ServiceType]:
    """The services for a list page: filtered like ``services_of``, without the parts and long
    texts a list never shows (they were most of the cost of rendering the list)."""
    return (
        services_of(edition=edition, query=query, unit=unit, fee=fee)
        .prefetch_related(None).select_related("unit").only(*LIST_FIELDS)
    )


def service_get(*, edition: Edition, code: str) -> ServiceType:
    service = services_of(edition=edition).filter(code=code).first()
    if service is None:
        raise Http404(f"Jenis pelayanan '{code}' tidak ada pada edisi ini.")
    return service


# --- Evaluasi Standar Pelayanan: the review notes -------------------------------------------------

def editions_under_review(*, office: Office) -> list[Edition]:
    """The office's editions whose notes the evaluation page shows: drafts first, then the one in
    force, then the archive (newest first in each)."""
    rank = {Edition.Status.DRAFT: 0, Edition.Status.ACTIVE: 1, Edition.Status.ARCHIVED: 2}
    editions = list(Edition.objects.filter(office=office).select_related("office"))
    return sorted(editions, key=lambda e: (rank[e.status], -e.year))


def edition_under_review(*, editions: list[Edition], year: str | int | None = None) -> Edition | None:
    """The edition of ``year`` among ``editions_under_review``; without a year, or with one that
    is not there, the one the evaluation shows by default (a draft first). The page warns and the
    API answers 404 when the edition shown is not the one asked for."""
    wanted = str(year or "").strip()[:4]
    return next((e for e in editions if str(e.year) == wanted), editions[0] if editions else None)


def review_notes(*, edition: Edition) -> list:
    """The review notes of an edition in the standard's order: by service (notes on the whole
    standard first), then component."""
    from loket.catalog.models import ReviewNote

    notes = list(
        ReviewNote.objects.filter(edition=edition)
        .select_related("service", "decided_by", "edition", "edition__office")
    )
    return sorted(notes, key=lambda n: (n.service.number if n.service_id else 0, n.component, n.order))
