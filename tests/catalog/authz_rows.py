"""The catalog's rows of the authorization matrix: the public service standard and its API.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations


from django.urls import reverse

from tests.support.authz import API_PUBLIC, PUBLIC, PUBLIC_WEB
from tests.support.authz import Entry, r


ROWS: list[Entry] = [
    Entry("catalog:index", "GET", PUBLIC_WEB, PUBLIC, r("catalog:index"), ok=302,
          ok_location=lambda who, w: f"/{w.office.slug}/"),
    Entry("catalog:home", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("catalog:home", args=[w.office.slug])),
    Entry("catalog:service_list", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:service_list", args=[w.office.slug])),
    Entry("catalog:service_detail", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:service_detail", args=[w.office.slug, "pindah"])),
    Entry("catalog:standard_pdf", "GET", PUBLIC_WEB, PUBLIC,
          lambda w: reverse("catalog:standard_pdf", args=[w.office.slug])),
    Entry("api:service_list", "GET", API_PUBLIC, PUBLIC, r("api:service_list")),
    Entry("api:service_detail", "GET", API_PUBLIC, PUBLIC, r("api:service_detail", code="pindah")),
]
