"""The registers' query budgets: the Buku Register Pelayanan and its exports.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations

import datetime as dt



from tests.support.budgets import S, PerRow, case, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- staff: the register book ---------------------------------------------------------------
    "staf/register/": {  # register entries
        "GET": 10,
        "GET (every filter)": 10,
    },
    "staf/register/ekspor.xlsx": {"GET": 6},  # register entries
    "staf/register/ekspor.pdf": {"GET": 6},  # register entries
}


# staff: the register book

@case("staf/register/", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED, S.HANDED_OVER)
    w.login("front")
    return same(lambda: w.client.get("/staf/register/"))


@case("staf/register/", "GET (every filter)", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED, S.HANDED_OVER)
    w.login("front")
    today = dt.date.today()
    query = (f"?tahun={today.year}&dari={today - dt.timedelta(days=1)}&sampai={today + dt.timedelta(days=1)}"
             "&layanan=pindah&kelurahan=35.77.09.1001&status=registered")
    return same(lambda: w.client.get(f"/staf/register/{query}"))


@case("staf/register/ekspor.xlsx", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED, S.HANDED_OVER)
    w.login("front")

    return same(lambda: w.client.get("/staf/register/ekspor.xlsx"))


@case("staf/register/ekspor.pdf", "GET", rows=True)
def _(w, n):
    w.dossiers(n, S.REGISTERED, S.HANDED_OVER)
    w.login("front")
    return same(lambda: w.client.get("/staf/register/ekspor.pdf"))
