"""The catalog's query budgets: the public service standard (offices, services, the PDF) and its API.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations




from tests.support.budgets import PerRow, case, each, htmx, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- public catalog -------------------------------------------------------------------------
    "": {  # offices
        "GET (one office: redirect)": 2,
        "GET ?semua=1 (list of offices)": 3,
    },
    "<slug:office>/": {"GET": 4},  # services of the edition
    "<slug:office>/layanan/": {  # services of the edition
        "GET": 5,
        "GET ?q= (htmx rows)": 3,
    },
    "<slug:office>/layanan/<slug:code>/": {"GET": 7},  # requirements, procedure steps, tariffs of the service
    "<slug:office>/standar-pelayanan.pdf": {"GET": 6},  # services of the edition
    # --- Evaluasi Standar Pelayanan (staff) -----------------------------------------------------
    "staf/standar/evaluasi/": {"GET": 6},  # review notes of the draft
    "staf/standar/evaluasi/<int:pk>/putuskan/": {"POST (decide, redirect)": 8},
    "api/v1/staff/standard/review-notes/": {"GET (token)": 4},  # review notes of the draft
    "api/v1/staff/standard/review-notes/<pk>/decide/": {"POST (token)": 7},
    "api/v1/services/": {"GET": 6},  # services of the edition
    "api/v1/services/<code>/": {"GET": 6},  # requirements, procedure steps, tariffs of the service
}


# public catalog

@case("", "GET (one office: redirect)", 302)
def _(w, n):
    return same(lambda: w.client.get("/"))


@case("", "GET ?semua=1 (list of offices)", rows=True)
def _(w, n):
    w.offices(n)
    return same(lambda: w.client.get("/?semua=1"))


@case("<slug:office>/", "GET", rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.get("/contoh/"))


@case("<slug:office>/layanan/", "GET", rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.get("/contoh/layanan/"))


@case("<slug:office>/layanan/", "GET ?q= (htmx rows)", rows=True)
def _(w, n):
    w.services(n)  # every copy of 'pindah' matches
    return same(lambda: w.client.get("/contoh/layanan/?q=pindah&biaya=free", **htmx()))


@case("<slug:office>/layanan/<slug:code>/", "GET", rows=True)
def _(w, n):
    code = w.service(n)
    return same(lambda: w.client.get(f"/contoh/layanan/{code}/"))


@case("<slug:office>/standar-pelayanan.pdf", "GET", rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.get("/contoh/standar-pelayanan.pdf"))


@case("api/v1/services/", "GET", rows=True)
def _(w, n):
    w.services(n)
    return same(lambda: w.client.get("/api/v1/services/?office=contoh"))


@case("api/v1/services/<code>/", "GET", rows=True)
def _(w, n):
    code = w.service(n)
    return same(lambda: w.client.get(f"/api/v1/services/{code}/"))


# Evaluasi Standar Pelayanan

def _draft_with_notes(w, n):
    from loket.catalog.models import Edition, ReviewNote
    from loket.catalog.services import edition_copy

    active = Edition.objects.get(office=w.office, status=Edition.Status.ACTIVE)
    draft = edition_copy(edition=active, year=active.year + n)  # SMALL and LARGE each get their own draft
    services = list(draft.services.all())
    ReviewNote.objects.bulk_create(
        ReviewNote(edition=draft, key=f"catatan-{i}", order=i, component=1 + i % 14, kind="law_change",
                   text=f"Catatan evaluasi nomor {i}.", source="UU 10/2020", service=services[i % len(services)])
        for i in range(n)
    )
    return draft


@case("staf/standar/evaluasi/", "GET", rows=True)
def _(w, n):
    draft = _draft_with_notes(w, n)
    w.login("camat")
    return same(lambda: w.client.get(f"/staf/standar/evaluasi/?edisi={draft.year}"))


@case("staf/standar/evaluasi/<int:pk>/putuskan/", "POST (decide, redirect)", 302)
def _(w, n):
    draft = _draft_with_notes(w, max(n, 2))
    notes = list(draft.review_notes.order_by("pk"))
    w.login("camat")
    return each(lambda: notes.pop(), lambda note: w.client.post(
        f"/staf/standar/evaluasi/{note.pk}/putuskan/", {"status": "applied", "decision_note": "Ya."}))


@case("api/v1/staff/standard/review-notes/", "GET (token)", rows=True)
def _(w, n):
    draft = _draft_with_notes(w, n)
    headers = w.token("camat")
    return same(lambda: w.client.get(f"/api/v1/staff/standard/review-notes/?edition={draft.year}", **headers))


@case("api/v1/staff/standard/review-notes/<pk>/decide/", "POST (token)")
def _(w, n):
    draft = _draft_with_notes(w, max(n, 2))
    notes = list(draft.review_notes.order_by("pk"))
    headers = w.token("camat")
    return each(lambda: notes.pop(), lambda note: w.client.post(
        f"/api/v1/staff/standard/review-notes/{note.pk}/decide/", {"status": "applied", "decision_note": "Ya."},
        content_type="application/json", **headers))
