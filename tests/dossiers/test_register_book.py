"""The Buku Register Pelayanan: the selector's filters, its constant query count, the XLSX and
PDF exports, and the screens, with the NIK in full only for roles that may read it."""

from __future__ import annotations

import copy
import datetime as dt
import io
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from loket.catalog.models import Requirement
from loket.dossiers import services
from loket.dossiers.models import Dossier
from loket.offices.models import Kelurahan
from loket.dossiers import register_book as exports
from loket.registers.models import RegisterBook
from loket.dossiers.register_book import register_entries
from tests.factories import applicant_data
from tests.support.pdf import lines_of as _pdf_text

S = Dossier.State
JKT = ZoneInfo("Asia/Jakarta")
PELAYANAN = RegisterBook.Kind.PELAYANAN


def nik(n: int) -> str:
    """Valid NIKs of the factory's applicant (woman born 5-8-1990), differing in the serial."""
    return f"357701450890{n:04d}"


@contextmanager
def clock_at(when: dt.datetime):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JKT)


@pytest.fixture
def flow(office, people, all_items):
    """Take in a dossier and move it along; returns the dossier at the last step asked."""

    def run(*, name, n, service="pindah", kelurahan="35.77.09.1001", registered_at=None, handed_over_at=None,
            until=S.REGISTERED):
        items = all_items if service == "pindah" else list(
            Requirement.objects.filter(service__edition__office=office, service__code=service).values_list("pk", flat=True)
        )
        d = services.dossier_intake(
            office=office, service_code=service, actor=people["front"], present=items, originals=items,
            applicant=applicant_data(name=name, nik=nik(n), kelurahan=kelurahan),
        )
        services.dossier_forward(code=d.code, actor=people["front"])
        services.dossier_initial(code=d.code, actor=people["kasi"])
        d = services.dossier_sign(code=d.code, actor=people["sekcam"])
        if until == S.SIGNED:
            return d
        with clock_at(registered_at or local(2026, 3, 2, 9, 0)):
            d = services.dossier_register(code=d.code, actor=people["front"])
        if until == S.HANDED_OVER:
            with clock_at(handed_over_at or local(2026, 3, 2, 10, 0)):
                d = services.dossier_handover(code=d.code, actor=people["front"])
        return d

    return run


@pytest.fixture
def mini_standard(db, tmp_path):
    """The mini standard with a second counter service ("kk") for the service filter."""
    import yaml

    from loket.catalog.services import standard_load
    from tests.conftest import MINI_STANDARD

    data = yaml.safe_load(MINI_STANDARD.read_text(encoding="utf-8"))
    kk = copy.deepcopy(next(s for s in data["services"] if s["code"] == "pindah"))
    kk.update(number=3, code="kk", name="LEGALISASI KARTU KELUARGA", short_name="KK",
              requirements=[{"text": "Surat Pengantar RT/ RW"}])
    data["services"].append(kk)
    path = tmp_path / "mini-kk.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return standard_load(path=path)


@pytest.fixture
def book(office, flow):
    """Four registered dossiers over a Jakarta midnight and a year's end, one handed over."""
    Kelurahan.objects.create(office=office, code="35.77.09.1002", name="Dua")
    return {
        # 31 Dec 2025, 23:30 in Jakarta is 16:30 UTC: the 2025 book.
        "old": flow(name="Ani Lama", n=1, registered_at=local(2025, 12, 31, 23, 30)),
        # 31 Jan 2026, 23:30 and 1 Feb 2026, 00:30 in Jakarta: both 31 Jan in UTC.
        "jan": flow(name="Budi Januari", n=2, registered_at=local(2026, 1, 31, 23, 30), until=S.HANDED_OVER,
                    handed_over_at=local(2026, 2, 3, 14, 5)),
        "feb": flow(name="Citra Februari", n=3, registered_at=local(2026, 2, 1, 0, 30), kelurahan="35.77.09.1002",
                    service="kk"),
        "mar": flow(name="Dewi & <Sari>", n=4, registered_at=local(2026, 3, 10, 8, 0), kelurahan=""),
    }


def names(qs) -> list[str]:
    return [e.name for e in qs]


# --- selector ------------------------------------------------------------------------------

