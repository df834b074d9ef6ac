"""``loket backup [--output PATH]``: the database and the uploaded files in one archive."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from loket.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Cadangkan seluruh basis data dan berkas unggahan ke satu arsip .tar.gz (hanya dapat dibaca pemilik: "
        "arsip berisi NIK). Bawaan: LOKET_DATA_DIR/backups/loket-<kantor>-<waktu>.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default=None, help="Path arsip yang ditulis (tidak menimpa berkas yang ada).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Alias basis data (bawaan: default).")

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        try:
            report = backup_create(output=output, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = report.manifest
        media = manifest["media"]
        if media["included"]:
            files = f"{media['files']} berkas unggahan ({media['bytes']:,} bita)".replace(",", ".")
            if media.get("skipped"):
                files += f"; dilewati (tautan/berkas khusus): {', '.join(media['skipped'][:5])}"
        else:
            files = media["reason"]
        self.stdout.write(self.style.SUCCESS(f"Cadangan tersimpan: {report.path}"))
        self.stdout.write(f"  {report.rows} baris dari {len(manifest['counts'])} tabel ({manifest['database_vendor']}); {files}")
        self.stdout.write("  Arsip berisi NIK dan data pribadi: simpan salinannya di tempat yang aman dan terkunci.")
