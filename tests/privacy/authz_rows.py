"""The privacy area's rows of the authorization matrix: the public notice, for everyone.

The engine and the kinds of rows: tests/support/authz.py; how to add a row: tests/support/README.md."""

from __future__ import annotations

from django.urls import reverse

from tests.privacy import rows_access, rows_breaches, rows_requests
from tests.support.authz import PUBLIC, PUBLIC_WEB, Entry

ROWS: list[Entry] = [
    Entry("privacy_public:notice", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("privacy_public:notice", args=[w.office.slug])),
]
ROWS += [*rows_access.ROWS, *rows_requests.ROWS, *rows_breaches.ROWS]
