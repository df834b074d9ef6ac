"""The complaint report (selectors.report and its page) and the Buku Pengaduan exports.

The known set is brought to its states through the real acts (make_complaint); its dates are
then placed with queryset updates so that every figure can be worked out by hand. No holiday
table is loaded in the test database, so working days skip weekends only (unless a test adds a
holiday)."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from loket.complaints import exports, selectors, services
from loket.complaints.models import Category, Complaint
from loket.core.history import unguarded
from loket.offices.models import Holiday, Office, Unit
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.registers.models import RegisterBook, RegisterEntry
from tests.complaints.conftest import complaint_data
from tests.support.http import inline_code as _inline_code
from tests.support.pdf import lines_of as _pdf_text

S = Complaint.State
JKT = ZoneInfo("Asia/Jakarta")
TODAY = dt.date(2026, 11, 25)
FAR = dt.date(2099, 1, 1)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JKT)


def place(c: Complaint, *, received=None, first=None, closed=None, due=None, legal=None, **more) -> None:
    """Put a complaint's dates where the test wants them (the acts stamp "now")."""
    fields = dict(more)
    if received is not None:
        fields.update(received_at=received, clock_started_at=received)
    if first is not None:
        fields["first_answered_at"] = first
    if closed is not None:
        fields["closed_at"] = closed
    if due is not None:
        fields["due_date"] = due
    if legal is not None:
        fields["legal_due_date"] = legal
    Complaint.objects.filter(pk=c.pk).update(**fields)


@pytest.fixture
def cats(office):
    admin = Category.objects.create(office=office, name="Pelayanan administrasi", order=1)
    return {
        "admin": admin,
        "adminduk": Category.objects.create(office=office, parent=admin, name="Adminduk", order=1),
        "sarana": Category.objects.create(office=office, name="Sarana <script>alert(1)</script>", order=2),
    }


@pytest.fixture
def other_office(office):
    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota Lain")
    clerk = staff_create(office=other, username="petugas.lain", role=Role.FRONT_OFFICE, password="x-Pass-12345",
                         full_name="Petugas Lain").user
    c = services.complaint_record(office=other, actor=clerk,
                                  data=complaint_data(name="Orang Kantor Lain", subject="Rahasia kantor lain"))
    place(c, received=local(2025, 3, 5, 9, 0))
    return {"office": other, "clerk": clerk, "complaint": c}


@pytest.fixture
def known(office, people, cats, make_complaint, other_office):
    """Five complaints received in 2025 and two in January 2026 (one of them at 00:30 on
    1 January in Jakarta, still 31 December in UTC); one of another office in March 2025."""
    umum = Unit.objects.get(office=office, code="umum")
    c = {}
    # March 2025: two closed ones. Working days to the first answer 2 and 4, to closing 4 and 8.
    c[1] = make_complaint(S.CLOSED, channel="whatsapp", kind="pengaduan", category=cats["adminduk"].pk)
    place(c[1], received=local(2025, 3, 3, 9, 0), first=local(2025, 3, 5, 10, 0), closed=local(2025, 3, 7, 11, 0))
    c[2] = make_complaint(S.CLOSED, channel="telepon", kind="konsultasi", category=cats["sarana"].pk)
    place(c[2], received=local(2025, 3, 10, 9, 0), first=local(2025, 3, 14, 9, 0), closed=local(2025, 3, 20, 9, 0),
          unit=umum)
    # June 2025: one escalated (to pemerintahan) and past both limits; one reopened, not yet late.
    c[3] = make_complaint(S.ESCALATED, channel="surat", kind="pengaduan")
    place(c[3], received=local(2025, 6, 2, 9, 0), due=dt.date(2025, 6, 4), legal=dt.date(2025, 8, 27))
    c[4] = make_complaint(S.REOPENED, channel="tatap_muka", kind="pengaduan")
    place(c[4], received=local(2025, 6, 16, 9, 0), first=local(2025, 6, 19, 9, 0), due=FAR, legal=FAR)
    # 31 Dec 2025, 23:30: answered 2 Jan (2 working days), closed 5 Jan (3).
    c[5] = make_complaint(S.CLOSED, channel="whatsapp", kind="saran", category=cats["admin"].pk)
    place(c[5], received=local(2025, 12, 31, 23, 30), first=local(2026, 1, 2, 10, 0), closed=local(2026, 1, 5, 10, 0))
    # January 2026: one open and late since 5 Jan; one closed (2 and 5 working days).
    c[6] = make_complaint(S.RECEIVED, channel="website", kind="informasi")
    place(c[6], received=local(2026, 1, 1, 0, 30), due=dt.date(2026, 1, 5), legal=dt.date(2026, 3, 30))
    c[7] = make_complaint(S.CLOSED, channel="email", kind="pengaduan", email="warga@example.id")
    place(c[7], received=local(2026, 1, 20, 9, 0), first=local(2026, 1, 22, 9, 0), closed=local(2026, 1, 27, 9, 0))
    return c


