from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "loket.papers"
    verbose_name = "Naskah dinas keluar"
