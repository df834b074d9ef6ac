"""Reads of API tokens (token API), scoped like the acts in loket.api.services: an office admin
sees the tokens of their own office's staff, a superuser and the command line (viewer=None)
see all."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from loket.api.models import ApiToken, token_hash
from loket.api.services import scope_of


def _visible(viewer) -> QuerySet[ApiToken]:
    office = scope_of(viewer)
    rows = ApiToken.objects.all()
    return rows if office is None else rows.filter(user__staff__office=office)


def token_list(*, viewer, office=None, user=None, include_inactive: bool = False,
               now: dt.datetime | None = None) -> QuerySet[ApiToken]:
    """Tokens the viewer may see, newest first, with owner, office, issuer and revoker in the
    same query. Without ``include_inactive`` only those that still work (not revoked, not expired)."""
    rows = _visible(viewer).select_related("user", "user__staff", "user__staff__office", "issued_by", "revoked_by")
    if office is not None:
        rows = rows.filter(user__staff__office=office)
    if user is not None:
        rows = rows.filter(user=user)
    if not include_inactive:
        rows = rows.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now()))
    return rows.order_by("-created_at", "-pk")


def token_get(*, viewer, pk) -> ApiToken | None:
    """One token the viewer may see, or None (unknown, or of another office: the same answer)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (_visible(viewer).select_related("user", "user__staff", "user__staff__office", "issued_by", "revoked_by")
            .filter(pk=pk).first())


def tokens_by_prefix(*, viewer, prefix: str) -> list[ApiToken]:
    """The tokens whose stored prefix is exactly ``prefix`` (usually one; old 4-character
    prefixes may be shared)."""
    return list(_visible(viewer).select_related("user").filter(prefix=prefix).order_by("pk"))


def token_by_secret(*, viewer, secret: str) -> ApiToken | None:
    """The token with this secret (found by its hash), e.g. one that leaked."""
    return _visible(viewer).select_related("user").filter(key_hash=token_hash(secret.strip())).first()


def owner_choices(*, viewer) -> QuerySet:
    """Who may own a new token: the active staff of the viewer's office (all offices for a
    superuser or the command line)."""
    office = scope_of(viewer)
    users = get_user_model().objects.filter(is_active=True, staff__isnull=False)
    if office is not None:
        users = users.filter(staff__office=office)
    return users.select_related("staff", "staff__office").order_by("staff__office__name", "username")


def owner_get(*, viewer, pk=None, username: str | None = None):
    """One possible owner by primary key or user name, or None."""
    users = owner_choices(viewer=viewer)
    if username is not None:
        return users.filter(username=username).first()
    try:
        return users.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None
