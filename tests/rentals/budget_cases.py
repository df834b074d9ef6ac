"""The hall's (rentals) query budgets: public availability, staff screens and acts, reports, API.

Each route pattern of the app: its cases and their budgets (BUDGETS), each case measured
by a function registered with ``@case`` (the engine, SMALL/LARGE and PerRow:
tests/support/budgets.py; how to add one: tests/support/README.md). What grows from SMALL to
LARGE is named in the comment of each route."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


from tests.support.budgets import PerRow, case, each, same

BUDGETS: dict[str, dict[str, int | PerRow]] = {
    # --- the hall: bookings of the month (with their slots, register and kuitansi entries) ---------
    "<slug:office>/gedung/": {"GET": 9},
    "staf/gedung/": {"GET (Bendahara)": 7},
    "staf/gedung/baru/": {"GET": 6, "POST (booked, redirect)": 35,  # + the numbered quote and the SKRD issued (register lines, signer, stored papers)
                           "POST (invalid, 400)": 10},
    "staf/gedung/laporan/": {"GET": 6},
    "staf/gedung/laporan.xlsx": {"GET": 6},
    "staf/gedung/laporan.pdf": {"GET": 6},
    "staf/gedung/register/<int:year>.xlsx": {"GET": 5},
    "staf/gedung/register/<int:year>.pdf": {"GET": 5},
    "staf/gedung/<str:code>/": {"GET": 9},
    "staf/gedung/<str:code>/kertas/<slug:paper>.pdf": {"GET kuitansi": 11},
    "staf/gedung/<str:code>/<slug:action>/": {"POST cancel": 14},
    "api/v1/rental/availability/": {"GET": 3},
    "api/v1/rental/quote/": {"POST": 4},
    "api/v1/rental/bookings/": {"GET (token)": 4, "POST (token, 201)": 38},  # + the numbered quote and the SKRD issued
    "api/v1/rental/bookings/<code>/": {"GET (token)": 7},
    "api/v1/rental/bookings/<code>/<action>/": {"POST pay": 24},  # + the kuitansi stored as an issued paper
    # --- the hall's money (issue 17): receipts waiting, deposits (STS), the cash book, the reconciliation ---
    "staf/gedung/kas/": {"GET (Bendahara)": 15, "POST (deposit, redirect)": 16},  # + the STS line and stored paper
    "staf/gedung/kas/sts/<int:year>/<int:number>.pdf": {"GET": 7},
    "staf/gedung/kas/buku/": {"GET": 16},  # opening balance, receipts, STSs with their receipts, holidays
    "staf/gedung/kas/buku.xlsx": {"GET": 16},
    "staf/gedung/kas/buku.pdf": {"GET": 16},
    "staf/gedung/kas/rekonsiliasi/": {"GET": 13},  # one aggregate per line
    "staf/gedung/kas/rekonsiliasi.xlsx": {"GET": 13},
    "staf/gedung/kas/rekonsiliasi.pdf": {"GET": 13},
    "api/v1/rental/deposits/": {"GET (token)": 12, "POST (token, 201)": 21},
    "api/v1/rental/reconciliation/": {"GET (token)": 11},
}


# --- the hall -------------------------------------------------------------------------------------

def _hall(w) -> None:
    from loket.rentals.models import Venue

    Venue.objects.get_or_create(office=w.office, code="aula", defaults={"name": "Aula", "capacity": 400})


def _hall_order(w, **over) -> dict:
    """An order for the next free day from the 1st of next month on (the world is built twice,
    for SMALL and LARGE rows: each booking takes its own day)."""
    from tests.rentals.conftest import next_month, order

    w._hall_days = getattr(w, "_hall_days", 0) + 1
    day = next_month(1) + dt.timedelta(days=w._hall_days - 1)
    return order(venue="aula", date=day.isoformat(), session="siang", parking=False, renter_type="opd", **over)


def _hall_bookings(w, n, *, paid: bool = True) -> list:
    """n bookings on days 1..n of next month, every other one paid."""
    from loket.rentals import services as rental_services

    out = []
    for i in range(n):
        b = rental_services.booking_create(office=w.office, actor=w.people["bendahara"], data=_hall_order(w))
        if paid and i % 2 == 0:
            b = rental_services.booking_pay(code=b.code, actor=w.people["bendahara"], amount=b.total)
        out.append(b)
    return out


def _next_month_param() -> str:
    from tests.rentals.conftest import next_month

    return f"{next_month():%Y-%m}"


@case("<slug:office>/gedung/", "GET")
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    return same(lambda: w.client.get(f"/{w.office.slug}/gedung/?bulan={_next_month_param()}"))


@case("staf/gedung/", "GET (Bendahara)", rows=True)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    w.login("bendahara")
    return same(lambda: w.client.get(f"/staf/gedung/?bulan={_next_month_param()}"))


@case("staf/gedung/baru/", "GET")
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    w.login("bendahara")
    return same(lambda: w.client.get("/staf/gedung/baru/"))


@case("staf/gedung/baru/", "POST (booked, redirect)", 302)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    w.login("bendahara")
    def form():
        data = _hall_order(w)
        return {**{k: ("1" if v is True else v) for k, v in data.items() if v is not False}, "aksi": "pesan"}

    return each(form, lambda data: w.client.post("/staf/gedung/baru/", data))


@case("staf/gedung/baru/", "POST (invalid, 400)", 400)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    w.login("bendahara")
    return same(lambda: w.client.post("/staf/gedung/baru/", {"aksi": "pesan", "session": "pagi"}))


def _hall_report_case(route, url):
    @case(route, "GET", rows=True)
    def _(w, n):
        _hall(w)
        _hall_bookings(w, n)
        w.login("sekcam")
        return same(lambda: w.client.get(url()))


_hall_report_case("staf/gedung/laporan/", lambda: f"/staf/gedung/laporan/?bulan={timezone.localdate():%Y-%m}")


_hall_report_case("staf/gedung/laporan/", lambda: f"/staf/gedung/laporan/?bulan={timezone.localdate():%Y-%m}")
_hall_report_case("staf/gedung/laporan.xlsx", lambda: f"/staf/gedung/laporan.xlsx?bulan={timezone.localdate():%Y-%m}")


_hall_report_case("staf/gedung/laporan.xlsx", lambda: f"/staf/gedung/laporan.xlsx?bulan={timezone.localdate():%Y-%m}")
_hall_report_case("staf/gedung/laporan.pdf", lambda: f"/staf/gedung/laporan.pdf?bulan={timezone.localdate():%Y-%m}")


_hall_report_case("staf/gedung/laporan.pdf", lambda: f"/staf/gedung/laporan.pdf?bulan={timezone.localdate():%Y-%m}")
_hall_report_case("staf/gedung/register/<int:year>.xlsx", lambda: f"/staf/gedung/register/{timezone.localdate().year}.xlsx")


_hall_report_case("staf/gedung/register/<int:year>.xlsx", lambda: f"/staf/gedung/register/{timezone.localdate().year}.xlsx")
_hall_report_case("staf/gedung/register/<int:year>.pdf", lambda: f"/staf/gedung/register/{timezone.localdate().year}.pdf")


@case("staf/gedung/<str:code>/", "GET")
def _(w, n):
    _hall(w)
    b = _hall_bookings(w, n)[0]
    w.login("bendahara")
    return same(lambda: w.client.get(f"/staf/gedung/{b.code}/"))


@case("staf/gedung/<str:code>/kertas/<slug:paper>.pdf", "GET kuitansi")
def _(w, n):
    _hall(w)
    b = _hall_bookings(w, n)[0]
    w.login("bendahara")
    return same(lambda: w.client.get(f"/staf/gedung/{b.code}/kertas/kuitansi.pdf"))


@case("staf/gedung/<str:code>/<slug:action>/", "POST cancel", 302)
def _(w, n):
    _hall(w)
    booked = [b for b in _hall_bookings(w, max(n, 4), paid=False)]
    w.login("bendahara")
    return each(lambda: booked.pop(), lambda b: w.client.post(f"/staf/gedung/{b.code}/cancel/", {"reason": "Batal."}))


@case("api/v1/rental/availability/", "GET")
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    return same(lambda: w.client.get(f"/api/v1/rental/availability/?month={_next_month_param()}&office={w.office.slug}"))


@case("api/v1/rental/quote/", "POST")
def _(w, n):
    from tests.rentals.conftest import next_month

    _hall(w)
    _hall_bookings(w, n)
    return same(lambda: w.client.post("/api/v1/rental/quote/", {
        "date": next_month().isoformat(), "session": "siang", "government": True, "cleaning": True, "security": False,
        "parking": False, "office": w.office.slug}, content_type="application/json"))


@case("api/v1/rental/bookings/", "GET (token)", rows=True)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    return same(lambda: w.client.get("/api/v1/rental/bookings/", **w.token("bendahara")))


@case("api/v1/rental/bookings/", "POST (token, 201)", 201)
def _(w, n):
    _hall(w)
    _hall_bookings(w, n)
    return each(lambda: {**_hall_order(w), "inquiry": False},
                lambda data: w.client.post("/api/v1/rental/bookings/", data, content_type="application/json",
                                           **w.token("bendahara")))


@case("api/v1/rental/bookings/<code>/", "GET (token)")
def _(w, n):
    _hall(w)
    b = _hall_bookings(w, n)[0]
    return same(lambda: w.client.get(f"/api/v1/rental/bookings/{b.code}/", **w.token("bendahara")))


@case("api/v1/rental/bookings/<code>/<action>/", "POST pay")
def _(w, n):
    _hall(w)
    booked = _hall_bookings(w, max(n, 4), paid=False)
    return each(lambda: booked.pop(), lambda b: w.client.post(
        f"/api/v1/rental/bookings/{b.code}/pay/", {"amount": b.total}, content_type="application/json",
        **w.token("bendahara")))


# --- the hall's money: deposits (STS), the cash book, the reconciliation -----------------------------

def _paid_receipts(w, n) -> list:
    """n paid bookings (every one), none deposited yet."""
    from loket.rentals import services as rental_services

    out = []
    for _ in range(n):
        b = rental_services.booking_create(office=w.office, actor=w.people["bendahara"], data=_hall_order(w))
        out.append(rental_services.booking_pay(code=b.code, actor=w.people["bendahara"], amount=b.total))
    return out


def _deposit(w, receipts):
    from loket.rentals import services as rental_services

    return rental_services.deposit_record(office=w.office, actor=w.people["bendahara"],
                                          receipts=[b.code for b in receipts], date=timezone.localdate().isoformat(),
                                          reference="NTB 1", amount=sum(b.total for b in receipts))


def _kas_world(w, n) -> None:
    """n paid receipts, half of them deposited (one STS each)."""
    _hall(w)
    receipts = _paid_receipts(w, n)
    for b in receipts[: n // 2]:
        _deposit(w, [b])


@case("staf/gedung/kas/", "GET (Bendahara)", rows=True)
def _(w, n):
    _kas_world(w, n)
    w.login("bendahara")
    return same(lambda: w.client.get("/staf/gedung/kas/"))


@case("staf/gedung/kas/", "POST (deposit, redirect)", 302)
def _(w, n):
    _hall(w)
    waiting = _paid_receipts(w, max(n, 4))
    w.login("bendahara")
    return each(lambda: waiting.pop(), lambda b: w.client.post("/staf/gedung/kas/", {
        "receipts": [b.code], "date": timezone.localdate().isoformat(), "reference": "NTB 2", "amount": str(b.total)}))


@case("staf/gedung/kas/sts/<int:year>/<int:number>.pdf", "GET")
def _(w, n):
    _kas_world(w, max(n, 2))
    from loket.rentals.models import Deposit

    d = Deposit.objects.select_related("register_entry__book").filter(office=w.office).first()
    w.login("sekcam")
    return same(lambda: w.client.get(f"/staf/gedung/kas/sts/{d.register_entry.book.year}/{d.register_entry.number}.pdf"))


def _kas_case(route, url, rows=True):
    @case(route, "GET", rows=rows)
    def _(w, n):
        _kas_world(w, n)
        w.login("sekcam")
        return same(lambda: w.client.get(url()))


_kas_case("staf/gedung/kas/buku/", lambda: "/staf/gedung/kas/buku/")
_kas_case("staf/gedung/kas/buku.xlsx", lambda: "/staf/gedung/kas/buku.xlsx")
_kas_case("staf/gedung/kas/buku.pdf", lambda: "/staf/gedung/kas/buku.pdf")
_kas_case("staf/gedung/kas/rekonsiliasi/", lambda: "/staf/gedung/kas/rekonsiliasi/", rows=False)
_kas_case("staf/gedung/kas/rekonsiliasi.xlsx", lambda: "/staf/gedung/kas/rekonsiliasi.xlsx", rows=False)
_kas_case("staf/gedung/kas/rekonsiliasi.pdf", lambda: "/staf/gedung/kas/rekonsiliasi.pdf", rows=False)


@case("api/v1/rental/deposits/", "GET (token)", rows=True)
def _(w, n):
    _kas_world(w, n)
    return same(lambda: w.client.get("/api/v1/rental/deposits/", **w.token("bendahara")))


@case("api/v1/rental/deposits/", "POST (token, 201)", 201)
def _(w, n):
    _hall(w)
    waiting = _paid_receipts(w, max(n, 4))
    return each(lambda: waiting.pop(), lambda b: w.client.post("/api/v1/rental/deposits/", {
        "receipts": [b.code], "date": timezone.localdate().isoformat(), "reference": "NTB 3", "amount": b.total},
        content_type="application/json", **w.token("bendahara")))


@case("api/v1/rental/reconciliation/", "GET (token)")
def _(w, n):
    _kas_world(w, n)
    return same(lambda: w.client.get("/api/v1/rental/reconciliation/", **w.token("bendahara")))
