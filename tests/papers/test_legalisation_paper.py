"""The legalisation endorsement (papers/legalisation.py) on A4 and F4, in the corner and at the
bottom: the page is the paper's size, the block lies inside the printable area where it was
asked for, and it carries the office, the title lines, the number, the date, the signer's
name, pangkat and NIP and the verification code."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from loket.papers import legalisation as L


def endorsement(**over):
    base = dict(
        office_name="Kecamatan Kartoharjo", title_lines=["a.n. CAMAT KARTOHARJO", "Sekretaris Kecamatan"],
        signer_name="Siti Rahayu, S.Sos.", signer_rank="Penata Tingkat I (III/d)", signer_nip="190001011900012002",
        number="400.12.2.1/15/35.77.01/2026", issued_on=dt.date(2026, 3, 9), service="KTP-el",
        verification_code="ABCDEFGHJKLM", verify_url="https://loket.example/verifikasi/ABCDEFGHJKLM/",
    )
    return L.Endorsement(**(base | over))


def placed_text(pdf: bytes):
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    found = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: found.append((text, tm[4], tm[5])) if text.strip() else None)
    return page, found


@pytest.mark.parametrize("paper", ["A4", "F4"])
@pytest.mark.parametrize("position", ["pojok", "bawah"])
def test_the_block_is_where_it_was_asked_on_the_paper(paper, position):
    pdf = L.legalisation_pdf(endorsement(), paper=paper, position=position)
    page, found = placed_text(pdf)
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width / mm), round(height / mm)) == ({"A4": (210, 297), "F4": (215, 330)}[paper])
    xs = [x for _, x, _ in found]
    ys = [y for _, _, y in found]
    # inside the printable area, in the lower part of the page
    assert min(xs) >= L.EDGE and max(ys) < L.EDGE + L.BLOCK[1] and min(ys) >= L.EDGE
    block_left = min(xs)
    if position == "pojok":
        assert block_left > width / 2 - 5 * mm  # the right half
    else:
        assert abs((block_left - 3 * mm) - (width - L.BLOCK[0]) / 2) < 1 * mm  # centred


def test_the_block_says_who_legalised_what_and_when():
    text = PdfReader(io.BytesIO(L.legalisation_pdf(endorsement()))).pages[0].extract_text()
    for expected in ["Mengetahui / Dilegalisasi oleh:", "a.n. CAMAT KARTOHARJO", "Sekretaris Kecamatan",
                     "Nomor : 400.12.2.1/15/35.77.01/2026", "9 Maret 2026", "Siti Rahayu, S.Sos.",
                     "Penata Tingkat I (III/d)", "NIP. 19000101 190001 2 002", "ABCD-EFGH-JKLM", "Kecamatan Kartoharjo"]:
        assert expected in text, expected
    assert "secara elektronik" not in text and "DEMO" not in text


def test_an_electronic_demo_signature_is_said_on_the_paper():
    text = PdfReader(io.BytesIO(L.legalisation_pdf(endorsement(electronic=True, demo=True)))).pages[0].extract_text()
    assert "Ditandatangani secara elektronik" in text and "DEMO — bukan sertifikat resmi" in text


def test_a_name_that_looks_like_markup_is_printed_as_typed():
    text = PdfReader(io.BytesIO(L.legalisation_pdf(endorsement(signer_name="<b>Budi</b> {{7*7}}")))).pages[0].extract_text()
    assert "<b>Budi</b> {{7*7}}" in text


def test_an_unknown_paper_or_position_is_refused():
    with pytest.raises(ValueError, match="kertas"):
        L.legalisation_pdf(endorsement(), paper="Letter")
    with pytest.raises(ValueError, match="Posisi"):
        L.legalisation_pdf(endorsement(), position="atas")
