"""Password spraying: failed logins are limited per client address across user names too.

django-axes (settings) locks one (user name, address) pair after 5 wrong passwords; one address
could still try one password on every user name of the install. This adds a second, higher
limit per address alone: ``FAILURES_PER_ADDRESS`` failed logins (any user names, /masuk/ and
/admin/login/ together) within a fixed ``WINDOW_SECONDS`` window refuse every further login from
that address, even with a right password, until the window ends (HTTP 429 with a page saying so).

The numbers (docs/security.md): an office behind one NAT address with 20 clerks logs in
about 20 times in the first half hour of the day; even if every clerk mistyped once or twice in
the same quarter-hour that is 20–40 failures spread over two windows, so 30 per 15 minutes is
not reached on a normal morning, while a sprayer from one address gets 30 guesses per quarter
hour (120 an hour) instead of 5 per user name. Successful logins do not count, and do not reset
the count (else one known account would reset it for the sprayer).

Counted in the shared cache (core.ratelimit: files or Redis, shared by every server process);
the address is the one the rate limits and axes use (``address_of``, LOKET_BEHIND_PROXY aware).
"""

from __future__ import annotations

import os

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from loket.core import ratelimit

FAILURES_PER_ADDRESS = int(os.environ.get("LOKET_LOGIN_ADDRESS_LIMIT", "30"))
WINDOW_SECONDS = 15 * 60
BLOCKED_FLAG = "loket_login_address_blocked"


def _key(address: str) -> str:
    return f"login_fail:{address}"


def address_blocked(request) -> bool:
    address = ratelimit.address_of(request)
    return bool(address) and ratelimit.count(_key(address), window=WINDOW_SECONDS) >= FAILURES_PER_ADDRESS


@receiver(user_login_failed, dispatch_uid="loket.core.logins.failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    address = ratelimit.address_of(request) if request is not None else None
    if address:
        ratelimit.hit(_key(address), limit=FAILURES_PER_ADDRESS, window=WINDOW_SECONDS)


class AddressLimitBackend:
    """In AUTHENTICATION_BACKENDS before the password check: an address over its limit is refused
    before any password is looked at. It never logs anybody in itself, and has no ``get_user``
    (as axes' backend): a session is never bound to it (the test client's force_login takes the
    first backend that has one)."""

    def authenticate(self, request, **credentials):
        if request is not None and address_blocked(request):
            setattr(request, BLOCKED_FLAG, True)
            raise PermissionDenied("Terlalu banyak percobaan masuk yang gagal dari alamat ini.")
        return None


class LoginAddressLimitMiddleware:
    """Turns a login refused by AddressLimitBackend into its own page (HTTP 429), as
    axes.middleware.AxesMiddleware does for its lockouts (the login form alone would only say
    "wrong password")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, BLOCKED_FLAG, False):
            from django.shortcuts import render

            return render(request, "registration/address_locked.html",
                          {"minutes": WINDOW_SECONDS // 60}, status=429)
        return response
