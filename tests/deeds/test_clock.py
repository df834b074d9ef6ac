"""The standard time of a deed case (loket/deeds/clock.py, loket/deeds/selectors.py): a target of 14
days and a limit of 60 days from the first complete intake, both read from the edition's service
17 ("2 minggu/ 60 (enam puluh) hari"); pauses while the applicant completes documents move both
dates; an open pause stops the clock; the hand over (or withdrawal) freezes it."""

from __future__ import annotations

import datetime as dt

import pytest

from loket.catalog.models import ServiceType
from loket.deeds import selectors, services
from loket.deeds.clock import clock_of
from loket.deeds.models import Pause
from tests.deeds.conftest import T0, WIB, build


# one office for the module: deed_office, officials, other_office and outsiders come from it
pytestmark = pytest.mark.usefixtures("deed_world")


D = dt.timedelta(days=1)
H = dt.timedelta(hours=1)
US = dt.timedelta(microseconds=1)
R = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)  # received


def clock(pauses=(), now=R, stopped_at=None, target=14, limit=60):
    return clock_of(received_at=R, pauses=list(pauses), target_days=target, limit_days=limit, now=now,
                    stopped_at=stopped_at)


# --- the pure clock ---------------------------------------------------------------------------------

def test_fourteen_days_target_sixty_days_limit():
    c = clock(now=R + 3 * D)
    assert c.target_at == R + 14 * D and c.limit_at == R + 60 * D
    assert c.running and c.paused == dt.timedelta(0) and c.elapsed == 3 * D and c.elapsed_days == 3
    assert c.received_at == R


@pytest.mark.parametrize("now, state", [
    (R, "ok"), (R + 14 * D - US, "ok"), (R + 14 * D, "ok"), (R + 14 * D + US, "late"), (R + 30 * D, "late"),
    (R + 60 * D, "late"), (R + 60 * D + US, "over"), (R + 400 * D, "over"),
])
def test_the_state_at_and_around_the_boundaries(now, state):
    assert clock(now=now).state(now) == state


@pytest.mark.parametrize("now, state", [
    (R + 17 * D, "ok"), (R + 17 * D + US, "late"), (R + 63 * D, "late"), (R + 63 * D + US, "over"),
])
def test_the_boundaries_move_with_a_pause(now, state):
    c = clock([(R + D, R + 4 * D)], now=now)
    assert c.target_at == R + 17 * D and c.limit_at == R + 63 * D
    assert c.state(now) == state


def test_pauses_move_both_dates_by_the_time_paused():
    c = clock([(R + D, R + 2 * D), (R + 5 * D, R + 5 * D + 6 * H)], now=R + 10 * D)
    assert c.paused == D + 6 * H
    assert c.target_at == R + 15 * D + 6 * H and c.limit_at == R + 61 * D + 6 * H
    assert c.elapsed == 10 * D - c.paused and c.running


def test_an_open_pause_stops_the_clock():
    pauses = [(R + 2 * D, R + 3 * D), (R + 5 * D, None)]
    at_start = clock(pauses, now=R + 5 * D)
    later = clock(pauses, now=R + 50 * D)
    assert not at_start.running and not later.running
    assert at_start.elapsed == later.elapsed == 4 * D  # frozen while paused
    assert later.paused == 46 * D and later.target_at == R + 60 * D and later.limit_at == R + 106 * D
    assert later.state(R + 50 * D) == "ok"  # a waiting case is never late for the time it waits


def test_a_pause_closed_in_the_future_counts_only_up_to_now():
    c = clock([(R + 2 * D, R + 20 * D)], now=R + 5 * D)
    assert c.paused == 3 * D and c.elapsed == 2 * D and c.running


@pytest.mark.parametrize("pauses, paused", [
    ([(R + D, R + 5 * D), (R + 3 * D, R + 7 * D)], 6 * D),  # overlapping: counted once
    ([(R + 3 * D, R + 7 * D), (R + D, R + 5 * D)], 6 * D),  # in any order
    ([(R + D, R + 9 * D), (R + 2 * D, R + 3 * D)], 8 * D),  # one inside another
    ([(R + D, R + 3 * D), (R + D, R + 3 * D)], 2 * D),  # the same twice
    ([(R + 5 * D, R + 3 * D)], dt.timedelta(0)),  # inverted: not at all
    ([(R + 5 * D, R + 3 * D), (R + D, R + 2 * D)], D),
    ([(R - 3 * D, R + D)], D),  # before receipt: only from receipt on
    ([(R - 3 * D, R - D)], dt.timedelta(0)),
    ([(R + D, R + D)], dt.timedelta(0)),  # empty
])
def test_overlapping_and_inverted_pauses_never_count_twice(pauses, paused):
    c = clock(pauses, now=R + 10 * D)
    assert c.paused == paused
    assert c.elapsed == 10 * D - paused >= dt.timedelta(0)
    assert c.target_at == R + 14 * D + paused