def report(office, start, end, today=TODAY):
    return selectors.report(office=office, start=start, end=end, today=today)


YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
DEC_JAN = (dt.date(2025, 12, 1), dt.date(2026, 1, 31))


def with_zeros(choices, **counts) -> dict:
    return {label: counts.get(value, 0) for value, label in choices}


# --- the figures -------------------------------------------------------------------------------

def test_counts_of_a_year(office, known):
    r = report(office, *YEAR_2025)
    assert r["total"] == 5
    assert dict(r["by_channel"]) == with_zeros(Complaint.Channel.choices, whatsapp=2, telepon=1, surat=1, tatap_muka=1)
    assert dict(r["by_kind"]) == with_zeros(Complaint.Kind.choices, pengaduan=3, konsultasi=1, saran=1)
    assert dict(r["by_state"]) == with_zeros(Complaint.State.choices, closed=3, escalated=1, reopened=1)
    # Top-level categories, the child counted with its parent; the largest first, ties by name.
    assert r["by_category"] == [("Pelayanan administrasi", 2), ("Tanpa kategori", 2),
                                ("Sarana <script>alert(1)</script>", 1)]
    assert r["by_unit"] == [("Front office (tidak diteruskan)", 3), ("Kasi Pemerintahan", 1),
                            ("Subbag Umum dan Keuangan", 1)]
    assert (r["open"], r["overdue"], r["past_legal"]) == (2, 1, 1)
    assert (r["satisfied"], r["not_satisfied"]) == (3, 1)


def test_medians_even_and_odd(office, known):
    r = report(office, *YEAR_2025)
    # First answers after 2, 4, 3 and 2 working days: an even count, the mean of the middle two.
    assert r["median_first_answer"] == 2.5
    # Closed after 4, 8 and 3 working days: an odd count, the middle one.
    assert r["median_close"] == 4


def test_months_of_a_year(office, known):
    months = {(m["year"], m["month"]): m for m in report(office, *YEAR_2025)["months"]}
    assert sorted(months) == [(2025, m) for m in range(1, 13)]
    pick = lambda m: (m["received"], m["answered"], m["closed"], m["overdue"], m["median_first_answer"], m["median_close"])
    assert pick(months[2025, 3]) == (2, 2, 2, 0, 3.0, 6.0)
    assert pick(months[2025, 6]) == (2, 1, 0, 1, 3.0, None)
    assert pick(months[2025, 12]) == (1, 1, 1, 0, 2.0, 3.0)
    for n in (1, 2, 4, 5, 7, 8, 9, 10, 11):
        assert pick(months[2025, n]) == (0, 0, 0, 0, None, None)


