"""The API's operation ids are part of its contract: clients generated from the OpenAPI schema
call them by name. They were published when the routers lived in loket/api/<app>.py; the routers
now live in each app (loket/<app>/api.py) and the ids must not change (issue 14)."""

from pathlib import Path

from loket.api_v1 import api

PUBLISHED = Path(__file__).with_name("operation_ids.txt")


def _ids():
    schema = api.get_openapi_schema()
    return [op["operationId"] for item in schema["paths"].values() for op in item.values() if isinstance(op, dict)]


def test_operation_ids_are_those_published():
    assert sorted(_ids()) == sorted(PUBLISHED.read_text().split())


def test_operation_ids_are_unique():
    ids = _ids()
    assert len(ids) == len(set(ids))
