from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "loket.dossiers"
    verbose_name = "Berkas pelayanan"
