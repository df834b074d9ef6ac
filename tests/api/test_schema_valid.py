"""The API's contract is a valid OpenAPI document: /api/v1/schema/ as served passes
openapi-spec-validator (OpenAPI 3.1, with every default inside its own enum)."""

from __future__ import annotations

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

pytestmark = pytest.mark.django_db


def _served(client) -> dict:
    r = client.get("/api/v1/schema/")
    assert r.status_code == 200
    return r.json()


def test_the_served_schema_is_valid_openapi(client):
    schema = _served(client)
    assert schema["openapi"].startswith("3.1")
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in OpenAPIV31SpecValidator(schema).iter_errors()]
    assert errors == []
    validate(schema)  # the library's own entry point agrees


@pytest.mark.parametrize("body, field", [
    ("ComplaintActIn", "kind"),  # the coordination kind: "" for every act but coordinate
    ("DeedCaseActIn", "kind"),   # the tax-proof kind: "" for every act but taxproof
])
def test_an_optional_enum_field_lists_its_empty_default(client, body, field):
    prop = _served(client)["components"]["schemas"][body]["properties"][field]
    assert prop["default"] == "" and "" in prop["enum"]


def test_the_validator_catches_a_default_outside_its_enum(client):
    # The test above can fail: the two defaults as they were are reported.
    schema = _served(client)
    prop = schema["components"]["schemas"]["ComplaintActIn"]["properties"]["kind"]
    prop["enum"] = [v for v in prop["enum"] if v]
    messages = [e.message for e in OpenAPIV31SpecValidator(schema).iter_errors()]
    assert any("'' is not one of" in m for m in messages), messages


def test_every_operation_documents_the_400_of_a_refused_input(client):
    # RefuseControlCharactersMiddleware answers 400 before any operation runs (a control
    # character in a query, path or body), so every operation says it may.
    for path, item in _served(client)["paths"].items():
        for method, operation in item.items():
            assert "400" in operation["responses"], (path, method)
    services = _served(client)["paths"]["/api/v1/services/"]["get"]["responses"]  # had none of its own
    assert services["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FieldErrorsOut"}
