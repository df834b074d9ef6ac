"""Loket's own middleware: Bahasa Indonesia first, hostile bytes refused at the door."""

import json
import re


class IndonesianFirstMiddleware:
    """Bahasa Indonesia first.

    Many phones in Indonesia run an English system language, so the browser's Accept-Language
    would turn Loket English for people who read the signed standard in Indonesian. The
    language changes only when the person picks it with the switch in the header (cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseControlCharactersMiddleware:
    """Control characters have no place in any text Loket takes: refuse them at the door with 400,
    before any query, whatever the content type.

    Refused: C0 controls except TAB, LF and CR (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F),
    DEL (U+007F), and lone surrogates (U+D800–U+DFFF, which only a JSON ``\\udXXX`` escape can
    produce and which PostgreSQL cannot store either). NUL is the dangerous one (PostgreSQL refuses
    it in a text column: a 500 halfway through an act), the others end up in registers, papers and
    XLSX exports, which cannot hold them (openpyxl refuses them when the book is exported).

    Checked: the path; every name and value of the query string; every field name and value of
    an urlencoded or multipart form (not the files: their contents are checked by their form,
    loket.core.uploads, and Django's multipart parser already drops every non-printable character
    from their names); and every key and string of any other body that parses as JSON, whatever
    its declared content type. The last is how django-ninja reads a body: it parses any body as JSON (``text/plain`` included), so a check that looked only
    at ``application/json`` let a NUL under ``text/plain`` through to PostgreSQL (a 500). A body
    that is not JSON is left to the API, which answers 400 for it itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.multipartparser import MultiPartParserError

        try:
            where = self._first_bad(request)
        except MultiPartParserError:
            return self._refuse(request, "body", "Formulir tidak dapat dibaca (isi multipart rusak). "
                                                 "Muat ulang halaman lalu kirim lagi.")
        if where is not None:
            return self._refuse(request, where, f"Isian \u201c{where}\u201d berisi karakter NUL atau karakter "
                                                "kendali lain yang tidak diizinkan. Hapus karakter itu lalu kirim lagi.")
        return self.get_response(request)

    @staticmethod
    def _first_bad(request) -> str | None:
        """The name of the first input that holds a refused character, or None."""
        if has_control(request.path):
            return "path"
        bad = _first_bad_in_pairs(request.GET.lists())
        if bad is not None:
            return bad
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            if request.method != "POST":
                return None  # Django parses forms of POST only; nobody reads the others
            return _first_bad_in_pairs(request.POST.lists())
        if request.META.get("CONTENT_LENGTH") in (None, "", "0") and "HTTP_TRANSFER_ENCODING" not in request.META:
            return None
        return _first_bad_in_json(request.body)

    @staticmethod
    def _refuse(request, where: str, message: str):
        from django.http import HttpResponseBadRequest, JsonResponse

        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Data tidak valid.", "errors": {where: [message]}}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


# C0 controls but TAB, LF, CR; DEL; lone surrogates (only a JSON escape makes them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_control(text: str) -> bool:
    """True when ``text`` holds a character Loket refuses in any input (see the middleware)."""
    return _CONTROL.search(text) is not None


def _shown(name: str) -> str:
    """A field name fit to be shown in the message (a name may itself hold the bad character)."""
    return _CONTROL.sub("?", name)[:100] or "?"


def _first_bad_in_pairs(pairs) -> str | None:
    for key, values in pairs:
        if has_control(key) or any(has_control(v) for v in values):
            return _shown(key)
    return None


def _first_bad_in_json(body: bytes) -> str | None:
    """The dotted path of the first key or string of a JSON body with a refused character (``body``
    for the top level); None when there is none or the body is not JSON at all."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the API answers 400 for it itself; other views never read it
    stack = [("", data)]  # iterative: a deeply nested body cannot exhaust the stack
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if has_control(value):
                return _shown(path) if path else "body"
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if has_control(str(key)):
                    return _shown(child)
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value))
    return None


class NoStoreForStaffMiddleware:
    """Staff pages, papers, exports and staff API answers are never kept by a browser or a proxy.

    Every response to a signed-in request (session or API token: the token's user is on the
    request by the time the view has run) and every response under /staf/, /admin/ and
    /api/v1/staff/ gets ``Cache-Control: no-store`` (Django's ``add_never_cache_headers``: also
    no-cache, must-revalidate, private, max-age=0 and an Expires in the past). A counter PC's
    browser cache, a shared proxy or a "back" button after logout then holds no NIK, no register
    page and no downloaded book. Public pages for visitors keep their own caching (core.cache)."""

    PREFIXES = ("/staf/", "/admin/", "/api/v1/staff/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(self.PREFIXES) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
