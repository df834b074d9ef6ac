"""Hall rental API (sewa gedung pertemuan, service 18): the public availability (free/ taken,
never who) and quote against the full Kartoharjo standard, the staff list, create, detail and
acts with the allowed roles (200/201), the other roles (403, nothing saved), wrong states and
taken sessions (409, nothing saved), bad input (400 with Indonesian field errors), unknown or
another office's codes (404), 401 without credentials, 429 for too many public requests, and
the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from loket.api.models import ApiToken
from loket.core.ratelimit import PUBLIC_LOOKUPS_PER_MINUTE
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterEntry
from loket.rentals import services
from loket.rentals.models import Booking, Slot, Transition, Venue
from tests.rentals.conftest import clerks, hall_office, next_month, order  # noqa: F401  (fixtures)

S = Booking.State
AVAILABILITY = "/api/v1/rental/availability/"
QUOTE = "/api/v1/rental/quote/"
BOOKINGS = "/api/v1/rental/bookings/"

SECRET_NAME = "Pemesan Rahasia Zulkarnain"
SECRET_PHONE = "081299988877"
SECRET_EVENT = "Acara Rahasia Tahunan"
SECRET_ORG = "Perkumpulan Rahasia Sejahtera"


@pytest.fixture
def token(clerks):
    def make(role):
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=clerks[role], name='tes')[1]}"}
    return make


def _post(client, url, body=None, headers=None):
    return client.post(url, body if body is not None else {}, content_type="application/json", **(headers or {}))


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _book(clerks, who="bendahara", inquiry=False, **over):
    return services.booking_create(office=clerks[who].staff.office, actor=clerks[who], data=order(**over),
                                   inquiry=inquiry)


def _counts():
    return (Booking.objects.count(), Slot.objects.count(), RegisterEntry.objects.count(), Transition.objects.count())


# --- public: availability ---------------------------------------------------------------------

def _day(body, day: dt.date) -> dict:
    return next(d for d in body["days"] if d["date"] == day.isoformat())


def test_availability_shows_taken_and_free_sessions_and_never_who(client, hall_office, clerks):
    sehari, siang, malam = next_month(10), next_month(12), next_month(14)
    secret = dict(renter_name=SECRET_NAME, phone=SECRET_PHONE, event=SECRET_EVENT, organisation=SECRET_ORG)
    _book(clerks, date=sehari.isoformat(), session="sehari", **secret)
    _book(clerks, date=siang.isoformat(), session="siang", **secret)
    _book(clerks, date=malam.isoformat(), session="malam", **secret)
    _book(clerks, date=next_month(16).isoformat(), session="sehari", inquiry=True, **secret)  # holds nothing
    r = client.get(AVAILABILITY, {"month": _month(sehari)})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["venue"] == {"code": "gedung-pertemuan-karto-praja", "name": "Gedung Pertemuan Karto Praja",
                             "capacity": 400}
    assert body["month"] == _month(sehari)
    assert body["days"][0]["date"] == sehari.replace(day=1).isoformat() and len(body["days"]) >= 28
    assert _day(body, sehari) == {"date": sehari.isoformat(), "siang": "taken", "malam": "taken", "sehari": "taken"}
    assert _day(body, siang) == {"date": siang.isoformat(), "siang": "taken", "malam": "free", "sehari": "taken"}
    assert _day(body, malam) == {"date": malam.isoformat(), "siang": "free", "malam": "taken", "sehari": "taken"}
    assert _day(body, next_month(16)) == {"date": next_month(16).isoformat(), "siang": "free", "malam": "free",
                                         "sehari": "free"}
    assert _day(body, next_month(11))["sehari"] == "free"
    text = r.content.decode()
    for marker in (SECRET_NAME, SECRET_PHONE, SECRET_EVENT, SECRET_ORG, "Zulkarnain", "99988877"):
        assert marker not in text
    assert set(body) == {"venue", "month", "days"}


def test_a_cancelled_booking_frees_its_sessions_in_the_availability(client, hall_office, clerks):
    b = _book(clerks, session="sehari")
    services.booking_cancel(code=b.code, actor=clerks["bendahara"], reason="Acara diundur")
    body = client.get(AVAILABILITY, {"month": _month(next_month())}).json()
    assert _day(body, next_month())["sehari"] == "free"


def test_a_multi_day_booking_is_taken_on_every_day(client, hall_office, clerks):
    _book(clerks, session="siang", days="3")
    body = client.get(AVAILABILITY, {"month": _month(next_month())}).json()
    assert [_day(body, next_month(d))["siang"] for d in (9, 10, 11, 12, 13)] == ["free", "taken", "taken", "taken",
                                                                                "free"]
    assert all(_day(body, next_month(d))["malam"] == "free" for d in (10, 11, 12))


def test_availability_by_office_and_venue(client, hall_office, clerks):
    other = Venue.objects.create(office=hall_office, code="aula-kecil", name="Aula Kecil", capacity=50, order=5)
    _book(clerks, session="sehari")
    r = client.get(AVAILABILITY, {"month": _month(next_month()), "venue": "aula-kecil", "office": hall_office.slug})
    assert r.status_code == 200 and r.json()["venue"]["code"] == other.code
    assert _day(r.json(), next_month())["sehari"] == "free"  # the booking is of the main hall


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "26-01", "2026/01", "januari", "", "1999-12", "2101-01",
                                   "2026-1", " ", "٢٠٢٦-٠١"])
def test_availability_refuses_a_bad_month(client, hall_office, month):
    r = client.get(AVAILABILITY, {"month": month})
    assert r.status_code == 400, r.content
    assert r.json()["errors"]["month"] and r.json()["detail"] == "Data tidak valid."


def test_availability_needs_a_month(client, hall_office):
    r = client.get(AVAILABILITY)
    assert r.status_code == 400 and r.json()["errors"] == {"month": ["Wajib diisi."]}


@pytest.mark.parametrize("month", ["2000-01", "2100-12"])
def test_availability_takes_the_edge_years(client, hall_office, month):
    r = client.get(AVAILABILITY, {"month": month})
    assert r.status_code == 200 and r.json()["month"] == month


@pytest.mark.parametrize("query", [{"office": "tidak-ada"}, {"venue": "tidak-ada"}])
def test_availability_for_an_unknown_office_or_venue_is_404(client, hall_office, query):
    r = client.get(AVAILABILITY, {"month": "2026-01", **query})
    assert r.status_code == 404 and r.json()["detail"]


def test_availability_of_an_office_without_a_hall_is_404(client, hall_office):
    Venue.objects.filter(office=hall_office).update(active=False)
    r = client.get(AVAILABILITY, {"month": "2026-01"})
    assert r.status_code == 404 and "tidak menyewakan" in r.json()["detail"]


def test_availability_is_rate_limited(client, hall_office, one_rate_window):
    statuses = [client.get(AVAILABILITY, {"month": "2026-01"}).status_code
                for _ in range(PUBLIC_LOOKUPS_PER_MINUTE + 1)]
    assert statuses == [200] * PUBLIC_LOOKUPS_PER_MINUTE + [429]


# --- public: quote ------------------------------------------------------------------------------

def _quote(**over) -> dict:
    data = {"date": next_month().isoformat(), "session": "sehari", "government": False, "cleaning": False,
            "security": False, "parking": False}
    data.update(over)
    return data


def test_the_issue_example_quote(client, hall_office):
    r = _post(client, QUOTE, _quote(session="sehari", government=True, cleaning=True, parking=True))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["total"] == 1_350_000
    assert body["total_words"] == "satu juta tiga ratus lima puluh ribu rupiah"
    assert [(x["code"], x["quantity"], x["unit_price"], x["amount"]) for x in body["lines"]] == [
        ("sehari", 1, 1_000_000, 1_000_000), ("kebersihan", 4, 70_000, 280_000), ("parkir", 1, 70_000, 70_000),
    ]
    assert all(set(x) == {"code", "label", "quantity", "unit_price", "amount"} for x in body["lines"])
    assert "50 %" in body["lines"][0]["label"]
    assert any("50 %" in n and "tidak dikurangi" in n for n in body["notes"])
    assert body["edition_year"] == 2018


@pytest.mark.parametrize("over, total, words", [
    ({"session": "siang"}, 1_000_000, "satu juta rupiah"),
    ({"session": "malam"}, 1_500_000, "satu juta lima ratus ribu rupiah"),
    ({"session": "sehari"}, 2_000_000, "dua juta rupiah"),
    ({"session": "siang", "government": True}, 500_000, "lima ratus ribu rupiah"),
    ({"session": "malam", "government": True, "security": True}, 820_000, "delapan ratus dua puluh ribu rupiah"),
    ({"session": "sehari", "cleaning": True, "security": True, "parking": True}, 2_420_000,
     "dua juta empat ratus dua puluh ribu rupiah"),
    ({"session": "malam", "days": 2, "cleaning": True, "security": True, "parking": True}, 3_840_000,
     "tiga juta delapan ratus empat puluh ribu rupiah"),
    ({"session": "siang", "days": 3, "government": True, "security": True}, 1_710_000,
     "satu juta tujuh ratus sepuluh ribu rupiah"),
])
def test_quotes_against_the_standard(client, hall_office, over, total, words):
    r = _post(client, QUOTE, _quote(**over))
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["total"], body["total_words"]) == (total, words)
    assert sum(x["amount"] for x in body["lines"]) == total
    assert all(x["amount"] == x["quantity"] * x["unit_price"] for x in body["lines"])


def test_a_quote_is_the_same_as_the_booking_gets(client, hall_office, clerks):
    r = _post(client, QUOTE, _quote(session="sehari", government=True, cleaning=True, parking=True))
    b = _book(clerks)  # order(): sehari, OPD, cleaning and parking
    assert r.json() == {k: v for k, v in b.quote.items()}


def test_a_private_renter_is_told_why_there_is_no_discount(client, hall_office):
    body = _post(client, QUOTE, _quote(session="siang")).json()
    assert any("hanya untuk pemakaian oleh Pemerintah Daerah" in n for n in body["notes"])


def test_a_quote_saves_nothing(client, hall_office):
    before = _counts()
    assert _post(client, QUOTE, _quote()).status_code == 200
    assert _counts() == before


@pytest.mark.parametrize("over, field, words", [
    ({"session": "pagi"}, "session", "Sesi harus salah satu dari: siang, malam, sehari."),
    ({"session": ""}, "session", "Sesi harus"),
    ({"date": "2020-01-01"}, "date", "Tanggal sudah lewat."),
    ({"date": "31-12-2026"}, "date", "TTTT-BB-HH"),
    ({"date": "besok"}, "date", "TTTT-BB-HH"),
    ({"date": "2026-02-30"}, "date", "TTTT-BB-HH"),
    ({"date": "2999-01-01"}, "date", "dua tahun"),
    ({"days": 0}, "days", "1–7"),
    ({"days": 8}, "days", "1–7"),
    ({"days": "dua"}, "days", "Harus bilangan bulat."),
    ({"days": 1.5}, "days", "Harus bilangan bulat."),
    ({"government": "mungkin"}, "government", "Harus true atau false."),
    ({"parking": [1]}, "parking", "Harus true atau false."),
    ({"date": 20261231}, "date", "Harus berupa teks."),
    ({"session": None}, "session", "Harus berupa teks."),
])
def test_a_bad_quote_request_gets_field_errors(client, hall_office, over, field, words):
    r = _post(client, QUOTE, _quote(**over))
    assert r.status_code == 400, r.content
    errors = r.json()["errors"]
    assert any(words in m for m in errors[field]), errors


def test_a_quote_without_date_and_session(client, hall_office):
    r = _post(client, QUOTE, {})
    assert r.status_code == 400
    assert r.json()["errors"] == {"date": ["Wajib diisi."], "session": ["Wajib diisi."]}


def test_a_quote_reports_every_bad_field_at_once(client, hall_office):
    r = _post(client, QUOTE, _quote(date="2020-01-01", session="pagi", days=9))
    assert r.status_code == 400 and set(r.json()["errors"]) == {"date", "session", "days"}


def test_a_quote_body_that_is_not_json(client, hall_office):
    r = client.post(QUOTE, b"{", content_type="application/json")
    assert r.status_code == 400 and "errors" in r.json()


@pytest.mark.parametrize("over", [{"office": "tidak-ada"}, {"venue": "tidak-ada"}])
def test_a_quote_for_an_unknown_office_or_venue_is_404(client, hall_office, over):
    r = _post(client, QUOTE, _quote(**over))
    assert r.status_code == 404 and r.json()["detail"]


def test_a_quote_the_tariff_cannot_price_is_a_field_error(client, mini_standard):
    """The mini standard has only the Siang session and the cleaning staff."""
    Venue.objects.create(office=mini_standard.office, code="aula", name="Aula", capacity=100)
    assert _post(client, QUOTE, _quote(session="siang", cleaning=True)).json()["total"] == 1_280_000
    r = _post(client, QUOTE, _quote(session="malam"))
    assert r.status_code == 400 and "malam" in r.json()["errors"]["session"][0]
    r = _post(client, QUOTE, _quote(session="siang", parking=True))
    assert r.status_code == 400 and "parkir" in r.json()["errors"]["parking"][0]


def test_the_quote_is_rate_limited(client, hall_office, one_rate_window):
    statuses = [_post(client, QUOTE, _quote()).status_code for _ in range(PUBLIC_LOOKUPS_PER_MINUTE + 1)]
    assert statuses == [200] * PUBLIC_LOOKUPS_PER_MINUTE + [429]
    assert client.get(AVAILABILITY, {"month": "2026-01"}).status_code == 200  # its own count


# --- staff: create ----------------------------------------------------------------------------

def _order_body(**over) -> dict:
    data = order(attendance=150)
    data.update(over)
    return data


@pytest.mark.parametrize("who", ["bendahara", "kasubbag"])
def test_the_bendahara_and_the_kasubbag_take_an_order(client, hall_office, clerks, token, who):
    r = _post(client, BOOKINGS, _order_body(), token(who))
    assert r.status_code == 201, r.content
    body = r.json()
    b = Booking.objects.get(code=body["code"])
    year = b.register_entry.book.year
    assert body["state"] == S.BOOKED and body["state_label"] == "Dipesan"
    assert body["register_number"] == f"1/{year}" and body["receipt_number"] is None
    assert body["total"] == 1_350_000 and body["government"] is True
    assert body["quote"]["total_words"] == "satu juta tiga ratus lima puluh ribu rupiah"
    assert body["phone"] == "081234567890" and body["renter_name"] == "Drs. Bambang"
    assert body["venue"]["code"] == "gedung-pertemuan-karto-praja"
    assert body["date"] == next_month().isoformat() and body["session"] == "sehari"
    assert [(h["from_state"], h["to_state"]) for h in body["history"]] == [("", S.BOOKED)]  # a direct order
    assert body["created_by"] == clerks[who].get_full_name()
    assert Slot.objects.filter(booking=b).count() == 2


def test_an_inquiry_holds_nothing(client, hall_office, clerks, token):
    r = _post(client, BOOKINGS, {**_order_body(), "inquiry": True}, token("bendahara"))
    assert r.status_code == 201, r.content
    assert r.json()["state"] == S.INQUIRY and r.json()["register_number"] is None
    assert not Slot.objects.exists()
    assert _day(client.get(AVAILABILITY, {"month": _month(next_month())}).json(), next_month())["sehari"] == "free"


@pytest.mark.parametrize("first, second", [("sehari", "siang"), ("siang", "sehari"), ("malam", "malam"),
                                           ("sehari", "sehari")])
def test_a_second_booking_of_a_taken_session_is_409_and_saves_nothing(client, hall_office, clerks, token, first,
                                                                       second):
    assert _post(client, BOOKINGS, _order_body(session=first), token("bendahara")).status_code == 201
    before = _counts()
    r = _post(client, BOOKINGS, _order_body(session=second, renter_name="Orang Lain"), token("kasubbag"))
    assert r.status_code == 409, r.content
    assert "sudah dipesan" in r.json()["detail"]
    assert _counts() == before


def test_siang_and_malam_of_one_day_are_both_booked(client, hall_office, clerks, token):
    assert _post(client, BOOKINGS, _order_body(session="siang"), token("bendahara")).status_code == 201
    r = _post(client, BOOKINGS, _order_body(session="malam"), token("bendahara"))
    assert r.status_code == 201 and r.json()["register_number"].startswith("2/")


@pytest.mark.parametrize("who", ["kasi", "front", "sekcam", "camat", "ppat", "admin"])
def test_other_roles_cannot_take_orders(client, hall_office, clerks, token, who):
    r = _post(client, BOOKINGS, _order_body(), token(who))
    assert r.status_code == 403, r.content
    assert "Bendahara Penerimaan" in r.json()["detail"]
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("field, value, words", [
    ("date", "2020-01-01", "sudah lewat"), ("date", "31-12-2026", "TTTT-BB-HH"), ("session", "pagi", "Sesi"),
    ("renter_type", "x", "Jenis pemesan"), ("channel", "fax", "Cara memesan"), ("renter_name", "", "wajib"),
    ("phone", "12", "tidak valid"), ("attendance", 500, "kapasitas"), ("attendance", 0, "1–100000"),
    ("days", 9, "1–7"), ("event", "x" * 201, "paling panjang"), ("venue", "tidak-ada", "Gedung tidak dikenal"),
    ("attendance", "banyak", "Harus bilangan bulat."), ("cleaning", "mungkin", "Harus true atau false."),
    ("renter_name", None, "Harus berupa teks."),
])
def test_bad_orders_get_field_errors_and_save_nothing(client, hall_office, clerks, token, field, value, words):
    r = _post(client, BOOKINGS, _order_body(**{field: value}), token("bendahara"))
    assert r.status_code == 400, r.content
    assert any(words in m for m in r.json()["errors"][field]), r.json()
    assert _counts() == (0, 0, 0, 0)


def test_an_order_without_its_required_fields(client, hall_office, clerks, token):
    r = _post(client, BOOKINGS, {}, token("bendahara"))
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"date", "session", "channel", "renter_type", "renter_name", "phone", "event",
                                       "attendance"}


def test_an_order_the_tariff_cannot_price_is_a_field_error(client, mini_standard):
    from loket.offices.services import roles_sync

    roles_sync()
    office = mini_standard.office
    Venue.objects.create(office=office, code="aula", name="Aula", capacity=100)
    umum = Unit.objects.get(office=office, code="umum")
    user = staff_create(office=office, username="bendahara.mini", role=Role.BENDAHARA, unit=umum,
                        password="x-Pass-12345", full_name="Bendahara Mini").user
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='tes')[1]}"}
    r = _post(client, BOOKINGS, _order_body(session="sehari", attendance=50), headers)
    assert r.status_code == 400 and "sehari" in r.json()["errors"]["session"][0]
    assert _counts() == (0, 0, 0, 0)
    r = _post(client, BOOKINGS, _order_body(session="siang", attendance=50, parking=False), headers)
    assert r.status_code == 201 and r.json()["total"] == 500_000 + 280_000


# --- staff: read --------------------------------------------------------------------------------

def test_the_list_filters_by_month_and_state(client, hall_office, clerks, token):
    a = _book(clerks, session="siang")
    b = _book(clerks, session="malam")
    later = (next_month().replace(day=1) + dt.timedelta(days=40)).replace(day=5)
    c = _book(clerks, date=later.isoformat(), session="sehari", inquiry=True)
    services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=b.total)
    headers = token("bendahara")
    codes_of = lambda r: [x["code"] for x in r.json()]  # noqa: E731
    r = client.get(BOOKINGS, **headers)
    assert r.status_code == 200 and codes_of(r) == [a.code, b.code, c.code]
    assert codes_of(client.get(BOOKINGS, {"month": _month(next_month())}, **headers)) == [a.code, b.code]
    assert codes_of(client.get(BOOKINGS, {"month": _month(later)}, **headers)) == [c.code]
    assert codes_of(client.get(BOOKINGS, {"state": "paid"}, **headers)) == [b.code]
    assert codes_of(client.get(BOOKINGS, {"state": "inquiry", "month": _month(next_month())}, **headers)) == []
    paid = client.get(BOOKINGS, {"state": "paid"}, **headers).json()[0]
    assert paid["receipt_number"].startswith("1/") and paid["paid_amount"] == b.total
    assert "quote" not in paid and "history" not in paid


@pytest.mark.parametrize("query, field", [({"state": "lunas"}, "state"), ({"month": "2026-13"}, "month"),
                                          ({"month": "kemarin"}, "month")])
def test_the_list_refuses_bad_filters(client, hall_office, clerks, token, query, field):
    r = client.get(BOOKINGS, query, **token("bendahara"))
    assert r.status_code == 400 and r.json()["errors"][field]


@pytest.mark.parametrize("who", ["kasi", "front", "sekcam", "camat", "ppat", "admin"])
def test_every_staff_member_reads_but_only_handlers_see_the_phone(client, hall_office, clerks, token, who):
    b = _book(clerks, phone=SECRET_PHONE)
    for r in (client.get(BOOKINGS, **token(who)), client.get(f"{BOOKINGS}{b.code}/", **token(who))):
        assert r.status_code == 200, r.content
        assert SECRET_PHONE not in r.content.decode()
    body = client.get(f"{BOOKINGS}{b.code}/", **token(who)).json()
    assert body["phone"] == "0812*****877" and body["renter_name"] == "Drs. Bambang"
    assert client.get(BOOKINGS, **token(who)).json()[0]["phone"] == "0812*****877"


@pytest.mark.parametrize("who", ["bendahara", "kasubbag"])
def test_handlers_see_the_full_phone(client, hall_office, clerks, token, who):
    b = _book(clerks, phone=SECRET_PHONE)
    assert client.get(f"{BOOKINGS}{b.code}/", **token(who)).json()["phone"] == SECRET_PHONE
    assert client.get(BOOKINGS, **token(who)).json()[0]["phone"] == SECRET_PHONE


def test_the_detail_reads_a_code_as_typed(client, hall_office, clerks, token):
    from loket.core import codes

    b = _book(clerks)
    r = client.get(f"{BOOKINGS}{codes.display(b.code).lower()}/", **token("front"))
    assert r.status_code == 200 and r.json()["code"] == b.code
    assert r.json()["quote"]["lines"][0]["code"] == "sehari"


def test_a_browser_session_reads_too(client, hall_office, clerks):
    b = _book(clerks)
    client.force_login(clerks["camat"])
    assert client.get(f"{BOOKINGS}{b.code}/").status_code == 200


def test_unknown_codes_are_404(client, hall_office, clerks, token):
    assert client.get(f"{BOOKINGS}ZZZZZZZZ/", **token("front")).status_code == 404
    r = _post(client, f"{BOOKINGS}ZZZZZZZZ/confirm/", {}, token("bendahara"))
    assert r.status_code == 404 and "tidak ditemukan" in r.json()["detail"]


def test_another_office_sees_nothing(client, hall_office, clerks, mini_standard):
    """A handler of another office: the booking is not found (404 before 403), its list is empty."""
    b = _book(clerks)
    office = mini_standard.office
    umum = Unit.objects.get(office=office, code="umum")
    stranger = staff_create(office=office, username="bendahara.lain", role=Role.BENDAHARA, unit=umum,
                            password="x-Pass-12345", full_name="Bendahara Lain").user
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=stranger, name='tes')[1]}"}
    assert client.get(BOOKINGS, **headers).json() == []
    assert client.get(f"{BOOKINGS}{b.code}/", **headers).status_code == 404
    for action, body in (("confirm", {}), ("pay", {"amount": b.total}), ("use", {}), ("cancel", {"reason": "x"})):
        assert _post(client, f"{BOOKINGS}{b.code}/{action}/", body, headers).status_code == 404
    b.refresh_from_db()
    assert b.state == S.BOOKED and b.transitions.count() == 1


def test_staff_endpoints_need_credentials(client, hall_office, clerks):
    b = _book(clerks)
    for r in (client.get(BOOKINGS), _post(client, BOOKINGS, _order_body()), client.get(f"{BOOKINGS}{b.code}/"),
              _post(client, f"{BOOKINGS}{b.code}/cancel/", {"reason": "x"}),
              client.get(BOOKINGS, HTTP_AUTHORIZATION="Bearer lkt_tidak_ada")):
        assert r.status_code == 401, r.content
    assert Booking.objects.get().state == S.BOOKED


def test_an_account_without_an_office_is_403(client, hall_office, clerks):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="tamu", password="x-Pass-12345")
    client.force_login(user)
    assert client.get(BOOKINGS).status_code == 403


# --- staff: acts --------------------------------------------------------------------------------

def _act(client, code, action, body=None, headers=None):
    return _post(client, f"{BOOKINGS}{code}/{action}/", body or {}, headers)


def test_the_whole_way_inquiry_confirmed_paid_used(client, hall_office, clerks, token):
    today = timezone.localdate()
    code = _post(client, BOOKINGS, {**_order_body(date=today.isoformat()), "inquiry": True},
                 token("kasubbag")).json()["code"]
    r = _act(client, code, "confirm", headers=token("kasubbag"))
    assert r.status_code == 200 and r.json()["state"] == S.BOOKED and r.json()["register_number"]
    r = _act(client, code, "pay", {"amount": 1_350_000}, token("bendahara"))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == S.PAID and body["paid_amount"] == 1_350_000 and body["paid_at"]
    assert body["receipt_number"] == f"1/{today.year}"
    r = _act(client, code, "use", headers=token("kasubbag"))
    assert r.status_code == 200 and r.json()["state"] == S.USED
    assert [h["to_state"] for h in r.json()["history"]] == [S.INQUIRY, S.BOOKED, S.PAID, S.USED]
    assert r.json()["history"][2]["actor"] == clerks["bendahara"].get_full_name()


def test_cancel_needs_a_reason_and_frees_the_session(client, hall_office, clerks, token):
    b = _book(clerks)
    r = _act(client, b.code, "cancel", {}, token("bendahara"))
    assert r.status_code == 400 and r.json()["errors"]["reason"] == ["Alasan pembatalan wajib diisi."]
    r = _act(client, b.code, "cancel", {"reason": "x" * 2001}, token("bendahara"))
    assert r.status_code == 400 and r.json()["errors"]["reason"]
    assert Booking.objects.get().state == S.BOOKED
    r = _act(client, b.code, "cancel", {"reason": "Acara diundur"}, token("kasubbag"))
    assert r.status_code == 200 and r.json()["state"] == S.CANCELLED and r.json()["cancel_reason"] == "Acara diundur"
    assert _day(client.get(AVAILABILITY, {"month": _month(next_month())}).json(), next_month())["sehari"] == "free"
    r = _act(client, b.code, "cancel", {"reason": "Lagi"}, token("kasubbag"))
    assert r.status_code == 409 and "dibatalkan" in r.json()["detail"]


def test_pay_needs_the_whole_amount(client, hall_office, clerks, token):
    b = _book(clerks)
    for body in ({"amount": 1_000_000}, {}, {"amount": None}):
        r = _act(client, b.code, "pay", body, token("bendahara"))
        assert r.status_code == 400 and "Rp 1.350.000" in r.json()["errors"]["amount"][0], r.content
    r = _act(client, b.code, "pay", {"amount": "banyak"}, token("bendahara"))
    assert r.status_code == 400 and r.json()["errors"]["amount"] == ["Harus bilangan bulat."]
    b.refresh_from_db()
    assert b.state == S.BOOKED and b.receipt_entry is None and b.transitions.count() == 1


@pytest.mark.parametrize("who", ["kasubbag", "kasi", "front", "camat", "admin"])
def test_only_the_bendahara_records_a_payment(client, hall_office, clerks, token, who):
    b = _book(clerks)
    entries = RegisterEntry.objects.count()
    r = _act(client, b.code, "pay", {"amount": b.total}, token(who))
    assert r.status_code == 403 and "Bendahara Penerimaan" in r.json()["detail"]
    b.refresh_from_db()
    assert b.state == S.BOOKED and b.receipt_entry is None and RegisterEntry.objects.count() == entries


@pytest.mark.parametrize("who, action, body", [
    ("kasi", "confirm", {}), ("front", "use", {}), ("sekcam", "cancel", {"reason": "Batal"}),
    ("camat", "confirm", {}), ("ppat", "use", {}), ("admin", "cancel", {"reason": "Batal"}),
])
def test_other_roles_cannot_act(client, hall_office, clerks, token, who, action, body):
    b = _book(clerks, inquiry=True)
    before = _counts()
    r = _act(client, b.code, action, body, token(who))
    assert r.status_code == 403, r.content
    assert _counts() == before and Booking.objects.get().state == S.INQUIRY


@pytest.mark.parametrize("action, body, state", [
    ("confirm", {}, "booked"), ("use", {}, "booked"), ("pay", {"amount": 1_350_000}, "inquiry"),
    ("use", {}, "inquiry"), ("confirm", {}, "paid"),
])
def test_a_wrong_state_is_409(client, hall_office, clerks, token, action, body, state):
    b = _book(clerks, inquiry=state == "inquiry")
    if state == "paid":
        services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=b.total)
    before = _counts()
    r = _act(client, b.code, action, body, token("bendahara"))
    assert r.status_code == 409, r.content
    assert r.json()["detail"]
    assert _counts() == before


def test_use_before_the_day_is_409(client, hall_office, clerks, token):
    b = _book(clerks)
    services.booking_pay(code=b.code, actor=clerks["bendahara"], amount=b.total)
    r = _act(client, b.code, "use", headers=token("bendahara"))
    assert r.status_code == 409 and "baru dipakai" in r.json()["detail"]


def test_confirming_an_inquiry_whose_session_was_taken_is_409(client, hall_office, clerks, token):
    i = _book(clerks, inquiry=True)
    _book(clerks, session="siang", renter_name="Orang Lain")
    before = _counts()
    r = _act(client, i.code, "confirm", headers=token("bendahara"))
    assert r.status_code == 409 and "sudah dipesan" in r.json()["detail"]
    assert _counts() == before and Booking.objects.get(code=i.code).state == S.INQUIRY


def test_an_unknown_action_is_400(client, hall_office, clerks, token):
    b = _book(clerks)
    r = _act(client, b.code, "refund", {}, token("bendahara"))
    assert r.status_code == 400 and r.json()["errors"]["action"]


# --- the schema ---------------------------------------------------------------------------------

def test_every_operation_is_in_the_schema_with_its_statuses(client, db):
    paths = client.get("/api/v1/schema/").json()["paths"]
    expected = {
        ("/api/v1/rental/availability/", "get"): {"200", "400", "404", "429"},
        ("/api/v1/rental/quote/", "post"): {"200", "400", "404", "429"},
        ("/api/v1/rental/bookings/", "get"): {"200", "400", "401", "403"},
        ("/api/v1/rental/bookings/", "post"): {"201", "400", "401", "403", "404", "409"},
        ("/api/v1/rental/bookings/{code}/", "get"): {"200", "401", "403", "404"},
        ("/api/v1/rental/bookings/{code}/{action}/", "post"): {"200", "400", "401", "403", "404", "409"},
    }
    for (path, method), statuses in expected.items():
        op = paths[path][method]
        assert statuses <= set(op["responses"]), (path, method, op["responses"])
        assert op["summary"] and op["tags"] == ["Sewa Gedung"]
        assert ("security" in op) == ("bookings" in path), (path, method)


def test_every_operation_has_a_url_name(db):
    assert reverse("api:rental_availability") == AVAILABILITY
    assert reverse("api:rental_quote") == QUOTE
    assert reverse("api:rental_bookings") == BOOKINGS
    assert reverse("api:rental_booking", args=["ABCD"]) == f"{BOOKINGS}ABCD/"
    assert reverse("api:rental_booking_act", args=["ABCD", "pay"]) == f"{BOOKINGS}ABCD/pay/"
