"""The Indeks Kepuasan Masyarakat (IKM) exactly as Permenpan RB No. 14 Tahun 2017 sets it.

Pure functions on answers keyed by element, no database: the CLI, the import and (later) the
stored responses all compute through here. Arithmetic is exact (fractions) until the one
rounding the regulation asks for: the IKM unit, rounded half up to two decimals, from which
the grade is read. Formula and choices: docs/skm.md.

    NRR of an element      = sum of its answers / number of respondents who answered it
    weighted NRR           = NRR × weight            (weight 1/9, or the rounded 0.111 or 0.11)
    IKM                    = sum of the weighted NRRs (scale 1–4)
    IKM unit               = IKM × 25                (scale 25–100)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

# The nine elements (unsur) of Permenpan RB 14/2017, with the wording of the four answers
# (1 = the worst … 4 = the best) of the regulation's questionnaire. Stored and imported by key.
ELEMENTS: list[tuple[str, str, tuple[str, str, str, str]]] = [
    ("persyaratan", "Persyaratan", ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    ("prosedur", "Sistem, mekanisme dan prosedur", ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    ("waktu", "Waktu penyelesaian", ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    ("biaya", "Biaya/ tarif", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    ("produk", "Produk spesifikasi jenis pelayanan", ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    ("kompetensi", "Kompetensi pelaksana", ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    ("perilaku", "Perilaku pelaksana",
     ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah")),
    ("pengaduan", "Penanganan pengaduan, saran dan masukan",
     ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik")),
    ("sarana", "Sarana dan prasarana", ("Buruk", "Cukup", "Baik", "Sangat baik")),
]
KEYS = [k for k, _, _ in ELEMENTS]
NAMES = {k: name for k, name, _ in ELEMENTS}

# The weight of each element: exactly 1/9 by default; some offices' past reports used the
# rounded 0.111 or 0.11 (then the IKM is 0.999 or 0.99 of the mean of the NRRs).
WEIGHTS = {"exact": Fraction(1, 9), "0.111": Fraction(111, 1000), "0.11": Fraction(11, 100)}

# Grade from the IKM unit rounded half up to two decimals (Permenpan RB 14/2017, Bab III):
# (lowest unit value of the grade, grade, performance label), best first.
GRADES = [
    (Fraction(8831, 100), "A", "Sangat Baik"),
    (Fraction(7661, 100), "B", "Baik"),
    (Fraction(6500, 100), "C", "Kurang Baik"),
    (Fraction(2500, 100), "D", "Tidak Baik"),
]


class IkmError(ValueError):
    """The answers cannot give an IKM (e.g. an element nobody answered); the message says why."""


def round_half_up(value: Fraction, places: int) -> Fraction:
    scale = 10 ** places
    return Fraction(math.floor(value * scale + Fraction(1, 2)), scale)


def grade_of(unit: Fraction) -> tuple[str, str]:
    """(grade, label) of an IKM unit value, read after rounding it half up to two decimals.
    With a rounded weight the lowest possible unit is 24.75 (0.11) or 24.98 (0.111), under the
    regulation's 25.00: still grade D, the lowest."""
    rounded = round_half_up(unit, 2)
    for lowest, grade, label in GRADES[:-1]:
        if rounded >= lowest:
            return grade, label
    return GRADES[-1][1], GRADES[-1][2]


@dataclass(frozen=True)
class ElementResult:
    key: str
    name: str
    answered: int
    total: int
    nrr: Fraction
    weighted: Fraction


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    weight: str
    elements: list[ElementResult]
    ikm: Fraction
    ikm_unit: Fraction  # rounded half up to two decimals: the value the grade is read from
    grade: str
    label: str

    def as_json(self, places: int = 4) -> dict:
        """The CLI's and the API's shape; NRRs and the IKM to ``places`` decimals (half up)."""
        def num(x: Fraction, p: int = places) -> float:
            return float(round_half_up(x, p))
        return {
            "respondents": self.respondents, "weight": self.weight,
            "elements": [{"key": e.key, "name": e.name, "nrr": num(e.nrr), "weighted": num(e.weighted)}
                         for e in self.elements],
            "ikm": num(self.ikm), "ikm_unit": num(self.ikm_unit, 2), "grade": self.grade, "label": self.label,
        }


def ikm_from_totals(*, respondents: int, totals: dict[str, tuple[int, int]], weight: str = "exact") -> IkmResult:
    """The IKM from each element's (sum of answers, number who answered it): the form the
    database aggregates to. Every element needs at least one answer."""
    if weight not in WEIGHTS:
        raise IkmError(f"Bobot '{weight}' tidak dikenal; pilih: {', '.join(WEIGHTS)}.")
    if respondents <= 0:
        raise IkmError("Belum ada responden.")
    w = WEIGHTS[weight]
    missing = [NAMES[k] for k in KEYS if totals.get(k, (0, 0))[1] == 0]
    if missing:
        raise IkmError("Unsur tanpa satu pun jawaban: " + ", ".join(missing) + ". IKM membutuhkan kesembilan unsur.")
    elements = []
    for key in KEYS:
        total, answered = totals[key]
        if not (answered <= total <= 4 * answered) or answered > respondents:
            raise IkmError(f"Jumlah jawaban unsur {NAMES[key]} tidak masuk akal ({total} dari {answered}).")
        nrr = Fraction(total, answered)
        elements.append(ElementResult(key, NAMES[key], answered, total, nrr, nrr * w))
    ikm = sum((e.weighted for e in elements), Fraction(0))
    unit = round_half_up(ikm * 25, 2)
    grade, label = grade_of(unit)
    return IkmResult(respondents, weight, elements, ikm, unit, grade, label)


def ikm(responses: list[dict[str, int | None]], *, weight: str = "exact") -> IkmResult:
    """The IKM of a list of responses, each {element key: 1–4, or None when not answered}."""
    totals = {k: (0, 0) for k in KEYS}
    for r in responses:
        for k in KEYS:
            v = r.get(k)
            if v is None:
                continue
            if v not in (1, 2, 3, 4):
                raise IkmError(f"Jawaban unsur {NAMES[k]} harus 1–4, bukan {v!r}.")
            s, n = totals[k]
            totals[k] = (s + v, n + 1)
    return ikm_from_totals(respondents=len(responses), totals=totals, weight=weight)


def krejcie_morgan(population: int) -> int:
    """The minimum sample for a population (Krejcie and Morgan 1970: chi-square 3.841 for one
    degree of freedom at 95 %, P = 0.5, margin of error 5 %), rounded up: 100 → 80, 1 000 → 278,
    1 000 000 → 384."""
    if population <= 0:
        return 0
    chi2, p, d = Fraction(3841, 1000), Fraction(1, 2), Fraction(5, 100)
    s = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return min(population, math.ceil(s))
