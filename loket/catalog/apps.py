from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "loket.catalog"
    verbose_name = "Standar Pelayanan"
