"""A small fixed-window rate limit on Django's cache, for public look-ups by code
(tracking, verification) so that codes cannot be enumerated.

With the default local-memory cache the window is per server process; an office that runs
several processes can point CACHES at Redis or the database to share it."""

from __future__ import annotations

import time

from django.core.cache import cache

PUBLIC_LOOKUPS_PER_MINUTE = 20


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For can be forged unless the proxy is known (docs/operations.md).
    return request.META.get("REMOTE_ADDR", "?")


def hit(key: str, *, limit: int, window: int = 60) -> bool:
    """Count one hit; True when the caller is still within the limit."""
    bucket = f"rl:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 1)
        return True
    return count <= limit


def public_lookup_allowed(request, scope: str) -> bool:
    return hit(f"{scope}:{client_ip(request)}", limit=PUBLIC_LOOKUPS_PER_MINUTE)
