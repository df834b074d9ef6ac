"""Keep the query string out of Django's request log records.

``django.request`` logs every 4xx and 5xx answer with the request attached to the record
(``record.request``), and the request's repr carries the whole address, query string included.
A search by NIK (``/staf/privasi/akses/?nik=…``, ``/api/v1/privacy/access/?nik=…``) or by
telephone that ends in a 400 or 404 would so put a personal number in the record, for any
handler that prints or ships the request (a JSON formatter, an error tracker). UU 27/2022 Pasal
35-36: keep personal data out of places that are not meant to hold them. The filter replaces the
attached request by its method and path only; the message (``Bad Request: /path``) already has
no query string."""

from __future__ import annotations

import logging


class RequestWithoutQuery:
    """What a log handler may read of a request: method and path, never the query or the body."""

    __slots__ = ("method", "path")

    def __init__(self, request) -> None:
        self.method = getattr(request, "method", "")
        self.path = getattr(request, "path", "")

    def __repr__(self) -> str:
        return f"<Request: {self.method} {self.path!r}>"

    __str__ = __repr__


class DropQueryString(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, RequestWithoutQuery):
            record.request = RequestWithoutQuery(request)
        return True
