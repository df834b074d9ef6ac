"""``loket loadstandard FILE``: check or load a Standar Pelayanan data file."""

from django.core.management.base import BaseCommand, CommandError

from loket.catalog.services import standard_load
from loket.catalog.standard_file import StandardFileError, parse_standard_file


class Command(BaseCommand):
    help = "Periksa (--check) atau muat berkas standar pelayanan (YAML). Berkas yang rusak ditolak seluruhnya."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--check", action="store_true", help="Hanya periksa, jangan simpan apa pun.")
        parser.add_argument("--draft", action="store_true", help="Muat sebagai draf, jangan diberlakukan.")

    def handle(self, *args, path, check=False, draft=False, **options):
        try:
            if check:
                data = parse_standard_file(path)
                self.stdout.write(f"{path}: baik, {len(data.services)} jenis pelayanan.")
                return
            report = standard_load(path=path, activate=not draft)
        except StandardFileError as exc:
            raise CommandError("Berkas standar ditolak:\n  " + "\n  ".join([exc.path] + exc.problems)) from None
        edition = report.edition
        self.stdout.write(
            f"Edisi {edition.year} ({edition.get_status_display()}): "
            + ("; ".join(report.created) if report.created else "sudah ada, tidak ada perubahan.")
        )
