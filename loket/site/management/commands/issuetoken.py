"""``loket issuetoken USERNAME [--name SYSTEM]``: the older name of ``loket tokens issue``.

Kept so that existing scripts go on working: the secret alone on stdout, as before. New
scripts use ``loket tokens issue USERNAME --label SYSTEM [--expires-days N]``, and
``loket tokens`` also lists and revokes (loket/api/management/commands/tokens.py)."""

from django.core.management.base import BaseCommand

from loket.api.management.commands.tokens import issue_for


class Command(BaseCommand):
    help = ("Terbitkan token API untuk seorang pegawai (token hanya ditampilkan sekali). "
            "Nama lama dari 'loket tokens issue'; 'loket tokens' juga menampilkan dan mencabut token.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Sistem yang memakai token, mis. 'Kelurahan Klegen'.")

    def handle(self, *args, username, name, **options):
        issue_for(self, username=username, label=name or username)
        self.stderr.write("Catatan: perintah ini kini bernama 'loket tokens issue'; "
                          "'loket tokens list' dan 'loket tokens revoke' menampilkan dan mencabut token.")