def test_months_across_the_year_boundary(office, known):
    r = report(office, *DEC_JAN)
    assert [(m["year"], m["month"]) for m in r["months"]] == [(2025, 12), (2026, 1)]
    dec, jan = r["months"]
    # 1 Jan 2026 00:30 in Jakarta is 31 Dec in UTC: counted in January.
    assert (dec["received"], dec["answered"], dec["closed"], dec["overdue"]) == (1, 1, 1, 0)
    assert (jan["received"], jan["answered"], jan["closed"], jan["overdue"]) == (2, 1, 1, 1)
    assert (jan["median_first_answer"], jan["median_close"]) == (2.0, 5.0)
    assert r["total"] == 3
    assert (r["median_first_answer"], r["median_close"]) == (2.0, 4.0)
    assert (r["open"], r["overdue"], r["past_legal"]) == (1, 1, 1)
    assert r["missing_holiday_years"] == [2025, 2026]


def test_a_holiday_in_the_table_is_skipped(office, known):
    Holiday.objects.create(date=dt.date(2026, 1, 1), kind=Holiday.Kind.NATIONAL, name="Tahun Baru 2026 Masehi")
    r = report(office, *DEC_JAN)
    dec = r["months"][0]
    assert (dec["median_first_answer"], dec["median_close"]) == (1.0, 2.0)
    assert r["missing_holiday_years"] == [2025]


def test_overdue_is_counted_on_the_given_day(office, known):
    # On 5 January 2026 the open one of January is not yet late (its target is that day).
    r = report(office, *DEC_JAN, today=dt.date(2026, 1, 5))
    assert (r["open"], r["overdue"], r["past_legal"]) == (1, 0, 0)
    assert report(office, *DEC_JAN, today=dt.date(2026, 1, 6))["overdue"] == 1


