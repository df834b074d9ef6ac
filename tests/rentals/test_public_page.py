"""The public schedule of the hall (/<office>/gedung/?bulan=YYYY-MM): per day and half-day
"Kosong" or "Terisi" (Sehari takes both halves, Siang leaves the evening free, a cancelled
booking frees its sessions, an inquiry holds nothing), the venue and its tariff from the
standard, how to book; never who booked, what event or their telephone; 404 for an unknown
office; a message for a bad month; a friendly page for an office without a hall; cached for
visitors like the catalog's pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from loket.core.formats import MONTHS
from loket.offices.models import Office
from loket.rentals import services
from loket.rentals.models import Venue
from tests.rentals.conftest import next_month, order
from tests.support.http import inline_code as _inline_code

VENUE = "gedung-pertemuan-karto-praja"
NAME, ORG, EVENT, PHONE = "Namarahasia Penyewa", "Organisasirahasia", "Acararahasia Ulang Tahun", "081299887766"


def _url(slug: str, bulan: str | None = None) -> str:
    url = reverse("rentals_public:availability", kwargs={"office": slug})
    return f"{url}?bulan={bulan}" if bulan else url


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def halves(page: str, day: dt.date, venue: str = VENUE) -> tuple[str, str]:
    """("Kosong"|"Terisi", "Kosong"|"Terisi") of a day's cell: siang, malam."""
    m = re.search(rf'<td id="{venue}-{day:%Y-%m-%d}"[^>]*>(.*?)</td>', page, re.S)
    assert m, day
    found = dict(re.findall(r'<span class="half-name">(Siang|Malam)</span> <span class="half-state">(Kosong|Terisi)</span>',
                            m.group(1)))
    return found["Siang"], found["Malam"]


def cell_class(page: str, day: dt.date) -> str:
    return re.search(rf'<td id="{VENUE}-{day:%Y-%m-%d}" class="([^"]*)"', page).group(1)


@pytest.fixture
def booked(hall_office, clerks):
    """Next month: the 10th Sehari, the 12th Siang, the 14th Sehari then cancelled, the 16th an
    inquiry only, the 20th–22nd Malam for three days; all by the same (secret) renter."""
    who = {"renter_name": NAME, "organisation": ORG, "event": EVENT, "phone": PHONE}
    actor = clerks["bendahara"]
    out = {
        "sehari": services.booking_create(office=hall_office, actor=actor, data=order(**who)),
        "siang": services.booking_create(office=hall_office, actor=actor,
                                         data=order(date=next_month(12).isoformat(), session="siang", **who)),
        "cancelled": services.booking_create(office=hall_office, actor=actor,
                                             data=order(date=next_month(14).isoformat(), **who)),
        "inquiry": services.booking_create(office=hall_office, actor=actor, inquiry=True,
                                           data=order(date=next_month(16).isoformat(), **who)),
        "three": services.booking_create(office=hall_office, actor=actor, data=order(
            date=next_month(20).isoformat(), session="malam", days="3", renter_type="swasta", **who)),
    }
    services.booking_cancel(code=out["cancelled"].code, actor=actor, reason="Acara diundur")
    return out


def test_taken_and_free_half_days(client, hall_office, booked):
    r = client.get(_url(hall_office.slug, _month(next_month())))
    assert r.status_code == 200
    page = r.content.decode()
    assert halves(page, next_month(10)) == ("Terisi", "Terisi")  # Sehari takes both
    assert halves(page, next_month(12)) == ("Terisi", "Kosong")  # Siang leaves the evening free
    assert halves(page, next_month(14)) == ("Kosong", "Kosong")  # cancelled: free again
    assert halves(page, next_month(16)) == ("Kosong", "Kosong")  # an inquiry holds nothing
    for day in (20, 21, 22):
        assert halves(page, next_month(day)) == ("Kosong", "Terisi"), day
    assert halves(page, next_month(23)) == ("Kosong", "Kosong")
    assert halves(page, next_month(1)) == ("Kosong", "Kosong")
    # Taken/free is said in words (and a class for the staff board's look), not by colour only.
    assert '<span class="half taken"><span class="half-name">Siang</span> <span class="half-state">Terisi</span>' in page
    assert '<span class="half free"><span class="half-name">Malam</span> <span class="half-state">Kosong</span>' in page
    assert re.search(r'<link rel="stylesheet" href="[^"]*loket/rentals[^"]*\.css"', page)
    # The free half-days of the month from today on: every half of the month less 2 + 1 + 3.
    first = next_month(1)
    days = ((first + dt.timedelta(days=32)).replace(day=1) - first).days
    assert re.search(rf'id="sisa-{VENUE}">{2 * days - 6}<', page)


