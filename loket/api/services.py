"""Acts on API tokens (token API): issue, revoke, revoke all of one account, note the last use.

Who may act: an office admin (role ``admin``) on the tokens of their own office's staff; a
platform superuser on every token; ``actor=None`` is the command line (``loket tokens``), run
by whoever operates the server, which sees every office. The screen (/staf/token/) and the
command only call these functions. docs/security.md says why each rule is there."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from loket.api.models import ApiToken
from loket.core.errors import InvalidInput
from loket.offices.roles import Role, has_role, staff_of

log = logging.getLogger(__name__)

# The last use is written at most once per token per TOUCH_EVERY, so that a system calling the
# API many times a second does not write a row on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)
# The longest validity one can ask for when giving one (a typing error guard, not a rule of law:
# a token without an end date is allowed).
MAX_DAYS = 3650
LABEL_MAX = 120


def may_manage(user) -> bool:
    """Whether ``user`` may list, issue and revoke tokens (of their office, or all for a superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or has_role(user, Role.ADMIN)


def scope_of(actor):
    """The office whose tokens ``actor`` manages; None for every office (superuser, command line).
    PermissionDenied for anybody else."""
    if actor is None:
        return None
    if not may_manage(actor):
        raise PermissionDenied("Token API hanya dapat dikelola oleh Admin kantor.")
    return None if actor.is_superuser else staff_of(actor).office


def _expiry(*, expires_days, expires_on, now: dt.datetime, errors: dict) -> dt.datetime | None:
    days_raw = "" if expires_days is None else str(expires_days).strip()
    if isinstance(expires_on, dt.date):
        on_raw = expires_on.isoformat()
    else:
        on_raw = "" if expires_on is None else str(expires_on).strip()
    if days_raw and on_raw:
        errors["expires_on"] = ["Isi masa berlaku dalam jumlah hari atau dengan tanggal, jangan keduanya."]
        return None
    if days_raw:
        try:
            days = int(days_raw)
        except ValueError:
            errors["expires_days"] = ["Masa berlaku ditulis sebagai jumlah hari, mis. 90."]
            return None
        if not 1 <= days <= MAX_DAYS:
            errors["expires_days"] = [f"Masa berlaku antara 1 dan {MAX_DAYS} hari."]
            return None
        return now + dt.timedelta(days=days)
    if on_raw:
        try:
            day = dt.date.fromisoformat(on_raw)
        except ValueError:
            errors["expires_on"] = ["Tanggal tidak valid; gunakan format TTTT-BB-HH."]
            return None
        today = timezone.localdate(now)
        if day < today:
            errors["expires_on"] = ["Tanggal itu sudah lewat; pilih hari ini atau sesudahnya."]
            return None
        if day > today + dt.timedelta(days=MAX_DAYS):
            errors["expires_on"] = [f"Masa berlaku paling lama {MAX_DAYS} hari dari hari ini."]
            return None
        # Valid through that whole day, office time (Asia/Jakarta): it ends at the next midnight.
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min),
                                   timezone.get_default_timezone())
    return None


@transaction.atomic
def token_issue(*, actor, owner, label: str, expires_days=None, expires_on=None,
                now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Issue a token for ``owner`` (an active staff member of the actor's office) and return it
    with its secret, which is never stored and cannot be shown again. Expiry: a number of days
    from now, or a date (valid through that day), or neither (no end). InvalidInput with every
    bad field; nothing is written then."""
    office = scope_of(actor)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    staff = staff_of(owner) if owner is not None else None
    if (owner is None or not owner.is_active or staff is None
            or (office is not None and staff.office_id != office.pk)):
        errors["owner"] = ["Pilih pemilik token: pegawai aktif kantor ini."]
    label = (label or "").strip()
    if not label:
        errors["label"] = ["Isi label: sistem yang memakai token, mis. Kelurahan Klegen."]
    elif len(label) > LABEL_MAX:
        errors["label"] = [f"Label paling panjang {LABEL_MAX} karakter."]
    expires_at = _expiry(expires_days=expires_days, expires_on=expires_on, now=now, errors=errors)
    if errors:
        raise InvalidInput(errors)
    row, secret = ApiToken.issue(user=owner, name=label, expires_at=expires_at, issued_by=actor)
    log.info("API token %s issued for user %s by %s", row.pk, owner.pk, actor.pk if actor else "command line")
    return row, secret


@transaction.atomic
def token_revoke(*, actor, token_id: int, now: dt.datetime | None = None) -> tuple[ApiToken, bool]:
    """Revoke one token. Returns (token, True), or (token, False) when it was revoked already
    (nothing changes then). A token outside the actor's office is ApiToken.DoesNotExist, exactly
    like an unknown one."""
    office = scope_of(actor)
    rows = ApiToken.objects.select_for_update(of=("self",))
    if office is not None:
        rows = rows.filter(user__staff__office=office)
    row = rows.filter(pk=token_id).first()
    if row is None:
        raise ApiToken.DoesNotExist("Token tidak ditemukan.")
    if row.revoked_at is not None:
        return row, False
    row.revoked_at = now or timezone.now()
    row.revoked_by = actor
    row.revoked_reason = ApiToken.RevokeReason.MANUAL
    row.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    log.info("API token %s revoked by %s", row.pk, actor.pk if actor else "command line")
    return row, True


def tokens_revoke_of_user(*, user, reason: str, actor=None, now: dt.datetime | None = None) -> int:
    """Revoke every token of ``user`` not revoked yet; returns how many. Called when the user's
    password changes or the account is deactivated (loket.api.signals), by any path."""
    count = ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=actor, revoked_reason=reason,
    )
    if count:
        log.info("%s API token(s) of user %s revoked: %s", count, user.pk, reason)
    return count


def token_touch(*, token: ApiToken, now: dt.datetime) -> bool:
    """Note that ``token`` was used now, unless that was noted less than TOUCH_EVERY ago (then no
    query at all). The UPDATE is conditional, so that several server processes seeing the same
    stale time write it once. Returns whether it wrote."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    written = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY))
        .update(last_used_at=now)
    )
    token.last_used_at = now
    return bool(written)
