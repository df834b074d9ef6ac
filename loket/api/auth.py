"""API authentication: a bearer token for other systems, the session for the browser (with CSRF)."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from loket.api.models import ApiToken, token_hash
from loket.api.services import token_touch


class TokenAuth(HttpBearer):
    """A token works while it is not revoked, not expired, and its owner is an active account
    with a Staff row; anything else is 401, in one query. Its last use is noted at most once a
    minute (services.token_touch)."""

    def authenticate(self, request, token):
        now = timezone.now()
        row = (
            ApiToken.objects.select_related("user", "user__staff")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True,
                    user__staff__isnull=False)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .first()
        )
        if row is None:
            return None
        token_touch(token=row, now=now)
        request.user = row.user
        return row.user


class BrowserSessionAuth(SessionAuth):
    """The browser's session, with its CSRF check. A request without a session cookie is not
    a browser session at all: it is left unauthenticated (401), instead of failing the CSRF
    check with 403 as if it had tried to use one (e.g. a system with a wrong token)."""

    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        return super().authenticate(request, key)


staff_auth = [TokenAuth(), BrowserSessionAuth()]


def staff_office(request):
    """The office of the staff member calling; 403 for an account without one."""
    from django.core.exceptions import PermissionDenied

    from loket.offices.roles import staff_of

    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("Hanya untuk pegawai kantor.")
    return staff.office
