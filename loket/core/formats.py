"""Indonesian date formats shared by pages, PDFs and exports (amounts: loket.core.money)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def tanggal(value: dt.date | dt.datetime | None, *, with_time: bool = False) -> str:
    """25 November 2026, or 25 November 2026 14:05 WIB (in Asia/Jakarta)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
        return f"{text} {local:%H:%M} WIB" if with_time else text
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
