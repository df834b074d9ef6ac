"""NIK: 16 digits = PPRRSS (region of first issue) + DDMMYY (women: DD + 40) + 4-digit serial.

nik_parse validates through python-stdnum and adds the century rule ("the latest century that
does not put the birth in the future"); nik_check_against compares the NIK with what the
applicant states; nik_mask hides all but the region; applicant_clean turns NikError into an
Indonesian message under the key "nik"."""

import datetime as dt

import pytest

from loket.dossiers import services
from loket.dossiers.models import Applicant
from loket.core.nik import FEMALE, MALE, NikError, NikInfo, nik_check_against, nik_mask, nik_parse
from tests.factories import applicant_data
from loket.core.errors import InvalidInput

TODAY = dt.date(2025, 6, 15)  # a fixed "today" for every rule that depends on it

DATE_MESSAGE = "Tanggal lahir yang terkandung dalam NIK (digit 7–12) bukan tanggal yang sah."
REGION_MESSAGE = "Kode wilayah NIK (6 digit pertama) tidak dikenal."
DIGITS_MESSAGE = "NIK hanya boleh berisi angka."

ARABIC_INDIC = "3577014508900001".translate({ord("0") + i: 0x0660 + i for i in range(10)})
FULL_WIDTH = "3577014508900001".translate({ord("0") + i: 0xFF10 + i for i in range(10)})


def nik(ddmmyy: str, region: str = "357701", serial: str = "0001") -> str:
    """A NIK of Kota Madiun (35.77.01) unless another region is given."""
    return region + ddmmyy + serial


# --- valid NIKs: birth date and sex -------------------------------------------------------

@pytest.mark.parametrize(
    "value, birth, sex",
    [
        # men: the day as it is
        (nik("150890"), dt.date(1990, 8, 15), MALE),
        (nik("010190"), dt.date(1990, 1, 1), MALE),
        (nik("311299"), dt.date(1999, 12, 31), MALE),
        (nik("170845", region="317101"), dt.date(1945, 8, 17), MALE),  # stdnum's own example
        # women: day + 40, read back as the real day
        (nik("450890"), dt.date(1990, 8, 5), FEMALE),
        (nik("410190"), dt.date(1990, 1, 1), FEMALE),
        (nik("711299"), dt.date(1999, 12, 31), FEMALE),
        (nik("570845", region="317101"), dt.date(1945, 8, 17), FEMALE),
        (nik("700410"), dt.date(2010, 4, 30), FEMALE),
    ],
)
def test_valid_nik_gives_birth_date_and_sex(value, birth, sex):
    info = nik_parse(value, today=TODAY)
    assert info == NikInfo(nik=value, birth_date=birth, sex=sex, region=value[:6])


def test_factory_applicant_nik_is_the_woman_born_5_august_1990():
    info = nik_parse(applicant_data()["nik"], today=TODAY)
    assert (info.birth_date, info.sex, info.region) == (dt.date(1990, 8, 5), FEMALE, "357701")


# --- the century: the latest one that does not put the birth after "today" ----------------

@pytest.mark.parametrize(
    "ddmmyy, today, birth",
    [
        # clearly 19xx / clearly 20xx
        ("150890", TODAY, dt.date(1990, 8, 15)),
        ("150810", TODAY, dt.date(2010, 8, 15)),
        ("010100", TODAY, dt.date(2000, 1, 1)),
        ("311299", TODAY, dt.date(1999, 12, 31)),
        # the year before today's two-digit year is always this century
        ("311224", TODAY, dt.date(2024, 12, 31)),
        # today's two-digit year: up to and including today → 20xx, after today → 19xx
        ("010125", TODAY, dt.date(2025, 1, 1)),
        ("140625", TODAY, dt.date(2025, 6, 14)),
        ("150625", TODAY, dt.date(2025, 6, 15)),  # born today
        ("160625", TODAY, dt.date(1925, 6, 16)),  # tomorrow would be the future
        ("311225", TODAY, dt.date(1925, 12, 31)),
        # the year after today's two-digit year is always last century
        ("010126", TODAY, dt.date(1926, 1, 1)),
        ("150899", TODAY, dt.date(1999, 8, 15)),
        # a woman's NIK follows the same rule with the real day
        ("550625", TODAY, dt.date(2025, 6, 15)),
        ("560625", TODAY, dt.date(1925, 6, 16)),
        # the boundary moves with "today"
        ("010125", dt.date(2025, 1, 1), dt.date(2025, 1, 1)),
        ("020125", dt.date(2025, 1, 1), dt.date(1925, 1, 2)),
        ("150625", dt.date(2024, 12, 31), dt.date(1925, 6, 15)),
        ("311224", dt.date(2024, 12, 30), dt.date(1924, 12, 31)),
    ],
)
def test_century_is_the_latest_that_is_not_in_the_future(ddmmyy, today, birth):
    assert nik_parse(nik(ddmmyy), today=today).birth_date == birth


