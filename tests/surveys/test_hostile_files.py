"""Hostile spreadsheets up to the upload limit (generated in tests/surveys/hostile_files.py, none
checked in): each is refused with its reason, by a process whose peak memory stays within 200 MB
of its baseline; and 100,000 valid forms, in XLSX and in CSV, are still read within the same
bound. Each file is read in a fresh process (``hostile_files.measure``), whose peak resident
memory (VmHWM, reset before reading) is its own; nothing here is timed (bench/xlsx_bombs.py
prints the seconds)."""

from __future__ import annotations

import pytest

from tests.surveys import hostile_files

MEMORY_MB = 200
LIMIT = 5 * 1024 * 1024  # settings.LOKET_UPLOAD_MAX_BYTES by default; the child reads without settings

pytestmark = pytest.mark.skipif(not hostile_files.Path("/proc/self/status").exists(),
                                reason="peak memory is read from /proc (Linux)")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    out = {}
    made = {**hostile_files.hostile(LIMIT), **hostile_files.hostile_csv(LIMIT)}
    for name, (data, words) in made.items():
        path = folder / (f"{name}.csv" if name.startswith("csv_") else f"{name}.xlsx")
        path.write_bytes(data)
        out[name] = (path, words)
    return out


@pytest.mark.parametrize("name", hostile_files.NAMES + hostile_files.NAMES_CSV)
def test_a_hostile_file_is_refused_with_its_reason_in_bounded_memory(files, name):
    path, words = files[name]
    assert path.stat().st_size <= LIMIT
    result = hostile_files.measure(path)
    assert result["outcome"] == "refused", result
    assert any(words in p for p in result["problems"]), (words, result["problems"])
    assert result["peak_mb"] <= MEMORY_MB, result


def test_the_bombs_unpack_to_gigabytes_as_built(files):
    # The files are what they claim: the review's shapes at the upload limit unpack to GB.
    import zipfile

    with zipfile.ZipFile(files["empty_rows"][0]) as z:
        assert z.getinfo(hostile_files.SHEET).file_size > 1024 ** 3
    with zipfile.ZipFile(files["lying_size"][0]) as z:
        assert z.getinfo(hostile_files.SHEET).file_size == 1024  # the lie the reader must not believe


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_100000_valid_forms_are_read_in_bounded_memory(tmp_path, fmt):
    data = hostile_files.valid_xlsx() if fmt == "xlsx" else hostile_files.valid_csv()
    assert len(data) <= LIMIT
    path = tmp_path / f"kuesioner.{fmt}"
    path.write_bytes(data)
    result = hostile_files.measure(path)
    assert result["outcome"] == "accepted" and result["rows"] == 100_000, result
    assert result["peak_mb"] <= MEMORY_MB, result


def test_the_valid_files_read_as_written():
    from loket.surveys.importer import parse, read_cells

    for fmt, data in (("xlsx", hostile_files.valid_xlsx(45)), ("csv", hostile_files.valid_csv(45))):
        rows = parse(read_cells(f"k.{fmt}", data), today=hostile_files.TODAY)
        assert len(rows) == 45
        for row in rows:
            answers, day, sex, age, saran = hostile_files._valid_row(row.number - 2)
            assert [row.answers[k] for k in hostile_files.KEYS] == answers, fmt
            expected = {"tanggal": day, "layanan": "ktp-el", "jenis_kelamin": sex, "umur": age}
            if saran:
                expected["saran"] = saran
            assert row.profile == expected, fmt
