"""``loket setup``: make a fresh install usable, and do nothing more when run again."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from loket.catalog.services import standard_load
from loket.catalog.standard_file import DEFAULT_STANDARD, StandardFileError
from loket.complaints.services import categories_default_create
from loket.deeds.services import tax_rules_default_create
from loket.rentals.services import venues_default_create
from loket.site.demo import (
    SECOND_OFFICE, SECOND_OFFICE_KELURAHAN, SECOND_OFFICE_PREFIX, standard_for_office, write_demo_accounts,
)
from loket.offices.calendar import holidays_load_shipped
from loket.offices.services import demo_staff_create, roles_sync


class Command(BaseCommand):
    help = "Migrasi basis data, muat standar pelayanan bawaan (kantor, unit, kelurahan), dan (dengan --demo) akun demo."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Buat akun demo, satu per peran (sandi dicetak sekali).")
        parser.add_argument("--standard", default=str(DEFAULT_STANDARD), help="Berkas standar yang dimuat.")
        parser.add_argument(
            "--second-office", action="store_true",
            help="Tambah kantor kedua untuk mencoba instalasi banyak kantor: Kecamatan Taman, Kota Madiun, "
                 "dengan salinan standar bawaan bertanda DATA DEMO (dengan --demo juga akun taman.*).",
        )

    def handle(self, *args, demo=False, standard=None, second_office=False, verbosity=1, **options):
        call_command("migrate", interactive=False, verbosity=0)
        changes = roles_sync()
        try:
            report = standard_load(path=standard)
        except StandardFileError as exc:
            raise CommandError("Berkas standar ditolak:\n  " + "\n  ".join([exc.path] + exc.problems)) from None
        changes += report.created
        added = holidays_load_shipped()
        if added:
            changes.append(f"{added} hari libur nasional/ cuti bersama")
        changes += self._office_defaults(report.office)
        offices = [(report.office, "")]
        if second_office:
            data = standard_for_office(path=standard, office=SECOND_OFFICE, kelurahan=SECOND_OFFICE_KELURAHAN)
            second = standard_load(path=standard, data=data)
            changes += second.created
            changes += self._office_defaults(second.office)
            offices.append((second.office, SECOND_OFFICE_PREFIX))
        if demo:
            for office, prefix in offices:
                changes += self._demo_accounts(office, prefix)
        if changes:
            self.stdout.write("Diubah: " + "; ".join(changes))
        else:
            self.stdout.write("Tidak ada perubahan: Loket sudah siap.")

    def _office_defaults(self, office) -> list[str]:
        """What an office needs besides its standard: the hall, the deed tax rules, the complaint
        categories (each made only when the office has none yet)."""
        changes = []
        venues = venues_default_create(office=office)
        if venues:
            changes.append(f"{venues} gedung pertemuan")
        rules = tax_rules_default_create(office=office)
        if rules:
            changes.append(f"{rules} ketentuan bukti pajak akta tanah")
        made = categories_default_create(office=office)
        if made:
            changes.append(f"{made} kategori pengaduan")
        return changes

    def _demo_accounts(self, office, prefix: str) -> list[str]:
        accounts = demo_staff_create(office=office, prefix=prefix)
        if not accounts:
            return []
        self.stdout.write(self.style.SUCCESS(f"Akun demo {office.name} (sandi hanya ditampilkan sekali ini):"))
        for a in accounts:
            self.stdout.write(f"  {a.username:<26} {a.password:<16} {a.position}")
        path = write_demo_accounts(accounts)
        self.stdout.write(f"  (juga disimpan di {path}, hanya dapat dibaca pemilik)")
        return [f"{len(accounts)} akun demo {office.name}"]
