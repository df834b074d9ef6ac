"""The staff SKM report page (/staf/skm/), its downloads, the publication of a period and the
office's weight: figures against the selectors, bad input, roles and offices."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loket.core import charts
from loket.offices.models import Office
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.surveys import selectors, services
from loket.surveys.exports import decimal
from loket.surveys.models import Publication, Response, Setting
from loket.surveys.periods import Period, containing
from loket.surveys.periods import parse as period_parse
from tests.support.http import inline_code as _inline_code
from tests.support.surveys import forms  # noqa: F401  (a fixture)
from tests.support.surveys import import_lines as _import, line as _line

ROLES = ["front", "kasi", "kasi_other", "sekcam", "camat", "bendahara", "ppat", "admin"]
SEM1 = {"jenis": "semester", "tahun": "2026", "ke": "1"}
URL = "surveys_staff:report"


@pytest.fixture
def other(office):
    """Another office with a clerk, its own Camat and one response of its own."""
    o = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota Lain")
    clerk = staff_create(office=o, username="petugas.lain", role=Role.FRONT_OFFICE, password="x-Pass-12345").user
    camat = staff_create(office=o, username="camat.lain", role=Role.CAMAT, password="x-Pass-12345").user
    Response.objects.create(office=o, date=dt.date(2026, 3, 3), source=Response.Source.PAPER,
                            suggestion="Rahasia kantor lain", **{k: 4 for k in selectors.ikm.KEYS})
    return {"office": o, "clerk": clerk, "camat": camat}


def page(client, user, params=None) -> str:
    client.force_login(user)
    r = client.get(reverse(URL), params or {})
    assert r.status_code == 200
    return r.content.decode()


def figure(text: str, key: str) -> str:
    m = re.search(rf'<dd[^>]* id="r-{key}">([^<]*)</dd>', text)
    assert m, key
    return m.group(1).strip()


def comma(value, places: int) -> str:
    return f"{decimal(value, places):.{places}f}".replace(".", ",")


def section(text: str, key: str) -> str:
    m = re.search(rf'<section class="report-section[^"]*" id="r-{key}">(.*?)</section>', text, re.S)
    assert m, key
    return m.group(1)


def alerts(text: str) -> list[str]:
    return [html.unescape(a) for a in re.findall(r'<p class="error" role="alert">([^<]*)</p>', text)]


# --- the page -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_sees_the_report(client, people, forms, role):
    text = page(client, people[role], SEM1)
    assert figure(text, "ikm-unit") == "75,93" and figure(text, "grade") == "C"
    assert "Semester I 2026" in text and alerts(text) == []
    # The acts are offered only to who may do them.
    assert ('id="r-publish"' in text) == (role in ("camat", "sekcam"))
    assert ('id="r-weight-form"' in text) == (role in ("camat", "sekcam", "admin"))


def test_the_figures_shown_are_the_selectors(client, people, forms):
    text = page(client, people["front"], SEM1)
    rep = selectors.report(office=people["front"].staff.office, period=Period("semester", 2026, 1))
    r = rep.result
    assert figure(text, "respondents") == str(rep.respondents) == "4"
    assert figure(text, "population") == "0" and figure(text, "sample-min") == "0"
    assert figure(text, "ikm") == comma(r.ikm, 3) == "3,037"
    assert figure(text, "ikm-unit") == comma(r.ikm_unit, 2) and figure(text, "label") == "Kurang Baik"
    for e in r.elements:
        row = re.search(rf'<tr id="r-element-{e.key}">(.*?)</tr>', text, re.S).group(1)
        cells = re.findall(r'<td class="num">([^<]*)</td>', row)
        assert cells[1:] == [str(e.total), str(e.answered), comma(e.nrr, 3), comma(e.weighted, 3)], e.key
        assert f"<title>{e.name}: {comma(e.nrr, 3)}</title>" in text  # the NRR chart
    assert comma(r.elements[-1].nrr, 3) == "3,333"
    # Per service and per unit: the IKM unit, or the reason there is none.
    services_ = section(text, "services")
    assert re.search(r'data-key="pindah">\s*<th scope="row">[^<]*PINDAH</th><td class="num">2</td>\s*'
                     r'<td class="num">87,50</td><td>B</td><td>Baik</td>', services_)
    assert "Unsur tanpa satu pun jawaban: Sarana dan prasarana" in services_
    assert 'data-key="umum"' in section(text, "units")
    # The trend: empty semesters "–", the last is this one.
    trend = section(text, "trend")
    rows = re.findall(r'<tr id="r-trend-([^"]+)"[^>]*>.*?<td class="num">(\d+)</td>\s*<td class="num">([^<]*)</td>',
                      trend, re.S)
    assert rows == [("2024-semester-2", "0", "–"), ("2025-semester-1", "0", "–"), ("2025-semester-2", "1", "25,00"),
                    ("2026-semester-1", "4", "75,93")]
    assert trend.count('<g class="column column-empty">') == 2 and "<title>Semester I 2026: 75,93</title>" in trend
    # The profile in counts and per cent of the respondents.
    sex = re.search(r'id="r-profile-jenis_kelamin">(.*?)</table>', text, re.S).group(1)
    assert "<tr><td>Perempuan</td><td class=\"num\">2</td><td class=\"num\">50,0</td></tr>" in sex
    assert "Kuesioner kertas (impor)" in section(text, "profile")
    # The suggestions, escaped; none hidden.
    sug = section(text, "suggestions")
    assert "Parkir &lt;b&gt;sempit&lt;/b&gt;" in sug and "=1+2" in sug and "Cepat sekali" in sug and "Lama" not in sug
    assert 'id="r-suggestions-more"' not in sug
    # Downloads keep the query.
    assert reverse("surveys_staff:report_pdf") + "?jenis=semester&amp;tahun=2026&amp;ke=1" in text
    assert reverse("surveys_staff:report_xlsx") + "?jenis=semester&amp;tahun=2026&amp;ke=1" in text


def test_charts_are_plain_svg_with_dot_decimals(client, people, forms):
    text = page(client, people["kasi"], SEM1)
    assert _inline_code(text) == []
    numbers = re.findall(r'<(?:rect|text|line)\b[^>]*?\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', text)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers), numbers
    # NRR on a 1–4 scale: 3 fills two thirds of the 340 points, 10/3 seven ninths.
    nrr = re.search(r'<svg class="chart chart-bars".*?</svg>', text, re.S).group(0)
    widths = re.findall(r'<rect class="chart-bar"[^>]*width="([^"]*)"', nrr)
    assert widths == ["226.7"] * 8 + ["264.4"]
    assert re.search(r'<link rel="stylesheet" href="[^"]*loket/skm-report[^"]*\.css"', text)


def test_a_service_filter_and_a_weight_preview(client, people, forms):
    text = page(client, people["front"], {**SEM1, "layanan": "pindah", "bobot": "0.11"})
    rep = selectors.report(office=people["front"].staff.office, period=Period("semester", 2026, 1), weight="0.11",
                           service_code="pindah")
    assert figure(text, "respondents") == "2" and figure(text, "ikm-unit") == comma(rep.result.ikm_unit, 2) == "86,63"
    assert "0,11 (dibulatkan)" in text and "pratinjau" in text and "1/9 (tepat)" in text
    assert "?jenis=semester&amp;tahun=2026&amp;ke=1&amp;layanan=pindah&amp;bobot=0.11" in text
    assert not Setting.objects.exists()  # a preview changes nothing


def test_the_office_weight_is_used_and_named(client, people, forms):
    services.weight_set(office=people["admin"].staff.office, actor=people["admin"], weight="0.111")
    text = page(client, people["front"], SEM1)
    assert "Bobot tiap unsur yang dipakai: 0,111 (dibulatkan)." in text and "Ini bobot kantor." in text
    assert figure(text, "ikm-unit") == "75,85"  # 0,999 of 75,925…


@pytest.mark.parametrize("params, message", [
    ({"jenis": "minggu"}, "Jenis periode 'minggu' tidak dikenal"),
    ({"jenis": "semester", "tahun": "2026", "ke": "3"}, "Semester ke-3 tidak ada dalam setahun"),
    ({"jenis": "bulan", "tahun": "20x6"}, "Tahun harus bilangan bulat"),
    ({"jenis": "tahun", "tahun": "1999"}, "Tahun harus antara 2000 dan 2100"),
    ({"jenis": "bulan", "ke": "99999"}, "Periode ke harus bilangan bulat"),
    ({"layanan": "tidak-ada"}, "Layanan 'tidak-ada' tidak dikenal di kantor ini"),
    ({"unit": "<script>"}, "Unit '<script>' tidak dikenal di kantor ini"),
    ({"bobot": "0.5"}, "Bobot '0.5' tidak dikenal"),
])
def test_bad_values_are_reported_and_the_default_is_shown(client, people, forms, params, message):
    text = page(client, people["front"], params)
    assert any(message in a for a in alerts(text)), alerts(text)
    assert "<script>" not in text.split('id="r-period"')[0].split("</nav>", 1)[1]  # escaped
    default = period_parse(None, None, None, today=timezone.localdate())
    if "layanan" in params or "unit" in params or "bobot" in params:
        assert "Bobot tiap unsur yang dipakai: 1/9 (tepat)." in text
    else:
        assert f"<strong>{default.label}</strong>" in text


def test_an_empty_period_says_why_there_is_no_ikm(client, people, forms):
    text = page(client, people["camat"], {"jenis": "bulan", "tahun": "2026", "ke": "3"})
    assert "IKM belum dapat dihitung: Belum ada responden pada periode ini." in html.unescape(text)
    assert 'id="r-elements"' not in text and 'id="r-ikm-unit"' not in text
    assert "Tidak ada saran pada periode ini." in text


def test_the_sample_warning(client, people, all_items, forms):
    from tests.support.surveys import taken_in as _taken_in
    _taken_in(people["front"].staff.office, people, all_items)  # one dossier received today
    month = containing("bulan", timezone.localdate())
    text = page(client, people["front"], {"jenis": "bulan", "tahun": month.year, "ke": month.number})
    assert figure(text, "population") == "1" and figure(text, "sample-min") == "1"
    assert 'id="r-sample-warning"' in text and "kurang dari sampel minimum 1" in text
    assert 'id="r-sample-warning"' not in page(client, people["front"], SEM1)


def test_more_suggestions_than_shown(client, people, forms, monkeypatch):
    monkeypatch.setattr(selectors, "SUGGESTIONS_SHOWN", 1)
    text = page(client, people["front"], SEM1)
    assert "Ditampilkan 1 saran terbaru dari 3." in text


def test_another_offices_staff_see_only_their_own(client, people, forms, other):
    text = page(client, other["clerk"], {"jenis": "semester", "tahun": "2026", "ke": "1"})
    assert figure(text, "respondents") == "1" and figure(text, "ikm-unit") == "100,00"
    assert "Rahasia kantor lain" in text and "Cepat sekali" not in text and "PINDAH" not in text
    ours = page(client, people["front"], SEM1)
    assert "Rahasia kantor lain" not in ours and figure(ours, "respondents") == "4"
    # Their Camat publishes their office, not ours.
    client.force_login(other["camat"])
    client.post(reverse("surveys_staff:publish"), SEM1)
    assert list(Publication.objects.values_list("office__slug", "respondents")) == [("lain", 1)]


def test_anonymous_is_sent_to_the_login(client, forms):
    for name, method in [("report", "get"), ("report_pdf", "get"), ("report_xlsx", "get"), ("publish", "post"),
                         ("weight", "post")]:
        r = getattr(client, method)(reverse(f"surveys_staff:{name}"), SEM1)
        assert r.status_code == 302 and r["Location"].startswith("/masuk/"), name
    assert not Publication.objects.exists()


def test_the_page_does_not_grow_queries_with_the_data(client, people, forms):
    client.force_login(people["camat"])
    url = reverse(URL)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, SEM1).status_code == 200
        return len(ctx)

    services.publication_publish(office=people["camat"].staff.office, actor=people["camat"],
                                 period=Period("semester", 2026, 1))
    first = count()
    _import(people["front"].staff.office, people["front"], [
        _line([2] * 9, f"2026-0{m}-0{m}", "sewa-gedung", "L", "33", "D3", "Guru", f"Saran {m}") for m in range(1, 7)])
    services.publication_publish(office=people["camat"].staff.office, actor=people["sekcam"],
                                 period=Period("triwulan", 2026, 1))
    assert count() == first
    assert first <= 25, first


# --- publication --------------------------------------------------------------------------------

def test_the_camat_publishes_the_period(client, people, forms):
    client.force_login(people["camat"])
    r = client.post(reverse("surveys_staff:publish"), {**SEM1, "layanan": "pindah"})
    assert r.status_code == 302 and r["Location"] == reverse(URL) + "?jenis=semester&tahun=2026&ke=1&layanan=pindah"
    pub = Publication.objects.get()
    assert (pub.period_label, pub.respondents, str(pub.ikm_unit), pub.grade, pub.published_by) == (
        "Semester I 2026", 4, "75.93", "C", people["camat"])  # the whole office, not the filter
    text = client.get(r["Location"]).content.decode()
    assert "Hasil IKM Semester I 2026 dipublikasikan: 75,93 (mutu C, Kurang Baik)." in text
    listing = section(text, "publications")
    assert "Semester I 2026" in listing and "75,93" in listing and "Camat" in listing


@pytest.mark.parametrize("who", ["front", "kasi", "bendahara", "ppat", "admin"])
def test_others_may_not_publish(client, people, forms, who):
    client.force_login(people[who])
    assert client.post(reverse("surveys_staff:publish"), SEM1).status_code == 403
    assert not Publication.objects.exists()


def test_publishing_an_empty_period_is_refused_with_the_reason(client, people, forms):
    client.force_login(people["sekcam"])
    r = client.post(reverse("surveys_staff:publish"), {"jenis": "bulan", "tahun": "2026", "ke": "3"}, follow=True)
    assert r.status_code == 200 and not Publication.objects.exists()
    assert ("Hasil IKM Maret 2026 belum dapat dipublikasikan: Belum ada responden pada periode ini."
            in html.unescape(r.content.decode()))


def test_publishing_a_bad_period_is_refused(client, people, forms):
    client.force_login(people["camat"])
    r = client.post(reverse("surveys_staff:publish"), {"jenis": "semester", "tahun": "2026", "ke": "7"}, follow=True)
    assert r.status_code == 200 and not Publication.objects.exists()
    assert "Semester ke-7 tidak ada dalam setahun" in r.content.decode()
    assert client.get(reverse("surveys_staff:publish")).status_code == 405


# --- the office's weight --------------------------------------------------------------------------

def test_the_admin_sets_the_weight(client, people, forms):
    client.force_login(people["admin"])
    r = client.post(reverse("surveys_staff:weight"), {**SEM1, "bobot": "0.11"})
    assert r.status_code == 302 and r["Location"] == reverse(URL) + "?jenis=semester&tahun=2026&ke=1"
    assert Setting.objects.get().weight == "0.11"
    text = client.get(r["Location"]).content.decode()
    assert "Bobot IKM kantor diubah menjadi 0,11 (dibulatkan)." in text
    assert '<option value="0.11" selected>' in section(text, "acts")


@pytest.mark.parametrize("who", ["kasi", "front"])
def test_others_may_not_set_the_weight(client, people, who):
    client.force_login(people[who])
    assert client.post(reverse("surveys_staff:weight"), {"bobot": "0.11"}).status_code == 403
    assert not Setting.objects.exists()


def test_an_unknown_weight_is_refused_with_a_message(client, people):
    client.force_login(people["camat"])
    r = client.post(reverse("surveys_staff:weight"), {"bobot": "0.2"}, follow=True)
    assert "Bobot harus salah satu dari" in r.content.decode() and not Setting.objects.exists()


# --- the downloads --------------------------------------------------------------------------------

def test_the_downloads_carry_the_report(client, people, forms):
    import io

    import openpyxl
    from pypdf import PdfReader

    client.force_login(people["ppat"])
    r = client.get(reverse("surveys_staff:report_pdf"), SEM1)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert r["Content-Disposition"] == 'attachment; filename="ikm-2026-semester-1.pdf"'
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "75,93" in text and "Semester I 2026" in text

    r = client.get(reverse("surveys_staff:report_xlsx"), {**SEM1, "unit": "pemerintahan"})
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="ikm-2026-semester-1-unit-pemerintahan.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    figures = {row[1]: row[2] for row in wb["IKM"].iter_rows(values_only=True) if row[1]}
    assert figures["IKM unit pelayanan"] == 87.5 and figures["Unit pelayanan"] == "Kasi Pemerintahan"

    # A bad query falls back like the page: never a server error.
    assert client.get(reverse("surveys_staff:report_pdf"), {"jenis": "x", "ke": "y"}).status_code == 200


# --- the chart helpers --------------------------------------------------------------------------------

def test_chart_scales():
    bars = charts.hbars([("a", 1), ("b", 4), ("c", 2.5)], low=1, high=4, ticks=[(1, "1"), (4, "4")],
                        text=lambda v: f"{v}".replace(".", ","))
    assert [b["w"] for b in bars["bars"]] == ["0", "340", "170"] and bars["bars"][2]["text"] == "2,5"
    assert [t["x"] for t in bars["ticks"]] == ["250", "590"]
    cols = charts.columns([{"label": "x", "value": None, "text": "–"}, {"label": "y", "value": 50, "text": "50"}],
                          high=100)
    assert cols["columns"][0]["empty"] and cols["columns"][0]["h"] == "0" and cols["columns"][0]["show_value"]
    assert cols["columns"][1]["h"] == "80"
