from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "loket.offices"
    verbose_name = "Kantor dan pegawai"
