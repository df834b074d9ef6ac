"""The hall's (rentals) rows of the authorization matrix: public availability and quote, staff
screens, and the acts on a booking through the web and the API.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations


from django.urls import reverse

from loket.rentals import services as rental_services
from loket.rentals.models import Booking, HallTreasury, Venue
from tests.rentals.conftest import next_month as rental_next_month
from tests.rentals.conftest import order as rental_order
from tests.support.authz import API, API_PUBLIC, PAGE, POST403, PUBLIC, PUBLIC_WEB, STAFF
from tests.support.authz import Entry, builder, r


# The hall (loket/rentals/services.py): the Bendahara and the Kasubbag Umum (kasi_other heads the
# mini office's subbagian) take orders and act; only the Bendahara records a payment.
RENTAL_HANDLERS = frozenset({"bendahara", "kasi_other"})
RENTAL_ACTS = {  # action: (state acted on, roles past the permission layer, form data)
    "confirm": ("inquiry", RENTAL_HANDLERS, {}),
    "pay": ("booked", frozenset({"bendahara"}), None),
    "cancel": ("booked", RENTAL_HANDLERS, {"reason": "Acara diundur."}),
    "use": ("paid", RENTAL_HANDLERS, {}),  # the day is still ahead: refused by state (a message), past authorization
}


def _rental_form(**over) -> dict:
    """The order as the web form posts it: a checkbox not ticked is not sent at all."""
    data = rental_order(venue="aula", session="siang", parking=False, **over)
    return {**{k: ("1" if v is True else v) for k, v in data.items() if v is not False}, "aksi": "pesan"}


def _rental_url(name, state="booked", **extra):
    return lambda w: reverse(name, kwargs={"code": w.booking(state).code, **extra})


def _rental_data(action):
    def data(w):
        state, _, form = RENTAL_ACTS[action]
        return form if form is not None else {"amount": str(w.booking(state).total)}
    return data


@builder
def booking(w, state: str = "booked") -> Booking:
    """A hall booking of the mini office (its tariff has the Siang session and cleaning), on
    its own day next month, brought to ``state`` by the Bendahara."""
    if ("b", state) not in w.made:
        venue = Venue.objects.get_or_create(office=w.office, code="aula",
                                            defaults={"name": "Aula", "capacity": 400})[0]
        HallTreasury.objects.get_or_create(office=w.office)  # the office's deposit rule (an admin row)
        day = rental_next_month(1 + len([k for k in w.made if k[0] == "b"]))
        b = rental_services.booking_create(office=w.office, actor=w.people["bendahara"],
                                           data=rental_order(venue=venue.code, date=day.isoformat(), session="siang",
                                                             parking=False, renter_type="swasta"),
                                           inquiry=state == "inquiry")
        if state in ("paid", "used"):
            rental_services.booking_pay(code=b.code, actor=w.people["bendahara"], amount=b.total)
        b = Booking.objects.get(pk=b.pk)
        assert b.state == state
        w.made[("b", state)] = b
    return w.made[("b", state)]


@builder
def paid_receipt(w, tag: str) -> Booking:
    """A paid booking of its own (one per row that deposits it), on a day of its own next month."""
    if ("receipt", tag) not in w.made:
        venue = Venue.objects.get_or_create(office=w.office, code="aula", defaults={"name": "Aula", "capacity": 400})[0]
        day = rental_next_month(20 + len([k for k in w.made if k[0] == "receipt"]))
        b = rental_services.booking_create(office=w.office, actor=w.people["bendahara"],
                                           data=rental_order(venue=venue.code, date=day.isoformat(), session="siang",
                                                             parking=False, renter_type="swasta"))
        w.made[("receipt", tag)] = rental_services.booking_pay(code=b.code, actor=w.people["bendahara"], amount=b.total)
    return w.made[("receipt", tag)]


def _deposit_data(tag):
    from django.utils import timezone

    def data(w):
        b = w.paid_receipt(tag)
        return {"receipts": [b.code], "date": timezone.localdate().isoformat(), "reference": "NTB 7",
                "amount": b.total if tag == "api" else str(b.total)}
    return data


def _sts_url(w):
    from django.utils import timezone

    from loket.rentals.models import Deposit

    d = Deposit.objects.filter(office=w.office).select_related("register_entry__book").first()
    if d is None:
        b = w.paid_receipt("sts")
        d = rental_services.deposit_record(office=w.office, actor=w.people["bendahara"], receipts=[b.code],
                                           date=timezone.localdate().isoformat(), reference="NTB 8", amount=b.total)
    return reverse("rentals:sts_pdf", args=[d.register_entry.book.year, d.register_entry.number])


ROWS: list[Entry] = [
    Entry("rentals_public:availability", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: (w.booking(), reverse("rentals_public:availability", args=[w.office.slug]))[1]),
    # --- the hall: staff screens (every role looks; the services decide who may act) ---------------
    Entry("rentals:board", "GET", PAGE, STAFF, lambda w: (w.booking(), reverse("rentals:board"))[1]),
    Entry("rentals:new", "GET", PAGE, RENTAL_HANDLERS, r("rentals:new")),
    Entry("rentals:new", "POST", POST403, RENTAL_HANDLERS, r("rentals:new"), ok=302,
          data=lambda w: (w.booking(), _rental_form(date=rental_next_month(28).isoformat()))[1],
          ok_location=lambda who, w: reverse("rentals:detail", kwargs={"code": Booking.objects.latest("pk").code})),
    Entry("rentals:detail", "GET", PAGE, STAFF, _rental_url("rentals:detail")),
    Entry("rentals:paper", "GET", PAGE, STAFF, _rental_url("rentals:paper", paper="penawaran"), variant="penawaran"),
    Entry("rentals:paper", "GET", PAGE, STAFF, _rental_url("rentals:paper", "paid", paper="kuitansi"), variant="kuitansi"),
    *[
        Entry("rentals:act", "POST", POST403, roles, _rental_url("rentals:act", state, action=action), ok=302,
              variant=action, data=_rental_data(action),
              ok_location=(lambda st: lambda who, w: reverse("rentals:detail", kwargs={"code": w.booking(st).code}))(state))
        for action, (state, roles, _) in RENTAL_ACTS.items()
    ],
    Entry("rentals:retribution", "GET", PAGE, STAFF, r("rentals:retribution")),
    Entry("rentals:retribution_xlsx", "GET", PAGE, STAFF, r("rentals:retribution_xlsx")),
    Entry("rentals:retribution_pdf", "GET", PAGE, STAFF, r("rentals:retribution_pdf")),
    Entry("rentals:register_xlsx", "GET", PAGE, STAFF,
          lambda w: reverse("rentals:register_xlsx", args=[w.booking().register_entry.book.year])),
    Entry("rentals:register_pdf", "GET", PAGE, STAFF,
          lambda w: reverse("rentals:register_pdf", args=[w.booking().register_entry.book.year])),
    # --- the hall's money (issue 17): every role looks, only the Bendahara deposits ---------------------
    Entry("rentals:paper", "GET", PAGE, STAFF, _rental_url("rentals:paper", paper="skrd"), variant="skrd"),
    Entry("rentals:deposits", "GET", PAGE, STAFF, lambda w: (w.paid_receipt("web"), reverse("rentals:deposits"))[1]),
    Entry("rentals:deposits", "POST", POST403, frozenset({"bendahara"}), r("rentals:deposits"), ok=302,
          data=_deposit_data("web"), ok_location=lambda who, w: reverse("rentals:deposits")),
    Entry("rentals:sts_pdf", "GET", PAGE, STAFF, _sts_url),
    *[Entry(f"rentals:{name}", "GET", PAGE, STAFF, r(f"rentals:{name}"))
      for name in ("cash_book", "cash_book_xlsx", "cash_book_pdf", "reconciliation", "reconciliation_xlsx",
                   "reconciliation_pdf")],
    Entry("api:rental_deposits", "GET", API, STAFF, r("api:rental_deposits")),
    Entry("api:rental_deposits", "POST", API, frozenset({"bendahara"}), r("api:rental_deposits"), ok=201,
          data=_deposit_data("api")),
    Entry("api:rental_reconciliation", "GET", API, STAFF, r("api:rental_reconciliation")),
    Entry("api:rental_availability", "GET", API_PUBLIC, PUBLIC,
          lambda w: (w.booking(), reverse("api:rental_availability") + f"?month={rental_next_month():%Y-%m}&office={w.office.slug}")[1]),
    Entry("api:rental_quote", "POST", API_PUBLIC, PUBLIC, lambda w: (w.booking(), reverse("api:rental_quote"))[1],
          data=lambda w: {"date": rental_next_month().isoformat(), "session": "siang", "government": True, "cleaning": True,
                          "security": False, "parking": False, "office": w.office.slug}),
    Entry("api:rental_bookings", "GET", API, STAFF, lambda w: (w.booking(), reverse("api:rental_bookings"))[1]),
    Entry("api:rental_bookings", "POST", API, RENTAL_HANDLERS, lambda w: (w.booking(), reverse("api:rental_bookings"))[1],
          ok=201, data=lambda w: {**rental_order(venue="aula", date=rental_next_month(27).isoformat(), session="siang",
                                                 parking=False, attendance=100), "inquiry": False}),
    Entry("api:rental_booking", "GET", API, STAFF, _rental_url("api:rental_booking")),
    *[
        Entry("api:rental_booking_act", "POST", API, roles, _rental_url("api:rental_booking_act", state, action=action),
              variant=action, ok=409 if action == "use" else 200,
              data=(lambda a: lambda w: {**(_rental_data(a)(w)), **({"amount": w.booking("booked").total} if a == "pay" else {})})(action))
        for action, (state, roles, _) in RENTAL_ACTS.items()
    ],
]
