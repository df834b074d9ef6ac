"""API tokens for other systems (a kelurahan's, a dashboard): one per system and staff user.

Only a SHA-256 of the token is stored; the token itself is shown once when issued. Tokens are
issued, listed and revoked through ``loket.api.services`` / ``loket.api.selectors`` (the staff
screen /staf/token/ and the ``loket tokens`` command); docs/security.md explains the rules.

Also the Idempotency-Key records of the API's creates and acts (loket.api.idempotency)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# "lkt_" + 43 URL-safe characters (32 random bytes, 256 bits).
TOKEN_START = "lkt_"
# What is kept in clear to tell tokens apart on screens and in the command's list: "lkt_" and 8
# characters of the random part (48 bits; the other 208 bits stay secret). Tokens issued before
# this was widened keep their 4 characters.
PREFIX_LENGTH = len(TOKEN_START) + 8


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """Token API: lets another system (a kelurahan's, a dashboard) call the staff API as one
    staff member (the owner, *pemilik*), with exactly that member's role and office."""

    class RevokeReason(models.TextChoices):
        MANUAL = "manual", "Dicabut"
        PASSWORD = "password", "Kata sandi pemilik diganti"
        DEACTIVATED = "deactivated", "Akun pemilik dinonaktifkan"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="pemilik",
        help_text="The staff member (pegawai) the token acts as.",
    )
    name = models.CharField(
        max_length=120, verbose_name="label", help_text="Which system uses it, e.g. Kelurahan Klegen.",
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="diterbitkan oleh", help_text="Empty: issued on the command line (loket tokens issue).",
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, verbose_name="berlaku sampai", help_text="Empty: does not expire.",
    )
    last_used_at = models.DateTimeField(
        null=True, blank=True, verbose_name="terakhir dipakai",
        help_text="Updated at most once a minute (services.TOUCH_EVERY).",
    )
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name="dicabut")
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="dicabut oleh",
        help_text="Empty for a revocation on the command line or by the system (password changed, account deactivated).",
    )
    revoked_reason = models.CharField(max_length=20, choices=RevokeReason.choices, blank=True)

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def label(self) -> str:
        return self.name

    def status(self, now) -> str:
        """aktif, kedaluwarsa or dicabut (revoked wins over expired)."""
        if self.revoked_at is not None:
            return "dicabut"
        if self.expires_at is not None and self.expires_at <= now:
            return "kedaluwarsa"
        return "aktif"

    @classmethod
    def issue(cls, *, user, name: str, expires_at=None, issued_by=None) -> tuple["ApiToken", str]:
        """Create the row and return it with the secret. No checks: acts call
        ``loket.api.services.token_issue``, which checks who may issue to whom."""
        token = TOKEN_START + secrets.token_urlsafe(32)
        row = cls.objects.create(user=user, name=name, key_hash=token_hash(token), prefix=token[:PREFIX_LENGTH],
                                 expires_at=expires_at, issued_by=issued_by)
        return row, token


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
