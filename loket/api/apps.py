from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save


class ApiConfig(AppConfig):
    name = "loket.api"
    label = "loket_api"
    verbose_name = "API"

    def ready(self):
        from loket.api.signals import revoke_tokens_on_credentials_change

        # Every save of a user, by any path, passes here (loket/api/signals.py).
        pre_save.connect(revoke_tokens_on_credentials_change, sender=settings.AUTH_USER_MODEL,
                         dispatch_uid="loket.api.revoke_tokens_on_credentials_change")