def test_century_defaults_to_the_real_today():
    today = dt.date.today()
    this_year = nik(f"0101{today.year % 100:02d}")
    assert nik_parse(this_year).birth_date == dt.date(today.year, 1, 1)
    next_yy = (today.year + 1) % 100
    assert nik_parse(nik(f"0101{next_yy:02d}")).birth_date.year == today.year + 1 - 100


# --- 29 February ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "ddmmyy, today, birth",
    [
        ("290200", TODAY, dt.date(2000, 2, 29)),  # 1900 was no leap year, 2000 was
        ("290204", TODAY, dt.date(2004, 2, 29)),
        ("290224", TODAY, dt.date(2024, 2, 29)),
        ("290296", TODAY, dt.date(1996, 2, 29)),
        ("690224", TODAY, dt.date(2024, 2, 29)),  # a woman
        # 29 Feb 2024 is still in the future on 28 Feb 2024: last century, and 1924 was a leap year
        ("290224", dt.date(2024, 2, 28), dt.date(1924, 2, 29)),
        ("290224", dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
    ],
)
def test_29_february_in_a_leap_year_is_valid(ddmmyy, today, birth):
    assert nik_parse(nik(ddmmyy), today=today).birth_date == birth


@pytest.mark.parametrize("ddmmyy", ["290201", "290223", "290225", "290299", "690223", "300224", "310490"])
def test_day_that_the_month_does_not_have_is_invalid(ddmmyy):
    with pytest.raises(NikError) as exc:
        nik_parse(nik(ddmmyy), today=TODAY)
    assert str(exc.value) == DATE_MESSAGE


# --- impossible day / month -----------------------------------------------------------------

@pytest.mark.parametrize(
    "ddmmyy",
    [
        "000190",  # day 00
        "320190",  # day 32
        "390190",
        "400190",  # woman, day 00
        "720190",  # woman, day 32
        "790190",
        "800190",
        "150090",  # month 00
        "151390",  # month 13
        "159990",
        "450090",  # woman, month 00
        "451390",  # woman, month 13
    ],
)
def test_impossible_day_or_month_is_invalid(ddmmyy):
    with pytest.raises(NikError) as exc:
        nik_parse(nik(ddmmyy), today=TODAY)
    assert str(exc.value) == DATE_MESSAGE


@pytest.mark.parametrize("ddmmyy", ["810190", "850890", "990190"])
def test_day_field_above_71_is_invalid(ddmmyy):
    with pytest.raises(NikError) as exc:
        nik_parse(nik(ddmmyy), today=TODAY)
    assert str(exc.value) == DATE_MESSAGE


# --- length, characters and separators ------------------------------------------------------

@pytest.mark.parametrize(
    "value, message",
    [
        ("", "NIK wajib diisi."),
        (None, "NIK wajib diisi."),
        ("   ", "NIK wajib diisi."),
        (" - . ", "NIK wajib diisi."),
        ("1", "NIK harus 16 digit; yang diisi 1 digit."),
        ("357701450890000", "NIK harus 16 digit; yang diisi 15 digit."),
        ("35770145089000011", "NIK harus 16 digit; yang diisi 17 digit."),
        ("3577014508900001" * 2, "NIK harus 16 digit; yang diisi 32 digit."),
        ("3577 0145 0890 001", "NIK harus 16 digit; yang diisi 15 digit."),  # counted after the spaces go
        ("35770145O8900001", DIGITS_MESSAGE),  # letter O for zero
        ("357701450890000I", DIGITS_MESSAGE),
        ("3577O1450890000", DIGITS_MESSAGE),  # letters are reported before the length
        ("NIK3577014508900", DIGITS_MESSAGE),
        ("abcdefghijklmnop", DIGITS_MESSAGE),
        ("3577/0145/0890/0001", DIGITS_MESSAGE),  # only space, dash and dot are separators
        ("3577_014508900001", DIGITS_MESSAGE),
        ("3577,014508900001", DIGITS_MESSAGE),
        ("3577\t014508900001", DIGITS_MESSAGE),  # whitespace inside, other than a space
        ("+3577014508900001", DIGITS_MESSAGE),
        (ARABIC_INDIC, DIGITS_MESSAGE),  # str.isdigit() is true, but they are not 0-9
    ],
)
def test_malformed_nik_is_refused_with_the_reason(value, message):
    with pytest.raises(NikError) as exc:
        nik_parse(value, today=TODAY)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    "value",
    [
        "3577 0145 0890 0001",
        "3577-0145-0890-0001",
        "35.77.01.450890.0001",
        "35.77.01 450890-0001",
        " 3577014508900001 ",
        "3577014508900001\n",
        "\t3577014508900001",
        "3577\u00a0014508900001",  # no-break space, as pasted from a web page
        "3577–014508–900001",  # en dash, as typed by a word processor
        FULL_WIDTH,  # full-width digits, as typed with an East Asian input method
    ],
)
def test_spaces_dashes_and_dots_are_normalised_away(value):
    info = nik_parse(value, today=TODAY)
    assert info.nik == "3577014508900001"
    assert (info.birth_date, info.sex, info.region) == (dt.date(1990, 8, 5), FEMALE, "357701")


