"""NIK (Nomor Induk Kependudukan, UU 24/2013 Pasal 13; Permendagri 72/2019 for the region codes).

python-stdnum cleans the input and reads DDMMYY. Its region table (from an old list) lacks
Kalimantan Utara (65, since 2012) and the Papua provinces of 2022 (92, 93, 95, 96), and it
checks only the province, so Loket checks the region itself: a province code of Kemendagri,
a regency code 01–49 (kabupaten) or 71–79 (kota), a district code other than 00. It also
refuses a day field outside 01–31 and 41–71 (stdnum reads 85 as 45). And it adds:

- the century: the NIK holds only two digits of the birth year. We take the latest century
  that does not put the birth in the future (a person born in 2010 and one born in 1910
  cannot both be at the counter with the same two digits; the older reading would be over
  100 years old).
- agreement with what the applicant states: the encoded birth date must equal the stated
  one, and the day's +40 (women) must agree with the stated sex.

A NIK first issued in another region is valid: people move in and keep their NIK.

The KK number (Nomor Kartu Keluarga) is read with the same cleaning (``kk_parse``): 16 ASCII
digits, separators and full-width digits normalised exactly as for the NIK, other scripts'
digits refused. Dukcapil describes it as region of issue, date of recording and family serial,
but we found no article to cite for that layout, so only "16 digits, not all zeros" is checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum.exceptions import InvalidComponent
from stdnum.id import nik as stdnum_nik

MALE, FEMALE = "L", "P"

# Province codes of Kemendagri (Permendagri 72/2019, plus the Papua provinces of 2022).
PROVINCES = frozenset(
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 "
    "71 72 73 74 75 76 81 82 91 92 93 94 95 96".split()
)


class NikError(ValueError):
    """A NIK that cannot be right; the message says why, in Indonesian."""


@dataclass(frozen=True)
class NikInfo:
    nik: str
    birth_date: dt.date
    sex: str  # "L" or "P"
    region: str  # PPRRSS, the kecamatan of first issue


def _birth_date(day: int, month: int, yy: int, today: dt.date) -> dt.date:
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + yy, month, day)
        except ValueError:
            continue  # e.g. 29 February in a year that has none
        if candidate <= today:
            return candidate
    raise NikError("Tanggal lahir yang terkandung dalam NIK (digit 7–12) bukan tanggal yang sah.")


def nik_parse(value: str, *, today: dt.date | None = None) -> NikInfo:
    """Validate a NIK and read its birth date and sex. Raises NikError with the reason."""
    today = today or dt.date.today()
    number = stdnum_nik.compact(value or "")
    if not number:
        raise NikError("NIK wajib diisi.")
    if not (number.isascii() and number.isdigit()):
        raise NikError("NIK hanya boleh berisi angka.")
    if len(number) != 16:
        raise NikError(f"NIK harus 16 digit; yang diisi {len(number)} digit.")
    raw_day, month, yy = int(number[6:8]), int(number[8:10]), int(number[10:12])
    if not (1 <= raw_day <= 31 or 41 <= raw_day <= 71):
        raise NikError("Tanggal lahir yang terkandung dalam NIK (digit 7–12) bukan tanggal yang sah.")
    try:
        stdnum_nik.get_birth_date(number)  # month and day against the calendar
    except InvalidComponent:
        pass  # 29 February of a 19xx/20xx reading is decided by _birth_date below
    regency, district = int(number[2:4]), int(number[4:6])
    if number[:2] not in PROVINCES or not (1 <= regency <= 49 or 71 <= regency <= 79) or district == 0:
        raise NikError("Kode wilayah NIK (6 digit pertama) tidak dikenal.")
    sex = FEMALE if raw_day > 40 else MALE
    birth = _birth_date(raw_day % 40, month, yy, today)
    return NikInfo(nik=number, birth_date=birth, sex=sex, region=number[:6])


def kk_parse(value) -> str:
    """Validate a KK number; return its 16 ASCII digits. Raises NikError with the reason.

    The same cleaning as nik_parse (stdnum's compact: spaces, dashes and dots dropped, full-width
    digits read as ASCII; Arabic-Indic and other scripts' digits refused), so a KK stored is
    always plain 0-9 that search, exports and masking can rely on."""
    number = stdnum_nik.compact(str(value or ""))
    if not number:
        raise NikError("Nomor KK wajib diisi.")
    if not (number.isascii() and number.isdigit()):
        raise NikError("Nomor KK hanya boleh berisi angka.")
    if len(number) != 16:
        raise NikError(f"Nomor KK harus 16 digit; yang diisi {len(number)} digit.")
    if not number.strip("0"):
        raise NikError("Nomor KK tidak boleh semuanya nol; salin nomor dari Kartu Keluarga pemohon.")
    return number


def nik_check_against(info: NikInfo, *, birth_date: dt.date | None, sex: str | None) -> dict[str, str]:
    """Compare what the NIK encodes with what was entered; returns field → message."""
    errors = {}
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        info.birth_date.day, info.birth_date.month, info.birth_date.year % 100
    ):
        errors["birth_date"] = (
            f"Tanggal lahir tidak cocok dengan NIK (NIK menunjukkan {info.birth_date:%d-%m-%Y}). "
            "Periksa kembali NIK atau tanggal lahir."
        )
    if sex and sex != info.sex:
        said = "perempuan (tanggal lahir + 40)" if info.sex == FEMALE else "laki-laki"
        errors["sex"] = f"Jenis kelamin tidak cocok dengan NIK: NIK ini milik {said}."
    return errors


def nik_mask(nik: str) -> str:
    """For public pages and logs: keep the region, hide the rest."""
    return (nik[:6] + "*" * 10) if nik else ""
