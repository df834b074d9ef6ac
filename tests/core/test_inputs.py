"""The shared bounds of loket.core.inputs: dates in 2000-01-01 … 2100-12-31 (or a tighter
window), four-digit years, free texts and lists of lines with their limits; every refusal is an
InputProblem whose text is the Indonesian message."""

import datetime as dt

import pytest

from loket.core.inputs import (LINE_MAX, LINES_MAX, NOTE_MAX, InputProblem, date_parse, lines_bounded, text_bounded,
                               year_parse)


@pytest.mark.parametrize("raw, day", [
    ("2026-12-31", dt.date(2026, 12, 31)), (" 2000-01-01 ", dt.date(2000, 1, 1)), ("2100-12-31", dt.date(2100, 12, 31)),
    (dt.date(2026, 3, 1), dt.date(2026, 3, 1)), ("", None), (None, None), ("   ", None),
])
def test_a_date_in_the_window_is_taken(raw, day):
    assert date_parse(raw) == day


@pytest.mark.parametrize("raw, words", [
    ("9999-12-31", "antara 01-01-2000 sampai 31-12-2100"),
    ("1999-12-31", "antara 01-01-2000 sampai 31-12-2100"),
    ("2101-01-01", "antara 01-01-2000 sampai 31-12-2100"),
    (dt.date(1, 1, 1), "antara"),
    ("0001-01-01", "antara"),
    ("2026-02-30", "tulis TTTT-BB-HH"),
    ("20261231", "tulis TTTT-BB-HH"),      # fromisoformat alone would take these two
    ("2026-W01-1", "tulis TTTT-BB-HH"),
    ("31-12-2026", "tulis TTTT-BB-HH"),
    ("２０２６-１２-３１", "tulis TTTT-BB-HH"),  # full-width digits
    ("kemarin", "tulis TTTT-BB-HH"),
    (dt.datetime(2026, 1, 1, 10, 0), "tanpa jam"),
])
def test_a_date_outside_the_window_or_malformed_is_refused_with_words(raw, words):
    with pytest.raises(InputProblem) as exc:
        date_parse(raw, label="Tanggal 'dari'")
    assert words in str(exc.value) and str(exc.value).startswith("Tanggal 'dari'")


def test_a_tighter_window_and_its_own_words():
    today = dt.date(2026, 3, 2)
    assert date_parse("2026-03-02", latest=today) == today
    with pytest.raises(InputProblem, match="tidak boleh setelah hari ini"):
        date_parse("2026-03-03", latest=today, after_text="Tanggal bayar tidak boleh setelah hari ini.")
    with pytest.raises(InputProblem, match="sudah lewat"):
        date_parse("2026-03-01", earliest=today, before_text="Tanggal sudah lewat.")


@pytest.mark.parametrize("raw, year", [("2026", 2026), ("", None), (None, None), (" 2100 ", 2100)])
def test_a_year_is_four_digits_in_the_window(raw, year):
    assert year_parse(raw) == year


@pytest.mark.parametrize("raw", ["1999", "2101", "9" * 5000, "abad", "٢٠٢٦", "+2026", "02026"])
def test_a_year_outside_is_refused(raw):
    with pytest.raises(InputProblem, match="empat angka antara 2000 dan 2100"):
        year_parse(raw)


def test_a_text_at_its_limit_is_taken_stripped_and_one_more_is_refused():
    assert text_bounded("  " + "a" * NOTE_MAX + "  ", label="Catatan") == "a" * NOTE_MAX
    with pytest.raises(InputProblem, match=f"Catatan paling panjang {NOTE_MAX} karakter \\(sekarang {NOTE_MAX + 1}\\)"):
        text_bounded("a" * (NOTE_MAX + 1), label="Catatan")
    with pytest.raises(InputProblem, match="Alasan wajib diisi"):
        text_bounded("   ", label="Alasan", required=True)
    assert text_bounded(None, label="Catatan") == ""


def test_lines_are_bounded_in_number_and_length():
    assert lines_bounded(["  KK asli ", "", None, "KTP"], label="Daftar") == ["KK asli", "KTP"]
    assert lines_bounded(None, label="Daftar") == []
    assert len(lines_bounded(["x"] * LINES_MAX, label="Daftar")) == LINES_MAX
    with pytest.raises(InputProblem, match=f"paling banyak {LINES_MAX} baris"):
        lines_bounded(["x"] * (LINES_MAX + 1), label="Daftar")
    with pytest.raises(InputProblem, match=f"baris 2 paling panjang {LINE_MAX} karakter"):
        lines_bounded(["ok", "x" * (LINE_MAX + 1)], label="Daftar")
    with pytest.raises(InputProblem, match="daftar baris"):
        lines_bounded("satu baris saja", label="Daftar")