def test_cancelling_frees_the_page_after_the_cache(client, hall_office, clerks):
    b = services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order())
    url = _url(hall_office.slug, _month(next_month()))
    assert halves(client.get(url).content.decode(), next_month(10)) == ("Terisi", "Terisi")
    services.booking_cancel(code=b.code, actor=clerks["bendahara"], reason="Batal")
    caches["pages"].clear()  # the cached page lives PAGE_SECONDS
    assert halves(client.get(url).content.decode(), next_month(10)) == ("Kosong", "Kosong")


def test_no_personal_data_on_the_page(client, hall_office, booked):
    page = client.get(_url(hall_office.slug, _month(next_month()))).content.decode()
    for secret in [NAME, ORG, EVENT, PHONE, "Namarahasia", "Organisasirahasia", "Acararahasia", "Dinas Pendidikan",
                   "Acara diundur", *(b.code for b in booked.values())]:
        assert secret not in page, secret
    assert _inline_code(page) == []


def test_the_venue_tariff_and_how_to_book(client, hall_office):
    page = client.get(_url(hall_office.slug)).content.decode()
    assert "Gedung Pertemuan Karto Praja" in page and "400 orang" in page
    assert "<li>Kursi yang disewakan sejumlah 350 buah</li>" in page  # the facilities of the standard
    # The sessions of the edition's tariff, with the regional government's 50 %.
    for label, full, half in [("Siang hari/ per hari", "Rp 1.000.000", "Rp 500.000"),
                              ("Malam hari/ per hari", "Rp 1.500.000", "Rp 750.000"),
                              ("Sehari (siang – malam)", "Rp 2.000.000", "Rp 1.000.000")]:
        row = re.search(rf"<tr><td>{re.escape(label)}.*?</tr>", page, re.S).group(0)
        assert full in row and half in row, label
    assert "07.00–15.00 WIB" in page
    assert "Petugas Kebersihan: 4 orang × Rp 70.000 = Rp 280.000" in page
    assert "Petugas Parkir: 1 orang × Rp 70.000 = Rp 70.000" in page
    assert "Pemakaian oleh Pemerintah Daerah (OPD) dikenakan 50 % dari tarif gedung" in page
    assert "tidak dikurangi" in page
    # How to book: the standard's wording and the office's telephone.
    how = re.search(r'<section class="component plain" id="cara-memesan">(.*?)</section>', page, re.S).group(1)
    assert "Surat Pesanan/ Telpon" in how and "Bendahara Penerimaan" in how
    assert "(0351) 455844" in how and 'href="tel:+62351455844"' in how
    assert reverse("catalog:service_detail", args=[hall_office.slug, "sewa-gedung"]) in page


def test_the_calendar_runs_monday_to_sunday_with_month_links(client, hall_office):
    page = client.get(_url(hall_office.slug, "2026-03")).content.decode()
    heads = re.findall(r'<th scope="col">([^<]*)</th>', re.search(r"<table class=\"rental-month calendar\">.*?</thead>",
                                                                   page, re.S).group(0))
    assert heads == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    first_week = re.search(r"<tbody><tr>(.*?)</tr>", page, re.S).group(1)
    # 1 March 2026 is a Sunday: six empty cells before it.
    assert first_week.count('<td class="outside" aria-hidden="true"></td>') == 6
    assert f'id="{VENUE}-2026-03-01"' in first_week
    # Each day carries its name too (shown when a phone lists the days one under another).
    assert re.search(rf'<td id="{VENUE}-2026-03-05"[^>]*>\s*<span class="day-number"><span class="day-name">Kamis</span>', page)
    assert 'id="bulan-ini">Maret 2026<' in page
    assert 'href="?bulan=2026-02" rel="prev">‹ Februari 2026' in page
    assert 'href="?bulan=2026-04" rel="next">April 2026 ›' in page
    assert 'href="?bulan=2025-12"' in client.get(_url(hall_office.slug, "2026-01")).content.decode()


