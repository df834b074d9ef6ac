"""Loket-wide endpoints that belong to no office area."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """For the load balancer and monitoring: the process answers. Touches no database, which
    also makes it the bare baseline the benchmark compares public pages against."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def language(request, code):
    """Switch the interface language (a cookie) and go back. A GET link, because choosing a
    language changes nothing anyone else sees; Django's set_language (POST) also stays."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("Bahasa tidak tersedia.")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, httponly=False,
    )
    response["Cache-Control"] = "no-store"
    return response


def throttled(request):
    """The page for a public look-up over its rate limit (core.ratelimit): 429, the error layout."""
    return render(request, "429.html", _error_context(request), status=429)


# --- error pages (loket/urls.py handler400/403/404/500) --------------------------------------

def _back(request) -> str:
    """The page the visitor came from, when it is one of ours: the first way back offered."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return referer
    return ""


def _error_context(request, exception=None, *, reason: bool = False) -> dict:
    try:
        back = _back(request)
    except Exception:  # DisallowedHost and the like: the error page itself must not fail
        back = ""
    # A refusal's own sentence (PermissionDenied("Akun ini bukan akun pegawai kantor.")) says why;
    # Django's and other libraries' technical messages are not shown.
    message = str(exception or "") if reason else ""
    return {"back": back, "reason": message if _indonesian(message) else ""}


def _indonesian(message: str) -> bool:
    """Loket's own refusals end with a full stop and are written in Indonesian; a library's
    (English, technical) message is not worth showing to a citizen or clerk."""
    return bool(message) and message.endswith(".") and any(w in message.lower().split() for w in _ID_WORDS)


_ID_WORDS = {"tidak", "bukan", "hanya", "belum", "akun", "berkas", "ini", "yang", "dapat", "boleh", "sudah"}


API_PREFIX = "/api/"
API_MESSAGES = {400: "Permintaan tidak valid.", 403: "Tidak diizinkan.", 404: "Tidak ditemukan.",
                500: "Kesalahan server; coba lagi sebentar lagi."}


def _api_error(request, status: int):
    """An API client gets JSON, as from the API's own handlers (loket/api_v1.py), not a web page;
    and no query is made for it (the office of the page header is not needed)."""
    from django.http import JsonResponse

    return JsonResponse({"detail": API_MESSAGES[status]}, status=status)


def bad_request(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(request, 400)
    return render(request, "400.html", _error_context(request), status=400)


def permission_denied(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(request, 403)
    return render(request, "403.html", _error_context(request, exception, reason=True), status=403)


def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(request, 404)
    return render(request, "404.html", _error_context(request), status=404)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (settings.CSRF_FAILURE_VIEW): usually a session that ended
    or a page left open; the page says that what was typed is still on the previous page."""
    return render(request, "403_csrf.html", _error_context(request), status=403)


def server_error(request):
    """500: rendered without the request, so no context processor runs (no query: the database
    may be what failed) and nothing of a half-done request is read. Should even the template
    fail, a plain sentence is the answer."""
    from django.template import loader

    if request.path.startswith(API_PREFIX):
        return _api_error(request, 500)
    try:
        # base.html's variables that context processors would give, empty: nobody is asked for
        html = loader.get_template("500.html").render({"back": "", "office": None, "site_office": None, "site_staff": None})
    except Exception:
        html = ("<!doctype html><html lang=\"id\"><meta charset=\"utf-8\"><title>Kesalahan server</title>"
                "<h1>Terjadi kesalahan pada server</h1><p>Coba lagi sebentar lagi. <a href=\"/\">Halaman utama</a></p></html>")
    return HttpResponse(html, status=500)
