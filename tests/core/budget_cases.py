"""Loket-wide query budgets: health, language, log in and out.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations




from tests.support.budgets import PerRow, case, each, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- Loket-wide ---------------------------------------------------------------------------
    "healthz/": {"GET": 0},  # nothing (touches no database)
    "bahasa/<str:code>/": {"GET": 0},  # sets a cookie, touches no database
    # --- accounts -------------------------------------------------------------------------------
    "masuk/": {  # nothing
        "GET": 1,
        "POST (log in)": 13,
        "POST (wrong password)": 9,
    },
    "keluar/": {"POST": 6},  # nothing
}


# Loket-wide

@case("healthz/", "GET")
def _(w, n):
    return same(lambda: w.client.get("/healthz/"))


@case("bahasa/<str:code>/", "GET", 302)
def _(w, n):
    return same(lambda: w.client.get("/bahasa/en/?next=/"))


# accounts

@case("masuk/", "GET")
def _(w, n):
    return same(lambda: w.client.get("/masuk/"))


@case("masuk/", "POST (log in)", 302)
def _(w, n):
    return each(lambda: w.client.logout(),
                lambda _: w.client.post("/masuk/", {"username": "petugas", "password": "x-Pass-12345"}))


@case("masuk/", "POST (wrong password)")
def _(w, n):
    # two counted sizes × (warm-up + counted) = 4 failures: below the lockout (AXES_FAILURE_LIMIT)
    return same(lambda: w.client.post("/masuk/", {"username": "petugas", "password": "salah"}))


@case("keluar/", "POST", 302)
def _(w, n):
    return each(lambda: w.login("front"), lambda _: w.client.post("/keluar/"))
