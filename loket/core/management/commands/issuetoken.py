"""``loket issuetoken USERNAME --name SYSTEM``: an API token for another system, shown once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from loket.api.models import ApiToken
from loket.offices.roles import staff_of


class Command(BaseCommand):
    help = "Terbitkan token API untuk seorang pegawai (token hanya ditampilkan sekali)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Sistem yang memakai token, mis. 'Kelurahan Klegen'.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or staff_of(user) is None:
            raise CommandError(f"Pegawai aktif '{username}' tidak ditemukan.")
        _, token = ApiToken.issue(user=user, name=name or username)
        self.stdout.write(token)
