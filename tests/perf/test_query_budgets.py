"""Query budgets: every page and API endpoint runs a bounded number of SQL queries, and that
number does not grow with the number of rows it shows.

The budgets and the cases that measure them are each app's own (tests/<app>/budget_cases.py);
this module collects their union and runs every case through the engine in
tests/support/budgets.py, which says how a case is measured (SMALL and LARGE rows, PerRow
budgets, the warm-up request). Every URL pattern of the project must have a budget in some
app (``test_every_url_pattern_has_a_budget``), and every budget a case.

To see what each case measures (when setting budgets): ``LOKET_PRINT_BUDGETS=1 ./runtests.sh
tests/perf -s``.
"""

from __future__ import annotations

import pytest

from tests.api import budget_cases as api_cases
from tests.catalog import budget_cases as catalog_cases
from tests.complaints import budget_cases as complaint_cases
from tests.core import budget_cases as core_cases
from tests.deeds import budget_cases as deed_cases
from tests.dossiers import budget_cases as dossier_cases
from tests.leadership import budget_cases as leadership_cases
from tests.registers import budget_cases as register_cases
from tests.rentals import budget_cases as rental_cases
from tests.support.budgets import CASES, check, merged, missing, world  # noqa: F401  (world is a fixture)
from tests.surveys import budget_cases as survey_cases
from tests.papers import budget_cases as paper_cases
from tests.privacy import budget_cases as privacy_cases
from tests.subjects import budget_cases as subject_cases

# Every app that has URLs registers its budgets here (tests/support/README.md).
APPS = [core_cases, catalog_cases, dossier_cases, register_cases, api_cases, complaint_cases, survey_cases,
        rental_cases, deed_cases, paper_cases, leadership_cases, privacy_cases, subject_cases]
# route pattern (as the resolver spells it) -> {case: budget}
BUDGETS = merged(*(app.BUDGETS for app in APPS))


def test_every_url_pattern_has_a_budget():
    absent, stale = missing(BUDGETS)
    assert not absent, (f"URL patterns without an entry in any app's BUDGETS (tests/<app>/budget_cases.py; "
                        f"add one, with a case that measures it): {absent}")
    assert not stale, f"BUDGETS names routes that no longer exist: {stale}"


def test_every_budget_is_measured_by_a_case():
    budgeted = {(route, name) for route, cases in BUDGETS.items() for name in cases}
    assert not budgeted - set(CASES), f"budgets without a case: {sorted(budgeted - set(CASES))}"
    assert not set(CASES) - budgeted, f"cases without a budget: {sorted(set(CASES) - budgeted)}"
    assert all(cases for cases in BUDGETS.values()), "every route needs at least one case"


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: f"{k[0] or '/'} {k[1]}")
def test_query_budget(world, key):
    route, name = key
    check(world, key, BUDGETS[route][name])
