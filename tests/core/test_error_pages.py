"""The error pages (issue 15): 400, 403, 404, 429 and 500 are styled pages with the site
header, a sentence of what happened and the ways back (the public home, the staff desk for
staff), in Indonesian or, when chosen with the language switch, in English. DEBUG is off here,
as in production, so Django's handlers answer."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from loket import urls as loket_urls
from loket.core import views

HEADER = 'header class="site"'

TEXTS = {
    "id": {
        400: "Permintaan tidak dapat diproses", 403: "Akses ditolak", 404: "Halaman tidak ditemukan",
        429: "Terlalu banyak permintaan", 500: "Terjadi kesalahan pada server",
        "track": "Lacak berkas", "desk": "Meja kerja pegawai", "home": "Halaman utama",
    },
    "en": {
        400: "The request cannot be processed", 403: "Access denied", 404: "Page not found",
        429: "Too many requests", 500: "Something went wrong on the server",
        "track": "Track a dossier", "desk": "Staff workdesk", "home": "Home page",
    },
}


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _client(client, lang):
    if lang == "en":
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(r, lang, status):
    html = r.content.decode()
    t = TEXTS[lang]
    assert r.status_code == status
    assert HEADER in html, "the site header"
    assert t[status] in html
    assert f'href="/lacak/"' in html and t["track"] in html  # a way back
    other = TEXTS["en" if lang == "id" else "id"][status]
    assert other not in html, "one language only"
    return html


def test_the_handlers_are_loket_s():
    assert (loket_urls.handler400, loket_urls.handler403, loket_urls.handler404, loket_urls.handler500) == (
        "loket.core.views.bad_request", "loket.core.views.permission_denied",
        "loket.core.views.page_not_found", "loket.core.views.server_error",
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_404_leads_to_the_office_home(client, office, lang):
    html = _page(_client(client, lang).get("/tidak-ada/halaman/ini/"), lang, 404)
    assert f'href="/{office.slug}/"' in html and TEXTS[lang]["home"] in html
    assert TEXTS[lang]["desk"] not in html  # a citizen is not offered the staff desk


@pytest.mark.parametrize("lang", ["id", "en"])
def test_403_says_why_and_offers_the_staff_desk_to_staff(client, office, people, lang, monkeypatch):
    # a signed-in staff member refused by an act's check (PermissionDenied in a view)
    from django.core.exceptions import PermissionDenied

    from loket.catalog import views as catalog_views

    def refuse(*a, **k):
        raise PermissionDenied("Hanya Camat yang boleh menandatangani berkas ini.")

    monkeypatch.setattr(catalog_views, "_office_and_edition", refuse)
    c = _client(client, lang)
    c.force_login(people["front"])
    html = _page(c.get(f"/{office.slug}/", HTTP_REFERER="http://testserver/staf/"), lang, 403)
    assert "Hanya Camat yang boleh menandatangani berkas ini." in html
    assert 'href="/staf/"' in html and TEXTS[lang]["desk"] in html
    assert 'href="http://testserver/staf/"' in html  # back where the refusal came from


def test_403_for_an_account_without_a_staff_row(client, office):
    user = get_user_model().objects.create_user("warga", password="x-Pass-12345")
    client.force_login(user)
    html = _page(client.get("/staf/"), "id", 403)
    assert "Akun ini bukan akun pegawai kantor." in html
    assert TEXTS["id"]["desk"] not in html


def test_403_hides_technical_messages(rf):
    from django.core.exceptions import PermissionDenied

    request = rf.get("/")
    context = views._error_context(request, PermissionDenied("CSRF cookie not set."), reason=True)
    assert context["reason"] == ""
    context = views._error_context(request, PermissionDenied("Akun ini bukan akun pegawai kantor."), reason=True)
    assert context["reason"] == "Akun ini bukan akun pegawai kantor."


def test_a_foreign_referer_is_not_offered_as_the_way_back(client, office):
    html = _page(client.get("/tidak-ada/", HTTP_REFERER="https://evil.example/"), "id", 404)
    assert "evil.example" not in html


@pytest.mark.parametrize("lang", ["id", "en"])
def test_400_for_a_host_not_served(client, office, lang):
    html = _page(_client(client, lang).get("/", HTTP_HOST="evil.example"), lang, 400)
    assert "evil.example" not in html


@pytest.mark.parametrize("lang", ["id", "en"])
def test_429_of_a_public_look_up(client, office, lang, monkeypatch):
    monkeypatch.setattr("loket.dossiers.views.public_lookup_allowed", lambda request, scope: False)
    html = _page(_client(client, lang).get("/lacak/ABCDEFGH/"), lang, 429)
    assert TEXTS[lang]["home"] in html


@pytest.mark.parametrize("lang", ["id", "en"])
def test_500_renders_without_the_request_and_without_a_query(db, lang, django_assert_num_queries):
    from django.utils import translation

    request = RequestFactory().get("/staf/")
    with translation.override(lang), django_assert_num_queries(0):
        r = views.server_error(request)
    html = r.content.decode()
    assert r.status_code == 500 and HEADER in html and TEXTS[lang][500] in html
    # nobody is known: both ways back are offered
    assert 'href="/"' in html and 'href="/staf/"' in html and 'href="/lacak/"' in html


@pytest.mark.parametrize("lang", ["id", "en"])
def test_500_through_the_handler(client, settings, office, lang):
    settings.ROOT_URLCONF = "tests.core.error_urls"
    c = _client(client, lang)
    c.raise_request_exception = False
    _page(c.get("/boom/"), lang, 500)


def test_500_falls_back_to_a_plain_page_when_the_template_fails(monkeypatch):
    from django.template import loader

    def broken(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(loader, "get_template", broken)
    r = views.server_error(RequestFactory().get("/"))
    assert r.status_code == 500 and "Terjadi kesalahan pada server" in r.content.decode()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_csrf_failure_page_keeps_the_layout(lang, office):
    """A form sent with an expired session: Django's CSRF view renders 403_csrf.html without the request."""
    from django.test import Client
    from django.utils import translation

    c = Client(enforce_csrf_checks=True)
    if lang == "en":
        c.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    r = c.post("/masuk/", {"username": "a", "password": "b"})
    html = r.content.decode()
    assert r.status_code == 403 and HEADER in html
    assert {"id": "Formulir perlu dimuat ulang", "en": "The form needs reloading"}[lang] in html


def test_an_api_client_gets_json_and_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        r = client.get("/api/v1/")
    assert r.status_code == 404 and r.json() == {"detail": "Tidak ditemukan."}
    r = views.server_error(RequestFactory().get("/api/v1/dossiers/"))
    assert r.status_code == 500 and r["Content-Type"] == "application/json"
