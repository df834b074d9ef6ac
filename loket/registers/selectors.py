"""Reads of the register books: the entries of an office's book, filtered as the Buku Register
screen and its exports ask, with what the dossier has become since (its state, its handover)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from loket.dossiers.models import Dossier, Transition
from loket.offices.models import Kelurahan, Office
from loket.registers.models import RegisterEntry


def _local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the office's time zone (settings.TIME_ZONE, Asia/Jakarta)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def register_entries(
    *,
    office: Office,
    kind: str,
    year: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    service_code: str = "",
    kelurahan: str = "",
    state: str = "",
) -> QuerySet[RegisterEntry]:
    """The entries of the office's books of ``kind``, newest year first, then by number as the
    book reads. Each row carries:

    - ``handed_over_at``: when the registered dossier was handed over (None if not yet);
    - ``service_code``: the code of the dossier's service ("" / None for an entry without dossier);
    - ``dossier_state``: the dossier's current state.

    Filters (each optional): the book's ``year``; ``date_from``/``date_to`` on the local
    (Asia/Jakarta) date of ``entered_at``, both inclusive; ``service_code``; ``kelurahan`` as a
    kelurahan code of this office or as the name the entry records; ``state`` of the dossier.

    One query renders any number of rows (the book is joined, the rest are annotations)."""
    handed_over = (
        Transition.objects.filter(dossier__register_entry=OuterRef("pk"), to_state=Dossier.State.HANDED_OVER)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    qs = (
        RegisterEntry.objects.filter(book__office=office, book__kind=kind)
        .select_related("book")
        .annotate(
            handed_over_at=Subquery(handed_over),
            service_code=F("dossier__service__code"),
            dossier_state=F("dossier__state"),
        )
    )
    if year:
        qs = qs.filter(book__year=year)
    # Bounds in local time keep the index on entered_at usable (no per-row date conversion).
    if date_from:
        qs = qs.filter(entered_at__gte=_local_midnight(date_from))
    if date_to:
        qs = qs.filter(entered_at__lt=_local_midnight(date_to + dt.timedelta(days=1)))
    if service_code:
        qs = qs.filter(dossier__service__code=service_code)
    if kelurahan:
        # The entry keeps the kelurahan's name as it was at registration (the applicant may
        # move later); the screen's filter sends the kelurahan's region code.
        names = Kelurahan.objects.filter(office=office, code=kelurahan).values("name")
        qs = qs.filter(Q(kelurahan__in=Subquery(names)) | Q(kelurahan__iexact=kelurahan))
    if state:
        qs = qs.filter(dossier__state=state)
    return qs.order_by("-book__year", "number", "pk")