def test_an_empty_period(office, known):
    r = report(office, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert r["total"] == 0
    assert all(n == 0 for _, n in r["by_channel"] + r["by_kind"] + r["by_state"])
    assert r["by_category"] == [] and r["by_unit"] == []
    assert r["median_first_answer"] is None and r["median_close"] is None
    assert (r["open"], r["overdue"], r["past_legal"], r["satisfied"], r["not_satisfied"]) == (0, 0, 0, 0, 0)
    assert len(r["months"]) == 12 and all(m["received"] == 0 for m in r["months"])


def test_another_office_sees_only_its_own(office, known, other_office):
    theirs = report(other_office["office"], *YEAR_2025)
    assert theirs["total"] == 1 and theirs["by_category"] == [("Tanpa kategori", 1)]
    assert report(office, dt.date(2025, 3, 1), dt.date(2025, 3, 31))["total"] == 2


def test_book_years(office, known):
    assert selectors.book_years(office=office, today=TODAY) == [2026]
    assert selectors.book_years(office=office, today=dt.date(2027, 1, 2)) == [2027, 2026]


# --- the page ----------------------------------------------------------------------------------

def figure(page: str, name: str) -> str:
    m = re.search(rf'id="r-{name}">([^<]*)<', page)
    assert m, name
    return m.group(1)


def month_row(page: str, year: int, month: int) -> list[str]:
    m = re.search(rf'<tr id="r-month-{year}-{month:02d}">(.*?)</tr>', page, re.S)
    assert m, (year, month)
    return re.findall(r'<td class="num">([^<]*)</td>', m.group(1))


def test_report_page_shows_the_figures(client, people, known):
    client.force_login(people["front"])
    r = client.get(reverse("complaints:report"), {"tahun": "2025"})
    assert r.status_code == 200
    page = r.content.decode()
    assert r.context["report"]["total"] == 5
    expected = {"total": "5", "open": "2", "overdue": "1", "past-legal": "1", "median-first": "2,5",
                "median-close": "4", "satisfied": "3", "not-satisfied": "1"}
    assert {k: figure(page, k) for k in expected} == expected
    assert month_row(page, 2025, 3) == ["2", "2", "2", "0", "3", "6"]
    assert month_row(page, 2025, 6) == ["2", "1", "0", "1", "3", "—"]
    assert month_row(page, 2025, 1) == ["0", "0", "0", "0", "—", "—"]
    assert "Maret 2025" in page and "1 Januari 2025" in page and "31 Desember 2025" in page
    # Tables per channel, kind, category, unit and state, each with its chart.
    for key, label, n in [("channel", "WhatsApp", 2), ("kind", "Konsultasi/ pertanyaan", 1),
                          ("category", "Pelayanan administrasi", 2), ("unit", "Subbag Umum dan Keuangan", 1),
                          ("state", "Selesai", 3)]:
        section = re.search(rf'<section class="report-section" id="r-{key}">(.*?)</section>', page, re.S).group(1)
        assert f'<tr><td>{label}</td><td class="num">{n}</td></tr>' in section, key
        assert '<svg class="chart chart-bars"' in section and f"<title>{label}: {n}</title>" in section, key
    assert page.count('<svg class="chart chart-columns"') == 1
    assert page.count('<g class="column">') == 12
    # The links to the year's book.
    assert reverse("complaints:book_xlsx", args=[2025]) in page and reverse("complaints:book_pdf", args=[2025]) in page
    # No holiday table for 2025 and 2026 in the test database.
    assert "Tabel hari libur tahun 2025, 2026 belum diisi" in page


def test_report_page_charts_are_plain_svg_with_dot_decimals(client, people, known):
    client.force_login(people["front"])
    page = client.get(reverse("complaints:report"), {"tahun": "2025"}).content.decode()
    assert _inline_code(page) == []
    numbers = re.findall(r'<(?:rect|text|line)\b[^>]*?\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', page)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers), numbers
    # The widest bar of a chart fills the bar area; the others are scaled to it.
    chart = re.search(r'id="r-channel">.*?</svg>', page, re.S).group(0)
    widths = [float(w) for w in re.findall(r'<rect class="chart-bar"[^>]*width="([^"]*)"', chart)]
    assert max(widths) == 340 and sorted(set(widths)) == [0, 170, 340]
    assert re.search(r'<link rel="stylesheet" href="[^"]*loket/charts[^"]*\.css"', page)
    # Columns per month: March and June (2 each) full height, the empty months flat.
    months = re.search(r'<svg class="chart chart-columns".*?</svg>', page, re.S).group(0)
    heights = re.findall(r'<rect class="chart-bar"[^>]*height="([^"]*)"', months)
    assert heights == ["0", "0", "160", "0", "0", "160", "0", "0", "0", "0", "0", "80"]
    assert "<title>Desember 2025: 1</title>" in months


def test_a_long_period_labels_fewer_months(client, people, known):
    client.force_login(people["front"])
    page = client.get(reverse("complaints:report"), {"dari": "2024-01-01", "sampai": "2026-12-31"}).content.decode()
    months = re.search(r'<svg class="chart chart-columns".*?</svg>', page, re.S).group(0)
    assert months.count('<g class="column">') == 36
    labels = re.findall(r'<text class="chart-label" [^>]*>([A-Za-z]{3})</text>', months)
    assert labels == ["Jan", "Apr", "Jul", "Okt"] * 3
    assert "chart-value" not in months  # the counts are in the table


def test_report_page_escapes_names(client, people, known):
    client.force_login(people["front"])
    page = client.get(reverse("complaints:report"), {"tahun": "2025"}).content.decode()
    assert "Sarana &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_report_page_defaults_to_this_year(client, people, known):
    from django.utils import timezone

    client.force_login(people["front"])
    r = client.get(reverse("complaints:report"))
    assert r.status_code == 200
    year = timezone.localdate().year
    assert (r.context["report"]["start"], r.context["report"]["end"]) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert len(r.context["report"]["months"]) == 12
    assert f'<option value="{year}" selected>' in r.content.decode()


