"""``loket staff``: staff accounts from the server's shell, for operators and scripts.

    loket staff add USERNAME --office SLUG --role ROLE [--unit CODE] [--name "…"] [--nip …]
                    [--position …] [--password-file F]
    loket staff list --office SLUG
    loket staff deactivate USERNAME
    loket staff reset-password USERNAME

``add`` and ``reset-password`` print a one-time password once (``--password-file`` reads the
password from a file instead, e.g. one a script generated; it is checked like any password).
Every refusal (unknown office, role or unit, a username taken, a weak password) exits with
code 2 and the reason, and nothing is written. The same acts as the admin
(``loket.offices.services``), run as the operator of the install.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from loket.offices import services
from loket.offices.models import Office, Staff, Unit
from loket.offices.roles import Role

REFUSED = 2  # exit code of every refusal
LABELS = {"username": "nama pengguna", "password": "sandi", "role": "peran", "unit": "unit", "office": "kantor",
          "active": "aktif"}


def refuse(message: str) -> CommandError:
    return CommandError(message, returncode=REFUSED)


class Command(BaseCommand):
    help = "Kelola akun pegawai: add, list, deactivate, reset-password (lihat docs/operations.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,list,deactivate,reset-password}")
        roles = ", ".join(Role.values)

        add = sub.add_parser("add", help="Buat akun pegawai; mencetak sandi sekali pakai.")
        add.add_argument("username")
        add.add_argument("--office", required=True, help="Slug kantor, mis. kartoharjo.")
        add.add_argument("--role", required=True, help=f"Peran: {roles}.")
        add.add_argument("--unit", default="", help="Kode unit kerja (wajib untuk kasi), mis. pemerintahan.")
        add.add_argument("--name", default="", help="Nama lengkap.")
        add.add_argument("--nip", default="", help="NIP, bila ada.")
        add.add_argument("--position", default="", help='Jabatan seperti tercetak, mis. "Kasi Pemerintahan".')
        add.add_argument("--password-file", default="", help="Ambil sandi dari berkas ini (baris pertama).")

        lst = sub.add_parser("list", help="Daftar pegawai satu kantor.")
        lst.add_argument("--office", required=True, help="Slug kantor.")

        off = sub.add_parser("deactivate", help="Nonaktifkan akun (tidak dapat masuk lagi; riwayat tetap).")
        off.add_argument("username")

        reset = sub.add_parser("reset-password", help="Buat sandi sekali pakai baru; sesi lama berakhir.")
        reset.add_argument("username")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except ValidationError as exc:
            problems = [f"{LABELS.get(field, field)}: {m}"
                        for field, ms in getattr(exc, "message_dict", {}).items() for m in ms]
            raise refuse("Ditolak, tidak ada yang disimpan:\n  " + "\n  ".join(problems or exc.messages)) from None
        except PermissionDenied as exc:
            raise refuse(f"Ditolak: {exc}") from None

    # --- the subcommands ------------------------------------------------------------------------

    def _add(self, *, username, office, role, unit, name, nip, position, password_file, **_):
        office_ = self._office(office)
        if role not in Role.values:
            raise refuse(f"Peran '{role}' tidak dikenal; pilih salah satu: {', '.join(Role.values)}.")
        unit_ = None
        if unit:
            unit_ = Unit.objects.filter(office=office_, code=unit).first()
            if unit_ is None:
                codes = ", ".join(office_.units.values_list("code", flat=True)) or "(belum ada)"
                raise refuse(f"Unit '{unit}' tidak ada di {office_.name}; unit yang ada: {codes}.")
        if password_file:
            password = self._read_password(password_file)
        else:
            password = services.password_generate()
        staff = services.staff_create(
            office=office_, username=username, role=role, unit=unit_, full_name=name, position=position, nip=nip,
            password=password,
        )
        self.stdout.write(f"Akun {staff.user.username} dibuat di {office_.name} sebagai {staff.get_role_display()}.")
        if not password_file:
            self.stdout.write(f"Sandi sekali pakai (hanya ditampilkan sekali ini): {password}")

    def _list(self, *, office, **_):
        office_ = self._office(office)
        rows = [("USERNAME", "NAMA", "PERAN", "UNIT", "AKTIF")]
        for s in Staff.objects.filter(office=office_).select_related("user", "unit").order_by("user__username"):
            rows.append((s.user.username, s.user.get_full_name() or "-", s.role, s.unit.code if s.unit else "-",
                         "ya" if s.user.is_active else "tidak"))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())

    def _deactivate(self, *, username, **_):
        staff = self._staff(username)
        services.staff_deactivate(staff=staff)
        self.stdout.write(f"Akun {username} dinonaktifkan.")

    def _reset_password(self, *, username, **_):
        staff = self._staff(username)
        password = services.staff_password_reset(staff=staff)
        self.stdout.write(f"Sandi sekali pakai baru untuk {username} (hanya ditampilkan sekali ini): {password}")
        self.stdout.write("Sesi yang masih terbuka dengan sandi lama sudah berakhir.")

    # --- look-ups ----------------------------------------------------------------------------------

    def _office(self, slug: str) -> Office:
        office = Office.objects.filter(slug=slug).first()
        if office is None:
            known = ", ".join(Office.objects.values_list("slug", flat=True)) or "(belum ada; jalankan loket setup)"
            raise refuse(f"Kantor '{slug}' tidak ada; kantor yang ada: {known}.")
        return office

    def _staff(self, username: str) -> Staff:
        staff = Staff.objects.select_related("user", "office").filter(user__username=username).first()
        if staff is None:
            raise refuse(f"Pegawai '{username}' tidak ditemukan.")
        return staff

    def _read_password(self, path: str) -> str:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise refuse(f"Berkas sandi {path} tidak dapat dibaca: {exc.__class__.__name__}.") from None
        password = lines[0].strip() if lines else ""
        if not password:
            raise refuse(f"Berkas sandi {path} kosong; tulis sandinya di baris pertama.")
        return password
