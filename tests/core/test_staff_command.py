"""``loket staff``: add, list, deactivate, reset-password; every refusal exits 2 and writes nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client

from loket.offices.models import Staff
from loket.offices.roles import GROUP_NAMES, Role

User = get_user_model()
PASSWORD = "x-Pass-12345"  # tests/conftest.py's people


def staff(*args) -> str:
    out = io.StringIO()
    call_command("staff", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    """Run the command, expect exit code 2 and return the reason."""
    snapshot = (User.objects.count(), Staff.objects.count(), list(User.objects.values_list("password", "is_active")))
    with pytest.raises(CommandError) as exc:
        staff(*args)
    assert exc.value.returncode == 2
    assert snapshot == (User.objects.count(), Staff.objects.count(),
                        list(User.objects.values_list("password", "is_active")))  # nothing written
    return str(exc.value)


def can_log_in(username, password) -> bool:
    return Client().login(request=HttpRequest(), username=username, password=password)


def test_add_prints_a_one_time_password_that_logs_in(office):
    out = staff("add", "budi.kasi", "--office", office.slug, "--role", "kasi", "--unit", "pemerintahan",
                "--name", "Budi Santoso", "--nip", "198001012005011001", "--position", "Kasi Pemerintahan")
    password = out.strip().splitlines()[-1].split(": ")[-1]
    s = Staff.objects.select_related("user", "unit").get(user__username="budi.kasi")
    assert (s.office, s.role, s.unit.code, s.nip, s.position, s.user.get_full_name()) == (
        office, Role.KASI, "pemerintahan", "198001012005011001", "Kasi Pemerintahan", "Budi Santoso")
    assert list(s.user.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.KASI]]
    assert not s.user.is_staff and not s.user.is_superuser
    assert can_log_in("budi.kasi", password)


def test_add_an_admin_opens_the_admin_site_to_it(office):
    staff("add", "admin.baru", "--office", office.slug, "--role", "admin")
    assert User.objects.get(username="admin.baru").is_staff


def test_add_with_a_password_file_uses_it_and_prints_no_password(office, tmp_path):
    f = tmp_path / "sandi.txt"
    f.write_text("Sandi-Kuat-Sekali-2026\n")
    out = staff("add", "sari", "--office", office.slug, "--role", "front_office", "--password-file", str(f))
    assert "Sandi-Kuat-Sekali-2026" not in out and "Sandi sekali pakai" not in out
    assert can_log_in("sari", "Sandi-Kuat-Sekali-2026")


@pytest.mark.parametrize("args,reason", [
    (["--office", "tidak-ada", "--role", "kasi"], "Kantor 'tidak-ada' tidak ada"),
    (["--role", "raja"], "Peran 'raja' tidak dikenal"),
    (["--role", "kasi", "--unit", "keuangan"], "Unit 'keuangan' tidak ada"),
    (["--role", "kasi"], "Kasi harus mempunyai unit kerja"),
])
def test_add_refuses_bad_office_role_or_unit(args, reason, office):
    full = ["add", "baru", *(["--office", office.slug] if "--office" not in args else []), *args]
    assert reason in refused(*full)
    assert not User.objects.filter(username="baru").exists()


def test_add_refuses_a_unit_of_another_office(office):
    from loket.offices.models import Office, Unit

    other = Office.objects.create(slug="lain", region_code="35.77.98", name="Kecamatan Lain", city="Kota")
    Unit.objects.create(office=other, code="khusus", name="Seksi Khusus", kind=Unit.Kind.KASI)
    assert "Unit 'khusus' tidak ada di Kecamatan Contoh" in refused("add", "x", "--office", office.slug, "--role",
                                                                    "kasi", "--unit", "khusus")


def test_add_refuses_a_username_taken_whatever_its_case(office, people):
    assert "sudah dipakai" in refused("add", "PETUGAS", "--office", office.slug, "--role", "front_office")


def test_add_refuses_a_malformed_username(office):
    assert "Nama pengguna hanya boleh" in refused("add", "nama spasi", "--office", office.slug, "--role", "camat")


@pytest.mark.parametrize("content,reason", [
    ("12345678\n", "Sandi terlalu lemah"),       # numeric, common
    ("pendek\n", "Sandi terlalu lemah"),          # short
    ("budisantoso1\n", "Sandi terlalu lemah"),    # like the username
    ("\n", "kosong"),
])
def test_add_refuses_a_weak_or_empty_password_file(content, reason, office, tmp_path):
    f = tmp_path / "sandi.txt"
    f.write_text(content)
    assert reason in refused("add", "budisantoso", "--office", office.slug, "--role", "camat",
                             "--password-file", str(f))


def test_add_refuses_a_missing_password_file(office, tmp_path):
    assert "tidak dapat dibaca" in refused("add", "x", "--office", office.slug, "--role", "camat",
                                           "--password-file", str(tmp_path / "tidak-ada.txt"))


def test_list_shows_the_offices_staff_as_a_table(office, people):
    staff("deactivate", "ppat")
    lines = staff("list", "--office", office.slug).splitlines()
    assert lines[0].split() == ["USERNAME", "NAMA", "PERAN", "UNIT", "AKTIF"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == {u.username for u in people.values()}
    assert rows["kasi.pem"] == ["kasi.pem", "Kasi.Pem", "kasi", "pemerintahan", "ya"]
    assert rows["ppat"][-1] == "tidak" and rows["petugas"][-2] == "-"


def test_list_refuses_an_unknown_office(db):
    assert "jalankan loket setup" in refused("list", "--office", "tidak-ada")


def test_deactivate_stops_the_login(office, people):
    assert "dinonaktifkan" in staff("deactivate", "petugas")
    assert not can_log_in("petugas", PASSWORD)
    assert Staff.objects.filter(user__username="petugas").exists()  # the record and its history stay


def test_reset_password_prints_a_new_one_and_the_old_one_stops(office, people):
    out = staff("reset-password", "camat")
    password = out.splitlines()[0].split(": ")[-1]
    assert can_log_in("camat", password) and not can_log_in("camat", PASSWORD)


@pytest.mark.parametrize("sub", ["deactivate", "reset-password"])
def test_unknown_username_is_refused(sub, office, people):
    assert "Pegawai 'siapa' tidak ditemukan" in refused(sub, "siapa")
