"""Loket-wide endpoints that belong to no office area."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """For the load balancer and monitoring: the process answers. Touches no database, which
    also makes it the bare baseline the benchmark compares public pages against."""
    return HttpResponse("ok", content_type="text/plain")
