"""Date and duration formats shared by pages, PDFs and exports (amounts: loket.core.money).

``tanggal`` and ``MONTHS`` are Indonesian always: the papers and exports are the office's
documents. The pages follow the language chosen in the header: ``date_text``, ``month_name``,
``duration`` and ``elapsed`` (the ``tanggal``, ``duration`` and ``minutes`` template filters)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def english() -> bool:
    """The page is in English (the header's switch)."""
    return (translation.get_language() or "id").startswith("en")


def indonesian(label) -> str:
    """A state label (gettext_lazy) as the papers and exports print it: Indonesian, whatever the
    language of the page that asked for them."""
    with translation.override("id"):
        return str(label)


def month_name(month: int) -> str:
    """Maret, or March when the page is in English."""
    return (MONTHS_EN if english() else MONTHS)[month - 1]


def date_text(value: dt.date | dt.datetime | None, *, with_time: bool = False) -> str:
    """``tanggal`` in the page's language: 25 November 2026 14:05 WIB / 25 November 2026, 14:05 WIB."""
    if not english():
        return tanggal(value, with_time=with_time)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text = f"{local.day} {MONTHS_EN[local.month - 1]} {local.year}"
        return f"{text}, {local:%H:%M} WIB" if with_time else text
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def duration(low: int, high: int, unit: str) -> str:
    """A service's time in the page's language: "5–10 menit" / "5–10 minutes", "1 hari" / "1 day". ``unit`` is the standard's duration unit ("minute" or "day")."""
    span = str(low) if low == high else f"{low}–{high}"
    if unit == "day":
        return ngettext("%(span)s hari", "%(span)s hari", high) % {"span": span}
    return ngettext("%(span)s menit", "%(span)s menit", high) % {"span": span}


def elapsed(delta: dt.timedelta | None) -> str:
    """A clock as whole minutes and seconds ("6 mnt 05 dtk" / "6 min 05 s"), beyond a day in days
    and hours ("2 hari 3 jam" / "2 days 3 h")."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    if seconds >= 86400:
        return _("%(d)s hari %(h)s jam") % {"d": seconds // 86400, "h": seconds % 86400 // 3600}
    return _("%(m)s mnt %(s)s dtk") % {"m": seconds // 60, "s": f"{seconds % 60:02d}"}


def tanggal(value: dt.date | dt.datetime | None, *, with_time: bool = False) -> str:
    """25 November 2026, or 25 November 2026 14:05 WIB (in Asia/Jakarta)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
        return f"{text} {local:%H:%M} WIB" if with_time else text
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
