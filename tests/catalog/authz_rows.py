"""The catalog's rows of the authorization matrix: the public service standard and its API.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations


from django.urls import reverse

from tests.support.authz import API, API_PUBLIC, PAGE, POST403, PUBLIC, PUBLIC_WEB
from tests.support.authz import Entry, builder, r

# The evaluation of the standard (loket/catalog/policy.py): the Camat and the office's Admin.
EVALUATORS = frozenset({"camat", "admin"})


@builder
def review_note(w):
    """A review note on a 2019 draft of the mini office's standard (decided on the draft)."""
    if "review_note" not in w.made:
        from loket.catalog.models import Edition, ReviewNote
        from loket.catalog.services import edition_copy

        active = Edition.objects.get(office=w.office, status=Edition.Status.ACTIVE)
        draft = edition_copy(edition=active, year=active.year + 1)
        w.made["review_note"] = ReviewNote.objects.create(
            edition=draft, key="meterai", component=2, kind="law_change", text="Bea meterai Rp 10.000.",
            source="UU 10/2020", service=draft.services.get(code="pindah"))
    return w.made["review_note"]


ROWS: list[Entry] = [
    Entry("catalog:index", "GET", PUBLIC_WEB, PUBLIC, r("catalog:index"), ok=302,
          ok_location=lambda who, w: f"/{w.office.slug}/"),
    Entry("catalog:home", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("catalog:home", args=[w.office.slug])),
    Entry("catalog:service_list", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:service_list", args=[w.office.slug])),
    Entry("catalog:service_detail", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:service_detail", args=[w.office.slug, "pindah"])),
    Entry("catalog:standard_pdf", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:standard_pdf", args=[w.office.slug])),
    # --- Evaluasi Standar Pelayanan (staff) ------------------------------------------------------
    Entry("catalog_staff:evaluation", "GET", PAGE, EVALUATORS,
          lambda w: (w.review_note(), reverse("catalog_staff:evaluation"))[1]),
    Entry("catalog_staff:decide", "POST", POST403, EVALUATORS,
          lambda w: reverse("catalog_staff:decide", args=[w.review_note().pk]), ok=302,
          data=lambda w: {"status": "applied", "decision_note": "Diterapkan pada draf."},
          ok_location=lambda who, w: reverse("catalog_staff:evaluation") + f"?edisi={w.review_note().edition.year}"
          f"#catatan-{w.review_note().pk}"),
    Entry("api:staff_review_notes", "GET", API, EVALUATORS,
          lambda w: (w.review_note(), reverse("api:staff_review_notes"))[1]),
    Entry("api:staff_review_note_decide", "POST", API, EVALUATORS,
          lambda w: reverse("api:staff_review_note_decide", kwargs={"pk": w.review_note().pk}),
          data=lambda w: {"status": "applied", "decision_note": "Diterapkan pada draf."}),
    Entry("api:service_list", "GET", API_PUBLIC, PUBLIC, r("api:service_list")),
    Entry("api:service_detail", "GET", API_PUBLIC, PUBLIC, r("api:service_detail", code="pindah")),
]
