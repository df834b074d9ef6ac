"""The month of a screen (loket/core/web.py): ?bulan=YYYY-MM read, named and stepped, for the hall's
public schedule and board and the monthly reports of the hall and the deeds."""

from __future__ import annotations

import datetime as dt

import pytest

from loket.core.web import YEARS, month_label, month_nav, month_parse, month_step

TODAY = dt.date(2026, 3, 15)


@pytest.mark.parametrize("value, expected", [
    ("", (2026, 3, "")), ("2026-12", (2026, 12, "")), ("2026-1", (2026, 1, "")), (" 2000-01 ", (2000, 1, "")),
    ("2100-12", (2100, 12, "")),
])
def test_a_month_is_read(value, expected):
    assert month_parse(value, TODAY) == expected


@pytest.mark.parametrize("value", ["2026-13", "2026-00", "1999-12", "2101-01", "26-03", "2026/03", "x", "2026-03-01"])
def test_anything_else_is_this_month_with_the_reason(value):
    year, month, error = month_parse(value, TODAY)
    assert (year, month) == (2026, 3) and error.startswith("Bulan tidak valid")


def test_the_board_asks_for_two_digits():
    assert month_parse("2026-01", TODAY, two_digits=True) == (2026, 1, "")
    assert month_parse("2026-1", TODAY, two_digits=True)[2].startswith("Bulan tidak valid")


def test_label_step_and_nav():
    assert month_label(2026, 3) == "Maret 2026"
    assert month_step(2026, 1, -1) == (2025, 12) and month_step(2026, 12, 1) == (2027, 1)
    assert month_step(YEARS[0], 1, -1) is None and month_step(YEARS[1], 12, 1) is None
    assert month_nav(2026, 3) == {"value": "2026-03", "label": "Maret 2026",
                                  "prev": {"value": "2026-02", "label": "Februari 2026"},
                                  "next": {"value": "2026-04", "label": "April 2026"}}
    assert month_nav(YEARS[1], 12)["next"] is None
