from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "loket.core"
    verbose_name = "Loket"

    def ready(self):
        from loket.core import logins, sessions  # noqa: F401  (their signal receivers)
