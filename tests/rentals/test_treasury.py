"""The hall's money reaches the regional treasury (issue 17, part 4): the SKRD issued with the
booking, the kuitansi paid against it, the deposit of receipts to the Kas Daerah with an STS
within the deadline (1 working day by default, office data), and the month's reconciliation.
One test per rule and refusal (docs/rental.md)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import timezone

from loket.core.errors import InvalidInput, WrongState
from loket.papers.models import Document
from loket.registers.models import RegisterEntry
from loket.rentals import selectors, services
from loket.rentals.models import Booking, Deposit, HallTreasury
from tests.rentals.conftest import next_month, order

S = Booking.State


def _book(office, clerk, day: int, *, pay: bool = False, **over) -> Booking:
    b = services.booking_create(office=office, actor=clerk, data=order(date=next_month(day).isoformat(), **over))
    if pay:
        b = services.booking_pay(code=b.code, actor=clerk, amount=b.total)
    return Booking.objects.select_related("skrd_entry__book", "receipt_entry__book").get(pk=b.pk)


def _deposit(office, clerk, bookings, **over):
    data = {"receipts": [b.code for b in bookings], "date": timezone.localdate().isoformat(),
            "reference": "NTB 0042/RKUD", "amount": sum(b.paid_amount or 0 for b in bookings)}
    data.update(over)
    return services.deposit_record(office=office, actor=clerk, **data)


def test_a_booking_gets_its_skrd_and_the_kuitansi_is_paid_against_it(hall_office, clerks):
    bendahara = clerks["bendahara"]
    inquiry = services.booking_create(office=hall_office, actor=bendahara, data=order(), inquiry=True)
    assert inquiry.skrd_entry is None  # a question is not assessed
    b = services.booking_confirm(code=inquiry.code, actor=bendahara)
    b = Booking.objects.select_related("skrd_entry__book").get(pk=b.pk)
    assert b.skrd_entry.book.kind == "skrd" and b.skrd_entry.number_display == f"1/{timezone.localdate().year}"
    assert (b.skrd_amount, b.skrd_due) == (b.total, b.date) and b.skrd_entry.name == b.renter_name
    paper = Document.objects.get(kind=Document.Kind.SKRD, reference=b.code)
    assert paper.number == b.skrd_entry.number_display and paper.pdf
    with pytest.raises(InvalidInput) as exc:  # the amount of the SKRD, nothing else
        services.booking_pay(code=b.code, actor=bendahara, amount=b.total - 1)
    assert "SKRD 1/" in exc.value.errors["amount"][0]
    paid = services.booking_pay(code=b.code, actor=bendahara, amount=b.total)
    assert f"SKRD {b.skrd_entry.number_display}" in paid.receipt_entry.note


def test_a_deposit_takes_paid_receipts_with_an_sts_of_their_sum(hall_office, clerks):
    bendahara = clerks["bendahara"]
    a, b = _book(hall_office, bendahara, 3, pay=True), _book(hall_office, bendahara, 4, pay=True)
    d = _deposit(hall_office, bendahara, [a, b])
    assert d.amount == a.paid_amount + b.paid_amount and d.register_entry.book.kind == "sts"
    assert set(Booking.objects.filter(deposit=d).values_list("code", flat=True)) == {a.code, b.code}
    assert Document.objects.filter(kind=Document.Kind.STS, number=d.register_entry.number_display).count() == 1
    assert selectors.undeposited(office=hall_office) == []


def test_an_sts_amount_other_than_the_receipts_is_refused_and_changes_nothing(hall_office, clerks):
    bendahara = clerks["bendahara"]
    a = _book(hall_office, bendahara, 3, pay=True)
    with pytest.raises(InvalidInput) as exc:
        _deposit(hall_office, bendahara, [a], amount=a.paid_amount + 1000)
    assert "harus sama dengan jumlah kuitansi" in exc.value.errors["amount"][0]
    assert not Deposit.objects.exists() and not RegisterEntry.objects.filter(book__kind="sts").exists()
    assert Booking.objects.get(pk=a.pk).deposit is None


@pytest.mark.parametrize("field, over, words", [
    ("receipts", {"receipts": []}, "paling sedikit satu"),
    ("receipts", {"receipts": ["ZZZZZZZZ"]}, "tidak ditemukan"),
    ("date", {"date": "2999-01-01"}, "setelah hari ini"),
    ("date", {"date": "31-12-2026"}, "TTTT-BB-HH"),
    ("reference", {"reference": "  "}, "wajib diisi"),
    ("amount", {"amount": "1.000"}, "bilangan bulat"),
])
def test_bad_deposit_input_is_refused_in_indonesian(hall_office, clerks, field, over, words):
    a = _book(hall_office, clerks["bendahara"], 3, pay=True)
    with pytest.raises(InvalidInput) as exc:
        _deposit(hall_office, clerks["bendahara"], [a], **over)
    assert words in exc.value.errors[field][0], exc.value.errors
    assert not Deposit.objects.exists()


def test_a_receipt_is_deposited_once_an_unpaid_one_never_and_only_by_the_bendahara(hall_office, clerks):
    bendahara = clerks["bendahara"]
    a, unpaid = _book(hall_office, bendahara, 3, pay=True), _book(hall_office, bendahara, 4)
    with pytest.raises(PermissionDenied):
        _deposit(hall_office, clerks["kasubbag"], [a])
    _deposit(hall_office, bendahara, [a])
    with pytest.raises(WrongState, match="sudah disetor"):
        _deposit(hall_office, bendahara, [Booking.objects.get(pk=a.pk)])
    with pytest.raises(WrongState, match="penyetoran tidak dapat dilakukan"):
        _deposit(hall_office, bendahara, [unpaid], amount=unpaid.total)
    assert Deposit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_deposits_of_the_same_receipt_at_once_one_wins(hall_office, clerks):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers anyway")
    a = _book(hall_office, clerks["bendahara"], 3, pay=True)
    n = 4
    barrier = threading.Barrier(n)
    won, lost, errors = [], [], []

    def treasurer(i):
        try:
            barrier.wait()
            won.append(_deposit(hall_office, clerks["bendahara"], [a], reference=f"NTB {i}").pk)
        except WrongState:
            lost.append(i)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=treasurer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(won) == 1 and len(lost) == n - 1
    assert Deposit.objects.count() == 1 and RegisterEntry.objects.filter(book__kind="sts").count() == 1


def test_the_deadline_is_working_days_after_receipt_and_overdue_receipts_are_listed(hall_office, clerks):
    friday = dt.datetime(2026, 12, 4, 10, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert selectors.deposit_deadline(friday, days=1, holidays=frozenset()) == dt.date(2026, 12, 7)
    assert selectors.deposit_deadline(friday, days=1, holidays={dt.date(2026, 12, 7)}) == dt.date(2026, 12, 8)
    a = _book(hall_office, clerks["bendahara"], 3, pay=True)
    paid_day = timezone.localdate(a.paid_at)
    [p] = selectors.undeposited(office=hall_office, today=paid_day)
    assert p.booking.pk == a.pk and p.deadline > paid_day and not p.overdue
    assert selectors.undeposited(office=hall_office, today=p.deadline + dt.timedelta(days=1))[0].overdue
    HallTreasury.objects.create(office=hall_office, deposit_working_days=3)  # office data
    assert selectors.undeposited(office=hall_office, today=paid_day)[0].deadline > p.deadline


def test_the_month_reconciles_billed_collected_deposited_and_outstanding(hall_office, clerks):
    bendahara = clerks["bendahara"]
    deposited = _book(hall_office, bendahara, 3, pay=True)
    held = _book(hall_office, bendahara, 4, pay=True)
    open_ = _book(hall_office, bendahara, 5)
    void = _book(hall_office, bendahara, 6)
    services.booking_cancel(code=void.code, actor=bendahara, reason="Batal")
    _deposit(hall_office, bendahara, [deposited])
    today = timezone.localdate()
    r = selectors.reconciliation(office=hall_office, year=today.year, month=today.month)
    total = lambda *bs: sum(b.total for b in bs)  # noqa: E731
    assert r["billed"] == {"n": 4, "s": total(deposited, held, open_, void)}
    assert r["collected"]["s"] == r["collected_of_billed"]["s"] == total(deposited, held)
    assert r["outstanding"]["s"] == total(open_) and r["void"]["s"] == total(void)
    assert r["deposited_of_collected"]["s"] == r["deposited_in_month"]["s"] == total(deposited)
    assert r["not_deposited"]["s"] == total(held)
    assert r["balanced"] and r["billing_gap"] == r["cash_gap"] == 0
    book = selectors.cash_book(office=hall_office, start=today, end=today)
    assert [x.kind for x in book["lines"]] == ["terima", "terima", "setor"]
    assert book["closing"] == book["opening"] + total(held) and book["deposited"] == total(deposited)


def test_the_kas_screens_list_overdue_receipts_record_an_sts_and_give_the_books(client, hall_office, clerks):
    bendahara = clerks["bendahara"]
    a = _book(hall_office, bendahara, 3, pay=True)
    Booking.objects.filter(pk=a.pk).update(paid_at=a.paid_at - dt.timedelta(days=10))  # received long ago
    client.force_login(clerks["camat"])  # every role looks, none but the Bendahara deposits
    page = client.get("/staf/gedung/kas/").content.decode()
    assert 'id="k-overdue"' in page and a.code in page and 'name="receipts"' not in page
    assert client.post("/staf/gedung/kas/", {"receipts": [a.code]}).status_code == 403
    client.force_login(bendahara)
    r = client.post("/staf/gedung/kas/", {"receipts": [a.code], "date": timezone.localdate().isoformat(),
                                           "reference": "NTB 1", "amount": "1"})
    assert r.status_code == 400 and "harus sama dengan jumlah kuitansi" in r.content.decode()
    r = client.post("/staf/gedung/kas/", {"receipts": [a.code], "date": timezone.localdate().isoformat(),
                                           "reference": "NTB 1", "amount": f"{a.total:,}".replace(",", ".")})
    assert r.status_code == 302 and Deposit.objects.count() == 1
    d = Deposit.objects.select_related("register_entry__book").get()
    assert client.get(f"/staf/gedung/kas/sts/{d.register_entry.book.year}/{d.register_entry.number}.pdf")[
        "Content-Type"] == "application/pdf"
    assert client.get(f"/staf/gedung/{a.code}/kertas/skrd.pdf")["Content-Type"] == "application/pdf"
    detail = client.get(f"/staf/gedung/{a.code}/").content.decode()
    assert f"STS {d.register_entry.number_display}" in detail and a.skrd_entry.number_display in detail
    paid_day = timezone.localdate(Booking.objects.get(pk=a.pk).paid_at)
    book = client.get("/staf/gedung/kas/buku/", {"bulan": f"{paid_day:%Y-%m}"}).content.decode()
    assert a.receipt_entry.number_display in book
    assert "terlambat" in client.get("/staf/gedung/kas/buku/").content.decode()  # the STS of today
    assert client.get("/staf/gedung/kas/buku/", {"tanggal": "xx"}).status_code == 200
    assert client.get("/staf/gedung/kas/buku.pdf", {"tanggal": "xx"}).status_code == 404
    for url in ("/staf/gedung/kas/buku.xlsx", "/staf/gedung/kas/buku.pdf", "/staf/gedung/kas/rekonsiliasi.xlsx",
                "/staf/gedung/kas/rekonsiliasi.pdf"):
        assert client.get(url).status_code == 200, url
    recon = client.get("/staf/gedung/kas/rekonsiliasi/").content.decode()
    assert 'id="x-status"' in recon and "Seimbang" in recon


def test_the_api_records_a_deposit_lists_pending_receipts_and_reconciles(client, hall_office, clerks):
    from loket.api.models import ApiToken

    def auth(who):
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=clerks[who], name='tes')[1]}"}

    a = _book(hall_office, clerks["bendahara"], 3, pay=True)
    detail = client.get(f"/api/v1/rental/bookings/{a.code}/", **auth("bendahara")).json()
    assert detail["skrd_number"] == a.skrd_entry.number_display and detail["deposit_allowed"] is True
    listed = client.get("/api/v1/rental/deposits/", **auth("front")).json()
    assert [p["code"] for p in listed["pending"]] == [a.code]
    body = {"receipts": [a.code], "date": timezone.localdate().isoformat(), "reference": "NTB 9", "amount": a.total}
    assert client.post("/api/v1/rental/deposits/", body, content_type="application/json",
                       **auth("kasubbag")).status_code == 403
    bad = client.post("/api/v1/rental/deposits/", {**body, "amount": 5}, content_type="application/json",
                      **auth("bendahara"))
    assert bad.status_code == 400 and "amount" in bad.json()["errors"]
    r = client.post("/api/v1/rental/deposits/", body, content_type="application/json", **auth("bendahara"))
    assert r.status_code == 201 and r.json()["bookings"] == [a.code] and r.json()["amount"] == a.total
    again = client.post("/api/v1/rental/deposits/", {**body, "reference": "NTB 10"}, content_type="application/json",
                        **auth("bendahara"))
    assert again.status_code == 409
    recon = client.get("/api/v1/rental/reconciliation/", **auth("camat")).json()
    assert recon["balanced"] and recon["deposited_in_month"]["s"] == a.total
    assert client.get(f"/api/v1/rental/bookings/{a.code}/", **auth("bendahara")).json()["sts_number"]
