"""Single-use forms: a second post of the same rendered form does nothing (issue 13, item 6).

A double click on "Simpan", a browser that resends a post, the back button: each used to do
the act again (two dossiers, two complaints). Every state-changing form therefore carries
``{% once_token %}`` (``loket/core/templatetags/once.py``): a hidden field ``once`` holding a
fresh random nonce, signed with the time the form was rendered. ``SingleUseFormMiddleware``
handles every POST that carries one, for every view, so no view has its own copy:

1. The token must be ours and at most ``MAX_AGE`` old; otherwise the post is refused (400,
   nothing runs) and the page says to open the form again.
2. In ONE database transaction: a ``FormSubmission`` row with the nonce is inserted (a unique
   column), then the view runs.
   - The view succeeded (a redirect after the POST, and no error message): the row is kept,
     with where the redirect led and what the view reported ("Berkas ABC-123 diterima."),
     and commits together with the act.
   - Anything else (the form shown again with its errors, an act refused with a message): the
     row is deleted again, so the same token can be sent once more after the correction;
     whatever the view did (normally nothing) commits as it would have without us.
   - The view broke the transaction: everything rolls back, the row too.
3. A second post of the same token meets the first one's row. While the first is still
   running, the insert waits for it (PostgreSQL: the unique index; SQLite: the write lock);
   then it fails, and the post is refused with 409 and a page that names and links what the
   first one made. Nothing of the second post runs.

A POST without the field is let through unchanged: the API (its own ``Idempotency-Key``,
``loket.api.idempotency``), the login, the admin and tests that post to views directly do not
carry it. ``tests/core/test_once.py`` proves that every ``<form method="post">`` of Loket's
templates carries the tag (login and logout excepted).

Rows are deleted once older than ``MAX_AGE`` (their tokens are refused by then anyway), by
``once_purge``, which the middleware runs at most every ``PURGE_EVERY`` seconds per process.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from loket.core.models import FormSubmission

log = logging.getLogger(__name__)

FIELD = "once"
# A form may stay open this long (a clerk's form left over lunch, a citizen's phone overnight).
MAX_AGE = 24 * 60 * 60
PURGE_EVERY = 10 * 60
NOTE_MAX = 500

_SALT = "loket.core.once"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_next_purge = 0.0


def token_new() -> str:
    """A fresh token for one rendered form: a random nonce, signed with the time of now."""
    return signing.TimestampSigner(salt=_SALT).sign(secrets.token_urlsafe(24))


def nonce_of(token) -> str | None:
    """The nonce of a token we signed at most MAX_AGE ago; None for anything else."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        return signing.TimestampSigner(salt=_SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None


def once_purge(*, now=None) -> int:
    """Delete the rows whose tokens have expired; the number deleted."""
    cutoff = (now or timezone.now()) - timedelta(seconds=MAX_AGE)
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _purge_when_due() -> None:
    global _next_purge
    if time.monotonic() >= _next_purge:
        _next_purge = time.monotonic() + PURGE_EVERY
        once_purge()


def _queued(request) -> list:
    """The messages the request has added so far (django.contrib.messages' storage)."""
    return list(getattr(getattr(request, "_messages", None), "_queued_messages", ()))


def done(request, *, note: str, url: str = "") -> None:
    """Tell the middleware that the act was done although the view answers with a page, not a
    redirect: a page that shows a secret once (a new API token, a one-time password). A repeat
    of the post is then refused like any other, with this note and link."""
    request._once_done = (note, url)


def _succeeded(request, response, new_messages) -> bool:
    """A redirect after the POST with no error message (what Loket's views do when the act was
    done), or a page the view marked with ``done()``."""
    if getattr(request, "_once_done", None) is not None:
        return True
    return response.status_code in (301, 302, 303) and not any(m.level >= messages.ERROR for m in new_messages)


def _note(new_messages) -> str:
    return " ".join(str(m.message) for m in new_messages)[:NOTE_MAX]


def _posted_token(request) -> str | None:
    if request.method != "POST" or request.path.startswith("/api/") or request.content_type not in _FORM_TYPES:
        return None
    return request.POST.get(FIELD) or None


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _refused_used(request, first: FormSubmission | None):
    user = _user(request)
    mine = first is not None and first.user_id == (user.pk if user else None)
    return render(request, "core/once_used.html", {
        # Only the one who sent the first post is shown what it made.
        "note": first.result_note if mine else "", "url": first.result_url if mine else "",
    }, status=409)


def _refused_stale(request):
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return render(request, "core/once_expired.html", {"back": back, "hours": MAX_AGE // 3600}, status=400)


def _once(request, nonce: str, get_response):
    user = _user(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(nonce=nonce, user=user, path=request.path[:300])
        except IntegrityError:  # sent before: the first post's row (committed; we waited for it)
            claim = None
        if claim is not None:
            before = len(_queued(request))
            response = get_response(request)
            if transaction.get_rollback():  # the view broke the transaction: all of it rolls back
                return response
            new = _queued(request)[before:]
            if _succeeded(request, response, new):
                note, url = getattr(request, "_once_done", None) or (_note(new), response.get("Location", ""))
                claim.result_url, claim.result_note = url[:500], note[:NOTE_MAX]
                claim.save(update_fields=["result_url", "result_note"])
            else:
                claim.delete()  # refused or shown again: the same form may be sent again
            return response
    log.info("a repeated post of one form was refused (%s)", request.path)
    return _refused_used(request, FormSubmission.objects.filter(nonce=nonce).first())


class SingleUseFormMiddleware:
    """Make every post of a form that carries ``{% once_token %}`` single-use (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _posted_token(request)
        if token is None:
            return self.get_response(request)
        nonce = nonce_of(token)
        if nonce is None:
            log.info("a form token that is expired or not ours was refused (%s)", request.path)
            return _refused_stale(request)
        _purge_when_due()
        return _once(request, nonce, self.get_response)
