"""Bahasa Indonesia first.

Many phones in Indonesia run an English system language, so the browser's Accept-Language
would turn Loket English for people who read the signed standard in Indonesian. The
language changes only when the person picks it with the switch in the header (cookie).
"""


class IndonesianFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseNulBytesMiddleware:
    """A NUL byte has no place in any address, query or form Loket takes, and PostgreSQL
    cannot store one in a text column: refuse it at the door with 400, before any query,
    instead of failing with a database error halfway (Django's forms already refuse it; the
    API and the URL parameters did not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest, JsonResponse

        query = request.META.get("QUERY_STRING", "")
        # Only small text bodies (JSON, urlencoded forms); uploads stream and are checked by their forms.
        textual = request.content_type in ("application/json", "application/x-www-form-urlencoded")
        body = request.body if request.method in ("POST", "PUT", "PATCH") and textual else b""
        if "\x00" in request.path or "%00" in query or b"\x00" in body or b"\\u0000" in body:
            message = "Permintaan berisi karakter NUL yang tidak diizinkan."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Data tidak valid.", "errors": {"body": [message]}}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
