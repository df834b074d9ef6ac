"""Service rules of the standard: the KTP-el age rule (17 years, or married / once married),
the KTP-el photo background (odd birth year red, even blue) and the clerk's notes."""

import datetime as dt

import pytest

from loket.catalog.rules import photo_background
from loket.dossiers.models import Applicant
from loket.dossiers.rules import SERVICE_RULES, age_on, clerk_notes, rule_ktp_el_age, service_rules_check
from tests.support.dossier_rules import ktp_el_intake as _ktp_el_intake
from loket.core.errors import InvalidInput

TODAY = dt.date(2025, 6, 15)
M = Applicant.MaritalStatus


def applicant(birth, marital=M.SINGLE):
    return {"birth_date": birth, "marital_status": marital}


# --- age_on -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "birth, day, age",
    [
        (dt.date(2008, 6, 15), dt.date(2025, 6, 15), 17),  # the birthday itself
        (dt.date(2008, 6, 16), dt.date(2025, 6, 15), 16),  # the day before
        (dt.date(2008, 6, 14), dt.date(2025, 6, 15), 17),
        (dt.date(2008, 12, 31), dt.date(2025, 1, 1), 16),
        (dt.date(2008, 1, 1), dt.date(2025, 12, 31), 17),
        (dt.date(2025, 6, 15), dt.date(2025, 6, 15), 0),
        (dt.date(1990, 8, 5), dt.date(2025, 6, 15), 34),
        # 29 February: in a non-leap year the birthday counts from 1 March
        (dt.date(2008, 2, 29), dt.date(2025, 2, 28), 16),
        (dt.date(2008, 2, 29), dt.date(2025, 3, 1), 17),
        # and in a leap year on 29 February itself
        (dt.date(2008, 2, 29), dt.date(2012, 2, 28), 3),
        (dt.date(2008, 2, 29), dt.date(2012, 2, 29), 4),
        (dt.date(2004, 2, 29), dt.date(2021, 2, 28), 16),
        (dt.date(2004, 2, 29), dt.date(2021, 3, 1), 17),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age


# --- the KTP-el age rule -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "birth, marital",
    [
        (dt.date(2008, 6, 15), M.SINGLE),  # exactly 17 today
        (dt.date(2008, 6, 14), M.SINGLE),
        (dt.date(1990, 8, 5), M.SINGLE),
        (dt.date(2008, 6, 16), M.MARRIED),  # 16, married
        (dt.date(2008, 6, 16), M.DIVORCED),  # 16, divorced (pernah kawin)
        (dt.date(2008, 6, 16), M.WIDOWED),  # 16, widowed (pernah kawin)
        (dt.date(2010, 1, 1), M.MARRIED),  # 15, married: the standard sets no lower bound
        (dt.date(2008, 6, 15), M.MARRIED),
    ],
)
def test_ktp_el_allowed(birth, marital):
    assert rule_ktp_el_age(applicant=applicant(birth, marital), today=TODAY) == {}
    assert service_rules_check(service_code="ktp-el", applicant=applicant(birth, marital), today=TODAY) == {}


@pytest.mark.parametrize(
    "birth, marital, age",
    [
        (dt.date(2008, 6, 16), M.SINGLE, 16),  # 17 tomorrow
        (dt.date(2008, 12, 31), M.SINGLE, 16),
        (dt.date(2010, 1, 1), M.SINGLE, 15),
        (dt.date(2025, 1, 1), M.SINGLE, 0),
        (dt.date(2008, 6, 16), "", 16),  # status not given counts as not married
        (dt.date(2008, 6, 16), None, 16),
    ],
)
def test_ktp_el_refused_under_17_and_never_married(birth, marital, age):
    errors = rule_ktp_el_age(applicant=applicant(birth, marital), today=TODAY)
    assert errors == {
        "birth_date": (
            f"Pemohon KTP-el berusia {age} tahun dan belum kawin. Menurut Standar Pelayanan, "
            "pemohon KTP-el harus berusia 17 tahun atau sudah kawin/pernah kawin."
        )
    }
    message = errors["birth_date"]
    assert "17 tahun" in message and "kawin" in message
    assert service_rules_check(service_code="ktp-el", applicant=applicant(birth, marital), today=TODAY) == errors


def test_ktp_el_refused_without_marital_status_key():
    errors = rule_ktp_el_age(applicant={"birth_date": dt.date(2008, 6, 16)}, today=TODAY)
    assert set(errors) == {"birth_date"} and "16 tahun" in errors["birth_date"]


def test_ktp_el_rule_says_nothing_without_a_birth_date():
    assert rule_ktp_el_age(applicant={"marital_status": M.SINGLE}, today=TODAY) == {}
    assert rule_ktp_el_age(applicant={"birth_date": None, "marital_status": M.SINGLE}, today=TODAY) == {}


