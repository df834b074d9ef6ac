"""The import screen of paper SKM forms /staf/skm/impor/: CSV or XLSX, every row or none, every
problem shown with its row number, files that are empty, too large or not spreadsheets refused
with a clear message (never a 500), and the downloadable templates that import as they are."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from loket.surveys import importer, services, staff_views
from loket.surveys.ikm import ELEMENTS, KEYS
from loket.surveys.models import Response

URL = "/staf/skm/impor/"
HEADER = KEYS + ["tanggal", "layanan", "jenis_kelamin", "umur", "saran"]


def _line(answers="4,3,3,4,2,4,4,1,3", day="2026-03-02", service="pindah", sex="P", age="30", saran="Baik"):
    return f"{answers},{day},{service},{sex},{age},{saran}"


def _csv(*lines, header=None) -> bytes:
    return ("\n".join([",".join(header or HEADER), *lines]) + "\n").encode()


def _upload(data: bytes, name="kuesioner.csv", content_type="text/csv"):
    return {staff_views.UPLOAD_FIELD: SimpleUploadedFile(name, data, content_type=content_type)}


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def front(client, people):
    client.force_login(people["front"])
    return people["front"]


def test_the_urls_are_the_named_ones():
    assert reverse("surveys_staff:import") == URL
    assert reverse("surveys_staff:import_template", kwargs={"fmt": "csv"}) == URL + "contoh.csv"


# --- the page -----------------------------------------------------------------------------------------

def test_the_page_explains_the_layout_from_the_importer(client, front):
    r = client.get(URL)
    assert r.status_code == 200
    page = r.content.decode()
    for key, name, labels in ELEMENTS:
        assert f"<code>{key}</code>" in page and name in page
        for label in labels:
            assert label in page
    for col in importer.OPTIONAL:
        assert f"<code>{col}</code>" in page
    assert f"{importer.AGE_MIN}–{importer.AGE_MAX}" in page
    assert "dari 2000-01-01 sampai hari ini" in page
    assert f"paling panjang {importer.TEXT_MAX['saran']} karakter" in page
    assert 'href="/staf/skm/impor/contoh.csv"' in page and 'href="/staf/skm/impor/contoh.xlsx"' in page
    assert 'type="file"' in page and 'accept=".csv,.xlsx' in page and 'enctype="multipart/form-data"' in page
    assert "<code>pindah</code>" in page  # the service codes of the active edition
    assert "5 MB" in page
    assert "staffnav" in page  # an ordinary staff screen


@pytest.mark.parametrize("who", ["front", "sekcam", "camat", "admin"])
def test_importing_roles_may_use_it(client, people, who):
    client.force_login(people[who])
    assert client.get(URL).status_code == 200
    assert client.get(URL + "contoh.csv").status_code == 200
    assert client.post(URL, _upload(_csv(_line()))).status_code == 302
    assert Response.objects.get().created_by == people[who]


@pytest.mark.parametrize("who", ["kasi", "kasi_other", "bendahara", "ppat"])
def test_other_roles_get_403_and_nothing_is_saved(client, people, who):
    client.force_login(people[who])
    assert client.get(URL).status_code == 403
    assert client.get(URL + "contoh.csv").status_code == 403
    assert client.post(URL, _upload(_csv(_line()))).status_code == 403
    assert not Response.objects.exists()


def test_anonymous_goes_to_the_login(client, db):
    for r in (client.get(URL), client.post(URL, _upload(_csv(_line()))), client.get(URL + "contoh.xlsx")):
        assert r.status_code == 302 and r["Location"].startswith("/masuk/")
    assert not Response.objects.exists()


# --- good files ------------------------------------------------------------------------------------------

def test_a_good_csv_imports_every_row(client, office, front):
    data = _csv(_line(), _line(answers="1,2,3,4,1,2,3,4,1", service="", sex="", age="", saran=""),
                _line(answers="4,4,4,4,,4,4,4,4", service="sewa-gedung"))
    r = client.post(URL, _upload(data))
    assert r.status_code == 302 and r["Location"] == URL
    assert [str(m) for m in get_messages(r.wsgi_request)] == ["3 kuesioner diimpor."]
    assert Response.objects.count() == 3
    assert set(Response.objects.values_list("source", flat=True)) == {Response.Source.PAPER}
    assert set(Response.objects.values_list("created_by", flat=True)) == {front.pk}
    assert Response.objects.filter(service__code="pindah", date=dt.date(2026, 3, 2), sex="P", age=30).count() == 1
    assert Response.objects.get(service__code="sewa-gedung").produk is None
    page = client.get(r["Location"]).content.decode()
    assert "3 kuesioner diimpor." in page


def test_a_good_xlsx_imports_every_row_whatever_its_name(client, front):
    data = _xlsx([HEADER,
                  [4, 3, 3, 4, 2, 4, 4, 1, 3, dt.datetime(2026, 3, 2), "pindah", "L", 50, "Bagus"],
                  [3, 3, 3, 3, 3, 3, 3, 3, 3, None, None, None, None, None],
                  [None] * len(HEADER)])  # wholly blank rows are skipped
    r = client.post(URL, _upload(data, name="kuesioner.dat", content_type="application/octet-stream"))
    assert r.status_code == 302
    assert [str(m) for m in get_messages(r.wsgi_request)] == ["2 kuesioner diimpor."]
    assert Response.objects.count() == 2
    assert Response.objects.get(service__code="pindah").date == dt.date(2026, 3, 2)


def test_a_semicolon_csv_with_a_bom_imports(client, front):
    data = "\ufeff".encode() + _csv(_line()).replace(b",", b";")
    assert client.post(URL, _upload(data)).status_code == 302
    assert Response.objects.count() == 1


# --- refused files -----------------------------------------------------------------------------------------

def _refused(r) -> str:
    assert r.status_code == 400
    page = r.content.decode()
    assert "Tidak ada yang diimpor." in page
    assert not Response.objects.exists()
    return page


def test_one_bad_row_imports_nothing_and_names_the_row_and_the_reason(client, front):
    data = _csv(_line(), _line(), _line(answers="4,3,5,4,2,4,4,1,3"), _line())
    page = _refused(client.post(URL, _upload(data)))
    assert "Baris 4: waktu harus 1, 2, 3 atau 4 (bukan &#x27;5&#x27;)." in page


def test_every_bad_row_is_listed(client, front):
    data = _csv(_line(), _line(sex="X"), _line(age="200"), _line(day="02/03/2026"), _line(answers=",,,,,,,,"))
    page = _refused(client.post(URL, _upload(data)))
    for number in (3, 4, 5, 6):
        assert f"<li>Baris {number}:" in page
    assert "Baris 2:" not in page
    assert "tidak ada satu pun unsur yang dijawab" in page


def test_an_unknown_service_imports_nothing(client, front):
    page = _refused(client.post(URL, _upload(_csv(_line(), _line(service="tidak-ada")))))
    assert "Baris 3: layanan &#x27;tidak-ada&#x27; tidak dikenal di kantor ini." in page


def test_a_missing_column_is_named(client, front):
    header = [h for h in HEADER if h != "sarana"]
    page = _refused(client.post(URL, _upload(_csv("4,3,3,4,2,4,4,1,2026-03-02,pindah,P,30,Baik", header=header))))
    assert "kolom wajib tidak ada: sarana" in page


def test_the_list_of_problems_is_capped(client, front):
    bad = [_line(answers="9,3,3,4,2,4,4,1,3")] * (staff_views.PROBLEMS_SHOWN + 50)
    page = _refused(client.post(URL, _upload(_csv(*bad))))
    assert page.count("<li>Baris ") == staff_views.PROBLEMS_SHOWN
    assert "dan 50 masalah lain" in page
    assert f"Berkas ditolak: {staff_views.PROBLEMS_SHOWN + 50} masalah ditemukan." in page


def test_no_file_is_refused(client, front):
    page = _refused(client.post(URL, {}))
    assert "Pilih berkas CSV atau XLSX untuk diimpor." in page


def test_an_empty_file_is_refused(client, front):
    page = _refused(client.post(URL, _upload(b"")))
    assert "Berkas kosong" in page


def test_a_header_only_file_is_refused(client, front):
    page = _refused(client.post(URL, _upload(_csv())))
    assert "tidak berisi satu pun baris jawaban" in page


def test_a_file_above_the_limit_is_refused(client, front, settings):
    settings.LOKET_UPLOAD_MAX_BYTES = 1024
    data = _csv(*[_line()] * 100)
    assert len(data) > 1024
    page = _refused(client.post(URL, _upload(data)))
    assert "Berkas terlalu besar: ukuran paling besar 1 KB." in page


def test_the_default_limit_is_5_mb(client, front):
    data = _csv(_line()) + b"\n" * (5 * 1024 * 1024)
    page = _refused(client.post(URL, _upload(data)))
    assert "Berkas terlalu besar: ukuran paling besar 5 MB." in page


@pytest.mark.parametrize("data, name", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "foto.csv"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "surat.xlsx"),
    (b"PK\x03\x04" + b"\x00" * 200, "rusak.xlsx"),  # looks like a zip, is not a workbook
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "lama.xls"),  # the old binary Excel
    (b"\x00\x01\x02\x03garbage\xff\xfe", "acak.bin"),
    (bytes(range(256)) * 10, "acak.csv"),
    (b"\x00" * 100, "nul.csv"),
])
def test_garbage_gives_a_message_never_a_500(client, front, data, name):
    page = _refused(client.post(URL, _upload(data, name=name, content_type="application/octet-stream")))
    assert '<p class="error">' in page or "<li>Baris" in page


def test_a_zip_that_is_not_a_workbook_is_refused(client, front):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("isi.txt", "bukan lembar kerja")
    page = _refused(client.post(URL, _upload(buf.getvalue(), name="isi.xlsx")))
    assert "XLSX tidak dapat dibaca" in page


def test_an_infinite_number_in_a_workbook_is_refused_not_a_500(client, front):
    # "1E999" in a sheet's XML reads as float infinity; the importer must not crash on it.
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(_xlsx([KEYS, [1.5] + [3] * 8])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>1.5</v>", b"<v>1E999</v>")
            z.writestr(info, data)
    _refused(client.post(URL, _upload(out.getvalue(), name="tak-hingga.xlsx")))


def test_plain_text_that_is_not_the_layout_names_the_headers(client, front):
    page = _refused(client.post(URL, _upload("Halo,apa kabar\nbaik,saja\n".encode())))
    assert "kolom wajib tidak ada" in page


# --- the templates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, content_type", [("csv", "text/csv; charset=utf-8"), ("xlsx", staff_views.XLSX_TYPE)])
def test_the_template_parses_back_and_imports_as_it_is(client, office, front, fmt, content_type):
    r = client.get(URL + f"contoh.{fmt}")
    assert r.status_code == 200 and r["Content-Type"] == content_type
    assert r["Content-Disposition"] == f'attachment; filename="kuesioner-skm-contoh.{fmt}"'
    rows = importer.parse(importer.read_cells(f"contoh.{fmt}", r.content))
    assert len(rows) == 1
    row = rows[0]
    assert row.answers == staff_views.EXAMPLE_ANSWERS and all(v in (1, 2, 3, 4) for v in row.answers.values())
    assert set(row.profile) == set(importer.OPTIONAL)  # every optional column filled in the example
    assert row.profile["layanan"] == "pindah"
    cells = importer.read_cells(f"contoh.{fmt}", r.content)
    assert [str(h) for h in cells[0]] == KEYS + importer.OPTIONAL
    assert services.responses_import(office=office, actor=front, rows=rows) == 1
    r = client.post(URL, _upload(r.content, name=f"contoh.{fmt}"))
    assert r.status_code == 302
    assert Response.objects.count() == 2


def test_the_xlsx_template_has_bold_headers_and_a_date_cell(client, front):
    r = client.get(URL + "contoh.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == KEYS[0] and ws["A1"].font.b
    tanggal = ws.cell(row=2, column=len(KEYS) + importer.OPTIONAL.index("tanggal") + 1)
    assert isinstance(tanggal.value, dt.datetime)


@pytest.mark.parametrize("fmt", ["pdf", "xls", "CSV", "json"])
def test_other_template_formats_are_404(client, front, fmt):
    assert client.get(URL + f"contoh.{fmt}").status_code == 404
