"""``loket backup [--output PATH] [--encrypt]``: the database and the uploaded files in one archive."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from loket.core.backup import PASSPHRASE_ENV, PASSPHRASE_MIN, BackupError, backup_create, passphrase_obtain


class Command(BaseCommand):
    help = (
        "Cadangkan seluruh basis data dan berkas unggahan ke satu arsip .tar.gz (hanya dapat dibaca pemilik: "
        "arsip berisi NIK). Bawaan: LOKET_DATA_DIR/backups/loket-<kantor>-<waktu>.tar.gz. Dengan --encrypt "
        "arsip dienkripsi dengan kata sandi (.tar.gz.enc)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default=None, help="Path arsip yang ditulis (tidak menimpa berkas yang ada).")
        parser.add_argument(
            "--encrypt", action="store_true",
            help=(
                "Enkripsi arsip dengan kata sandi (scrypt + AES-256-GCM); nama berkas diberi akhiran .enc. "
                f"Kata sandi dari variabel lingkungan {PASSPHRASE_ENV}, atau ditanyakan dua kali di terminal; "
                f"minimal {PASSPHRASE_MIN} karakter. Tanpa kata sandinya, arsip tidak dapat dipulihkan."
            ),
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Alias basis data (bawaan: default).")

    def handle(self, *args, output=None, encrypt=False, database=DEFAULT_DB_ALIAS, **options):
        try:
            # Asked before anything is read or written: without a passphrase no file is made.
            passphrase = passphrase_obtain(confirm=True) if encrypt else None
            report = backup_create(output=output, using=database, passphrase=passphrase)
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
        if encrypt:
            self.stdout.write(
                "  Arsip terenkripsi. Simpan kata sandinya terpisah dari arsip (jangan di folder, disk, atau pesan "
                "yang sama): tanpa kata sandi itu cadangan ini tidak dapat dipulihkan oleh siapa pun."
            )
        else:
            self.stdout.write("  Arsip berisi NIK dan data pribadi: simpan salinannya di tempat yang aman dan terkunci.")
