"""Web helpers the screens share: the login-and-office guard, the office of the request, and the
month of a ``?bulan=YYYY-MM`` query with its navigation (previous, next).

Part of the neutral kit (imports no domain app; ``loket.offices`` sits below the kit)."""

from __future__ import annotations

import datetime as dt
import re
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from loket.core.formats import month_name
from loket.offices.roles import staff_of


def staff_required(view):
    """Logged in and attached to an office; anything else is refused."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if staff_of(request.user) is None:
            raise PermissionDenied("Akun ini bukan akun pegawai kantor.")
        return view(request, *args, **kwargs)

    return wrapped


def office_of(request):
    """The office of the staff member making the request (after ``staff_required``)."""
    return staff_of(request.user).office


# --- the month of a screen (?bulan=YYYY-MM) ----------------------------------------------------

YEARS = (2000, 2100)  # a month outside these is a typing error, not a plan
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_MM = re.compile(r"^(\d{4})-(\d{2})$")


def month_parse(value: str, today: dt.date, *, two_digits: bool = False) -> tuple[int, int, str]:
    """``YYYY-MM`` of the query string → (year, month, ""); empty → this month; anything else →
    this month and the reason, to be shown. The public pages also take 2026-3; ``two_digits``
    asks for the form's own YYYY-MM only (the staff board)."""
    value = (value or "").strip()
    if not value:
        return today.year, today.month, ""
    m = (_MONTH_MM if two_digits else _MONTH).match(value)
    if m and YEARS[0] <= int(m[1]) <= YEARS[1] and 1 <= int(m[2]) <= 12:
        return int(m[1]), int(m[2]), ""
    return today.year, today.month, _("Bulan tidak valid: %(value)s. Ditampilkan bulan ini.") % {"value": value[:20]}


def month_label(year: int, month: int) -> str:
    """Maret 2026 (March 2026 when the page is in English)."""
    return f"{month_name(month)} {year}"


def month_step(year: int, month: int, step: int) -> tuple[int, int] | None:
    """The month ``step`` (±1) away, or None beyond the years offered."""
    n = year * 12 + month - 1 + step
    y, m = divmod(n, 12)
    return (y, m + 1) if YEARS[0] <= y <= YEARS[1] else None


def month_nav(year: int, month: int) -> dict:
    """The month shown and its neighbours for the ‹ › links: each {"value": "2026-03", "label":
    "Maret 2026"}; prev/next None beyond the years offered."""
    def link(step):
        ym = month_step(year, month, step)
        return {"value": f"{ym[0]:04d}-{ym[1]:02d}", "label": month_label(*ym)} if ym else None

    return {"value": f"{year:04d}-{month:02d}", "label": month_label(year, month), "prev": link(-1), "next": link(1)}


# --- the public address of a link (QR codes, printed and shown links) -------------------------

def public_url(request, path: str) -> str:
    """The absolute address of ``path`` (a ``reverse()`` result) as citizens reach it: under
    settings.LOKET_PUBLIC_URL when set (``https://loket.kartoharjo.go.id``), else under the
    address of the request. Every QR code and printed link goes through here, so a receipt
    printed at a counter PC that opened Loket at http://127.0.0.1:8000 still carries the
    office's public address."""
    base = getattr(settings, "LOKET_PUBLIC_URL", "")
    if base:
        return base + (path if path.startswith("/") else "/" + path)
    return request.build_absolute_uri(path)


def file_response(content: bytes, *, filename: str, content_type: str = "application/pdf",
                  inline: bool = False) -> HttpResponse:
    """A paper or an export as the answer to a request: shown in the browser (``inline``: a paper
    to read and print) or saved (an attachment: a file to keep), under ``filename`` (Django's
    header, so a name outside ASCII is sent as RFC 6266 asks)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
