"""``loket loadstandard FILE``: check or load a Standar Pelayanan data file.

A new edition becomes the one in force only when its office has none in force yet (a fresh
install). When an edition is already in force the file is kept as a **draft**, so loading a
file never replaces the signed standard the counter works by; ``--activate`` (or the admin
action "Berlakukan edisi draf ini") puts the draft in force and archives the old edition."""

from django.core.management.base import BaseCommand, CommandError

from loket.catalog.models import Edition
from loket.catalog.services import EditionError, edition_activate, standard_load
from loket.catalog.standard_file import StandardFileError, parse_standard_file

HOW_TO_ACTIVATE = (
    "Untuk memberlakukannya (edisi lama diarsipkan, tidak diubah): "
    "loket loadstandard {path} --activate, atau di /admin/ → Edisi standar pelayanan → "
    "pilih edisi {year} → aksi \"Berlakukan edisi draf ini\"."
)


class Command(BaseCommand):
    help = (
        "Periksa (--check) atau muat berkas standar pelayanan (YAML). Berkas yang rusak ditolak seluruhnya. "
        "Edisi baru langsung berlaku hanya bila kantornya belum mempunyai edisi yang berlaku; bila sudah ada, "
        "edisi baru disimpan sebagai DRAF. Pakai --activate untuk memberlakukannya (edisi lama diarsipkan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--check", action="store_true", help="Hanya periksa, jangan simpan apa pun.")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--draft", action="store_true", help="Muat sebagai draf, jangan diberlakukan.")
        mode.add_argument(
            "--activate", action="store_true",
            help="Berlakukan edisi berkas ini sekarang, juga bila edisi lain sedang berlaku (edisi itu diarsipkan).",
        )

    def handle(self, *args, path, check=False, draft=False, activate=False, **options):
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
        if activate and edition.status == Edition.Status.DRAFT:
            try:
                edition = edition_activate(edition=edition)
            except EditionError as exc:
                raise CommandError(exc.messages[0]) from None
            self.stdout.write(f"Edisi {edition.year} kini berlaku; edisi sebelumnya diarsipkan.")
        elif edition.status == Edition.Status.DRAFT:
            in_force = Edition.objects.filter(office_id=edition.office_id, status=Edition.Status.ACTIVE).first()
            why = (f"karena edisi {in_force.year} sedang berlaku" if in_force and not draft
                   else "atas permintaan (--draft)")
            self.stdout.write(
                f"Edisi {edition.year} disimpan sebagai DRAF {why}; loket masih memakai edisi yang berlaku. "
                + HOW_TO_ACTIVATE.format(path=path, year=edition.year)
            )
        elif activate:
            self.stdout.write(f"Edisi {edition.year} sudah {edition.get_status_display().lower()}; tidak ada yang diubah.")
