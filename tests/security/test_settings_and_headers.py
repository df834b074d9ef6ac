"""Deployment settings and response headers.

``manage.py check --deploy`` runs in a subprocess with a production-like environment (settings
are read once per process, from the environment). The pages are scanned for inline code, which
the Content-Security-Policy (no 'unsafe-inline') would block in the browser."""

import json
import subprocess
import sys

import pytest
from django.contrib import admin
from django.urls import reverse

from loket.dossiers import services
from loket.dossiers.models import Dossier
from tests.factories import applicant_data
from tests.support.env import PROJECT, clean_env as _env
from tests.support.http import inline_code as _inline_code

S = Dossier.State

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


# --- settings per environment, in a fresh process ----------------------------------------------

PRODUCTION = {  # docs/operations.md's environment, behind the TLS proxy it describes
    "LOKET_ALLOWED_HOSTS": "loket.kecamatan.example,10.0.0.5",
    "LOKET_CSRF_TRUSTED_ORIGINS": "https://loket.kecamatan.example",
    "LOKET_BEHIND_PROXY": "1",
}


def _check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    r = _check_deploy(_env(tmp_path, **PRODUCTION))
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "System check identified no issues" in out, out
    assert "WARNING" not in out and "W0" not in out, out
    key = (tmp_path / "data" / "secret_key").read_text().strip()  # generated on first start
    assert len(key) >= 50 and len(set(key)) >= 5 and not key.startswith("django-insecure-")


def test_check_deploy_would_catch_a_weak_setup(tmp_path):
    # The test above can fail: a short secret key and debug on are reported.
    r = _check_deploy(_env(tmp_path, **PRODUCTION, LOKET_SECRET_KEY="kunci-pendek", LOKET_DEBUG="1"))
    assert r.returncode != 0
    assert "security.W009" in r.stderr and "security.W018" in r.stderr


NAMES = [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
]


def _settings(tmp_path, **env):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {NAMES!r}}}))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=_env(tmp_path, **env),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_production_defaults(tmp_path):
    s = _settings(tmp_path, **PRODUCTION)
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SECURE_HSTS_SECONDS"] == 31_536_000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_HSTS_PRELOAD"] is False  # opt-in only (LOKET_HSTS_PRELOAD=1)
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] and s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["X_FRAME_OPTIONS"] == "DENY"


def test_without_the_proxy_setting_django_neither_trusts_the_header_nor_redirects(tmp_path):
    # Without a proxy header Django cannot tell https from http: a redirect would loop.
    s = _settings(tmp_path)
    assert s["SECURE_PROXY_SSL_HEADER"] is None and s["SECURE_SSL_REDIRECT"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["SECURE_HSTS_SECONDS"] == 31_536_000


def test_plain_http_trial_has_no_hsts_and_no_redirect(tmp_path):
    s = _settings(tmp_path, **PRODUCTION, LOKET_INSECURE_COOKIES="1")
    assert not s["SESSION_COOKIE_SECURE"] and not s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] == 0 and s["SECURE_SSL_REDIRECT"] is False


def test_hsts_and_redirect_follow_the_environment(tmp_path):
    s = _settings(tmp_path, **PRODUCTION, LOKET_HSTS_SECONDS="3600", LOKET_HSTS_INCLUDE_SUBDOMAINS="0",
                  LOKET_HSTS_PRELOAD="1", LOKET_SSL_REDIRECT="0")
    assert s["SECURE_HSTS_SECONDS"] == 3600
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False and s["SECURE_HSTS_PRELOAD"] is True
    assert s["SECURE_SSL_REDIRECT"] is False


# --- headers ---------------------------------------------------------------------------------

def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip())


def _assert_headers(r):
    policy = _policy(r)
    assert policy == POLICY, r["Content-Security-Policy"]
    assert "unsafe-inline" not in r["Content-Security-Policy"]
    assert "unsafe-eval" not in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


def test_a_public_page_carries_the_policy_and_the_headers(client, mini_standard):
    r = client.get("/contoh/")
    assert r.status_code == 200
    _assert_headers(r)


@pytest.mark.parametrize("url", ["/lacak/", "/masuk/", "/api/v1/docs/", "/api/v1/services/?office=contoh",
                                 "/admin/login/", "/halaman-yang-tidak-ada/"])
def test_other_answers_carry_the_policy_too(client, mini_standard, url):
    _assert_headers(client.get(url))