def test_report_page_month_and_date_range(client, people, known):
    client.force_login(people["front"])
    r = client.get(reverse("complaints:report"), {"tahun": "2025", "bulan": "3"})
    assert r.context["report"]["total"] == 2 and len(r.context["report"]["months"]) == 1
    assert (r.context["report"]["start"], r.context["report"]["end"]) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    r = client.get(reverse("complaints:report"), {"dari": "2025-12-01", "sampai": "2026-01-31", "tahun": "2024"})
    assert r.context["report"]["total"] == 3
    page = r.content.decode()
    assert month_row(page, 2025, 12) == ["1", "1", "1", "0", "2", "3"]
    assert month_row(page, 2026, 1) == ["2", "1", "1", "1", "2", "5"]
    # A period over two years offers the book of each.
    for year in (2025, 2026):
        assert reverse("complaints:book_xlsx", args=[year]) in page
    # The dates swapped by mistake are put right, and said so.
    r = client.get(reverse("complaints:report"), {"dari": "2026-01-31", "sampai": "2025-12-01"})
    assert r.context["report"]["total"] == 3 and "ditukar" in r.content.decode()


def test_report_page_ignores_bad_input(client, people, known):
    client.force_login(people["front"])
    r = client.get(reverse("complaints:report"), {"tahun": "abad", "bulan": "13", "dari": "kemarin"})
    assert r.status_code == 200
    page = r.content.decode()
    for text in ("Tahun harus empat angka", "Bulan tidak valid", "Tanggal &#x27;dari&#x27; tidak valid"):
        assert text in page, text
    r = client.get(reverse("complaints:report"), {"dari": "2000-01-01", "sampai": "2026-01-01"})
    assert r.status_code == 200 and "paling panjang 5 tahun" in r.content.decode()
    assert r.context["report"]["start"].month == 1 and r.context["report"]["start"].day == 1


def test_report_page_of_an_empty_period(client, people, known):
    client.force_login(people["front"])
    r = client.get(reverse("complaints:report"), {"tahun": "2024"})
    assert r.status_code == 200
    page = r.content.decode()
    for name in ("total", "open", "overdue", "past-legal", "satisfied", "not-satisfied"):
        assert figure(page, name) == "0", name
    assert figure(page, "median-first") == "—" and figure(page, "median-close") == "—"
    assert month_row(page, 2024, 7) == ["0", "0", "0", "0", "—", "—"]
    assert "Tidak ada pengaduan." in page  # the category and unit tables are empty


def test_report_page_of_an_office_without_any_complaint(client, people):
    client.force_login(people["front"])
    r = client.get(reverse("complaints:report"))
    assert r.status_code == 200 and figure(r.content.decode(), "total") == "0"


@pytest.mark.parametrize("role", ["front", "kasi", "sekcam", "camat", "bendahara", "ppat", "admin"])
def test_every_staff_role_sees_the_report_and_the_book(client, people, known, role):
    client.force_login(people[role])
    assert client.get(reverse("complaints:report"), {"tahun": "2025"}).status_code == 200
    assert client.get(reverse("complaints:book_xlsx", args=[2026])).status_code == 200
    assert client.get(reverse("complaints:book_pdf", args=[2026])).status_code == 200


def test_anonymous_and_non_staff_are_refused(client, django_user_model, known):
    urls = [reverse("complaints:report"), reverse("complaints:book_xlsx", args=[2026]),
            reverse("complaints:book_pdf", args=[2026])]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 302 and "/masuk/" in r["Location"]
    client.force_login(django_user_model.objects.create_user(username="warga", password="x-Pass-12345"))
    for url in urls:
        assert client.get(url).status_code == 403


def test_another_offices_staff_see_none_of_ours(client, known, other_office):
    client.force_login(other_office["clerk"])
    r = client.get(reverse("complaints:report"), {"tahun": "2025"})
    assert r.context["report"]["total"] == 1
    assert "Pelayanan administrasi" not in r.content.decode()
    ws = openpyxl.load_workbook(io.BytesIO(_body(client.get(reverse("complaints:book_xlsx", args=[2026]))))).active
    assert [row[7] for row in ws.iter_rows(min_row=4, values_only=True)] == ["Rahasia kantor lain"]


