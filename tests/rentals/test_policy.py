"""The hall's act table (loket/rentals/policy.py) agrees with the acts: for every act × role ×
state (and a day not yet come), policy.acts_allowed offers an act exactly when the service lets
it through."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from loket.rentals import policy, services
from loket.rentals.models import Booking
from tests.rentals.conftest import next_month, order
from tests.support.flow_agreement import disagreements

S = Booking.State


def build(office, clerk, state: str, day: dt.date) -> Booking:
    b = services.booking_create(office=office, actor=clerk, data=order(date=day.isoformat()),
                                inquiry=state == S.INQUIRY)
    if state in (S.PAID, S.USED):
        services.booking_pay(code=b.code, actor=clerk, amount=b.total)
    if state == S.USED:
        services.booking_use(code=b.code, actor=clerk)
    if state == S.CANCELLED:
        services.booking_cancel(code=b.code, actor=clerk, reason="Pemesan membatalkan")
    return Booking.objects.select_related("venue", "office").get(pk=b.pk)


def run(name: str, b: Booking, user):
    return {
        "confirm": lambda: services.booking_confirm(code=b.code, actor=user),
        "pay": lambda: services.booking_pay(code=b.code, actor=user, amount=b.total),
        "use": lambda: services.booking_use(code=b.code, actor=user),
        "cancel": lambda: services.booking_cancel(code=b.code, actor=user, reason="Batal"),
    }[name]()


@pytest.mark.parametrize("state, later", [(s, False) for s in S.values] + [(S.PAID, True), (S.INQUIRY, True)])
def test_acts_allowed_agrees_with_the_acts_for_every_role(state, later, hall_office, clerks):
    day = next_month() if later else timezone.localdate()
    b = build(hall_office, clerks["bendahara"], state, day)
    problems = {}
    for role, user in clerks.items():
        wrong = disagreements(offered=policy.acts_allowed(b, user), acts=policy.ACTS, run=lambda n: run(n, b, user))
        problems.update({f"{role}/{act}": why for act, why in wrong.items()})
    assert problems == {}


def test_a_past_inquiry_is_offered_only_cancelling(hall_office, clerks):
    b = build(hall_office, clerks["bendahara"], S.INQUIRY, timezone.localdate())
    Booking.objects.filter(pk=b.pk).update(date=timezone.localdate() - dt.timedelta(days=1))
    b.refresh_from_db()
    assert policy.acts_allowed(b, clerks["bendahara"]) == {"cancel"}
    assert disagreements(offered={"cancel"}, acts=policy.ACTS, run=lambda n: run(n, b, clerks["bendahara"])) == {}
