"""Kode klasifikasi arsip per service (Permendagri 83/2022): read from the standard file, checked,
stored; a malformed code is refused naming the service, and nothing is saved."""

import re

import pytest
from django.core.exceptions import ValidationError

from loket.catalog.archive import ARCHIVE_CODE_PATTERN, archive_code_check
from loket.catalog.models import Edition, EditionLocked, ServiceType
from loket.catalog.services import edition_copy, standard_load
from loket.catalog.standard_file import DEFAULT_STANDARD, StandardFileError, parse_standard_file, parse_standard_text
from loket.core.errors import InvalidInput
from loket.offices.models import Office
from tests.conftest import MINI_STANDARD

PINDAH_LINE = '    register_book: "pelayanan"\n    product: "Dokumen pindah yang telah dilegalisasi"'


def _mini_with_code(code: str) -> str:
    text = MINI_STANDARD.read_text()
    assert PINDAH_LINE in text, "fixture no longer holds the pindah service's register_book line"
    return text.replace(PINDAH_LINE, PINDAH_LINE + f'\n    archive_code: "{code}"', 1)


@pytest.mark.django_db
def test_loading_stores_the_code(tmp_path):
    path = tmp_path / "kode.yaml"
    path.write_text(_mini_with_code("400.12.2.2"))
    edition = standard_load(path=path).edition
    assert edition.services.get(code="pindah").archive_code == "400.12.2.2"
    assert edition.services.get(code="sewa-gedung").archive_code == ""  # not given: blank


@pytest.mark.parametrize("bad", ["4OO.12", "400.12.", "400/12/2", "400..2", "40.12", "400.12.2.1.1.1", "abc"])
def test_bad_code_is_refused_naming_the_service(bad):
    with pytest.raises(StandardFileError) as info:
        parse_standard_text(_mini_with_code(bad), path="kode.yaml")
    message = str(info.value)
    assert f"Kode klasifikasi arsip '{bad}' pada jenis pelayanan pindah (Pindah) tidak sah" in message
    assert "Permendagri 83/2022" in message
    assert "services[0] (baris 21)" in message  # the key path and line of that service


@pytest.mark.django_db
def test_bad_code_in_a_file_saves_nothing(tmp_path):
    path = tmp_path / "kode.yaml"
    path.write_text(_mini_with_code("400.12.x"))
    with pytest.raises(StandardFileError):
        standard_load(path=path)
    assert not Office.objects.exists()
    assert not ServiceType.objects.exists()


@pytest.mark.django_db
def test_bad_code_in_data_built_in_code_saves_nothing():
    # A standard adapted in code (as setup does for a demo office) skips the file's checks;
    # the loader checks again, on the second service, after the first one is written.
    data = parse_standard_file(MINI_STANDARD)
    data.services[1].archive_code = "sewa"
    with pytest.raises(InvalidInput) as info:
        standard_load(path=MINI_STANDARD, data=data)
    assert "jenis pelayanan sewa-gedung" in info.value.errors["archive_code"][0]
    assert not Office.objects.exists()
    assert not Edition.objects.exists()
    assert not ServiceType.objects.exists()


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_is_allowed(blank):
    data = parse_standard_text(_mini_with_code(blank))
    assert data.services[0].archive_code == ""
    assert archive_code_check(code=blank, service="pindah") == ""


def test_model_field_refuses_a_bad_code_in_forms():
    field = ServiceType._meta.get_field("archive_code")
    field.run_validators("400.12.2.1")
    with pytest.raises(ValidationError):
        field.run_validators("400-12")


def test_bundled_codes_all_match_the_format():
    services = parse_standard_file(DEFAULT_STANDARD).services
    assert len(services) == 18
    for s in services:
        assert s.archive_code == "" or re.fullmatch(ARCHIVE_CODE_PATTERN, s.archive_code), s.code
    # The codes verified in docs/papers.md; every other service is blank there, with its reason.
    assert {s.code: s.archive_code for s in services if s.archive_code} == {
        "ktp-el": "400.12.2.1", "kk": "400.12.2.1",
        "pindah": "400.12.2.2", "datang": "400.12.2.2",
        "akta-kelahiran": "400.12.3.1", "akta-kematian": "400.12.3.1",
    }


@pytest.mark.django_db
def test_code_of_an_edition_in_force_is_set_through_the_next_draft(tmp_path):
    path = tmp_path / "kode.yaml"
    path.write_text(_mini_with_code("400.12.2.2"))
    active = standard_load(path=path).edition
    assert active.status == Edition.Status.ACTIVE
    sewa = active.services.get(code="sewa-gedung")
    sewa.archive_code = "900.1"
    with pytest.raises(EditionLocked):  # the edition in force is read-only
        sewa.save()
    draft = edition_copy(edition=active, year=2019)
    assert draft.services.get(code="pindah").archive_code == "400.12.2.2"  # carried over
    in_draft = draft.services.get(code="sewa-gedung")
    in_draft.archive_code = "900.1"
    in_draft.save()
    assert ServiceType.objects.get(pk=in_draft.pk).archive_code == "900.1"
    assert ServiceType.objects.get(pk=sewa.pk).archive_code == ""
