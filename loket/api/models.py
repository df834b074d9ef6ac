"""API tokens for other systems (a kelurahan's, a dashboard): one per system and staff user.

Only a SHA-256 of the token is stored; the token itself is shown once when issued."""

import hashlib
import secrets

from django.conf import settings
from django.db import models


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120, help_text="Which system uses it, e.g. Kelurahan Klegen.")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        token = "lkt_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=token_hash(token), prefix=token[:8]), token
