"""The office's identity as data: emblem, letter-number format, the staff's NIP; the standard
file's office block; the migration keeps the staff/unit triggers."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from PIL import Image

from loket.catalog.standard_file import parse_standard_file
from loket.offices import services
from loket.offices.models import (
    DEFAULT_LETTER_NUMBER_FORMAT, Office, Staff, Unit, emblem_check, letter_number_format_check, nip_check, nip_text,
)
from loket.offices.services import StaffError, demo_nip
from tests.conftest import MINI_STANDARD

pytestmark = pytest.mark.django_db


def image_bytes(kind: str, size=(40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format=kind)
    return buf.getvalue()


# --- emblem ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_png_or_jpeg_emblem_is_accepted(kind):
    emblem_check(SimpleUploadedFile(f"lambang.{kind.lower()}", image_bytes(kind)))


def test_a_gif_emblem_is_refused_saying_png_or_jpeg():
    with pytest.raises(ValidationError) as err:
        emblem_check(SimpleUploadedFile("lambang.png", image_bytes("GIF")))  # the name lies; the content decides
    assert "PNG atau JPEG" in err.value.messages[0]


def test_a_file_that_is_no_image_is_refused():
    with pytest.raises(ValidationError) as err:
        emblem_check(SimpleUploadedFile("lambang.png", b"%PDF-1.4 not an image"))
    assert "bukan gambar" in err.value.messages[0]


def test_an_emblem_over_one_megabyte_is_refused():
    big = SimpleUploadedFile("lambang.png", b"\x89PNG" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as err:
        emblem_check(big)
    assert "1 MB" in err.value.messages[0]


def test_the_office_model_refuses_a_bad_emblem_on_full_clean(office):
    office.emblem = SimpleUploadedFile("lambang.png", b"garbage")
    with pytest.raises(ValidationError) as err:
        office.full_clean()
    assert "emblem" in err.value.message_dict


# --- letter numbers ----------------------------------------------------------------------------

def test_the_default_format_and_unit_code(office):
    assert office.number_format() == DEFAULT_LETTER_NUMBER_FORMAT == "{klasifikasi}/{nomor}/{kode_unit}/{tahun}"
    assert office.unit_code() == office.region_code
    office.letter_unit_code, office.letter_number_format = "Kec.Ctoh", "{klasifikasi}/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}"
    office.full_clean()
    assert office.unit_code() == "Kec.Ctoh"
    assert office.number_format().endswith("{bulan_romawi}/{tahun}")


def test_an_unknown_field_is_refused_by_name():
    with pytest.raises(ValidationError) as err:
        letter_number_format_check("{klasifikasi}/{nomor}/{kecamatan}/{tahun}")
    assert "{kecamatan}" in err.value.messages[0]


def test_a_format_without_the_running_number_is_refused():
    with pytest.raises(ValidationError) as err:
        letter_number_format_check("{klasifikasi}/{kode_unit}/{tahun}")
    assert "{nomor}" in err.value.messages[0]


@pytest.mark.parametrize("bad", ["{nomor", "{nomor:03d}/{tahun}", "{nomor!r}"])
def test_broken_braces_and_format_specs_are_refused(bad):
    with pytest.raises(ValidationError):
        letter_number_format_check(bad)


# --- NIP ---------------------------------------------------------------------------------------

def test_nip_of_18_digits_with_or_without_spaces_is_accepted():
    nip_check("19671010 198903 1 013")
    nip_check("196710101989031013")
    nip_check("")
    assert nip_text("196710101989031013") == "19671010 198903 1 013"


@pytest.mark.parametrize("bad", ["1967101019890310", "19671010198903101X", "1234567890123456789"])
def test_a_nip_that_is_not_18_digits_is_refused(bad):
    with pytest.raises(ValidationError) as err:
        nip_check(bad)
    assert "18 angka" in err.value.messages[0]


def test_staff_create_refuses_a_bad_nip_and_saves_nothing(office):
    with pytest.raises(StaffError) as err:
        services.staff_create(office=office, username="pegawai.baru", role="front_office", password="x-Pass-12345",
                              nip="123")
    assert "nip" in err.value.message_dict
    assert not Staff.objects.filter(user__username="pegawai.baru").exists()


def test_staff_keeps_titled_name_and_rank(office):
    staff = services.staff_create(office=office, username="sekcam.baru", role="sekcam", password="x-Pass-12345",
                                  full_name="Siti Aminah", titled_name="Dra. SITI AMINAH, M.Si.",
                                  rank="Pembina (IV/a)", nip="19700101 199001 2 001")
    staff.refresh_from_db()
    assert (staff.full_name, staff.rank) == ("Dra. SITI AMINAH, M.Si.", "Pembina (IV/a)")


def test_demo_nips_are_18_digits_and_clearly_fake():
    assert demo_nip(7) == "190001011900011007"
    nip_check(demo_nip(12))


# --- the standard file's office block -----------------------------------------------------------

def test_the_bundled_standard_names_the_government():
    from loket.catalog.standard_file import DEFAULT_STANDARD

    assert parse_standard_file(DEFAULT_STANDARD).office.government == "PEMERINTAH KOTA MADIUN"


def test_government_and_postal_code_are_read_and_a_bad_postal_code_refused(tmp_path):
    text = MINI_STANDARD.read_text().replace(
        'name: "Kecamatan Contoh"', 'government: "PEMERINTAH KOTA CONTOH"\n  postal_code: "63117"\n  name: "Kecamatan Contoh"', 1)
    good = tmp_path / "good.yaml"
    good.write_text(text)
    data = parse_standard_file(good)
    assert (data.office.government, data.office.postal_code) == ("PEMERINTAH KOTA CONTOH", "63117")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace('"63117"', '"63-117"'))
    with pytest.raises(Exception) as err:
        parse_standard_file(bad)
    assert "postal_code" in str(err.value)


def test_loading_a_standard_gives_the_office_its_government(tmp_path):
    from loket.catalog.services import standard_load

    text = MINI_STANDARD.read_text().replace('slug: "contoh"', 'slug: "contoh2"').replace(
        'region_code: "35.77.09"', 'region_code: "35.77.08"\n  government: "PEMERINTAH KOTA CONTOH"\n  postal_code: "63100"'
    ).replace('"35.77.09.1001"', '"35.77.08.1001"')
    path = tmp_path / "s.yaml"
    path.write_text(text)
    office = standard_load(path=path).office
    office.refresh_from_db()
    assert (office.government, office.postal_code) == ("PEMERINTAH KOTA CONTOH", "63100")


# --- the migration kept the database's own check of staff and units ---------------------------

def test_the_staff_unit_trigger_survived_migration_0005(office, people):
    if connection.vendor != "sqlite":
        pytest.skip("the table rebuild that drops triggers is SQLite's")
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cur.fetchall()}
    assert {"offices_staff_unit_office_insert", "offices_staff_unit_office_update",
            "offices_unit_keeps_staff_office"} <= names
    other = Office.objects.create(slug="lain", region_code="35.77.99", name="Kecamatan Lain", city="Kota Lain")
    foreign_unit = Unit.objects.create(office=other, code="x", name="X", kind="kasi")
    with pytest.raises(IntegrityError), transaction.atomic():
        Staff.objects.filter(user=people["kasi"]).update(unit=foreign_unit)
