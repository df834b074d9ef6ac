"""``loket restore PATH [--yes]``: put the database and the uploaded files back as in an archive."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from loket.core.backup import PASSPHRASE_ENV, BackupError, is_encrypted, passphrase_obtain, restore


class Command(BaseCommand):
    help = (
        "Pulihkan basis data dan berkas unggahan dari arsip 'loket backup'. Seluruh isi basis data DIGANTI; "
        "bila basis data sudah berisi data, wajib --yes. Arsip diperiksa dulu; bila gagal, tidak ada yang diubah. "
        f"Arsip terenkripsi (.tar.gz.enc) dibuka dengan kata sandi dari {PASSPHRASE_ENV} atau yang ditanyakan di terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Arsip .tar.gz (atau .tar.gz.enc, terenkripsi) buatan 'loket backup'.")
        parser.add_argument(
            "--yes", action="store_true", help="Ya, ganti seluruh isi basis data dan MEDIA_ROOT dengan isi arsip."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Alias basis data (bawaan: default).")

    def handle(self, *args, path, yes=False, database=DEFAULT_DB_ALIAS, **options):
        try:
            # Recognised by its first bytes, whatever its name; a plain archive needs no passphrase.
            passphrase = passphrase_obtain(confirm=False) if is_encrypted(path) else None
            report = restore(path, confirmed=yes, using=database, passphrase=passphrase)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = report.manifest
        self.stdout.write(self.style.SUCCESS(f"Dipulihkan dari {path} (cadangan {manifest.get('created_at')})."))
        if report.migrated:
            self.stdout.write("  Skema basis data dimigrasikan lebih dulu.")
        self.stdout.write(f"  {report.rows} baris dimuat; sesi login dihapus, semua pegawai perlu masuk lagi.")
        if report.media_files is None:
            self.stdout.write("  Arsip tanpa berkas unggahan: MEDIA_ROOT tidak diubah.")
        else:
            self.stdout.write(f"  {report.media_files} berkas unggahan dipulihkan ke MEDIA_ROOT.")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  Perhatian: {warning}"))