def test_overlapping_with_the_open_pause_counts_once():
    c = clock([(R + D, R + 4 * D), (R + 3 * D, None)], now=R + 10 * D)
    assert c.paused == 9 * D and c.elapsed == D and not c.running


def test_stopped_at_freezes_the_clock():
    done = R + 10 * D
    c = clock([(R + D, R + 2 * D)], now=R + 100 * D, stopped_at=done)
    assert not c.running
    assert c.elapsed == 9 * D and c.paused == D
    assert c.target_at == R + 15 * D and c.limit_at == R + 61 * D
    assert c.status == "ok"  # handed over in time: stays "ok" however late it is read
    # a pause left open when it was done counts only up to the stop
    c = clock([(R + 4 * D, None)], now=R + 100 * D, stopped_at=done)
    assert c.paused == 6 * D and c.elapsed == 4 * D and not c.running


@pytest.mark.parametrize("done, status", [
    (R + 14 * D, "ok"), (R + 14 * D + US, "late"), (R + 60 * D, "late"), (R + 60 * D + US, "over"),
])
def test_a_frozen_clocks_status_is_that_of_its_stop(done, status):
    assert clock(now=R + 500 * D, stopped_at=done).status == status


def test_the_status_of_a_running_clock_is_that_of_now():
    assert clock(now=R + 14 * D + US).status == "late"
    assert clock(now=R + 3 * D).status == "ok"


def test_time_never_runs_backwards():
    c = clock([(R - 10 * D, None)], now=R + 5 * D)
    assert c.elapsed == dt.timedelta(0) and c.paused == 5 * D
    assert clock(now=R - D).elapsed == dt.timedelta(0)  # read before receipt


# --- the clock of a case -------------------------------------------------------------------------------

def test_a_case_reads_its_days_from_the_edition(deed_office, officials, travel):
    case = build(deed_office, officials, "received", travel=travel)
    assert case.clock_started_at == T0
    c = selectors.clock(case, now=T0 + 3 * D)
    assert c.target_at == T0 + 14 * D and c.limit_at == T0 + 60 * D and c.running
    # another edition's figures are the case's own
    ServiceType.objects.filter(pk=case.service_id).update(duration_min=7, duration_max=30)
    case.refresh_from_db()
    c = selectors.clock(case, now=T0 + 3 * D)
    assert c.target_at == T0 + 7 * D and c.limit_at == T0 + 30 * D


def test_a_case_returned_at_the_counter_has_no_clock_until_complete(deed_office, officials, travel):
    case = build(deed_office, officials, "returned", travel=travel)
    assert case.clock_started_at is None and selectors.clock(case) is None
    from tests.deeds.conftest import checklist

    present, originals = checklist(deed_office)
    travel.to(T0 + 5 * D)
    case = services.case_resubmit(code=case.code, actor=officials["front"], present=present, originals=originals)
    assert case.clock_started_at == T0 + 5 * D
    assert selectors.clock(case, now=T0 + 6 * D).target_at == T0 + 19 * D


def test_waiting_for_the_applicant_moves_the_dates(deed_office, officials, travel):
    case = build(deed_office, officials, "preparing", travel=travel)
    travel.to(T0 + 2 * D)
    services.case_wait(code=case.code, actor=officials["ppat"], reason="Menunggu SPPT PBB asli")
    travel.to(T0 + 7 * D)
    case.refresh_from_db()
    c = selectors.clock(case)
    assert not c.running and c.elapsed == 2 * D and c.paused == 5 * D and c.target_at == T0 + 19 * D
    services.case_resume(code=case.code, actor=officials["ppat"])
    travel.to(T0 + 10 * D)
    case.refresh_from_db()
    c = selectors.clock(case)
    assert c.running and c.paused == 5 * D and c.elapsed == 5 * D
    assert (c.target_at, c.limit_at) == (T0 + 19 * D, T0 + 65 * D)
    assert list(Pause.objects.filter(case=case).values_list("started_at", "ended_at")) == [(T0 + 2 * D, T0 + 7 * D)]


def test_the_hand_over_stops_the_clock(deed_office, officials, travel):
    case = build(deed_office, officials, "handed_over", travel=travel)
    assert case.done_at is not None
    frozen = selectors.clock(case, now=case.done_at)
    later = selectors.clock(case, now=case.done_at + 100 * D)
    assert not later.running and later.elapsed == frozen.elapsed == case.done_at - T0
    assert later.status == "ok"  # done in eight days
