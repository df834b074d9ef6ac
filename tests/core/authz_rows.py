"""Loket-wide rows of the authorization matrix: health, log in and out, language, and the
Django admin site's own pages.

The engine, the callers and what each kind of row means: tests/support/authz.py; how to add a
row: tests/support/README.md. tests/security/test_authz_matrix.py runs the union of every
app's ROWS."""

from __future__ import annotations


from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from loket.offices.models import Office
from tests.support.authz import ADMIN, PUBLIC, PUBLIC_WEB
from tests.support.authz import Entry, r


def _view_on_site(w):
    ct = ContentType.objects.get_for_model(Office)
    return reverse("admin:view_on_site", kwargs={"content_type_id": ct.pk, "object_id": w.office.pk})


ROWS: list[Entry] = [
    # --- public web -----------------------------------------------------------------------
    Entry("healthz", "GET", PUBLIC_WEB, PUBLIC, r("healthz")),
    Entry("login", "GET", PUBLIC_WEB, PUBLIC, r("login")),
    Entry("logout", "POST", PUBLIC_WEB, PUBLIC, r("logout"), ok=302, ok_location=lambda who, w: "/"),
    Entry("set_language", "POST", PUBLIC_WEB, PUBLIC, r("set_language"), ok=302,
          data=lambda w: {"language": "id", "next": "/lacak/"}, ok_location=lambda who, w: "/lacak/"),
    Entry("language", "GET", PUBLIC_WEB, PUBLIC, lambda w: reverse("language", args=["en"]) + "?next=/lacak/",
          ok=302, ok_location=lambda who, w: "/lacak/"),
    # --- Django admin: the site's own pages (ModelAdmin pages: test_model_admin_pages) ---------
    Entry("admin:index", "GET", ADMIN, frozenset({"admin"}), r("admin:index")),
    # the login page answers everyone; a logged-in admin is sent on to the index
    Entry("admin:login", "GET", PUBLIC_WEB, PUBLIC, r("admin:login"), ok_for={"admin": 302},
          ok_location=lambda who, w: "/admin/"),
    # a non-staff account is sent to the index (which then asks for an admin login); the admin is
    # logged out and sent to LOGOUT_REDIRECT_URL
    Entry("admin:logout", "POST", ADMIN, frozenset({"admin"}), r("admin:logout"), ok=302,
          ok_location=lambda who, w: "/", deny_location="/admin/"),
    Entry("admin:password_change", "GET", ADMIN, frozenset({"admin"}), r("admin:password_change")),
    Entry("admin:password_change_done", "GET", ADMIN, frozenset({"admin"}), r("admin:password_change_done")),
    Entry("admin:jsi18n", "GET", ADMIN, frozenset({"admin"}), r("admin:jsi18n")),
    Entry("admin:app_list", "GET", ADMIN, frozenset({"admin"}), r("admin:app_list", app_label="catalog")),
    Entry("admin:autocomplete", "GET", ADMIN, frozenset({"admin"}),
          lambda w: reverse("admin:autocomplete") + "?app_label=catalog&model_name=requirement&field_name=service&term=p"),
    # past admin_view for the admin; 404 because no Loket model has get_absolute_url
    Entry("admin:view_on_site", "GET", ADMIN, frozenset({"admin"}), _view_on_site, ok=404),
]
