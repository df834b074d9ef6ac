from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "loket.api"
    label = "loket_api"
    verbose_name = "API"
