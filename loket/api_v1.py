"""Loket's JSON API, version 1. The OpenAPI schema is at /api/v1/schema/ and the browsable
docs at /api/v1/docs/ (Swagger UI served from the installed package, no CDN)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from loket.catalog import api as catalog
from loket.complaints import api as complaints
from loket.deeds import api as deeds
from loket.dossiers import api as dossiers
from loket.leadership import api as leadership
from loket.privacy import api_access as privacy_access
from loket.privacy import api_breaches as privacy_breaches
from loket.privacy import api_requests as privacy_requests
from loket.subjects import api as subjects
from loket.rentals import api as rentals
from loket.surveys import api as surveys
from loket.complaints.models import Complaint
from loket.core.errors import InvalidInput, LoketError
from loket.dossiers.models import Dossier
from loket.rentals.models import Booking


class LoketAPI(NinjaAPI):
    """The schema documents the 400 that any operation may answer: a control character in any
    input (query, path, body) is refused before the operation runs, by
    loket.core.middleware.RefuseControlCharactersMiddleware, in the shape of FieldErrorsOut."""

    def get_openapi_operation_id(self, operation):
        # Each app's router lives in loket/<app>/api.py; the operation ids stay those published
        # when the routers lived in loket/api/<app>.py ("loket_api_dossiers_dossier_create"),
        # so clients generated from the schema keep working (tests/api/test_operation_ids.py).
        module = operation.view_func.__module__
        parts = module.split(".")
        if len(parts) == 3 and parts[0] == "loket" and parts[2] == "api":
            module = f"loket.api.{parts[1]}"
        return (module + "_" + operation.view_func.__name__).replace(".", "_")

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        refused = {"description": "Data tidak valid (mis. karakter kendali dalam isian).",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldErrorsOut"}}}}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.get("responses") if isinstance(operation, dict) else None
                if responses is not None and 400 not in responses and "400" not in responses:
                    responses[400] = refused
        return schema


api = LoketAPI(
    title="Loket API",
    version="1",
    description=(
        "API Loket: standar pelayanan, berkas, register. Staf: header `Authorization: Bearer <token>` "
        "(terbitkan di /staf/token/ atau dengan `loket tokens issue`) atau sesi browser. Semua nominal dalam rupiah (bilangan bulat)."
    ),
    openapi_url="/schema/",
    docs_url="/docs/",
    urls_namespace="api",
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Tidak ditemukan."}, status=404)


@api.exception_handler(Dossier.DoesNotExist)
def _no_dossier(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Berkas tidak ditemukan."}, status=404)


@api.exception_handler(Complaint.DoesNotExist)
def _no_complaint(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Pengaduan tidak ditemukan."}, status=404)


@api.exception_handler(Booking.DoesNotExist)
def _no_booking(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Pesanan tidak ditemukan."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Tidak diizinkan."}, status=403)


@api.exception_handler(LoketError)
def _refused(request, exc):
    """One handler for every act's refusal: InvalidInput 400 with its field errors, WrongState
    and Taken 409 (loket/core/errors.py)."""
    body = {"detail": "Data tidak valid.", "errors": exc.errors} if isinstance(exc, InvalidInput) else {"detail": str(exc)}
    return api.create_response(request, body, status=exc.status)


# pydantic's error types, said in Indonesian (its own messages are English).
SCHEMA_MESSAGES = {
    "missing": "Wajib diisi.",
    "bool_parsing": "Harus true atau false.", "bool_type": "Harus true atau false.",
    "int_parsing": "Harus bilangan bulat.", "int_type": "Harus bilangan bulat.", "int_from_float": "Harus bilangan bulat.",
    "string_type": "Harus berupa teks.", "list_type": "Harus berupa daftar.", "dict_type": "Harus berupa objek.",
    "model_type": "Harus berupa objek.", "model_attributes_type": "Harus berupa objek.",
    "literal_error": "Nilai tidak dikenal.", "enum": "Nilai tidak dikenal.",
    "date_parsing": "Tanggal tidak valid; gunakan format TTTT-BB-HH.", "date_from_datetime_parsing": "Tanggal tidak valid; gunakan format TTTT-BB-HH.",
    "date_type": "Tanggal tidak valid; gunakan format TTTT-BB-HH.",
    "json_invalid": "Isi permintaan bukan JSON yang sah.", "string_too_long": "Teks terlalu panjang.",
}


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request, exc):
    errors: dict[str, list[str]] = {}
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", []) if p not in ("body", "payload", "query", "path")]
        message = SCHEMA_MESSAGES.get(e.get("type", ""), "Nilai tidak valid.")
        errors.setdefault(".".join(loc) or "body", []).append(message)
    return api.create_response(request, {"detail": "Data tidak valid.", "errors": errors}, status=400)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {
        "detail": "Perlu autentikasi: kirim header Authorization: Bearer <token> yang masih berlaku, atau masuk "
                  "lewat browser. Token yang dicabut atau kedaluwarsa ditolak; mintalah token baru kepada Admin kantor.",
    }, status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:  # the only 400 ninja raises itself: a body that is not JSON
        return api.create_response(request, {
            "detail": "Data tidak valid.", "errors": {"body": ["Isi permintaan bukan JSON yang sah."]},
        }, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/", catalog.router)
api.add_router("/", dossiers.router)
api.add_router("/", complaints.router)
api.add_router("/", surveys.router)
api.add_router("/", rentals.router)
api.add_router("/", leadership.router)
api.add_router("/", deeds.router)
api.add_router("/", privacy_access.router)
api.add_router("/", privacy_requests.router)
api.add_router("/", privacy_breaches.router)
api.add_router("/", subjects.router)
