"""A small fixed-window rate limit on Django's cache, for public look-ups by code
(tracking, verification) so that codes cannot be enumerated.

With the default local-memory cache the window is per server process; an office that runs
several processes can point CACHES at Redis or the database to share it."""

from __future__ import annotations

import os

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

# Per client address and minute, for tracking and for verification (each its own count).
# LOKET_PUBLIC_RATE_LIMIT changes it, e.g. for a benchmark; 20 is plenty for a citizen.
PUBLIC_LOOKUPS_PER_MINUTE = int(os.environ.get("LOKET_PUBLIC_RATE_LIMIT", "20"))


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def address_of(request) -> str | None:
    """The client's address, or None when there is no valid one (for django-axes, whose database
    column only takes addresses).

    REMOTE_ADDR, unless LOKET_BEHIND_PROXY says a reverse proxy of ours stands in front: then
    REMOTE_ADDR is the proxy for everybody, and the client is the last X-Forwarded-For entry,
    the one our proxy appended (entries before it come from the client and can be forged)."""
    if getattr(settings, "LOKET_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        last = _ip(forwarded[-1])
        if last:
            return last
    return _ip(request.META.get("REMOTE_ADDR") or "")


def client_ip(request) -> str:
    """The client's address for rate limits; the same one login lockouts count (settings.AXES_CLIENT_IP_CALLABLE)."""
    return address_of(request) or "?"


def hit(key: str, *, limit: int, window: int = 60) -> bool:
    """Count one hit; True when the caller is still within the limit. Unlike ``take``, a hit
    over the limit still counts (a look-up limit: every try is a try)."""
    bucket = _bucket(key, window)
    return _count_one(bucket, window) <= limit


def _bucket(key: str, window: int) -> str:
    return f"rl:{key}:{int(time.time() // window)}"


def _count_one(bucket: str, window: int) -> int:
    """Add one to the window's bucket; the count after it."""
    if cache.add(bucket, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 1)
        return 1


def count(key: str, *, window: int = 60) -> int:
    """The hits of ``key`` in the current window, without counting one more."""
    return int(cache.get(_bucket(key, window)) or 0)


def public_lookup_allowed(request, scope: str) -> bool:
    return hit(f"{scope}:{client_ip(request)}", limit=PUBLIC_LOOKUPS_PER_MINUTE)


def take(key: str, *, limit: int, window: int = 60) -> str | None:
    """Take one of ``limit`` uses of the window for an act that may still fail: the bucket to
    hand to ``give_back`` if it does, or None when the caller is over the limit (that attempt
    is given back at once, so refusals do not count either)."""
    bucket = _bucket(key, window)
    if _count_one(bucket, window) <= limit:
        return bucket
    give_back(bucket)
    return None


def give_back(bucket: str) -> None:
    """Undo one ``take``: the act it was taken for did not happen."""
    try:
        cache.decr(bucket)
    except ValueError:  # the window has passed; nothing left to undo
        pass
