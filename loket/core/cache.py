"""Caching of the public catalog pages.

The standard's pages are the same for every citizen, change only when an edition is
activated, and are most of what the public asks for. For visitors who are not signed in
they are kept whole for a short while in each server process (the "pages" cache), keyed by
address, language cookie and htmx-ness. Staff always get a fresh page. A new edition shows
within PAGE_SECONDS.
"""

from __future__ import annotations

from functools import wraps

from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_headers

PAGE_SECONDS = 60


def public_page(view):
    cached = cache_page(PAGE_SECONDS, cache="pages", key_prefix="public")(vary_on_headers("HX-Request")(view))

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return cached(request, *args, **kwargs)

    return wrapper