@pytest.mark.parametrize(
    "today, allowed",
    [
        (dt.date(2025, 2, 27), False),
        (dt.date(2025, 2, 28), False),  # 2025 has no 29 February: not yet 17 on the 28th
        (dt.date(2025, 3, 1), True),  # 17 from 1 March
        (dt.date(2025, 3, 2), True),
    ],
)
def test_ktp_el_born_29_february_turns_17_on_1_march_of_a_non_leap_year(today, allowed):
    errors = rule_ktp_el_age(applicant=applicant(dt.date(2008, 2, 29)), today=today)
    assert (errors == {}) is allowed
    if not allowed:
        assert "berusia 16 tahun" in errors["birth_date"]


@pytest.mark.parametrize("service_code", ["pindah", "sewa-gedung", "", "KTP-EL", "ktp_el", "kk"])
def test_other_services_have_no_age_rule(service_code):
    minor = applicant(dt.date(2020, 1, 1))
    assert service_rules_check(service_code=service_code, applicant=minor, today=TODAY) == {}


def test_only_ktp_el_has_rules():
    assert list(SERVICE_RULES) == ["ktp-el"]


# --- photo background -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "year, colour",
    [
        (1945, "merah"), (1989, "merah"), (1991, "merah"), (1999, "merah"), (2001, "merah"), (2007, "merah"),
        (1950, "biru"), (1990, "biru"), (2000, "biru"), (2008, "biru"), (2010, "biru"), (2024, "biru"),
    ],
)
def test_photo_background_red_for_odd_blue_for_even(year, colour):
    assert photo_background(year) == colour


# --- clerk notes --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "birth, note",
    [
        (dt.date(2007, 3, 3), "Pas foto 3×2 dua lembar berlatar merah: tahun lahir 2007 ganjil."),
        (dt.date(2008, 6, 16), "Pas foto 3×2 dua lembar berlatar biru: tahun lahir 2008 genap."),
        (dt.date(1990, 8, 5), "Pas foto 3×2 dua lembar berlatar biru: tahun lahir 1990 genap."),
        (dt.date(1999, 12, 31), "Pas foto 3×2 dua lembar berlatar merah: tahun lahir 1999 ganjil."),
    ],
)
def test_clerk_notes_for_ktp_el_give_colour_and_year(birth, note):
    notes = clerk_notes(service_code="ktp-el", applicant={"birth_date": birth})
    assert notes == [note]
    assert photo_background(birth.year) in notes[0] and str(birth.year) in notes[0]


@pytest.mark.parametrize(
    "service_code, data",
    [
        ("pindah", {"birth_date": dt.date(2007, 3, 3)}),
        ("", {"birth_date": dt.date(2007, 3, 3)}),
        ("ktp-el", {}),
        ("ktp-el", {"birth_date": None}),
    ],
)
def test_no_clerk_notes_otherwise(service_code, data):
    assert clerk_notes(service_code=service_code, applicant=data) == []


# --- the rule at the counter: dossier_intake for ktp-el of the bundled Kartoharjo standard --------

@pytest.fixture
def kartoharjo(db):
    from loket.catalog.services import standard_load
    from loket.offices.roles import Role
    from loket.offices.services import roles_sync, staff_create

    roles_sync()
    office = standard_load().office
    front = staff_create(
        office=office, username="petugas", role=Role.FRONT_OFFICE, password="x-Pass-12345", full_name="Petugas"
    ).user
    return office, front


def test_intake_refuses_ktp_el_for_a_single_16_year_old(kartoharjo):
    from loket.dossiers.models import Dossier

    office, front = kartoharjo
    birth = dt.date(dt.date.today().year - 16, 1, 1)  # 16 all year long
    applicants = Applicant.objects.count()
    with pytest.raises(InvalidInput) as exc:
        _ktp_el_intake(office, front, birth=birth, marital=M.SINGLE)
    assert set(exc.value.errors) == {"birth_date"}
    (message,) = exc.value.errors["birth_date"]
    assert "16 tahun" in message and "17 tahun" in message and "kawin" in message
    assert not Dossier.objects.exists() and Applicant.objects.count() == applicants


@pytest.mark.parametrize("marital", [M.MARRIED, M.DIVORCED, M.WIDOWED])
def test_intake_accepts_ktp_el_for_a_married_or_once_married_16_year_old(kartoharjo, marital):
    office, front = kartoharjo
    birth = dt.date(dt.date.today().year - 16, 1, 1)
    dossier = _ktp_el_intake(office, front, birth=birth, marital=marital)
    assert dossier.service.code == "ktp-el" and dossier.applicant.marital_status == marital
