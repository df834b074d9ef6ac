"""loket measures [--office SLUG]: measure every handed-over dossier again in working time
(dossiers.measure), after an office's working hours or holidays of a past period were corrected.
The handover stores each dossier's measure as it happens; this command is only for corrections."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from loket.dossiers.measure import measures_rebuild_for
from loket.offices.models import Office


class Command(BaseCommand):
    help = "Ukur ulang waktu penyelesaian berkas yang sudah diserahkan (jam kerja dan hari libur terbaru)."

    def add_arguments(self, parser):
        parser.add_argument("--office", help="Slug kantor (bawaan: semua kantor).")

    def handle(self, *args, office=None, **options):
        chosen = None
        if office:
            chosen = Office.objects.filter(slug=office).first()
            if chosen is None:
                raise CommandError(f"Kantor '{office}' tidak ada.")
        with transaction.atomic():
            n = measures_rebuild_for(office=chosen)
        self.stdout.write(f"{n} berkas diukur ulang" + (f" ({chosen.name})." if chosen else "."))
