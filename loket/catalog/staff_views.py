"""Staff screen of the catalog: Evaluasi Standar Pelayanan (the review notes of each edition and
their decisions on a draft). Views only call selectors, services and the act table."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from loket.catalog import policy, selectors, services
from loket.catalog.models import ReviewNote
from loket.core.errors import WrongState
from loket.core.web import office_of, staff_required


def _must_read(request):
    if not policy.may_read(request.user):
        raise PermissionDenied(policy.READERS_TEXT)


@staff_required
@require_GET
def evaluation(request):
    """Per service and component: what changed in the law since the edition was signed and the
    known errors of its text (Permenpan RB 15/2014, periodic evaluation of the standard)."""
    _must_read(request)
    editions = selectors.editions_under_review(office=office_of(request))
    wanted = request.GET.get("edisi", "").strip()[:4]
    edition = selectors.edition_under_review(editions=editions, year=wanted)
    if wanted and edition is not None and str(edition.year) != wanted:
        messages.warning(request, _("Edisi %(year)s tidak ada; ditampilkan edisi %(shown)s.") % {
            "year": wanted, "shown": edition.year})
    notes = selectors.review_notes(edition=edition) if edition else []
    for n in notes:
        n.may_decide = "decide" in policy.acts_allowed(n, request.user)
    groups = [(service, list(rows)) for service, rows in groupby(notes, key=lambda n: n.service)]
    counts = {s: sum(1 for n in notes if n.status == s) for s in ReviewNote.Status.values}
    return render(request, "catalog/evaluation.html", {
        "editions": editions, "edition": edition, "groups": groups, "notes": notes, "counts": counts,
        "statuses": ReviewNote.Status.choices,
    })


@staff_required
@require_POST
def decide(request, pk):
    """Decide one note of a draft edition (the act table decides who and when)."""
    try:
        note = services.review_note_decide(
            note_id=pk, office=office_of(request), actor=request.user,
            status=request.POST.get("status", ""), decision_note=request.POST.get("decision_note", ""),
        )
    except ReviewNote.DoesNotExist:
        raise Http404(_("Catatan evaluasi tidak ditemukan.")) from None
    except (WrongState, services.EditionError) as exc:
        messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        note = ReviewNote.objects.select_related("edition").get(pk=pk)
    else:
        messages.success(request, _("Catatan disimpan: %(status)s.") % {"status": note.get_status_display()})
    return redirect(f"{reverse('catalog_staff:evaluation')}?edisi={note.edition.year}#catatan-{note.pk}")
