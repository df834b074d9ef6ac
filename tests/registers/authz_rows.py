"""The registers' rows of the authorization matrix: the Buku Register Pelayanan and its exports.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations


from tests.support.authz import PAGE, STAFF
from tests.support.authz import Entry, r


ROWS: list[Entry] = [
    Entry("registers:book", "GET", PAGE, STAFF, r("registers:book")),
    Entry("registers:export_xlsx", "GET", PAGE, STAFF, r("registers:export_xlsx")),
    Entry("registers:export_pdf", "GET", PAGE, STAFF, r("registers:export_pdf")),
]
