"""The service performance report (leadership.selectors.service_report) against the hand-counted
month of tests/leadership/fixtures.py: every figure, per service and per kelurahan, breaches
across a weekend and a holiday, a return undone, an intake cancelled, a dossier that spans two
months; and the page, its files and the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from loket.leadership.selectors import OUTSIDE, service_report
from tests.leadership.fixtures import EXPECTED_TOTAL, november
from tests.support.world import other  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture
def month(office, people):
    return november(office, people)


def test_the_month_adds_up_as_counted_by_hand(office, month):
    report = service_report(office=office, start=NOV[0], end=NOV[1])
    assert report.total.as_dict() == EXPECTED_TOTAL
    assert report.hours_default


def test_per_service_and_per_kelurahan(office, month):
    report = service_report(office=office, start=NOV[0], end=NOV[1])
    pindah = {r.key: r for r in report.services}["pindah"].figures
    assert pindah.as_dict() == EXPECTED_TOTAL  # the one counter service of the mini standard
    rows = {r.label: r.figures for r in report.kelurahan}
    satu, outside = rows["Satu"], rows[OUTSIDE]
    # Satu: A B D H received, F cancelled; A B D G completed, A and D on time.
    assert (satu.received, satu.cancelled, satu.returned, satu.completed, satu.on_time) == (4, 1, 1, 4, 2)
    assert satu.on_time_pct == 50.0 and satu.median == 10.0  # 9 9 11 20
    # Outside the kecamatan: C E received; C completed on time; E's undone return not counted.
    assert (outside.received, outside.cancelled, outside.returned, outside.completed, outside.on_time) == (2, 0, 0, 1, 1)
    assert [r.label for r in report.kelurahan][-1] == OUTSIDE


def test_the_holiday_is_what_keeps_c_on_time(office, month):
    from loket.offices.models import Holiday

    Holiday.objects.filter(office=office, date=dt.date(2026, 11, 12)).delete()
    # Stored measures keep the calendar they were taken with until measured again.
    assert service_report(office=office, start=NOV[0], end=NOV[1]).total.on_time == 3
    call_command("measures", office=office.slug, stdout=io.StringIO())
    report = service_report(office=office, start=NOV[0], end=NOV[1])
    assert report.total.on_time == 2  # C now took 2 minutes + a whole Thursday + 5


def test_the_offices_own_hours_change_the_measure(office, month):
    from loket.offices.models import WorkingHours

    # Friday closing at 16.26 instead of 16.30: B takes 1 + 6 = 7 minutes and is on time; G
    # takes 6 + 10 = 16 and stays late.
    for day in range(4):
        WorkingHours.objects.create(office=office, weekday=day, opens=dt.time(7, 30), closes=dt.time(16, 0))
    WorkingHours.objects.create(office=office, weekday=4, opens=dt.time(7, 30), closes=dt.time(16, 26))
    out = io.StringIO()
    call_command("measures", stdout=out)
    assert out.getvalue().startswith("6 berkas diukur ulang")  # A B C D G, and H (handed over in December)
    report = service_report(office=office, start=NOV[0], end=NOV[1])
    assert report.total.on_time == 4 and not report.hours_default


def test_october_and_a_quarter(office, month):
    october = service_report(office=office, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    assert (october.total.received, october.total.completed) == (1, 0)  # G received, not yet done
    q4 = service_report(office=office, start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31))
    assert (q4.total.received, q4.total.completed, q4.total.on_time) == (7, 6, 3)  # + G's intake, H's handover


def test_another_offices_dossiers_are_not_counted(office, people, month, other):
    office2, people2, _items = other
    from tests.leadership.fixtures import at, dossier, full

    steps = full(at(11, 3, 8, 0), [1, 1, 1, 1])
    from loket.catalog.models import ServiceType

    dossier(office2, people2, "ZZZZZZZZ", kelurahan=None, steps=steps,
            state="handed_over", done=steps[-1][1],
            service=ServiceType.objects.get(edition__office=office2, code="pindah"))
    report = service_report(office=office, start=NOV[0], end=NOV[1])
    assert report.total.as_dict() == EXPECTED_TOTAL


# --- the page and its files --------------------------------------------------------------------

def test_the_page_shows_the_months_figures(client, people, month):
    client.force_login(people["sekcam"])
    page = client.get(reverse("leadership:report") + "?jenis=bulan&tahun=2026&ke=11").content.decode()
    assert 'id="k-received">6<' in page and 'id="k-completed">5<' in page
    assert 'id="k-on-time">60,0 %<' in page and 'id="k-p90">20,0<' in page
    assert "Surat pengantar RT/RW" in page and "November 2026" in page


def test_a_bad_period_is_said_and_this_month_is_shown(client, people, month):
    client.force_login(people["front"])
    resp = client.get(reverse("leadership:report") + "?jenis=minggu&tahun=abc")
    assert resp.status_code == 200
    assert "Periode tidak valid" in resp.content.decode()


def test_the_xlsx_holds_the_figures_as_numbers(client, people, month):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(people["camat"])
    resp = client.get(reverse("leadership:report_xlsx") + "?jenis=bulan&tahun=2026&ke=11")
    assert resp.status_code == 200 and resp["Content-Disposition"].endswith('laporan-kinerja-2026-bulan-11.xlsx"')
    wb = load_workbook(BytesIO(b"".join(resp.streaming_content)))
    rows = list(wb["Per layanan"].iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Jumlah")
    assert total[1:] == (6, 1, 1, 5, 3, 2, 60.0, 9.0, 20.0)
    assert wb["Alasan pengembalian"]["B4"].value == "Surat pengantar RT/RW"


def test_the_pdf_is_on_the_letterhead_and_signed_by_the_camat(client, people, month):
    from tests.support.pdf import text_of

    client.force_login(people["camat"])
    resp = client.get(reverse("leadership:report_pdf") + "?jenis=bulan&tahun=2026&ke=11")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = text_of(resp.content)
    assert "LAPORAN KINERJA PELAYANAN" in text and "November 2026" in text and "NIP" in text
    assert "60,0" in text


def test_outsiders_are_sent_to_log_in(client, month):
    resp = client.get(reverse("leadership:report"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("login") + "?next=")


# --- the API ------------------------------------------------------------------------------------

def test_the_api_gives_the_same_figures(client, people, month):
    client.force_login(people["kasi"])
    body = client.get(reverse("api:staff_performance") + "?jenis=bulan&tahun=2026&ke=11").json()
    assert body["period"] == {"kind": "bulan", "year": 2026, "number": 11, "label": "November 2026",
                              "start": "2026-11-01", "end": "2026-11-30"}
    assert body["total"] == EXPECTED_TOTAL
    assert {g["label"]: g["received"] for g in body["kelurahan"]} == {"Satu": 4, OUTSIDE: 2}
    assert body["services"][0]["key"] == "pindah" and body["services"][0]["completed"] == 5


@pytest.mark.parametrize("query,field", [("?jenis=minggu", "jenis"), ("?jenis=bulan&ke=13", "jenis"),
                                         ("?tahun=abc", "tahun")])
def test_the_api_refuses_a_period_that_does_not_exist(client, people, query, field):
    client.force_login(people["camat"])
    resp = client.get(reverse("api:staff_performance") + query)
    assert resp.status_code == 400 and field in resp.json()["errors"]


def test_the_dossiers_behind_terlambat(client, office, people, month):
    from loket.leadership.selectors import late_completed

    rows = late_completed(office=office, start=NOV[0], end=NOV[1])
    assert [(m.dossier.code, m.minutes) for m in rows] == [("GGGGGGGG", 20.0), ("BBBBBBBB", 11.0)]
    assert (rows[1].counter_minutes, rows[1].kasi_minutes, rows[1].signer_minutes, rows[1].closing_minutes) == (2, 6, 2, 1)
    assert late_completed(office=office, start=NOV[0], end=NOV[1], service_code="lain") == []
    client.force_login(people["front"])
    report = client.get(reverse("leadership:report") + "?jenis=bulan&tahun=2026&ke=11").content.decode()
    assert reverse("leadership:report_late") + "?jenis=bulan&amp;tahun=2026&amp;ke=11&amp;layanan=pindah" in report
    page = client.get(reverse("leadership:report_late") + "?jenis=bulan&tahun=2026&ke=11&layanan=pindah").content.decode()
    assert page.index("GGGGGGGG") < page.index("BBBBBBBB") and "AAAAAAAA" not in page
