"""``Idempotency-Key`` for the API's creates and acts (IETF draft-ietf-httpapi-idempotency-key-header-07).

A system that sends ``POST /api/v1/dossiers/`` and loses the answer (a timeout, a dropped
connection) cannot tell whether the dossier was made; sending it again used to make a second
one (and a retried act, e.g. a deed's tax proof, a second row). With the header, the retry is
safe:

- same key, same request (method, path with query, body) → the first answer, replayed as it
  was (status, body), with ``Idempotent-Replayed: true``; nothing runs again;
- same key, another request → 422 ("reuse with a different request payload", draft §2.7);
- same key while the first request is still running → 409 (draft §2.7, "concurrent request");
- a key that is not 1–255 visible ASCII characters → 400.

Keys belong to the caller (the draft leaves the scope to the resource): its bearer token, else
its logged-in user (browser session), else — public calls — its client address. Only answers
2xx are kept: a refused request (400, 403, 404, 409, 429 …) gives its key back, so the caller
may correct the body and send it again with the same key, like a form refused for bad input
(``loket.core.once``). Kept ``KEEP`` (24 hours) after the first request, then deleted, at most
every ``PURGE_EVERY`` seconds per process; the policy is published in the header's description
in the OpenAPI schema, as the draft asks.

Exactly once: the key's row is inserted (unique per caller and key) and committed before the
act, so a second request sees it at once (409); the act and the storing of its answer are one
transaction, and the answer is stored only by the request that still owns the key. A request
whose process died leaves its row "in flight"; after ``STALE`` seconds a retry takes the key
over, and should the first request still be alive after all, it loses the key and its act
rolls back (409) instead of being done twice.

Usage, right under the route (one line per operation; it also adds the header parameter and
the 409/422 answers to the operation's OpenAPI entry)::

    @router.post("/dossiers/", ...)
    @idempotent
    def dossier_create(request, payload: DossierIn): ...
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from datetime import timedelta
from functools import wraps

from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from loket.api.models import ApiToken, IdempotentRequest, token_hash
from loket.core.ratelimit import client_ip

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEY_MAX = 255
KEEP = 24 * 60 * 60
STALE = 5 * 60
PURGE_EVERY = 10 * 60
REPLAYED = "Idempotent-Replayed"

MESSAGES = {
    400: f"Header {HEADER} tidak valid: 1–{KEY_MAX} karakter ASCII yang terlihat (sebaiknya UUID acak, satu untuk "
         "setiap tindakan), boleh dalam tanda kutip.",
    409: f"Permintaan dengan {HEADER} ini masih diproses. Tunggu sebentar, lalu kirim lagi dengan kunci dan isi yang "
         "sama untuk mendapat hasilnya.",
    422: f"{HEADER} ini sudah dipakai untuk permintaan yang lain (alamat atau isi berbeda). Pakai kunci baru untuk "
         "setiap tindakan baru; untuk mengulang, kirim isi yang sama persis.",
}

PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX},
    "description": (
        "Opsional; menurut IETF draft-ietf-httpapi-idempotency-key-header-07. Kunci unik per tindakan (mis. UUID "
        "acak). Diulang dengan kunci dan isi yang sama: jawaban pertama dikirim lagi (header Idempotent-Replayed: "
        "true) dan tidak ada yang dibuat dua kali. Kunci yang sama dengan isi lain: 422; permintaan pertama masih "
        "diproses: 409. Kunci milik pemanggil (token, pengguna, atau alamat untuk panggilan publik) dan disimpan "
        "24 jam; hanya jawaban 2xx yang disimpan, jadi permintaan yang ditolak boleh diperbaiki dan dikirim lagi "
        "dengan kunci yang sama."
    ),
}
_ERROR_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}

_next_purge = 0.0


def key_parse(raw: str) -> str | None:
    """The key of a header value: an RFC 8941 string ("…", as the draft writes it) or the bare
    characters (as most clients send a UUID); None when it is empty, too long or not visible ASCII."""
    value = raw.strip()
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            return None
        inner, out, escaped = value[1:-1], [], False
        for ch in inner:
            if escaped:
                if ch not in '"\\':
                    return None
                out.append(ch)
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                return None
            else:
                out.append(ch)
        if escaped:
            return None
        value = "".join(out)
    if not 1 <= len(value) <= KEY_MAX or any(not " " <= ch <= "~" for ch in value):
        return None
    return value


def _bearer(request) -> str | None:
    parts = request.headers.get("Authorization", "").split(" ")
    token = " ".join(parts[1:]).strip()
    return token if parts[0].lower() == "bearer" and token else None


def scope_of(request) -> str:
    """Whose key it is: the bearer token, else the session's user, else the client address."""
    token = _bearer(request)
    user = getattr(request, "user", None)
    if token:
        who = f"token:{token_hash(token)}"
    elif user is not None and user.is_authenticated:
        who = f"user:{user.pk}"
    else:
        who = f"address:{client_ip(request)}"
    return hashlib.sha256(who.encode()).hexdigest()


