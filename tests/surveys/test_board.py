"""The public board of an office's IKM (/<office>/ikm/): the latest publication with its grade,
the NRR of each element and the result per service, the earlier ones below; a friendly page
before the first publication; 404 for an unknown office; never a staff member's or a
respondent's name, profile or suggestion; cached for visitors like the catalog's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.core.formats import tanggal
from loket.surveys import ikm, services
from loket.surveys.board_views import angka
from loket.surveys.importer import parse, read_cells
from loket.surveys.models import Publication
from loket.surveys.periods import Period
from tests.support.world import other  # noqa: F401  (a fixture: a second office with its own staff)

HEADER = ",".join(ikm.KEYS) + ",tanggal,layanan,jenis_kelamin,umur,pendidikan,pekerjaan,saran"
SUGGESTION = "SARANRAHASIA Pak Budi 081234567890"
OCCUPATION = "PEKERJAANRAHASIA"
EDUCATION = "PENDIDIKANRAHASIA"
STAFF_NAME = "Pejabatrahasia"


def _import(office, actor, lines):
    rows = parse(read_cells("x.csv", (HEADER + "\n" + "\n".join(lines) + "\n").encode()))
    return services.responses_import(office=office, actor=actor, rows=rows)


def _line(answer, day, service="pindah"):
    return ",".join([str(answer)] * 9) + f",{day},{service},P,40,{EDUCATION},{OCCUPATION},{SUGGESTION}"


def _url(slug):
    return reverse("surveys:board", kwargs={"office": slug})


@pytest.fixture
def camat(people):
    user = people["camat"]
    user.first_name, user.last_name = STAFF_NAME, "Namarahasia"
    user.save()
    return user


@pytest.fixture
def published(office, people, camat):
    """Semester II 2025 (one form: 1s) published first, then semester I 2026 (4, 3, 3: NRR 3,3333
    for every element, IKM unit 83,33, B)."""
    _import(office, people["front"], [
        _line(1, "2025-08-01"),
        _line(4, "2026-01-10"), _line(3, "2026-02-10"), _line(3, "2026-03-10", service=""),
    ])
    old = services.publication_publish(office=office, actor=camat, period=Period("semester", 2025, 2))
    new = services.publication_publish(office=office, actor=camat, period=Period("semester", 2026, 1))
    return old, new


def test_no_publication_yet_is_a_friendly_page(client, office):
    r = client.get(_url(office.slug))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Hasil Indeks Kepuasan Masyarakat" in page
    assert "belum mempublikasikan hasil Survei Kepuasan Masyarakat" in page
    assert "Mutu pelayanan" not in page


def test_unknown_office_is_404(client, office):
    assert client.get(_url("tidak-ada")).status_code == 404


def test_the_board_shows_the_latest_publication(client, office, published):
    old, new = published
    r = client.get(_url(office.slug))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Hasil Indeks Kepuasan Masyarakat" in page
    assert float(new.ikm_unit) == pytest.approx(83.33) and new.grade == "B"
    for expected in [
        "Semester I 2026", "83,33", ">B<", "Baik", "Mutu pelayanan", "Kinerja unit pelayanan",
        "1/9 (tepat)", tanggal(new.published_at), "3,3333", "0,3704",
        "LEGALISASI PELAYANAN PENGURUSAN PENDUDUK PINDAH",  # the per-service table (2 of the 3 forms)
    ]:
        assert expected in page, expected
    assert f"<strong>{new.respondents}</strong>" in page and new.respondents == 3
    for _key, name, _labels in ikm.ELEMENTS:
        assert name in page
    # the earlier publication is listed below, with its own unit and grade
    earlier = page.split("Hasil sebelumnya", 1)[1]
    assert "Semester II 2025" in earlier and "25,00" in earlier and "D (Tidak Baik)" in earlier
    assert "Semester II 2025" not in page.split("Hasil sebelumnya", 1)[0]


def test_a_newer_publication_of_the_same_period_replaces_it_on_the_board(client, office, people, published, camat):
    _import(office, people["front"], [_line(4, "2026-04-01")])
    newest = services.publication_publish(office=office, actor=camat, period=Period("semester", 2026, 1))
    assert float(newest.ikm_unit) == pytest.approx(87.5)
    page = client.get(_url(office.slug)).content.decode()
    top, earlier = page.split("Hasil sebelumnya", 1)
    assert "87,50" in top and "83,33" not in top
    assert "83,33" in earlier and "Semester I 2026" in earlier
    assert Publication.objects.count() == 3


def test_the_board_shows_no_personal_data(client, office, published):
    page = client.get(_url(office.slug)).content.decode()
    for secret in [SUGGESTION, "SARANRAHASIA", "081234567890", OCCUPATION, EDUCATION, STAFF_NAME, "Namarahasia"]:
        assert secret not in page, secret


def test_the_weight_used_is_the_one_published(client, office, people, camat):
    _import(office, people["front"], [_line(4, "2026-01-10")])
    services.weight_set(office=office, actor=camat, weight="0.111")
    services.publication_publish(office=office, actor=camat, period=Period("tahun", 2026, 1))
    page = client.get(_url(office.slug)).content.decode()
    assert "0,111 (dibulatkan)" in page and "Tahun 2026" in page
    assert "99,90" in page and ">A<" in page and "Sangat Baik" in page


def test_the_board_is_cached_for_visitors(client, office, published, django_assert_num_queries):
    first = client.get(_url(office.slug))
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(_url(office.slug))
    assert again.content == first.content


def test_another_office_without_publication_shows_the_friendly_page(client, published, other):
    office2, _people2, _items2 = other
    page = client.get(_url(office2.slug)).content.decode()
    assert "belum mempublikasikan" in page and "83,33" not in page


def test_the_office_home_page_links_to_the_board(client, office):
    page = client.get(reverse("catalog:home", kwargs={"office": office.slug})).content.decode()
    assert f'href="{_url(office.slug)}"' in page


@pytest.mark.parametrize("value, places, text", [
    (84.52, 2, "84,52"), (76.605, 2, "76,61"), (100, 2, "100,00"), (3.33333, 4, "3,3333"), (None, 2, "—"),
])
def test_numbers_are_written_the_indonesian_way(value, places, text):
    assert angka(value, places) == text
