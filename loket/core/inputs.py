"""Bounds every input shares: the window of dates Loket accepts, and the length of free texts.

One place for both, so that a screen's query string, an export's filter, an API filter and a
form's date field refuse the same things with the same words. The helpers know no model and no
app: they raise ``InputProblem`` (a ValueError whose text is the Indonesian message), and each
caller turns it into what its door speaks: a field error of the act (``InvalidInput``), a
message on the screen, or a filter left out.

Dates: 2000-01-01 … 2100-12-31. Loket started in 2026 and its oldest data (the signed standard
of 2018, the SKB holiday tables) lie well inside; the years the screens offer are the same
(``YEARS``). A date outside is a typing error or a probe (9999-12-31 made the register screen
overflow), never something an office means. Where the domain knows better it passes a tighter
window (a tax payment is not in the future; a hall is not booked in the past).

Texts: the limits an office accepts, per kind of text, below (docs/security.md says why).
The model fields may stay TextField: the acts check the length, so every door refuses alike.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
YEARS = (EARLIEST.year, LATEST.year)

# A note or a reason on an act (return, paraf, withdrawal, cancellation …): a few sentences; the
# register and the papers print it. 2000 characters are about a page of A4 in the history.
NOTE_MAX = 2000
# A text written for a citizen or a long description (a complaint's text, an answer): 5000.
TEXT_MAX = 5000
# One line of a list, e.g. a missing item on a return slip: a requirement of the standard is at
# most two lines of print (the longest in the 2018 standard has 137 characters, 162 with
# " (asli belum ditunjukkan)").
LINE_MAX = 300
# Lines in such a list: the longest checklist of the 2018 standard has 13 items.
LINES_MAX = 50

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class InputProblem(ValueError):
    """An input outside what Loket accepts; ``str(exc)`` says why and what to do, in Indonesian."""


def _window_text(earliest: dt.date, latest: dt.date) -> str:
    return _("%(earliest)s sampai %(latest)s") % {"earliest": f"{earliest:%d-%m-%Y}", "latest": f"{latest:%d-%m-%Y}"}


def _between(label: str, earliest: dt.date, latest: dt.date) -> str:
    return _("%(label)s harus antara %(window)s.") % {"label": label, "window": _window_text(earliest, latest)}


def date_parse(value, *, label: str = "Tanggal", earliest: dt.date = EARLIEST, latest: dt.date = LATEST,
               before_text: str = "", after_text: str = "") -> dt.date | None:
    """A date from a query string, a form or a JSON body: ``TTTT-BB-HH`` (or a date already),
    within ``earliest`` … ``latest``. Empty → None. Anything else → InputProblem.

    Only the form the messages name is taken (``date.fromisoformat`` alone would also take
    20261231 and week dates). ``before_text``/``after_text`` replace the message for a date
    before the window / after it (e.g. "tidak boleh setelah hari ini")."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise InputProblem(_("%(label)s harus berupa tanggal TTTT-BB-HH, tanpa jam.") % {"label": label})
    if not isinstance(value, dt.date):
        text = str(value).strip()
        if not text:
            return None
        day = None
        if _ISO_DATE.fullmatch(text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                day = None
        if day is None:
            raise InputProblem(_("%(label)s tidak valid: tulis TTTT-BB-HH, misalnya 2026-12-31.") % {"label": label})
        value = day
    if value < earliest:
        raise InputProblem(before_text or _between(label, earliest, latest))
    if value > latest:
        raise InputProblem(after_text or _between(label, earliest, latest))
    return value


def year_parse(value, *, label: str = "Tahun", years: tuple[int, int] = YEARS) -> int | None:
    """A year from a query string (``TTTT``) within ``years``; empty → None; else InputProblem."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not years[0] <= int(text) <= years[1]:
        raise InputProblem(_("%(label)s harus empat angka antara %(first)s dan %(last)s.")
                           % {"label": label, "first": years[0], "last": years[1]})
    return int(text)


def period_filters(query) -> tuple[dict, list[str]]:
    """The book screens' period filters of a query string (``tahun``, ``dari``, ``sampai``) as
    ``year``, ``date_from``, ``date_to``, and the problems of those left out: a value outside
    the bounds or not a date at all is ignored with a message, never passed on."""
    problems: list[str] = []

    def checked(parse, key, label):
        try:
            return parse(query.get(key, ""), label=label)
        except InputProblem as exc:
            problems.append(str(exc))
            return None

    return {
        "year": checked(year_parse, "tahun", _("Tahun")),
        "date_from": checked(date_parse, "dari", _("Tanggal 'dari'")),
        "date_to": checked(date_parse, "sampai", _("Tanggal 'sampai'")),
    }, problems


def text_bounded(value, *, label: str, max_len: int = NOTE_MAX, required: bool = False) -> str:
    """A free text, stripped, at most ``max_len`` characters (and not empty when ``required``)."""
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InputProblem(_("%(label)s wajib diisi.") % {"label": label})
    if len(text) > max_len:
        raise InputProblem(_("%(label)s paling panjang %(max)s karakter (sekarang %(now)s); persingkat lalu kirim lagi.")
                           % {"label": label, "max": max_len, "now": len(text)})
    return text


def lines_bounded(values, *, label: str, max_lines: int = LINES_MAX, max_len: int = LINE_MAX) -> list[str]:
    """A list of one-line texts (empty lines dropped): at most ``max_lines`` of ``max_len`` each."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise InputProblem(f"{label} harus berupa daftar baris.")
    lines = [str(v if v is not None else "").strip() for v in values]
    lines = [line for line in lines if line]
    if len(lines) > max_lines:
        raise InputProblem(f"{label} paling banyak {max_lines} baris (sekarang {len(lines)}).")
    for number, line in enumerate(lines, start=1):
        if len(line) > max_len:
            raise InputProblem(f"{label} baris {number} paling panjang {max_len} karakter (sekarang {len(line)}).")
    return lines
