from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "loket.complaints"
    verbose_name = "Pengaduan"