def test_order_is_newest_year_first_then_number(office, book):
    rows = list(register_entries(office=office, kind=PELAYANAN))
    assert [e.number_display for e in rows] == ["1/2026", "2/2026", "3/2026", "1/2025"]
    assert names(rows) == ["Budi Januari", "Citra Februari", "Dewi & <Sari>", "Ani Lama"]


def test_handed_over_at_and_annotations(office, book):
    rows = {e.name: e for e in register_entries(office=office, kind=PELAYANAN)}
    assert rows["Budi Januari"].handed_over_at == local(2026, 2, 3, 14, 5)
    assert rows["Budi Januari"].dossier_state == S.HANDED_OVER
    for name in ("Ani Lama", "Citra Februari", "Dewi & <Sari>"):
        assert rows[name].handed_over_at is None
        assert rows[name].dossier_state == S.REGISTERED
    assert rows["Citra Februari"].service_code == "kk"
    assert rows["Ani Lama"].service_code == "pindah"
    assert rows["Citra Februari"].kelurahan == "Dua"


def test_filter_year(office, book):
    assert names(register_entries(office=office, kind=PELAYANAN, year=2025)) == ["Ani Lama"]
    assert len(register_entries(office=office, kind=PELAYANAN, year=2026)) == 3
    assert not register_entries(office=office, kind=PELAYANAN, year=2024).exists()


def test_filter_dates_are_jakarta_days_inclusive(office, book):
    q = lambda **kw: names(register_entries(office=office, kind=PELAYANAN, **kw))
    assert q(date_from=dt.date(2026, 1, 31), date_to=dt.date(2026, 1, 31)) == ["Budi Januari"]
    assert q(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 1)) == ["Citra Februari"]
    assert q(date_from=dt.date(2026, 2, 1)) == ["Citra Februari", "Dewi & <Sari>"]
    assert q(date_to=dt.date(2025, 12, 31)) == ["Ani Lama"]
    assert q(date_from=dt.date(2026, 3, 11)) == []


def test_filter_service(office, book):
    assert names(register_entries(office=office, kind=PELAYANAN, service_code="kk")) == ["Citra Februari"]
    assert len(register_entries(office=office, kind=PELAYANAN, service_code="pindah")) == 3
    assert not register_entries(office=office, kind=PELAYANAN, service_code="tidak-ada").exists()


def test_filter_kelurahan_by_code_or_name(office, book):
    assert names(register_entries(office=office, kind=PELAYANAN, kelurahan="35.77.09.1002")) == ["Citra Februari"]
    assert names(register_entries(office=office, kind=PELAYANAN, kelurahan="Dua")) == ["Citra Februari"]
    assert names(register_entries(office=office, kind=PELAYANAN, kelurahan="35.77.09.1001")) == [
        "Budi Januari", "Ani Lama"
    ]


def test_filter_state(office, book):
    assert names(register_entries(office=office, kind=PELAYANAN, state=S.HANDED_OVER)) == ["Budi Januari"]
    assert len(register_entries(office=office, kind=PELAYANAN, state=S.REGISTERED)) == 3
    assert not register_entries(office=office, kind=PELAYANAN, state=S.RETURNED).exists()


def test_filters_combine_and_other_kinds_and_offices_stay_out(office, book):
    assert names(register_entries(
        office=office, kind=PELAYANAN, year=2026, state=S.REGISTERED, kelurahan="35.77.09.1001",
    )) == []
    assert not register_entries(office=office, kind=RegisterBook.Kind.PPAT).exists()
    from loket.offices.models import Office

    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota")
    assert not register_entries(office=other, kind=PELAYANAN).exists()


def _queries_to_render(office) -> int:
    with CaptureQueriesContext(connection) as ctx:
        for e in register_entries(office=office, kind=PELAYANAN):
            (e.number_display, e.entered_at, e.name, e.nik, e.kelurahan, e.subject, e.signer, e.reference,
             e.handed_over_at, e.service_code, e.dossier_state)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(office, flow):
    for n in range(2):
        flow(name=f"Orang {n}", n=n + 1, until=S.HANDED_OVER if n % 2 else S.REGISTERED)
    two = _queries_to_render(office)
    for n in range(2, 6):
        flow(name=f"Orang {n}", n=n + 1, until=S.HANDED_OVER if n % 2 else S.REGISTERED)
    assert len(register_entries(office=office, kind=PELAYANAN)) == 6
    assert _queries_to_render(office) == two == 1


