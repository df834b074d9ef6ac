"""Loket-wide records that belong to no office area."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """Kiriman formulir: the one use of a rendered form's one-time token (loket.core.once).

    The row is inserted in the same transaction as what the form does, and kept only when
    the form succeeded; a second post of the same rendered form finds it and is refused,
    pointing at what the first one made. Rows older than ``once.MAX_AGE`` are deleted (their
    tokens are refused as expired by then). Bookkeeping of requests, not office data."""

    nonce = models.CharField(max_length=64, unique=True, help_text="The random part of the form's token.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", help_text="Who sent it; empty for a public form.")
    path = models.CharField(max_length=300, help_text="Where the form was posted.")
    result_url = models.CharField(max_length=500, blank=True, help_text="Where the first post led (its redirect).")
    result_note = models.CharField(max_length=500, blank=True,
                                   help_text="What the first post reported, e.g. \"Berkas ABC-123 diterima.\"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "kiriman formulir"
        verbose_name_plural = "kiriman formulir"

    def __str__(self) -> str:
        return f"{self.path} ({self.created_at:%Y-%m-%d %H:%M})"
