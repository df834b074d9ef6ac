"""Each role lands on its own work (loket/site/desk.py LANDING): the staff home /staf/ and the
page after logging in. Camat and Sekcam: the desk (the office at a glance, issue 18); Kasi: the paraf list; Bendahara:
the hall's board; PPAT officer: the deed cases; Admin: the office's data in the admin site;
front office: today's counter list."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from loket.offices.roles import Role
from loket.site import desk

PASSWORD = "x-Pass-12345"  # tests/conftest.py people_make
LANDS = {
    "front": "/staf/berkas/",
    "kasi": "/staf/paraf/",
    "kasi_other": "/staf/paraf/",
    "sekcam": "/staf/pimpinan/",
    "camat": "/staf/pimpinan/",
    "bendahara": "/staf/gedung/",
    "ppat": "/staf/akta/",
    "admin": "/admin/",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_the_table_names_every_role_once():
    assert set(desk.LANDING) == set(Role)
    for name in desk.LANDING.values():
        reverse(name)  # a page that exists


@pytest.mark.parametrize("who", list(LANDS))
def test_the_staff_home_sends_each_role_to_its_work_and_that_page_opens(who, client, people):
    client.force_login(people[who])
    r = client.get(reverse("dossiers:home"))
    assert (r.status_code, r["Location"]) == (302, LANDS[who])
    assert client.get(LANDS[who]).status_code == 200  # its own page, not a refusal


@pytest.mark.parametrize("who", ["camat", "bendahara", "ppat", "admin"])
def test_logging_in_lands_on_the_roles_work(who, client, people):
    r = client.post(reverse("login"), {"username": people[who].username, "password": PASSWORD}, follow=True)
    assert r.redirect_chain[-1] == (LANDS[who], 302), r.redirect_chain


def test_no_landing_compares_roles_outside_the_table():
    import inspect

    source = inspect.getsource(desk.home) + inspect.getsource(desk.landing)
    assert "Role." not in source and "==" not in source
