"""API tokens for other systems (a kelurahan's, a dashboard): one per system and staff user.
Only a SHA-256 of the token is stored; the token itself is shown once when issued.

Also the Idempotency-Key records of the API's creates and acts (loket.api.idempotency)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


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


class IdempotentRequest(models.Model):
    """One ``Idempotency-Key`` of one caller (IETF draft-ietf-httpapi-idempotency-key-header-07):
    the first request with it, while it runs, and its answer afterwards, replayed to a retry
    with the same key and body (loket.api.idempotency). Kept 24 hours. Bookkeeping of requests,
    not office data; the stored answer holds what the caller was already given."""

    scope = models.CharField(max_length=64, help_text="SHA-256 of the caller: its token, its user, or (public) its address.")
    key = models.CharField(max_length=255, help_text="The Idempotency-Key as the caller sent it.")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path, query and body.")
    owner = models.CharField(max_length=32, help_text="Random mark of the request working on it.")
    started_at = models.DateTimeField(help_text="When that request began.")
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The answer's status; empty while in flight.")
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True, help_text="The answer's body, replayed as it was.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "permintaan idempoten"
        verbose_name_plural = "permintaan idempoten"
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_per_caller")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or 'diproses'})"
