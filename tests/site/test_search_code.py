"""The staff search box (loket/site/desk.py search): an exact tracking code or verification code,
typed any case, with dashes or spaces, opens its dossier directly; anything else lists matches.
Another office's code is not opened (it reads like an unknown one)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from loket.core import codes
from loket.dossiers.models import Dossier
from tests.support.dossier_rules import dossier_in
from tests.support.world import other  # noqa: F401  (a fixture)

S = Dossier.State


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def registered(office, people, all_items):
    return dossier_in(S.REGISTERED, office=office, people=people, items=all_items)


def _search(client, q):
    return client.get(reverse("dossiers:search"), {"q": q})


@pytest.mark.parametrize("who", ["front", "kasi", "camat", "bendahara", "ppat"])
def test_an_exact_tracking_code_opens_the_dossier(who, client, people, registered):
    client.force_login(people[who])
    detail = reverse("dossiers:detail", args=[registered.code])
    for q in (registered.code, registered.code.lower(), codes.display(registered.code).lower(),
              f"  {codes.display(registered.code)} "):
        r = _search(client, q)
        assert (r.status_code, r["Location"]) == (302, detail), q


def test_an_exact_verification_code_opens_the_dossier(client, people, registered):
    client.force_login(people["front"])
    detail = reverse("dossiers:detail", args=[registered.code])
    v = registered.verification_code
    for q in (v, v.lower(), codes.display(v), codes.display(v).replace("-", " ")):
        r = _search(client, q)
        assert (r.status_code, r["Location"]) == (302, detail), q


def test_a_part_of_a_code_or_a_name_still_lists(client, people, registered):
    client.force_login(people["front"])
    for q in (registered.code[:6], "aminah"):
        r = _search(client, q)
        assert r.status_code == 200, q
    assert codes.display(registered.code) in _search(client, "aminah").content.decode()


def test_an_unknown_code_of_the_right_length_lists_nothing(client, people, registered):
    client.force_login(people["front"])
    r = _search(client, "ZZZZ-ZZZZ")
    assert r.status_code == 200 and codes.display(registered.code) not in r.content.decode()


def test_another_offices_code_is_not_opened(client, registered, other):
    _, people2, _ = other
    client.force_login(people2["front"])
    for q in (registered.code, registered.verification_code):
        r = _search(client, q)
        assert r.status_code == 200, q
        assert reverse("dossiers:detail", args=[registered.code]) not in r.content.decode()  # the query is echoed only
