"""API authentication: a bearer token for other systems, the session for the browser (with CSRF)."""

from ninja.security import HttpBearer, django_auth

from loket.api.models import ApiToken, token_hash


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user", "user__staff")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        request.user = row.user
        return row.user


staff_auth = [TokenAuth(), django_auth]