def test_past_days_are_greyed(client, hall_office):
    page = client.get(_url(hall_office.slug, "2020-02")).content.decode()
    assert cell_class(page, dt.date(2020, 2, 29)).split() == ["day", "past"]
    assert "half free" not in page and "half taken" not in page  # the past in grey only
    assert "(sudah lewat)" in page
    future = client.get(_url(hall_office.slug, _month(next_month()))).content.decode()
    assert "past" not in cell_class(future, next_month(1))
    today = timezone.localdate()
    this = client.get(_url(hall_office.slug)).content.decode()
    assert 'aria-current="date"' in re.search(rf'<td id="{VENUE}-{today:%Y-%m-%d}"[^>]*>', this).group(0)
    if today.day > 1:
        assert "past" in cell_class(this, today.replace(day=1)).split()
    assert cell_class(this, today).split() == ["day", "today"]


@pytest.mark.parametrize("bad", ["2026-13", "kemarin", "1999-12", "2026-1-1", "<b>x</b>"])
def test_a_bad_month_is_said_and_this_month_shown(client, hall_office, bad):
    r = client.get(_url(hall_office.slug), {"bulan": bad})
    assert r.status_code == 200
    page = r.content.decode()
    assert "Bulan tidak valid" in page and "<b>x</b>" not in page
    today = timezone.localdate()
    assert f'id="bulan-ini">{MONTHS[today.month - 1]} {today.year}<' in page


def test_a_month_without_leading_zero_is_accepted(client, hall_office):
    page = client.get(_url(hall_office.slug, "2026-3")).content.decode()
    assert "Bulan tidak valid" not in page and 'id="bulan-ini">Maret 2026<' in page


def test_unknown_office_is_404(client, hall_office):
    assert client.get(_url("tidak-ada")).status_code == 404


def test_an_office_without_a_hall_gets_a_friendly_page(client, hall_office):
    Venue.objects.filter(office=hall_office).update(active=False)
    r = client.get(_url(hall_office.slug))
    assert r.status_code == 200
    page = r.content.decode()
    assert 'id="no-venue"' in page and "belum mempunyai gedung pertemuan" in page
    assert "calendar" not in page and "(0351) 455844" in page


def test_another_offices_page_shows_its_own_hall_only(client, hall_office, booked):
    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota Lain")
    Venue.objects.create(office=other, code="balai", name="Balai Lain", capacity=50)
    page = client.get(_url(other.slug, _month(next_month()))).content.decode()
    assert "Balai Lain" in page and "Karto Praja" not in page
    assert halves(page, next_month(10), venue="balai") == ("Kosong", "Kosong")
    assert "half taken" not in page
    # No active edition with a hall tariff there: no tariff section, the general way to book.
    assert "Tarif sewa" not in page and "surat pesanan atau telepon ke Bendahara Penerimaan" in page


def test_the_page_is_cached_for_visitors(client, hall_office, booked, django_assert_max_num_queries,
                                         django_assert_num_queries):
    url = _url(hall_office.slug, _month(next_month()))
    # The office, its venues, the edition, the hall's service with requirements, procedure and
    # tariffs, the month's slots, and the default office that base.html asks for.
    with django_assert_max_num_queries(9):
        first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content


def test_staff_get_a_fresh_page(client, hall_office, clerks):
    client.force_login(clerks["front"])
    url = _url(hall_office.slug, _month(next_month()))
    assert halves(client.get(url).content.decode(), next_month(10)) == ("Kosong", "Kosong")
    services.booking_create(office=hall_office, actor=clerks["bendahara"], data=order())
    assert halves(client.get(url).content.decode(), next_month(10)) == ("Terisi", "Terisi")


def test_the_office_home_page_links_to_the_schedule(client, hall_office):
    page = client.get(reverse("catalog:home", kwargs={"office": hall_office.slug})).content.decode()
    assert f'href="{_url(hall_office.slug)}">Jadwal gedung pertemuan</a>' in page
