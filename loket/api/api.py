"""Loket's JSON API, version 1. The OpenAPI schema is at /api/v1/schema/ and the browsable
docs at /api/v1/docs/ (Swagger UI served from the installed package, no CDN)."""

from django.http import Http404
from ninja import NinjaAPI

from loket.api import catalog

api = NinjaAPI(
    title="Loket API",
    version="1",
    description="API Loket: standar pelayanan, berkas, register, pengaduan. Semua nominal dalam rupiah (bilangan bulat).",
    openapi_url="/schema/",
    docs_url="/docs/",
    urls_namespace="api",
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Tidak ditemukan."}, status=404)


api.add_router("/", catalog.router)