# --- XLSX ----------------------------------------------------------------------------------

def _sheet(out):
    data = out.read()
    out.close()
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_xlsx_has_title_header_rows_in_order_and_full_nik_as_text(office, book):
    entries = register_entries(office=office, kind=PELAYANAN)
    ws = _sheet(exports.register_xlsx(entries, office=office, title="Buku Register Pelayanan", show_nik=True))
    rows = list(ws.iter_rows(values_only=True))
    assert "Kecamatan Contoh" in rows[0][0] and "Buku Register Pelayanan" in rows[0][0]
    assert list(rows[2]) == exports.HEADERS
    body = rows[3:]
    assert [r[0] for r in body] == ["1/2026", "2/2026", "3/2026", "1/2025"]
    assert [r[2] for r in body] == ["Budi Januari", "Citra Februari", "Dewi & <Sari>", "Ani Lama"]
    assert [r[3] for r in body] == [nik(2), nik(3), nik(4), nik(1)]
    assert all(isinstance(r[3], str) and len(r[3]) == 16 for r in body)
    # Dates are real dates, in Jakarta time.
    assert body[0][1] == dt.datetime(2026, 1, 31, 23, 30)
    assert body[1][1] == dt.datetime(2026, 2, 1, 0, 30)
    assert body[0][8] == dt.datetime(2026, 2, 3, 14, 5)
    assert body[1][8] is None
    assert body[1][4] == "Dua" and body[1][5] == "LEGALISASI KARTU KELUARGA"
    assert "a.n. Camat" in body[0][6]
    code = book["jan"].code
    assert body[0][7] == f"{code[:4]}-{code[4:]}"
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["C"].width == exports.XLSX_WIDTHS[2]
    assert ws["B4"].is_date and ws["D4"].data_type == "s"


def test_xlsx_masks_nik_when_not_allowed(office, book):
    entries = register_entries(office=office, kind=PELAYANAN)
    ws = _sheet(exports.register_xlsx(entries, office=office, title="Register", show_nik=False))
    niks = [r[3] for r in ws.iter_rows(min_row=4, values_only=True)]
    assert niks == ["357701**********"] * 4


def test_xlsx_streams_rows_through_the_iterator(office, book):
    entries = register_entries(office=office, kind=PELAYANAN)
    with mock.patch.object(type(entries), "iterator", autospec=True, side_effect=lambda qs, chunk_size: iter(list(qs))) as it:
        exports.register_xlsx(entries, office=office, title="Register", show_nik=True).close()
    assert it.call_args.kwargs == {"chunk_size": 2000}


def test_xlsx_keeps_a_name_starting_with_equals_as_text(office, flow):
    flow(name="=HYPERLINK(\"http://x\")", n=1)
    ws = _sheet(exports.register_xlsx(
        register_entries(office=office, kind=PELAYANAN), office=office, title="Register", show_nik=True,
    ))
    assert ws["C4"].value == "=HYPERLINK(\"http://x\")" and ws["C4"].data_type == "s"


def test_xlsx_of_an_empty_book(office, people):
    ws = _sheet(exports.register_xlsx(
        register_entries(office=office, kind=PELAYANAN), office=office, title="Register", show_nik=True,
    ))
    assert list(ws.iter_rows(min_row=3, values_only=True)) == [tuple(exports.HEADERS)]


# --- PDF -----------------------------------------------------------------------------------

def test_pdf_holds_names_numbers_and_escaped_text(office, book, flow):
    # Too long for its column: goes through a wrapping Paragraph, whose markup must stay text.
    flow(name="Raden <b>Ajeng</b> & Keluarga Besar Kartini", n=5)
    pdf = exports.register_pdf(
        register_entries(office=office, kind=PELAYANAN), office=office, title="Buku Register Pelayanan", show_nik=True,
    )
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "Raden <b>Ajeng</b> &" in text and "Kartini" in text
    for expected in ("No. Register", "Diserahkan", "Budi Januari", "Citra Februari", "Dewi & <Sari>", "Ani Lama",
                     "1/2026", "3/2026", "1/2025", nik(2), "03-02-2026 14:05", "Halaman 1", "Kecamatan Contoh"):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape


