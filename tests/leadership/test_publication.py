"""The Camat publishes a month's service figures for the public (/<office>/kinerja/): only a
month that has ended, only the Camat or the Sekcam, no person or dossier named, append-only (a
month published again shows its newest publication)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from loket.core.errors import InvalidInput
from loket.core.history import AppendOnlyError
from loket.leadership.models import Publication
from loket.leadership.services import performance_publish
from tests.leadership.fixtures import november

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def month(office, people):
    return november(office, people)


def test_the_camat_publishes_november_and_the_public_reads_it(client, office, people, month):
    pub = performance_publish(office=office, actor=people["camat"], year=2026, month=11, today=TODAY)
    assert pub.period_label == "November 2026"
    assert (pub.data["total"]["received"], pub.data["total"]["completed"], pub.data["total"]["on_time_pct"]) == (6, 5, 60.0)
    page = client.get(reverse("leadership_public:board", args=[office.slug])).content.decode()
    assert 'id="kp-received">6<' in page and 'id="kp-on-time">60,0 %<' in page and "November 2026" in page
    for private in ("Siti Aminah", "AAAAAAAA", "3577014508900001", "Camat"):  # no applicant, code, NIK or staff
        assert private not in page.split('id="kp-period"')[1].split("Indeks Kepuasan")[0], private


def test_a_month_not_yet_over_is_refused(office, people, month):
    with pytest.raises(InvalidInput, match="belum berakhir"):
        performance_publish(office=office, actor=people["camat"], year=2026, month=12, today=TODAY)
    with pytest.raises(InvalidInput):
        performance_publish(office=office, actor=people["camat"], year=2026, month=13, today=TODAY)
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["front", "kasi", "bendahara", "admin"])
def test_only_the_camat_and_sekcam_publish(office, people, who):
    with pytest.raises(PermissionDenied):
        performance_publish(office=office, actor=people[who], year=2026, month=11, today=TODAY)
    assert not Publication.objects.exists()


def test_published_again_the_newest_is_shown_and_the_first_stays(client, office, people, month):
    first = performance_publish(office=office, actor=people["sekcam"], year=2026, month=11, today=TODAY)
    from loket.dossiers.models import Dossier

    Dossier.objects.filter(code="EEEEEEEE").update(state="cancelled")  # a late correction of the month
    performance_publish(office=office, actor=people["camat"], year=2026, month=11, today=TODAY)
    page = client.get(reverse("leadership_public:board", args=[office.slug])).content.decode()
    assert 'id="kp-received">5<' in page and "kp-earlier" not in page
    first.data = {}
    with pytest.raises(AppendOnlyError):
        first.save()


def test_the_board_before_any_publication(client, office):
    page = client.get(reverse("leadership_public:board", args=[office.slug])).content.decode()
    assert 'id="kp-empty"' in page


def test_the_report_page_publishes_a_past_month(client, office, people, month):
    client.force_login(people["camat"])
    resp = client.post(reverse("leadership:publish"), {"tahun": "2026", "ke": "11"})
    assert resp.status_code == 302 and Publication.objects.count() == 1
    client.force_login(people["front"])
    assert client.post(reverse("leadership:publish"), {"tahun": "2026", "ke": "10"}).status_code == 403
    assert Publication.objects.count() == 1


def test_the_report_offers_publishing_only_for_an_ended_month_and_only_to_the_camat_or_sekcam(client, people):
    client.force_login(people["camat"])
    url = reverse("leadership:report")
    assert 'id="k-publish"' in client.get(url + "?jenis=bulan&tahun=2025&ke=1").content.decode()
    assert 'id="k-publish"' not in client.get(url + "?jenis=tahun&tahun=2025").content.decode()
    assert 'id="k-publish"' not in client.get(url + "?jenis=bulan&tahun=2099&ke=1").content.decode()
    client.force_login(people["front"])
    assert 'id="k-publish"' not in client.get(url + "?jenis=bulan&tahun=2025&ke=1").content.decode()