# --- serial and region ----------------------------------------------------------------------

@pytest.mark.parametrize("serial", ["0000", "0001", "9999"])
def test_serial_is_not_checked(serial):
    # Neither stdnum nor nik.py looks at the last four digits: 0000 is accepted like any other.
    info = nik_parse(nik("150890", serial=serial), today=TODAY)
    assert info.nik.endswith(serial) and info.birth_date == dt.date(1990, 8, 15)


@pytest.mark.parametrize(
    "region",
    [
        "357703",  # Kota Madiun (Kartoharjo)
        "357709",  # the mini office's own region
        "317301",  # Jakarta Pusat
        "317101",
        "110101",  # Aceh
        "940101",  # Papua
        "520101",  # NTB
    ],
)
def test_nik_first_issued_in_another_region_is_valid(region):
    info = nik_parse(nik("150890", region=region), today=TODAY)
    assert info.region == region


@pytest.mark.parametrize("region", ["997101", "000101", "100101", "990101", "390101"])
def test_unknown_province_is_refused(region):
    with pytest.raises(NikError) as exc:
        nik_parse(nik("150890", region=region), today=TODAY)
    assert str(exc.value) == REGION_MESSAGE


def test_impossible_date_is_reported_before_an_unknown_region():
    with pytest.raises(NikError) as exc:
        nik_parse(nik("320190", region="997101"), today=TODAY)
    assert str(exc.value) == DATE_MESSAGE


@pytest.mark.parametrize("region", ["350001", "359901", "310001"])
def test_unknown_regency_is_refused(region):
    with pytest.raises(NikError) as exc:
        nik_parse(nik("150890", region=region), today=TODAY)
    assert str(exc.value) == REGION_MESSAGE


# --- nik_check_against ------------------------------------------------------------------------

def parsed(ddmmyy: str, today=TODAY) -> NikInfo:
    return nik_parse(nik(ddmmyy), today=today)


@pytest.mark.parametrize(
    "ddmmyy, birth, sex",
    [
        ("450890", dt.date(1990, 8, 5), "P"),
        ("150890", dt.date(1990, 8, 15), "L"),
        ("150810", dt.date(2010, 8, 15), "L"),
        ("450890", None, None),  # nothing stated, nothing to compare
        ("450890", None, "P"),
        ("450890", dt.date(1990, 8, 5), None),
        ("450890", dt.date(1990, 8, 5), ""),
        # the NIK holds two digits of the year: 100 years apart agree (the century rule may read a
        # 100-year-old's NIK as this century; what was stated decides the century)
        ("010125", dt.date(1925, 1, 1), "L"),
        ("010125", dt.date(2025, 1, 1), "L"),
    ],
)
def test_agreeing_data_gives_no_errors(ddmmyy, birth, sex):
    assert nik_check_against(parsed(ddmmyy), birth_date=birth, sex=sex) == {}


@pytest.mark.parametrize(
    "ddmmyy, birth, shown",
    [
        ("450890", dt.date(1990, 8, 6), "05-08-1990"),  # day off by one
        ("450890", dt.date(1990, 9, 5), "05-08-1990"),  # month
        ("450890", dt.date(1991, 8, 5), "05-08-1990"),  # year
        ("450890", dt.date(1990, 5, 8), "05-08-1990"),  # day and month swapped
        ("150890", dt.date(1990, 8, 5), "15-08-1990"),  # a man's day is not reduced by 40
        ("150810", dt.date(1910, 8, 16), "15-08-2010"),
    ],
)
def test_birth_date_disagreeing_with_the_nik_names_the_field(ddmmyy, birth, shown):
    errors = nik_check_against(parsed(ddmmyy), birth_date=birth, sex=None)
    assert set(errors) == {"birth_date"}
    assert errors["birth_date"] == (
        f"Tanggal lahir tidak cocok dengan NIK (NIK menunjukkan {shown}). Periksa kembali NIK atau tanggal lahir."
    )