def test_hsts_is_sent_on_https_only(client, mini_standard, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert "Strict-Transport-Security" not in client.get("/contoh/")
    r = client.get("/contoh/", secure=True)
    assert r["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_behind_the_proxy_http_is_redirected_but_healthz_is_not(client, mini_standard, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    r = client.get("/contoh/", HTTP_X_FORWARDED_PROTO="http")
    assert r.status_code == 301 and r["Location"].startswith("https://")
    assert client.get("/contoh/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/healthz/").status_code == 200  # monitoring straight at gunicorn


# --- no inline code in any page ----------------------------------------------------------------

def test_the_scanner_finds_inline_code():
    html = ('<script>x()</script><script src="/a.js"></script><script type="application/json">{}</script>'
            '<p style="color:red" onclick="x()"><a href="javascript:x()">a</a><style>p{}</style>')
    assert len(_inline_code(html)) == 5


@pytest.fixture
def dossiers(office, people, all_items):
    """One dossier of the mini office in each state of the counter flow."""
    out = {}
    for target in [S.RECEIVED, S.FORWARDED, S.INITIALLED, S.SIGNED, S.REGISTERED, S.HANDED_OVER, S.RETURNED]:
        d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                    actor=people["front"], present=all_items, originals=all_items)
        steps = {
            S.FORWARDED: [("front", services.dossier_forward)],
            S.INITIALLED: [("front", services.dossier_forward), ("kasi", services.dossier_initial)],
        }
        path = [("front", services.dossier_forward), ("kasi", services.dossier_initial),
                ("camat", services.dossier_sign), ("front", services.dossier_register)]
        steps[S.SIGNED] = path[:3]
        steps[S.REGISTERED] = path
        for who, fn in steps.get(target, []):
            d = fn(code=d.code, actor=people[who])
        if target == S.HANDED_OVER:
            for who, fn in path:
                d = fn(code=d.code, actor=people[who])
            d = services.dossier_handover(code=d.code, actor=people["front"], handed_over_to="")
        if target == S.RETURNED:
            d = services.dossier_return(code=d.code, actor=people["front"], reason="Kurang", missing=["KK"])
        assert d.state == target
        out[target] = d
    return out


def _public_pages(d):
    return ["/contoh/", "/contoh/layanan/", "/contoh/layanan/?q=pindah", "/contoh/layanan/pindah/",
            "/lacak/", f"/lacak/{d[S.RECEIVED].code}/", "/lacak/ZZZZZZZZ/",
            f"/verifikasi/{d[S.REGISTERED].verification_code}/", "/masuk/", "/api/v1/docs/", "/admin/login/"]


def _staff_pages(d):
    pages = {
        "front": ["/staf/berkas/", "/staf/berkas/cari/?q=aminah", "/staf/berkas/baru/",
                  "/staf/berkas/baru/?layanan=pindah", "/staf/register/"]
        + [f"/staf/berkas/{x.code}/" for x in d.values()],
        "kasi": ["/staf/paraf/", f"/staf/berkas/{d[S.FORWARDED].code}/"],
        "camat": ["/staf/tanda-tangan/", f"/staf/berkas/{d[S.INITIALLED].code}/"],
        "sekcam": ["/staf/tanda-tangan/", f"/staf/berkas/{d[S.INITIALLED].code}/"],
    }
    return pages


def _admin_pages():
    pages = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
    return pages


def test_no_page_has_inline_code(client, people, dossiers, django_user_model):
    found = {}

    def scan(url, allowed=(200, 404)):
        r = client.get(url)
        assert r.status_code in allowed, (url, r.status_code)
        if "html" in r.get("Content-Type", ""):
            _assert_headers(r)
            hits = _inline_code(r.content.decode())
            if hits:
                found[url] = hits

    for url in _public_pages(dossiers):
        scan(url)
    for who, urls in _staff_pages(dossiers).items():
        client.force_login(people[who])
        for url in urls:
            scan(url)
    # A superuser sees every admin page (the admin role is allowed only some, see test_authz_matrix).
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "x-Pass-12345"))
    for url in _admin_pages():
        scan(url, allowed=(200, 403))  # 403: a model that cannot be added by hand (axes' logs, services)
    assert found == {}


def test_htmx_adds_no_inline_style_and_evaluates_nothing(client, mini_standard):
    page = client.get("/contoh/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false}'>""" in page
    assert page.index('name="htmx-config"') < page.index("htmx-2.min.js")


def test_the_api_docs_page_needs_no_exemption(client, mini_standard):
    # django-ninja's Swagger page loads swagger-ui-init.js from a file and keeps its settings in
    # a <script type="application/json"> data block, which a policy does not block.
    r = client.get("/api/v1/docs/")
    assert r.status_code == 200
    _assert_headers(r)
    html = r.content.decode()
    assert 'src="/static/ninja/swagger-ui-init.js"' in html
    assert _inline_code(html) == []
