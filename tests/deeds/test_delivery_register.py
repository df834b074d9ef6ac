"""Buku Register Penyampaian Akta ke Kantor Pertanahan (PP 24/1997 Pasal 40 ayat (1): a signed deed
goes to the land office within 7 working days): the page, the XLSX and the PDF of a month.

March 2026 holds three deeds taken through the real acts: one delivered two days after signing
(on time), one delivered in April (late), one signed and never delivered (overdue, and not yet in
the Buku Register PPAT). The due dates come from ``selectors.delivery_due`` (the office's calendar)."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from loket.deeds import selectors, services
from tests.deeds.conftest import sale
from tests.support.deed_clock import local, registered

MARCH = "2026-03"


@pytest.fixture
def deeds(deed_office, officials):
    d = {
        "on_time": registered(deed_office, officials, sale(land_reference="Letter C No. 11"),
                              sidang=local(2026, 3, 3, 9, 0)),
        "late": registered(deed_office, officials, sale(land_reference="Letter C No. 12"),
                           sidang=local(2026, 3, 5, 9, 0)),
        "overdue": registered(deed_office, officials, sale(land_reference="Letter C No. 13"),
                              sidang=local(2026, 3, 10, 9, 0), stop="signed"),
    }
    services.case_deliver(code=d["on_time"].code, actor=officials["ppat"], delivered_on="2026-03-05",
                          receipt="TT-BPN/101")
    services.case_deliver(code=d["late"].code, actor=officials["ppat"], delivered_on="2026-04-20",
                          receipt="TT-BPN/202")
    return d


def test_the_page_shows_on_time_late_and_overdue(client, officials, deeds):
    client.force_login(officials["camat"])
    r = client.get(reverse("deeds:delivery"), {"bulan": MARCH})
    assert r.status_code == 200
    page = r.content.decode()
    assert 'id="d-count">3<' in page and 'id="d-late">1<' in page and 'id="d-overdue">1<' in page

    def row(key):
        return re.search(rf'<tr id="d-deed-{deeds[key].code}">(.*?)</tr>', page, re.S).group(1)

    on_time, late, overdue = row("on_time"), row("late"), row("overdue")
    assert "3 Maret 2026" in on_time and "5 Maret 2026" in on_time and "TT-BPN/101" in on_time
    assert "Tepat waktu" in on_time and "Siti Aminah kepada Budi Santoso" in on_time
    assert "20 April 2026" in late and "TT-BPN/202" in late and ">Terlambat<" in late
    assert "Lewat batas, belum disampaikan" in overdue and "10 Maret 2026" in overdue
    assert f'{reverse("deeds:delivery_xlsx")}?bulan={MARCH}' in page
    assert f'{reverse("deeds:delivery_pdf")}?bulan={MARCH}' in page
    assert reverse("deeds:delivery") in client.get(reverse("deeds:list")).content.decode()
    # a bad month: a message on the page, a 404 for the files
    assert 'class="error" role="alert"' in client.get(reverse("deeds:delivery"), {"bulan": "2026-13"}).content.decode()
    assert client.get(reverse("deeds:delivery_pdf"), {"bulan": "2026-13"}).status_code == 404


def test_the_xlsx_and_the_pdf_hold_the_same_rows(client, officials, deeds):
    client.force_login(officials["ppat"])
    due = {k: selectors.delivery_due(c) for k, c in deeds.items()}
    r = client.get(reverse("deeds:delivery_xlsx"), {"bulan": MARCH})
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = {row[-1]: row for row in sheet.iter_rows(values_only=True) if row and row[-1] in (
        "Tepat waktu", "Terlambat", "Lewat batas, belum disampaikan")}
    assert set(rows) == {"Tepat waktu", "Terlambat", "Lewat batas, belum disampaikan"}
    assert rows["Tepat waktu"][1] == "1/2026" and rows["Tepat waktu"][7] == "TT-BPN/101"
    assert rows["Tepat waktu"][5].date() == due["on_time"] and rows["Tepat waktu"][6].date().isoformat() == "2026-03-05"
    assert rows["Terlambat"][5].date() == due["late"] and rows["Terlambat"][7] == "TT-BPN/202"
    assert rows["Lewat batas, belum disampaikan"][6] is None
    assert rows["Lewat batas, belum disampaikan"][5].date() == due["overdue"]

    r = client.get(reverse("deeds:delivery_pdf"), {"bulan": MARCH})
    assert r["Content-Type"] == "application/pdf"
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Buku Register Penyampaian Akta ke Kantor Pertanahan" in text and "Maret 2026" in text
    for piece in ("Tepat waktu", "Terlambat", "Lewat batas", "TT-BPN/101", "TT-BPN/202", "05-03-2026", "20-04-2026",
                  f"{due['late']:%d-%m-%Y}", f"{due['overdue']:%d-%m-%Y}"):
        assert piece in text, piece
