"""docs/papers.md names the legal basis of the office's papers, and its archive-code table agrees
with the bundled standard (a cheap check: a regulation or a service dropped from the page fails)."""

import re
from pathlib import Path

import pytest

from loket.catalog.standard_file import DEFAULT_STANDARD, parse_standard_file

PAPERS_MD = Path(__file__).resolve().parents[2] / "docs" / "papers.md"

REGULATIONS = [
    "Permendagri No. 1 Tahun 2023",
    "Tata Naskah Dinas di Lingkungan Pemerintah Daerah",
    "Permendagri No. 83 Tahun 2022",
    "Kode Klasifikasi Arsip",
    "Permendagri No. 104 Tahun 2019",
    "Pasal 19 ayat (6)",
    "UU No. 11 Tahun 2008",
    "UU No. 1 Tahun 2024",
    "PP No. 71 Tahun 2019",
    "Kepala BKN No. 1/SE/I/2021",
]


@pytest.fixture(scope="module")
def text() -> str:
    return PAPERS_MD.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", REGULATIONS)
def test_each_regulation_is_cited(text, name):
    assert name in text


@pytest.mark.parametrize("section", ["## Dasar hukum", "## Kop", "## Nomor surat", "## Penanda tangan",
                                     "## Legalisasi", "## Tanda tangan elektronik", "## Kode klasifikasi"])
def test_each_section_is_there(text, section):
    assert section in text


def test_number_format_and_signing_pointer(text):
    assert "`{klasifikasi}/{nomor}/{kode_unit}/{tahun}`" in text
    for field in ("klasifikasi", "nomor", "kode_unit", "tahun", "bulan_romawi"):
        assert f"`{field}`" in text
    assert "docs/signing.md" in text


def test_archive_code_table_matches_the_bundled_standard(text):
    rows = {m[1]: m[2] for m in re.finditer(r"^\| \d+ \| [^|]*\(`([a-z0-9-]+)`\) \| ([^|]+?) \|", text, re.M)}
    services = parse_standard_file(DEFAULT_STANDARD).services
    assert len(rows) == len(services) == 18
    for s in services:
        assert rows[s.code] == (s.archive_code or "blank"), s.code