# --- the Buku Pengaduan ------------------------------------------------------------------------

LONG_ANSWER = ("Koreksi: KTP-el Anda sudah dicetak dan dapat diambil di loket kecamatan pada jam kerja. " * 4
               + "AKHIR-JAWABAN")


@pytest.fixture
def book(office, people, cats, make_complaint, other_office):
    """Four complaints of the 2026 book, one moved to a 2025 book, one of another office."""
    b = {}
    b["named"] = make_complaint(S.CLOSED, category=cats["adminduk"].pk, email="budi@example.id",
                                subject="Jalan <b>rusak</b> & berlubang")
    services.complaint_answer_correct(code=b["named"].code, actor=people["front"], text=LONG_ANSWER,
                                      reason="Tanggal salah")
    place(b["named"], received=local(2026, 3, 2, 8, 5), first=local(2026, 3, 3, 10, 15))
    b["anon"] = make_complaint(S.RECEIVED, anonymous=True, reply_via="website", kind="saran", channel="kotak_saran",
                               subject="Ruang tunggu panas")
    b["formula"] = make_complaint(S.ESCALATED, channel="telepon", kind="informasi", subject='=HYPERLINK("http://x")')
    b["unhappy"] = make_complaint(S.REOPENED, channel="surat", subject="Surat pindah lambat")
    old = make_complaint(S.RECEIVED, subject="Dari buku tahun lalu")
    book_2025 = RegisterBook.objects.create(office=office, kind=RegisterBook.Kind.PENGADUAN, year=2025, last_number=1)
    unguarded(RegisterEntry).filter(pk=old.register_entry_id).update(book=book_2025, number=1)  # last year's entry
    b["old"] = old
    return b


def _sheet(out):
    data = out.read()
    out.close()
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_xlsx_has_header_and_one_row_per_complaint_in_number_order(office, book):
    ws = _sheet(exports.book_xlsx(selectors.register_rows(office=office, year=2026), office=office, year=2026))
    rows = list(ws.iter_rows(values_only=True))
    assert "Kecamatan Contoh" in rows[0][0] and "Buku Pengaduan 2026" in rows[0][0]
    assert rows[1][0].startswith("Dicetak ")
    assert list(rows[2]) == exports.HEADERS
    body = rows[3:]
    assert [r[0] for r in body] == ["1/2026", "2/2026", "3/2026", "4/2026"]
    named, anon, formula, unhappy = body
    assert named == (
        "1/2026", dt.datetime(2026, 3, 2, 8, 5), "Budi Santoso", "081234567890, budi@example.id", "WhatsApp",
        "Pengaduan", "Pelayanan administrasi › Adminduk", "Jalan <b>rusak</b> & berlubang", None,
        f"[Koreksi] {LONG_ANSWER}", dt.datetime(2026, 3, 3, 10, 15), "Selesai", "Puas",
    )
    assert anon[2:8] == ("Anonim", None, "Kotak saran/ pengaduan", "Saran/ masukan", None, "Ruang tunggu panas")
    assert anon[9:] == (None, None, "Ditangani loket pelayanan", None)
    assert formula[7] == '=HYPERLINK("http://x")' and ws["H6"].data_type == "s"
    assert formula[8] == "Kasi Pemerintahan" and formula[11] == "Diteruskan ke back office"
    assert unhappy[9] == "Berkas Anda sudah selesai, silakan ambil." and unhappy[12] == "Tidak puas"
    assert ws["B4"].is_date and ws["K4"].is_date
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["J"].width == exports.XLSX_WIDTHS[9]
    assert ws["A3"].font.b and ws["M3"].font.b


