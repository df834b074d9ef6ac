"""The API's query budgets: its root, schema and docs, and the API token screens.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from loket.api.models import ApiToken

from tests.support.budgets import PerRow, case, each, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- API ------------------------------------------------------------------------------------
    "api/v1/": {"GET (404 pointing at the docs)": 0},  # nothing
    "api/v1/schema/": {"GET": 0},  # nothing
    "api/v1/docs/": {"GET": 0},  # nothing
    # --- API tokens (/staf/token/): tokens of the office (with owner, office, issuer, revoker); owners
    "staf/token/": {"GET": 5, "GET ?semua=1": 5},
    "staf/token/baru/": {"GET": 5, "POST (issued, the secret shown)": 8, "POST (invalid, 400)": 8},
    "staf/token/<int:pk>/cabut/": {"GET": 5, "POST (revoked, redirect)": 9},
}


# API

@case("api/v1/", "GET (404 pointing at the docs)", 404)
def _(w, n):
    return same(lambda: w.client.get("/api/v1/"))


@case("api/v1/schema/", "GET")
def _(w, n):
    return same(lambda: w.client.get("/api/v1/schema/"))


@case("api/v1/docs/", "GET")
def _(w, n):
    return same(lambda: w.client.get("/api/v1/docs/"))


# API tokens (/staf/token/): tokens of the office's staff, some revoked, expired or used; owners

def _api_tokens(w, n: int) -> list[ApiToken]:
    """At least n tokens of the office's staff, issued by the admin: every third revoked, every
    fourth expired, the others used once."""
    from loket.api import services as token_services

    have = list(ApiToken.objects.filter(user__staff__office=w.office, name__startswith="perf-token").order_by("pk"))
    staff = [w.people[r] for r in ("front", "kasi", "sekcam", "bendahara")]
    for k in range(len(have), n):
        row, _ = token_services.token_issue(actor=w.people["admin"], owner=staff[k % len(staff)], label=f"perf-token {k}")
        if k % 3 == 2:
            token_services.token_revoke(actor=w.people["admin"], token_id=row.pk)
        elif k % 4 == 3:
            ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
        else:
            token_services.token_touch(token=row, now=timezone.now())
        have.append(row)
    return have


def _token_owners(w, n: int) -> None:
    """At least n more front-office clerks in the office (the owners the form offers)."""
    from loket.offices.services import staff_create

    have = w.office.staff.filter(user__username__startswith="perf.petugas").count()
    for k in range(have, n):
        staff_create(office=w.office, username=f"perf.petugas.{k}", role="front_office", password="x-Pass-12345",
                     full_name=f"Petugas {k}")


@case("staf/token/", "GET", rows=True)
def _(w, n):
    _api_tokens(w, 2 * n)
    w.login("admin")
    return same(lambda: w.client.get("/staf/token/"))


@case("staf/token/", "GET ?semua=1", rows=True)
def _(w, n):
    _api_tokens(w, n)
    w.login("admin")
    return same(lambda: w.client.get("/staf/token/?semua=1"))


@case("staf/token/baru/", "GET", rows=True)
def _(w, n):
    _token_owners(w, n)
    w.login("admin")
    return same(lambda: w.client.get("/staf/token/baru/"))


@case("staf/token/baru/", "POST (issued, the secret shown)")
def _(w, n):
    _token_owners(w, n)
    _api_tokens(w, n)
    w.login("admin")
    owner = str(w.people["front"].pk)
    return same(lambda: w.client.post("/staf/token/baru/", {"owner": owner, "label": "Kelurahan", "expires_days": "90"}))


@case("staf/token/baru/", "POST (invalid, 400)", 400)
def _(w, n):
    _token_owners(w, n)
    w.login("admin")
    return same(lambda: w.client.post("/staf/token/baru/", {"owner": "", "label": ""}))


@case("staf/token/<int:pk>/cabut/", "GET")
def _(w, n):
    row = _api_tokens(w, n)[0]
    w.login("admin")
    return same(lambda: w.client.get(f"/staf/token/{row.pk}/cabut/"))


@case("staf/token/<int:pk>/cabut/", "POST (revoked, redirect)", 302)
def _(w, n):
    from loket.api import services as token_services

    _api_tokens(w, n)
    w.login("admin")

    def fresh():
        return token_services.token_issue(actor=None, owner=w.people["front"], label="dicabut")[0]

    return each(fresh, lambda row: w.client.post(f"/staf/token/{row.pk}/cabut/", {"confirm": "ya"}))
