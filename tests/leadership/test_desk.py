"""The leadership's desk (/staf/pimpinan/) on the hand-counted November of
tests/leadership/fixtures.py, seen on Monday 30 November 2026 at 16.00: each figure, the Kasi's
narrower desk, the lists behind the figures, the htmx refresh and who may open it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.leadership.dashboard import desk, late_now, waiting_list
from loket.offices.models import Unit
from tests.leadership.fixtures import at, november

pytestmark = pytest.mark.django_db

NOW = at(11, 30, 16, 0)


@pytest.fixture
def month(office, people):
    return november(office, people)


def test_the_office_at_a_glance(office, month):
    d = desk(office=office, now=NOW)
    assert (d.received_today, d.received_month, d.returned_month) == (1, 6, 1)  # H today; A B C D E H; D's return
    # Handed over in November: A B C D G (H on 1 December); B and G late.
    assert (d.completed_month, d.late_month, d.on_time_month_pct) == (5, 2, 60.0)
    assert (d.at_counter, d.waiting_signature, d.waiting_handover) == (0, 0, 0)
    assert [(w.unit, w.people, w.count) for w in d.waiting_kasi] == [("Kasi Pemerintahan", "Kasi.Pem", 1)]  # E
    assert d.late_now_count == 1 and d.late_now[0].dossier.code == "EEEEEEEE"
    nov, oct_ = d.months[-1], d.months[-2]
    assert (nov["received"], nov["completed"], nov["on_time"]) == (6, 5, 3)
    assert (oct_["received"], oct_["completed"]) == (1, 0)  # G
    assert len(d.months) == 12 and d.months[0]["month"].isoformat() == "2025-12-01"
    assert d.by_kelurahan == [("Satu", 4), ("Luar kecamatan / tidak tercatat", 2)]
    assert d.complaints_open == d.complaints_overdue == 0 and d.ikm is None


def test_a_kasi_sees_the_figures_of_their_own_unit(office, month):
    pem = Unit.objects.get(office=office, code="pemerintahan")
    umum = Unit.objects.get(office=office, code="umum")
    assert desk(office=office, unit=pem, now=NOW).received_month == 6
    other = desk(office=office, unit=umum, now=NOW)
    assert (other.received_month, other.completed_month, other.late_now_count, other.waiting_kasi) == (0, 0, 0, [])


def test_the_lists_behind_the_figures(office, month):
    assert [l.dossier.code for l in late_now(office=office, now=NOW)] == ["EEEEEEEE"]
    rows = waiting_list(office=office, state="forwarded")
    assert [d.code for d, _minutes, _limit in rows] == ["EEEEEEEE"]
    assert waiting_list(office=office, state="signed") == []


# --- the pages ----------------------------------------------------------------------------------

def test_the_camat_lands_on_the_desk_and_it_links_to_the_lists(client, people, month):
    client.force_login(people["camat"])
    page = client.get(reverse("leadership:desk")).content.decode()
    assert 'id="desk-panel"' in page and 'hx-trigger="every 60s"' in page
    for name in ("leadership:late", "leadership:waiting", "leadership:report", "complaints:overdue", "deeds:delivery"):
        assert reverse(name) in page, name


def test_the_htmx_refresh_gets_the_panel_only(client, people, month):
    client.force_login(people["sekcam"])
    page = client.get(reverse("leadership:desk"), headers={"HX-Request": "true"}).content.decode()
    assert page.startswith('<div id="desk-panel"') and "<html" not in page


def test_the_late_and_waiting_lists(client, people, month):
    client.force_login(people["sekcam"])
    assert "EEEEEEEE" in client.get(reverse("leadership:late")).content.decode()
    assert "EEEEEEEE" in client.get(reverse("leadership:waiting") + "?status=forwarded").content.decode()
    page = client.get(reverse("leadership:waiting") + "?status=hilang&unit=abc").content.decode()
    assert "Status &#x27;hilang&#x27; tidak dikenal" in page and "Unit tidak dikenal" in page


def test_a_kasi_of_another_unit_sees_nothing_of_this_unit(client, people, month, office):
    client.force_login(people["kasi_other"])
    pem = Unit.objects.get(office=office, code="pemerintahan")
    assert "EEEEEEEE" not in client.get(reverse("leadership:waiting") + f"?status=forwarded&unit={pem.pk}").content.decode()
    assert "EEEEEEEE" not in client.get(reverse("leadership:late")).content.decode()


@pytest.mark.parametrize("who", ["front", "bendahara", "ppat", "admin"])
def test_other_roles_are_refused(client, people, who):
    client.force_login(people[who])
    assert client.get(reverse("leadership:desk")).status_code == 403
