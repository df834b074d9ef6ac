"""The API's rows of the authorization matrix: its root, OpenAPI schema and docs, and the API
token screens.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations


from django.urls import reverse

from loket.api.models import ApiToken
from tests.support.authz import API_PUBLIC, PAGE, POST403, PUBLIC
from tests.support.authz import Entry, r


def _api_token_url(w):
    """A token of the front office, to be revoked."""
    return reverse("tokens:revoke", kwargs={"pk": ApiToken.issue(user=w.people["front"], name="authz")[0].pk})


ROWS: list[Entry] = [
    # --- API tokens (loket/api/views.py): the office admin only; another office's token is 404 ---
    Entry("tokens:list", "GET", PAGE, frozenset({"admin"}), r("tokens:list")),
    Entry("tokens:new", "GET", PAGE, frozenset({"admin"}), r("tokens:new")),
    Entry("tokens:new", "POST", POST403, frozenset({"admin"}), r("tokens:new"),  # the secret shown once: 200
          data=lambda w: {"owner": str(w.people["front"].pk), "label": "Kelurahan Klegen"}),
    Entry("tokens:revoke", "GET", PAGE, frozenset({"admin"}), _api_token_url),
    Entry("tokens:revoke", "POST", POST403, frozenset({"admin"}), _api_token_url, ok=302,
          data=lambda w: {"confirm": "ya"}, ok_location=lambda who, w: reverse("tokens:list")),
    # --- API, public -----------------------------------------------------------------------
    # ninja's root of the API has no page of its own: 404 for everyone (the docs are at docs/)
    Entry("api:api-root", "GET", API_PUBLIC, PUBLIC, r("api:api-root"), ok=404),
    Entry("api:openapi-json", "GET", API_PUBLIC, PUBLIC, r("api:openapi-json")),
    Entry("api:openapi-view", "GET", API_PUBLIC, PUBLIC, r("api:openapi-view")),
]