def fingerprint_of(request) -> str:
    """SHA-256 of the method, the path with its query and the body (JSON compared by content,
    so key order and spacing do not matter; an upload by its fields and its files' bytes)."""
    h = hashlib.sha256(f"{request.method}\n{request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                h.update(json.dumps(["field", name, value]).encode())
        for name in sorted(request.FILES):
            for f in request.FILES.getlist(name):
                h.update(json.dumps(["file", name, f.name, f.size]).encode())
                for chunk in f.chunks():
                    h.update(chunk)
                f.seek(0)
    else:
        body = request.body
        try:
            body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
        except ValueError:
            pass
        h.update(body)
    return h.hexdigest()


def idempotent_purge(*, now=None) -> int:
    """Delete the keys older than KEEP; the number deleted."""
    cutoff = (now or timezone.now()) - timedelta(seconds=KEEP)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _purge_when_due() -> None:
    global _next_purge
    if time.monotonic() >= _next_purge:
        _next_purge = time.monotonic() + PURGE_EVERY
        idempotent_purge()


def _problem(request, status: int) -> JsonResponse:
    response = JsonResponse({"detail": MESSAGES[status], "docs": request.build_absolute_uri("/api/v1/docs/")},
                            status=status)
    if status == 409:
        response["Retry-After"] = "1"
    return response


def _replay(row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(row.body, status=row.status, content_type=row.content_type or "application/json")
    response[REPLAYED] = "true"
    return response


def _claim(*, scope: str, key: str, fingerprint: str):
    """(row we own, None), or (None, what to answer): the first request's answer, 409 or 422."""
    for _attempt in range(2):
        now = timezone.now()
        owner = secrets.token_hex(16)
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(scope=scope, key=key, fingerprint=fingerprint, owner=owner,
                                                        started_at=now), None
        except IntegrityError:
            pass
        row = IdempotentRequest.objects.filter(scope=scope, key=key).first()
        if row is None:  # given back in the meantime (its request was refused): try to take it again
            continue
        if row.fingerprint != fingerprint:
            return None, 422
        if row.status is not None:
            return None, row
        if row.started_at > now - timedelta(seconds=STALE):
            return None, 409
        # In flight for longer than any request lives: its process died. Take the key over; the
        # old request, should it finish after all, no longer owns it and rolls back.
        taken = IdempotentRequest.objects.filter(pk=row.pk, owner=row.owner, status__isnull=True).update(
            owner=owner, started_at=now)
        if taken == 1:
            row.owner, row.started_at = owner, now
            log.warning("an idempotency key in flight for over %s s was taken over", STALE)
            return row, None
        return None, 409
    return None, 409


def _give_back(row: IdempotentRequest) -> None:
    try:
        IdempotentRequest.objects.filter(pk=row.pk, owner=row.owner, status__isnull=True).delete()
    except DatabaseError:  # the row stays "in flight" and is taken over after STALE seconds
        log.exception("an idempotency key could not be given back")


def _guard(run):
    """Wraps the operation's ``run`` (auth, parsing, the view, ninja's error answers)."""

    @wraps(run)
    def guarded(request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None:
            return run(request, *args, **kwargs)
        key = key_parse(raw)
        if key is None:
            return JsonResponse({"detail": MESSAGES[400], "errors": {HEADER: [MESSAGES[400]]}}, status=400)
        token = _bearer(request)
        if token and not ApiToken.objects.filter(key_hash=token_hash(token), revoked_at__isnull=True,
                                                 user__is_active=True).exists():
            return run(request, *args, **kwargs)  # answered 401 (or as public) without touching any key
        _purge_when_due()
        row, answer = _claim(scope=scope_of(request), key=key, fingerprint=fingerprint_of(request))
        if row is None:
            return _replay(answer) if isinstance(answer, IdempotentRequest) else _problem(request, answer)
        kept = False
        try:
            with transaction.atomic():
                response = run(request, *args, **kwargs)
                if 200 <= response.status_code < 300 and not response.streaming and not transaction.get_rollback():
                    kept = IdempotentRequest.objects.filter(pk=row.pk, owner=row.owner, status__isnull=True).update(
                        status=response.status_code, content_type=response.get("Content-Type", ""),
                        body=response.content.decode("utf-8", "replace")) == 1
                    if not kept:  # taken over meanwhile: the other request answers; this act must not stay
                        transaction.set_rollback(True)
                        response = _problem(request, 409)
        finally:
            if not kept:
                _give_back(row)
        return response

    return guarded


def _document(operation) -> None:
    """The header as a parameter, and 409/422 among the answers, in the operation's OpenAPI entry."""
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), PARAMETER]
    responses = dict(extra.get("responses", {}))
    for status in (409, 422):
        if status not in operation.response_models:
            responses[str(status)] = {"description": MESSAGES[status],
                                      "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
    extra["responses"] = responses
    operation.openapi_extra = extra


def idempotent(view):
    """Let the operation below the route take an Idempotency-Key (see the module)."""
    contribute_operation_callback(view, _document)
    return decorate_view(_guard)(view)
