"""The record of who read what and the privacy index in the authorization matrix (UU 27/2022
Pasal 31, 53-54): every staff member sees the privacy page (so anyone a citizen asks knows where
the request goes); only the data protection officer (``kasi_other`` in the mini office, as in the
request and breach rows) and the Camat search the access record, on the page and through the API.

The engine and the kinds of rows: tests/support/authz.py; how to add a row: tests/support/README.md."""

from __future__ import annotations

from django.urls import reverse

from tests.privacy.rows_requests import HANDLERS, _with_officer
from tests.support.authz import API, PAGE, STAFF, Entry

ROWS: list[Entry] = [
    Entry("privacy:index", "GET", PAGE, STAFF, lambda w: reverse("privacy:index")),
    Entry("privacy:access", "GET", PAGE, HANDLERS, _with_officer("privacy:access")),
    Entry("api:privacy_access", "GET", API, HANDLERS, _with_officer("api:privacy_access")),
]
