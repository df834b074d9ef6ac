"""The standard data file: good files load whole, malformed files are refused whole with
the file, the key path and the line, and nothing is half-loaded."""

import pytest

from loket.catalog.models import Edition, ServiceType
from loket.catalog.services import standard_load
from loket.catalog.standard_file import StandardFileError, parse_standard_file, parse_standard_text
from loket.offices.models import Office
from tests.conftest import MINI_STANDARD


def _mini_with(old: str, new: str) -> str:
    text = MINI_STANDARD.read_text()
    assert old in text, f"fixture no longer holds {old!r}"
    return text.replace(old, new, 1)


def _problems(text: str) -> str:
    with pytest.raises(StandardFileError) as info:
        parse_standard_text(text, path="rusak.yaml")
    return str(info.value)


def test_good_file_parses_with_all_parts():
    data = parse_standard_file(MINI_STANDARD)
    assert [s.code for s in data.services] == ["pindah", "sewa-gedung"]
    pindah = data.services[0]
    assert pindah.requirements[1].condition_key == "pindah_antar_kota_provinsi"
    assert pindah.requirements[2].show_original is True
    assert data.services[1].fee.tariffs[1].quantity == 4


def test_yaml_syntax_error_names_file_and_line():
    text = _mini_with('  name: "Kecamatan Contoh"', '  name: "Kecamatan Contoh\n  broken: [')
    message = _problems(text)
    assert message.startswith("rusak.yaml: baris ")
    assert "YAML tidak valid" in message


def test_missing_key_names_key_path_and_line():
    text = _mini_with('    product: "Dokumen pindah yang telah dilegalisasi"\n', "")
    message = _problems(text)
    assert "services[0].product" in message
    assert "(baris 21)" in message  # line 21 starts the service item that lacks it


def test_unknown_key_is_refused():
    message = _problems(_mini_with('    short_name: "Pindah"', '    short_name: "Pindah"\n    biaya_lain: "x"'))
    assert "services[0].biaya_lain" in message


def test_wrong_type_and_bad_enum_are_each_reported():
    text = _mini_with('unit: "minute"', 'unit: "jam"')
    text = text.replace('year: 2018', 'year: "dua ribu"', 1)
    message = _problems(text)
    assert "services[0].duration.unit" in message
    assert "edition.year" in message


def test_unit_that_does_not_exist_is_refused():
    message = _problems(_mini_with('unit: "pemerintahan"\n    signer', 'unit: "kesos"\n    signer'))
    assert "unit 'kesos' tidak ada" in message


def test_duplicate_service_code_is_refused():
    assert "muncul lebih dari sekali" in _problems(_mini_with('code: "sewa-gedung"', 'code: "pindah"'))


def test_condition_without_key_is_refused():
    message = _problems(_mini_with(', condition_key: "pindah_antar_kota_provinsi"', ""))
    assert "services[0].requirements[1]" in message
    assert "condition dan condition_key" in message


def test_duration_max_below_min_is_refused():
    assert "lebih kecil dari min" in _problems(_mini_with("{min: 5, max: 10", "{min: 10, max: 5"))


def test_percent_cap_needs_percent():
    message = _problems(_mini_with('fee: {kind: "free", text: "Gratis"}', 'fee: {kind: "percent_cap", text: "1 %"}'))
    assert "percent" in message


def test_session_tariff_needs_hours():
    message = _problems(_mini_with('start: "07:00", end: "15:00", ', ""))
    assert "jam mulai" in message


def test_kelurahan_outside_the_kecamatan_is_refused():
    assert "bukan wilayah kecamatan" in _problems(_mini_with('"35.77.09.1001"', '"35.77.01.1001"'))


def test_not_a_mapping_is_refused():
    assert "mapping" in _problems("- a\n- b\n")


@pytest.mark.django_db
def test_malformed_file_loads_nothing(tmp_path):
    bad = tmp_path / "rusak.yaml"
    bad.write_text(_mini_with('unit: "minute"', 'unit: "jam"'))
    with pytest.raises(StandardFileError) as info:
        standard_load(path=bad)
    assert str(bad) in str(info.value)
    assert not Office.objects.exists()
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_database_error_midway_rolls_back_everything(tmp_path, monkeypatch):
    """A failure while writing the second service leaves no office, edition or first service."""
    from loket.catalog import services

    real_create = ServiceType.objects.create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs["code"])
        if len(calls) == 2:
            raise RuntimeError("disk penuh")
        return real_create(**kwargs)

    monkeypatch.setattr(ServiceType.objects, "create", failing_create)
    with pytest.raises(RuntimeError):
        services.standard_load(path=MINI_STANDARD)
    assert not Office.objects.exists()
    assert not ServiceType.objects.exists()


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first = standard_load(path=MINI_STANDARD)
    assert first.changed
    counts = (Office.objects.count(), Edition.objects.count(), ServiceType.objects.count())
    second = standard_load(path=MINI_STANDARD)
    assert not second.changed
    assert second.edition == first.edition
    assert (Office.objects.count(), Edition.objects.count(), ServiceType.objects.count()) == counts


@pytest.mark.django_db
def test_loaded_edition_is_active_with_its_parts(mini_standard):
    edition = mini_standard.edition
    assert edition.status == Edition.Status.ACTIVE
    pindah = edition.services.get(code="pindah")
    assert [r.text for r in pindah.requirements.all()] == [
        "Surat Pengantar RT/ RW", "Formulir F-1.35", "Kartu Keluarga asli",
    ]
    assert pindah.procedure_steps.count() == 3
    assert pindah.unit.code == "pemerintahan"
    hall = edition.services.get(code="sewa-gedung")
    assert [(t.code, t.amount) for t in hall.tariffs.all()] == [("siang", 1_000_000), ("kebersihan", 280_000)]
