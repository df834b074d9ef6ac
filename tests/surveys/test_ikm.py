"""The IKM of Permenpan RB 14/2017: hand-computed examples, every grade boundary, the weights,
properties over random answers, Krejcie and Morgan, the import's refusals and the CLI."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.surveys import ikm
from loket.surveys.importer import ImportRefused, parse, read_cells

KEYS = ikm.KEYS


def same(x: Fraction, answered: int = 10_000) -> dict:
    """Every element with the NRR x (x × answered must be whole)."""
    total = x * answered
    assert total.denominator == 1
    return {k: (int(total), answered) for k in KEYS}


def test_a_hand_computed_example():
    # two respondents; "pengaduan" answered by one only
    rows = [dict(zip(KEYS, [4, 4, 3, 4, 3, 3, 4, 2, 3])), dict(zip(KEYS, [3, 3, 3, 4, 3, 4, 4, None, 3]))]
    r = ikm.ikm(rows)
    nrr = {e.key: e.nrr for e in r.elements}
    assert nrr == {"persyaratan": Fraction(7, 2), "prosedur": Fraction(7, 2), "waktu": 3, "biaya": 4, "produk": 3,
                   "kompetensi": Fraction(7, 2), "perilaku": 4, "pengaduan": 2, "sarana": 3}
    assert r.ikm == Fraction(59, 18)            # 29.5 / 9 = 3.2777…
    assert r.ikm_unit == Fraction(8194, 100)    # 81.944… → 81.94
    assert (r.grade, r.label) == ("B", "Baik")
    assert r.respondents == 2
    out = r.as_json()
    assert out["ikm"] == 3.2778 and out["ikm_unit"] == 81.94 and out["elements"][0]["weighted"] == 0.3889


@pytest.mark.parametrize("x,unit,grade", [
    (Fraction(1), "25.00", "D"),
    (Fraction(25996, 10000), "64.99", "D"),
    (Fraction(26, 10), "65.00", "C"),
    (Fraction(3064, 1000), "76.60", "C"),
    (Fraction(30642, 10000), "76.61", "B"),   # 76.605 rounds half up into B
    (Fraction(30644, 10000), "76.61", "B"),
    (Fraction(3532, 1000), "88.30", "B"),
    (Fraction(35322, 10000), "88.31", "A"),   # 88.305 rounds half up into A
    (Fraction(35324, 10000), "88.31", "A"),
    (Fraction(4), "100.00", "A"),
])
def test_grade_on_and_around_every_boundary(x, unit, grade):
    r = ikm.ikm_from_totals(respondents=10_000, totals=same(x))
    assert f"{float(r.ikm_unit):.2f}" == unit and r.grade == grade
    labels = {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}
    assert r.label == labels[grade]


def test_just_below_a_boundary_stays_below():
    # 76.6049… (x = 3.06419…) rounds to 76.60: C, not B
    r = ikm.ikm_from_totals(respondents=100_000, totals=same(Fraction(306419, 100000), 100_000))
    assert float(r.ikm_unit) == 76.60 and r.grade == "C"


@pytest.mark.parametrize("weight,unit,grade", [
    ("exact", "88.35", "A"),
    ("0.111", "88.26", "B"),   # 88.35 × 0.999 = 88.26165
    ("0.11", "87.47", "B"),    # 88.35 × 0.99  = 87.4665
])
def test_the_weight_can_change_the_grade(weight, unit, grade):
    r = ikm.ikm_from_totals(respondents=10_000, totals=same(Fraction(3534, 1000)), weight=weight)
    assert f"{float(r.ikm_unit):.2f}" == unit and r.grade == grade and r.weight == weight


answers = st.lists(st.fixed_dictionaries({k: st.one_of(st.none(), st.integers(1, 4)) for k in KEYS}),
                   min_size=1, max_size=40)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(answers, st.sampled_from(list(ikm.WEIGHTS)))
def test_properties(rows, weight):
    try:
        r = ikm.ikm(rows, weight=weight)
    except ikm.IkmError:
        assert any(all(row[k] is None for row in rows) for k in KEYS)  # only when an element has no answer
        return
    scale = 9 * ikm.WEIGHTS[weight]  # 1 for the exact weight, 0.999 or 0.99 for the rounded ones
    assert ikm.round_half_up(25 * scale, 2) <= r.ikm_unit <= ikm.round_half_up(100 * scale, 2)
    if weight == "exact":
        assert 25 <= r.ikm_unit <= 100
    mean = sum((e.nrr for e in r.elements), Fraction(0)) / 9
    if weight == "exact":
        assert r.ikm == mean and r.ikm_unit == ikm.round_half_up(mean * 25, 2)
    else:
        assert r.ikm == mean * 9 * ikm.WEIGHTS[weight]
    for e in r.elements:
        given_ = [row[e.key] for row in rows if row[e.key] is not None]
        assert e.nrr == Fraction(sum(given_), len(given_)) and e.answered == len(given_)


@pytest.mark.parametrize("weight,unit", [("exact", "25.00"), ("0.111", "24.98"), ("0.11", "24.75")])
def test_all_ones_is_grade_d_whatever_the_weight(weight, unit):
    r = ikm.ikm([dict.fromkeys(KEYS, 1)], weight=weight)
    assert f"{float(r.ikm_unit):.2f}" == unit and (r.grade, r.label) == ("D", "Tidak Baik")


def test_an_element_nobody_answered_gives_no_ikm():
    rows = [dict(zip(KEYS, [4] * 8 + [None]))]
    with pytest.raises(ikm.IkmError, match="Sarana dan prasarana"):
        ikm.ikm(rows)


@pytest.mark.parametrize("population,sample", [(10, 10), (100, 80), (1000, 278), (10_000, 370), (1_000_000, 384), (0, 0)])
def test_krejcie_morgan(population, sample):
    assert ikm.krejcie_morgan(population) == sample


# --- import -----------------------------------------------------------------------------------

HEADER = ",".join(KEYS)


def _parse(text: str):
    return parse(read_cells("x.csv", text.encode()))


def test_columns_in_any_order_with_optional_ones_and_blank_answers():
    header = ",".join(reversed(KEYS)) + ",umur,jenis_kelamin,tanggal,saran"
    rows = _parse(header + "\n" + ",".join(["3"] * 8 + [""]) + ",41,p,2026-03-01,Antrean\n\n")
    assert len(rows) == 1 and rows[0].number == 2
    assert rows[0].answers["persyaratan"] is None and rows[0].answers["sarana"] == 3
    assert rows[0].profile == {"umur": 41, "jenis_kelamin": "P", "tanggal": __import__("datetime").date(2026, 3, 1),
                               "saran": "Antrean"}


@pytest.mark.parametrize("text,expected", [
    ("persyaratan,prosedur\n3,3\n", "kolom wajib tidak ada"),
    (HEADER + ",warna\n" + ",".join(["3"] * 9) + ",merah\n", "kolom 'warna' tidak dikenal"),
    (HEADER + ",persyaratan\n" + ",".join(["3"] * 10) + "\n", "ada dua kali"),
    (HEADER + "\n" + ",".join(["5"] + ["3"] * 8) + "\n", "Baris 2: persyaratan harus 1, 2, 3 atau 4"),
    (HEADER + "\n" + ",".join(["3"] * 9) + "\n" + ",".join(["x"] + ["3"] * 8) + "\n", "Baris 3"),
    (HEADER + "\n" + ",".join(["2.5"] + ["3"] * 8) + "\n", "bukan '2.5'"),
    (HEADER + ",umur\n" + ",".join(["3"] * 9) + ",7\n", "umur harus"),
    (HEADER + ",jenis_kelamin\n" + ",".join(["3"] * 9) + ",X\n", "jenis_kelamin harus L atau P"),
    (HEADER + ",tanggal\n" + ",".join(["3"] * 9) + ",01-03-2026\n", "bukan TTTT-BB-HH"),
    (HEADER + ",umur\n" + ",".join([""] * 9) + ",30\n", "tidak ada satu pun unsur"),
    (HEADER + "\n", "tidak berisi satu pun baris"),
])
def test_bad_files_are_refused_whole_with_the_row_and_reason(text, expected):
    with pytest.raises(ImportRefused) as exc:
        _parse(text)
    assert any(expected in p for p in exc.value.problems), exc.value.problems


def test_every_bad_row_is_reported_and_good_rows_do_not_count():
    text = HEADER + "\n" + ",".join(["3"] * 9) + "\n" + ",".join(["9"] + ["3"] * 8) + "\n" + ",".join(["3"] * 9) + "\n" \
        + ",".join(["0"] + ["3"] * 8) + "\n"
    with pytest.raises(ImportRefused) as exc:
        _parse(text)
    assert [p.split(":")[0] for p in exc.value.problems] == ["Baris 3", "Baris 5"]


def test_xlsx_is_read_by_header(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Umur"] + [k.upper() for k in KEYS])
    ws.append([35] + [4.0] * 9)
    path = tmp_path / "skm.xlsx"
    wb.save(path)
    rows = parse(read_cells(path))
    assert rows[0].answers == {k: 4 for k in KEYS} and rows[0].profile["umur"] == 35


def test_spreadsheet_numbers_that_are_not_whole_are_row_errors_not_crashes():
    # A number cell of an XLSX written as 1E999 reads as infinity; openpyxl gives floats and bools.
    cells = [KEYS + ["umur"], [float("inf")] + [3] * 8 + [30], [3] * 9 + [float("nan")], [True] + [3] * 8 + [30]]
    with pytest.raises(ImportRefused) as exc:
        parse(cells)
    assert [p.split(":")[0] for p in exc.value.problems] == ["Baris 2", "Baris 3", "Baris 4"]


def test_a_file_past_the_row_limit_is_refused_without_reading_it_all(monkeypatch):
    from loket.surveys import importer

    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    text = HEADER + "\n" + (",".join(["3"] * 9) + "\n") * 50
    cells = read_cells("x.csv", text.encode())
    assert len(cells) == 5  # the header, the limit, and one more to know it is too long
    with pytest.raises(ImportRefused, match="Paling banyak 3 baris"):
        parse(cells)


# --- CLI --------------------------------------------------------------------------------------

def test_cli_json(tmp_path, capsys):
    path = tmp_path / "skm.csv"
    path.write_text(HEADER + "\n" + ",".join(["4", "4", "3", "4", "3", "3", "4", "2", "3"]) + "\n"
                    + ",".join(["3", "3", "3", "4", "3", "4", "4", "", "3"]) + "\n", encoding="utf-8")
    call_command("skm", "ikm", "--csv", str(path), "--json", "--weight", "0.11")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"respondents", "weight", "elements", "ikm", "ikm_unit", "grade", "label"}
    assert out["respondents"] == 2 and out["weight"] == "0.11" and [e["key"] for e in out["elements"]] == KEYS
    assert set(out["elements"][0]) == {"key", "name", "nrr", "weighted"}
    assert out["ikm"] == 3.245 and out["ikm_unit"] == 81.13 and out["grade"] == "B" and out["label"] == "Baik"


def test_cli_bad_file_exits_non_zero_with_the_row_errors(tmp_path, capsys):
    path = tmp_path / "skm.csv"
    path.write_text(HEADER + "\n" + ",".join(["7"] + ["3"] * 8) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("skm", "ikm", "--csv", str(path), "--json")
    assert exc.value.code != 0
    captured = capsys.readouterr()
    assert "Baris 2" in captured.err and captured.out == ""


def test_cli_touches_no_database(tmp_path, capsys):
    # No db fixture: pytest-django makes any database access here raise RuntimeError.
    path = tmp_path / "skm.csv"
    path.write_text(HEADER + "\n" + ",".join(["3"] * 9) + "\n", encoding="utf-8")
    call_command("skm", "ikm", "--csv", str(path))
    assert "IKM unit 75.00  ·  mutu C (Kurang Baik)" in capsys.readouterr().out
