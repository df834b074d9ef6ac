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
    """The page for a public look-up over its rate limit (core.ratelimit): 429, in Indonesian."""
    return render(request, "dossiers/throttled.html", status=429)
