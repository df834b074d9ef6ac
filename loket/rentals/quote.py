"""The price of a hall booking from the tariff of the edition in force, and the amount in words.

Decided from the seed and its legal basis (docs/rental.md): the 50 % for use by the regional
government (Pemerintah Daerah) applies to the tariff of the retribution object, the hall
(Perda Kota Madiun 17/2018 tentang Retribusi Pemakaian Kekayaan Daerah). The cleaning,
security and parking staff are paid per person at the standard cost of Perwali Madiun 31/2017
(Standar Biaya Umum); they are not the retribution object, so their fee is not discounted.
Sessions and staff fees are per day of use; a booking of several days pays each day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from loket.core.money import terbilang

STAFF_CODES = {"cleaning": "kebersihan", "security": "keamanan", "parking": "parkir"}
NOTE_SOURCE = "Tarif menurut Standar Pelayanan {year} (Perda Kota Madiun 17/2018; Perwali Madiun 31/2017)."
NOTE_GOVERNMENT = ("Pemakaian oleh Pemerintah Daerah dikenakan {percent} % dari tarif gedung. Honor petugas "
                   "kebersihan, keamanan dan parkir bukan tarif objek retribusi dan tidak dikurangi.")
NOTE_NOT_GOVERNMENT = ("Potongan {percent} % hanya untuk pemakaian oleh Pemerintah Daerah (OPD); "
                       "pemesan ini membayar tarif penuh.")


class QuoteError(ValueError):
    """The edition's tariff cannot price this booking (a session or staff line is missing);
    ``field`` names what was asked for: session, cleaning, security or parking."""

    def __init__(self, message: str, field: str = "session"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    quantity: int
    unit_price: int
    amount: int


@dataclass(frozen=True)
class Quote:
    lines: list[Line]
    total: int
    total_words: str
    notes: list[str]
    edition_year: int

    def as_json(self) -> dict:
        return {"lines": [asdict(line) for line in self.lines], "total": self.total,
                "total_words": self.total_words, "notes": self.notes, "edition_year": self.edition_year}


def quote_compute(*, tariffs, government_percent: int | None, session: str, days: int, government: bool,
                  cleaning: bool, security: bool, parking: bool, edition_year: int) -> Quote:
    """The lines and total for ``days`` days of ``session`` with the staff asked for.

    ``tariffs``: the Tariff rows of the hall's service (code, label, kind, quantity, unit,
    unit_price); ``government_percent``: the share the regional government pays (50), or None
    when the edition has no such rule."""
    by_code = {t.code: t for t in tariffs}
    hall = by_code.get(session)
    if hall is None or hall.kind != "session":
        raise QuoteError(f"Tarif sesi '{session}' tidak ada di standar pelayanan yang berlaku.")
    percent = government_percent if government_percent is not None else 100
    unit_price = hall.unit_price * percent // 100 if government else hall.unit_price
    label = hall.label if not government or percent == 100 else f"{hall.label}, Pemerintah Daerah {percent} %"
    lines = [Line(hall.code, label, days, unit_price, unit_price * days)]
    for wanted, asked in (("cleaning", cleaning), ("security", security), ("parking", parking)):
        if not asked:
            continue
        staff = by_code.get(STAFF_CODES[wanted])
        if staff is None or staff.kind != "staff":
            raise QuoteError(f"Tarif petugas '{STAFF_CODES[wanted]}' tidak ada di standar pelayanan yang berlaku.",
                             field=wanted)
        quantity = staff.quantity * days
        per = f"{staff.quantity} {staff.unit or 'orang'}" + (f" × {days} hari" if days > 1 else "")
        lines.append(Line(staff.code, f"{staff.label} ({per})", quantity, staff.unit_price, staff.unit_price * quantity))
    total = sum(line.amount for line in lines)
    notes = [NOTE_SOURCE.format(year=edition_year)]
    if government_percent is not None and government_percent != 100:
        notes.append((NOTE_GOVERNMENT if government else NOTE_NOT_GOVERNMENT).format(percent=government_percent))
    return Quote(lines, total, terbilang(total), notes, edition_year)