def test_pdf_masks_nik_and_repeats_the_header_on_every_page(office, flow):
    for n in range(1, 41):
        flow(name=f"Pemohon Nomor {n}", n=n)
    pdf = exports.register_pdf(
        register_entries(office=office, kind=PELAYANAN), office=office, title="Register", show_nik=False,
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for i, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "No. Register" in text and f"Halaman {i}" in text
    text = _pdf_text(pdf)
    assert "Pemohon Nomor 1" in text and "Pemohon Nomor 40" in text and "40/2026" in text
    assert "357701**********" in text and nik(1) not in text


# --- screens -------------------------------------------------------------------------------

def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_book_screen_lists_entries_for_staff(client, people, book):
    client.force_login(people["front"])
    r = client.get(reverse("registers:book"))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Budi Januari" in page and "1/2026" in page and "03-02-2026 14:05" in page
    assert "Dewi &amp; &lt;Sari&gt;" in page
    assert nik(2) in page


def test_book_screen_filters_by_query(client, people, book):
    client.force_login(people["front"])
    page = client.get(reverse("registers:book"), {"kelurahan": "35.77.09.1002", "tahun": "2026"}).content.decode()
    assert "Citra Februari" in page and "Budi Januari" not in page
    page = client.get(reverse("registers:book"), {"dari": "2026-02-01", "sampai": "kemarin"}).content.decode()
    assert "Citra Februari" in page and "Budi Januari" not in page
    assert "tidak valid: tulis TTTT-BB-HH" in page and "Filter itu diabaikan" in page


def test_book_screen_query_count_is_constant(client, people, book, flow, django_assert_max_num_queries):
    client.force_login(people["front"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registers:book"))
    for n in range(10, 14):
        flow(name=f"Tambahan {n}", n=n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(reverse("registers:book"))
    assert "Tambahan 13" in r.content.decode()


def test_exports_download_for_staff(client, people, book):
    client.force_login(people["front"])
    r = client.get(reverse("registers:export_xlsx"), {"tahun": "2026"})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in r["Content-Disposition"] and ".xlsx" in r["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(_body(r))).active
    assert "Buku Register Pelayanan 2026" in ws["A1"].value
    assert [row[0] for row in ws.iter_rows(min_row=4, values_only=True)] == ["1/2026", "2/2026", "3/2026"]
    assert ws["D4"].value == nik(2)

    r = client.get(reverse("registers:export_pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"] and ".pdf" in r["Content-Disposition"]
    text = _pdf_text(_body(r))
    assert "Budi Januari" in text and nik(2) in text


@pytest.mark.parametrize("role, full", [
    ("front", True), ("kasi", True), ("sekcam", True), ("camat", True), ("admin", True),
    ("bendahara", False), ("ppat", False),
])
def test_full_nik_only_for_roles_that_may_read_it(client, people, book, role, full):
    from loket.offices.roles import can_see_full_nik

    assert can_see_full_nik(people[role]) is full
    client.force_login(people[role])
    masked = "357701**********"
    page = client.get(reverse("registers:book")).content.decode()
    xlsx = openpyxl.load_workbook(io.BytesIO(_body(client.get(reverse("registers:export_xlsx"))))).active
    xlsx_niks = [row[3] for row in xlsx.iter_rows(min_row=4, values_only=True)]
    pdf = _pdf_text(_body(client.get(reverse("registers:export_pdf"))))
    for text in (page, pdf):
        assert (nik(2) in text) is full
        assert (masked in text) is not full
    assert xlsx_niks == ([nik(2), nik(3), nik(4), nik(1)] if full else [masked] * 4)


def test_screens_refuse_anonymous_and_non_staff(client, django_user_model, book):
    for name in ("registers:book", "registers:export_xlsx", "registers:export_pdf"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and "/masuk/" in r["Location"]
    client.force_login(django_user_model.objects.create_user(username="warga", password="x-Pass-12345"))
    for name in ("registers:book", "registers:export_xlsx", "registers:export_pdf"):
        assert client.get(reverse(name)).status_code == 403
