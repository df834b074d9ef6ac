"""Spam checks for the public complaint form, without any outside service (no CAPTCHA: it
would send the citizen's browser to a third party and shut out people with poor eyesight).

Three cheap checks, in this order, each of which refuses the post and saves nothing:

1. a honeypot: an extra field that people never see (hidden by CSS, aria-hidden, out of the
   tab order) and bots that fill every input do fill;
2. a signed timestamp of when the form was rendered: a post without a valid one, sent less
   than ``MIN_SECONDS`` after the form was rendered (no person types a complaint that fast),
   or more than ``MAX_AGE_SECONDS`` after (a stale copy replayed) is refused;
3. a rate limit per client address: ``SUBMISSIONS_LIMIT`` filings per ``SUBMISSIONS_WINDOW``
   seconds. Only filings that were accepted count: a post refused by 1 or 2, or for its input
   (``InvalidInput``), or by the limit itself, gives its place back (``submission_slot``), so
   a bot's junk or a neighbour's typo does not lock out the real citizens behind the same
   address (a kelurahan office, a campus, a mobile carrier put many people behind one).

The limits are module constants so tests (or an office) can change them.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from loket.core.ratelimit import client_ip, give_back, take

HONEYPOT_FIELD = "website_url"
STAMP_FIELD = "form_stamp"
MIN_SECONDS = 3
MAX_AGE_SECONDS = 2 * 60 * 60
SUBMISSIONS_LIMIT = 5
SUBMISSIONS_WINDOW = 10 * 60

_SALT = "loket.complaints.public-form"
_VALUE = "pengaduan"


class _Signer(signing.TimestampSigner):
    """A TimestampSigner whose time can be given (tests sign a form rendered in the past)."""

    def __init__(self, at: float | None = None):
        super().__init__(salt=_SALT)
        self._at = at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self._at if self._at is not None else time.time()))


def stamp_new(*, at: float | None = None) -> str:
    """The value of the hidden timestamp field for a form rendered now (or at ``at``)."""
    return _Signer(at).sign(_VALUE)


def stamp_ok(value: str | None) -> bool:
    """True when ``value`` is a stamp we signed, at least MIN_SECONDS and at most
    MAX_AGE_SECONDS old."""
    if not value or not isinstance(value, str):
        return False
    signer = _Signer()
    try:
        if signer.unsign(value, max_age=MAX_AGE_SECONDS) != _VALUE:
            return False
        signed_at = signing.b62_decode(value.rsplit(signer.sep, 2)[1])
    except (signing.BadSignature, ValueError, IndexError):  # SignatureExpired is a BadSignature
        return False
    return time.time() - signed_at >= MIN_SECONDS


def honeypot_filled(data) -> bool:
    return bool(str(data.get(HONEYPOT_FIELD) or "").strip())


class TooMany(Exception):
    """This address has made its SUBMISSIONS_LIMIT filings of the window (HTTP 429)."""


@contextmanager
def submission_slot(request):
    """Hold one of this address's filings of the window while one is filed::

        with spam.submission_slot(request):  # TooMany when none is left
            services.complaint_file_public(...)

    The place is given back when the block raises (bad input, an unknown office, any error),
    so only accepted filings count. The bucket is the one the API's public
    POST /api/v1/complaints/ counts in, so the two doors share it."""
    bucket = take(f"complaint_post:{client_ip(request)}", limit=SUBMISSIONS_LIMIT, window=SUBMISSIONS_WINDOW)
    if bucket is None:
        raise TooMany
    try:
        yield
    except BaseException:
        give_back(bucket)
        raise


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str
    reason: str  # for the log: which check refused (never who or what was sent)


def refusal(request) -> Refusal | None:
    """Run checks 1 and 2 on a POST of the form; None when it may go on to be filed (within
    ``submission_slot``, check 3)."""
    if honeypot_filled(request.POST):
        return Refusal(400, _("Pengaduan tidak dapat diterima."), "honeypot")
    if not stamp_ok(request.POST.get(STAMP_FIELD)):
        return Refusal(400, _("Formulir kedaluwarsa atau terkirim terlalu cepat. Isian Anda masih ada: periksa, lalu tekan Kirim pengaduan lagi."),
                       "stamp")
    return None


def too_many() -> Refusal:
    """The answer when ``submission_slot`` raised TooMany."""
    minutes = SUBMISSIONS_WINDOW // 60
    return Refusal(429, _("Terlalu banyak pengaduan dikirim dari alamat internet ini. "
                          "Tunggu %(minutes)d menit, lalu kirim lagi.") % {"minutes": minutes}, "rate")