@pytest.mark.parametrize(
    "ddmmyy, stated, message",
    [
        ("450890", "L", "Jenis kelamin tidak cocok dengan NIK: NIK ini milik perempuan (tanggal lahir + 40)."),
        ("150890", "P", "Jenis kelamin tidak cocok dengan NIK: NIK ini milik laki-laki."),
    ],
)
def test_sex_disagreeing_with_the_nik_names_the_field(ddmmyy, stated, message):
    errors = nik_check_against(parsed(ddmmyy), birth_date=None, sex=stated)
    assert errors == {"sex": message}


def test_both_disagreeing_give_both_fields():
    errors = nik_check_against(parsed("450890"), birth_date=dt.date(1991, 1, 1), sex="L")
    assert set(errors) == {"birth_date", "sex"}
    assert "tidak cocok dengan NIK" in errors["birth_date"] and "tidak cocok dengan NIK" in errors["sex"]


# --- nik_mask ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value, masked",
    [
        ("3577014508900001", "357701**********"),
        ("3173011708450001", "317301**********"),
        ("3577031508900000", "357703**********"),
        ("", ""),
        (None, ""),
    ],
)
def test_nik_mask_keeps_only_the_region(value, masked):
    assert nik_mask(value) == masked


@pytest.mark.parametrize("value", ["3577014508900001", "3173011708450001", "3577035508109999"])
def test_nik_mask_reveals_neither_birth_date_nor_serial(value):
    masked = nik_mask(value)
    assert len(masked) == 16
    assert value not in masked
    assert masked.count("*") == 10
    assert value[6:12] not in masked and value[12:] not in masked
    assert sum(ch.isdigit() for ch in masked) == 6


# --- applicant_clean: NIK errors reach the user under "nik" -----------------------------------

@pytest.mark.parametrize(
    "bad, message",
    [
        ("12", "NIK harus 16 digit; yang diisi 2 digit."),
        ("", "NIK wajib diisi."),
        ("35770145O8900001", DIGITS_MESSAGE),
        ("3577013208900001", DATE_MESSAGE),
        ("3577012902230001", DATE_MESSAGE),
        ("9977014508900001", REGION_MESSAGE),
    ],
)
def test_applicant_clean_with_bad_nik_raises_and_saves_nothing(office, bad, message):
    before = Applicant.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.applicant_clean(office=office, data=applicant_data(nik=bad), today=TODAY)
    assert exc.value.errors == {"nik": [message]}
    assert Applicant.objects.count() == before


@pytest.mark.parametrize(
    "over, field, fragment",
    [
        ({"sex": "L"}, "sex", "NIK ini milik perempuan"),
        ({"birth_date": dt.date(1990, 8, 6)}, "birth_date", "NIK menunjukkan 05-08-1990"),
        ({"nik": "3577010508900001"}, "sex", "NIK ini milik laki-laki"),
    ],
)
def test_applicant_clean_reports_disagreement_under_the_stated_field(office, over, field, fragment):
    with pytest.raises(InvalidInput) as exc:
        services.applicant_clean(office=office, data=applicant_data(**over), today=TODAY)
    assert set(exc.value.errors) == {field}
    assert any(fragment in m for m in exc.value.errors[field])


@pytest.mark.parametrize(
    "value",
    ["3577014508900001", "3577 0145 0890 0001", "35.77.01.450890.0001", "3173014508900001", 3577014508900001],
)
def test_applicant_clean_accepts_and_compacts_good_nik(office, value):
    out = services.applicant_clean(office=office, data=applicant_data(nik=value), today=TODAY)
    assert out["nik"] == str(value).replace(" ", "").replace(".", "")


def test_jakarta_nik_for_a_kartoharjo_applicant_passes_applicant_clean(office):
    # someone who moved from Jakarta Pusat keeps the NIK first issued there
    data = applicant_data(nik="3173014508900001", kelurahan="35.77.09.1001")
    out = services.applicant_clean(office=office, data=data, today=TODAY)
    assert out["nik"] == "3173014508900001" and out["kelurahan"].code == "35.77.09.1001"


def test_intake_with_bad_nik_saves_no_applicant(office, people, all_items):
    before = Applicant.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.dossier_intake(
            office=office, service_code="pindah", applicant=applicant_data(nik="3577013208900001"),
            actor=people["front"], present=all_items, originals=all_items,
        )
    assert exc.value.errors["nik"] == [DATE_MESSAGE]
    assert Applicant.objects.count() == before
