from django.apps import AppConfig


class DeedsConfig(AppConfig):
    name = "loket.deeds"
    verbose_name = "Akta tanah (PPAT)"
