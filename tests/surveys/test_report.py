"""The SKM period report (selectors.report), the office's weight, the kiosk act and the
publication of a result: every figure against answers counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from loket.core.errors import InvalidInput, WrongState
from loket.surveys import ikm, selectors, services
from loket.surveys.models import Publication, Response, Setting
from loket.surveys.periods import Period, PeriodError, containing, parse as period_parse
from tests.support.surveys import import_lines as _import, line as _line

KEYS = ikm.KEYS


# --- periods ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("period, start, end, label", [
    (Period("bulan", 2026, 2), dt.date(2026, 2, 1), dt.date(2026, 2, 28), "Februari 2026"),
    (Period("bulan", 2024, 2), dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Februari 2024"),
    (Period("triwulan", 2026, 4), dt.date(2026, 10, 1), dt.date(2026, 12, 31), "Triwulan IV 2026"),
    (Period("semester", 2026, 1), dt.date(2026, 1, 1), dt.date(2026, 6, 30), "Semester I 2026"),
    (Period("semester", 2026, 2), dt.date(2026, 7, 1), dt.date(2026, 12, 31), "Semester II 2026"),
    (Period("tahun", 2026, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31), "Tahun 2026"),
])
def test_period_bounds_and_labels(period, start, end, label):
    assert (period.start, period.end, period.label) == (start, end, label)


def test_trend_runs_back_over_the_year_boundary():
    assert [p.label for p in Period("semester", 2026, 1).trend()] == [
        "Semester II 2024", "Semester I 2025", "Semester II 2025", "Semester I 2026"]
    assert len(Period("bulan", 2026, 3).trend()) == 12
    assert Period("bulan", 2026, 3).trend()[0] == Period("bulan", 2025, 4)


@pytest.mark.parametrize("kind, year, number, message", [
    ("minggu", "2026", "1", "tidak dikenal"), ("semester", "2026", "3", "tidak ada"),
    ("bulan", "2026", "13", "tidak ada"), ("bulan", "2026", "0", "tidak ada"), ("tahun", "1999", "", "antara"),
    ("triwulan", "20x6", "1", "bilangan bulat"), ("triwulan", "2026", "-1", "bilangan bulat"),
])
def test_bad_periods_are_refused_with_the_reason(kind, year, number, message):
    with pytest.raises(PeriodError, match=message):
        period_parse(kind, year, number, today=dt.date(2026, 11, 25))


def test_missing_values_mean_the_period_containing_today():
    today = dt.date(2026, 11, 25)
    assert period_parse(None, None, None, today=today) == Period("semester", 2026, 2)
    assert period_parse("triwulan", "", "", today=today) == Period("triwulan", 2026, 4)
    assert period_parse("bulan", "2025", "", today=today) == Period("bulan", 2025, 1)
    assert containing("bulan", today) == Period("bulan", 2026, 11)


# --- the report -------------------------------------------------------------------------------------

@pytest.fixture
def answered(office, people):
    """Five paper forms counted by hand: four in semester I 2026 (two for 'pindah', one for
    'sewa-gedung', one without service), one in semester II 2025."""
    _import(office, people["front"], [
        _line([4] * 9, "2026-01-10", "pindah", "L", "19", "SMA", "Wiraswasta", "Cepat sekali"),
        _line([3] * 9, "2026-02-10", "pindah", "P", "45", "sma ", "PNS", ""),
        _line([2] * 8 + [""], "2026-06-30", "sewa-gedung", "P", "", "S1", "", "Parkir sempit"),
        _line([3] * 9, "2026-06-01", "", "", "60", "", "", ""),
        _line([1] * 9, "2025-12-31", "pindah", "L", "30", "", "", "Lama"),
    ])


def test_the_report_of_a_semester_counted_by_hand(office, answered):
    rep = selectors.report(office=office, period=Period("semester", 2026, 1))
    assert rep.respondents == 4 and rep.weight == "exact"
    nrr = {e.key: e.nrr for e in rep.result.elements}
    assert nrr["persyaratan"] == ikm.Fraction(12, 4)
    assert nrr["sarana"] == ikm.Fraction(10, 3)  # the blank answer does not count
    by_service = {g.key: (g.respondents, g.result.ikm_unit if g.result else None) for g in rep.by_service}
    assert by_service["pindah"] == (2, ikm.Fraction(8750, 100))
    assert by_service[""][0] == 1
    assert by_service["sewa-gedung"][0] == 1
    units = {g.key: g.respondents for g in rep.by_unit}
    assert units == {"pemerintahan": 2, "umum": 1, "": 1}
    assert dict(rep.profile["jenis_kelamin"]) == {"Perempuan": 2, "Laki-laki": 1, "Tidak diisi": 1}
    assert dict(rep.profile["umur"]) == {"< 20": 1, "20–29": 0, "30–39": 0, "40–49": 1, "50–59": 0, "≥ 60": 1,
                                         "Tidak diisi": 1}
    assert dict(rep.profile["pendidikan"]) == {"sma": 2, "s1": 1, "Tidak diisi": 1}
    assert [s["suggestion"] for s in rep.suggestions] == ["Parkir sempit", "Cepat sekali"]
    assert rep.suggestions_total == 2
    assert dict(rep.sources) == {"Kuesioner kertas (impor)": 4}


def test_the_trend_adds_months_into_periods(office, answered):
    rep = selectors.report(office=office, period=Period("semester", 2026, 1))
    trend = {g.key: g.respondents for g in rep.trend}
    assert trend == {"2024-semester-2": 0, "2025-semester-1": 0, "2025-semester-2": 1, "2026-semester-1": 4}
    last = rep.trend[-1].result
    assert last.as_json() == rep.result.as_json()
    assert rep.trend[-2].result.ikm_unit == 25


def test_a_service_filter_narrows_everything(office, answered):
    rep = selectors.report(office=office, period=Period("tahun", 2026, 1), service_code="pindah")
    assert rep.respondents == 2 and [g.key for g in rep.by_service] == ["pindah"]


def test_an_empty_period_has_no_ikm_and_says_why(office, answered):
    rep = selectors.report(office=office, period=Period("bulan", 2026, 3))
    assert rep.result is None and rep.respondents == 0 and "Belum ada responden" in rep.error


def test_the_sample_minimum_comes_from_the_dossiers_received(office, people, all_items, answered):
    from tests.support.surveys import taken_in as _taken_in
    _taken_in(office, people, all_items)
    today = dt.date.today()
    rep = selectors.report(office=office, period=containing("tahun", today))
    assert rep.population == 1 and rep.sample_min == 1
    assert selectors.report(office=office, period=Period("tahun", 2020, 1)).population == 0


# --- the office's weight ----------------------------------------------------------------------------

def test_the_weight_setting_changes_the_report(office, people, answered):
    assert selectors.weight_of(office) == "exact"
    services.weight_set(office=office, actor=people["camat"], weight="0.11")
    rep = selectors.report(office=office, period=Period("semester", 2026, 1))
    assert rep.weight == "0.11" and rep.result.weight == "0.11"
    assert Setting.objects.get(office=office).updated_by == people["camat"]


@pytest.mark.parametrize("who", ["front", "kasi", "bendahara", "ppat"])
def test_only_the_heads_and_admin_set_the_weight(office, people, who):
    with pytest.raises(PermissionDenied):
        services.weight_set(office=office, actor=people[who], weight="0.11")
    assert selectors.weight_of(office) == "exact"


def test_an_unknown_weight_is_refused(office, people):
    with pytest.raises(InvalidInput):
        services.weight_set(office=office, actor=people["admin"], weight="0.2")
    assert not Setting.objects.exists()


# --- publication ------------------------------------------------------------------------------------

def test_publishing_freezes_the_result(office, people, answered):
    pub = services.publication_publish(office=office, actor=people["camat"], period=Period("semester", 2026, 1))
    assert (pub.respondents, str(pub.ikm_unit), pub.period_label) == (4, str(selectors.report(
        office=office, period=Period("semester", 2026, 1)).result.as_json()["ikm_unit"]), "Semester I 2026")
    _import(office, people["front"], [_line([1] * 9, "2026-03-03")])
    pub.refresh_from_db()
    assert pub.respondents == 4
    assert selectors.publication_latest(office=office) == pub
    with pytest.raises(ValueError):
        pub.save()
    with pytest.raises(ValueError):
        pub.delete()


def test_publishing_an_empty_period_is_refused(office, people, answered):
    with pytest.raises(WrongState, match="Belum ada responden"):
        services.publication_publish(office=office, actor=people["sekcam"], period=Period("bulan", 2026, 3))
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["front", "kasi", "bendahara", "ppat", "admin"])
def test_only_the_camat_or_sekcam_publish(office, people, answered, who):
    with pytest.raises(PermissionDenied):
        services.publication_publish(office=office, actor=people[who], period=Period("semester", 2026, 1))
    assert not Publication.objects.exists()


# --- the kiosk ---------------------------------------------------------------------------------------

def test_a_kiosk_response_records_the_clerk_and_the_service(office, people):
    r = services.response_kiosk(office=office, actor=people["front"], service_code="pindah",
                                data={k: "3" for k in KEYS})
    assert (r.source, r.created_by, r.service.code, r.unit.code, r.dossier) == (
        "kiosk", people["front"], "pindah", "pemerintahan", None)


def test_a_kiosk_response_with_bad_answers_or_service_saves_nothing(office, people):
    with pytest.raises(InvalidInput):
        services.response_kiosk(office=office, actor=people["front"], service_code="", data={"persyaratan": "5"})
    with pytest.raises(InvalidInput) as exc:
        services.response_kiosk(office=office, actor=people["front"], service_code="tidak-ada",
                                data={k: "3" for k in KEYS})
    assert "layanan" in exc.value.errors
    with pytest.raises(PermissionDenied):
        services.response_kiosk(office=office, actor=people["kasi"], service_code="", data={k: "3" for k in KEYS})
    assert not Response.objects.exists()