def test_xlsx_of_another_year_and_of_an_empty_one(office, book):
    ws = _sheet(exports.book_xlsx(selectors.register_rows(office=office, year=2025), office=office, year=2025))
    assert [(r[0], r[7]) for r in ws.iter_rows(min_row=4, values_only=True)] == [("1/2025", "Dari buku tahun lalu")]
    ws = _sheet(exports.book_xlsx(selectors.register_rows(office=office, year=2024), office=office, year=2024))
    assert list(ws.iter_rows(min_row=3, values_only=True)) == [tuple(exports.HEADERS)]


def test_export_queries_do_not_grow_with_rows(office, book, make_complaint):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            exports.book_xlsx(selectors.register_rows(office=office, year=2026), office=office, year=2026).close()
        return len(ctx.captured_queries)

    four = count()
    for n in range(3):
        make_complaint(S.ANSWERED, subject=f"Tambahan {n}")
    assert count() == four == 2  # the lines with their book, category and unit; the answers


def test_pdf_holds_every_number_and_subject(office, book):
    pdf = exports.book_pdf(selectors.register_rows(office=office, year=2026), office=office, year=2026)
    assert pdf.startswith(b"%PDF")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = " ".join(_pdf_text(pdf).split())  # a value too long for its column wraps
    for expected in ("Kecamatan Contoh", "Buku Pengaduan 2026", "Halaman 1", "Tindak Lanjut",
                     "1/2026", "2/2026", "3/2026", "4/2026", "Jalan <b>rusak</b> &", "Ruang tunggu panas",
                     "Surat pindah lambat", "Anonim", "[Koreksi]", "02-03-2026 08:05", "03-03-2026 10:15",
                     "Tidak puas", "Kasi Pemerintahan", "Keterangan", "Pelayanan administrasi › Adminduk"):
        assert expected in text, expected
    assert "HYPERLINK" in text
    # The follow-up is shortened in the PDF; the book of 2025 and the other office stay out.
    assert "AKHIR-JAWABAN" not in text and "\u2026" in text
    assert "Dari buku tahun lalu" not in text and "1/2025" not in text
    assert "Rahasia kantor lain" not in text


def test_pdf_of_an_empty_year(office, people):
    text = _pdf_text(exports.book_pdf(selectors.register_rows(office=office, year=2024), office=office, year=2024))
    assert "Tidak ada pengaduan." in text and "Buku Pengaduan 2024" in text


def test_pdf_repeats_the_header_on_every_page(office, make_complaint):
    for n in range(45):
        make_complaint(S.RECEIVED, subject=f"Pokok nomor {n + 1}")
    reader = PdfReader(io.BytesIO(exports.book_pdf(selectors.register_rows(office=office, year=2026), office=office,
                                                   year=2026)))
    assert len(reader.pages) >= 2
    for i, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Pokok Masalah" in text and f"Halaman {i}" in text
    text = _pdf_text(exports.book_pdf(selectors.register_rows(office=office, year=2026), office=office, year=2026))
    assert re.search(r"Pokok nomor 1(?!\d)", text)
    assert "Pokok nomor 45" in text and "45/2026" in text


def test_downloads(client, people, book):
    client.force_login(people["kasi"])
    r = client.get(reverse("complaints:book_xlsx", args=[2026]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"] == 'attachment; filename="buku-pengaduan-2026.xlsx"'
    ws = openpyxl.load_workbook(io.BytesIO(_body(r))).active
    assert [row[0] for row in ws.iter_rows(min_row=4, values_only=True)] == ["1/2026", "2/2026", "3/2026", "4/2026"]

    r = client.get(reverse("complaints:book_pdf", args=[2025]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="buku-pengaduan-2025.pdf"'
    text = _pdf_text(_body(r))
    assert "Dari buku tahun lalu" in text and "Jalan" not in text

    assert client.get(reverse("complaints:book_pdf", args=[1999])).status_code == 404
    assert client.get(reverse("complaints:book_xlsx", args=[12026])).status_code == 404
