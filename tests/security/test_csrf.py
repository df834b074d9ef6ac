"""CSRF on every form: with the test client's CSRF checks on (as a browser is), each POST form of
the app is refused without a token (403, nothing changed), and accepted with the token its own
page carries (so the 403 really is the CSRF check). Every <form method="post"> on every page
carries a csrfmiddlewaretoken input."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from loket.api.models import ApiToken
from loket.dossiers import services
from loket.dossiers.models import Dossier, Transition
from tests.factories import applicant_data

S = Dossier.State
TOKEN = "csrfmiddlewaretoken"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


class Forms(HTMLParser):
    """Every <form> of a page: method, action, and the value of each named input."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._open = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "inputs": {}}
            self.forms.append(self._open)
        elif tag in ("input", "button", "textarea", "select") and self._open is not None and a.get("name"):
            self._open["inputs"].setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def _forms(html: str) -> list[dict]:
    p = Forms()
    p.feed(html)
    return p.forms


def _post_forms(client, url) -> list[dict]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return [f for f in _forms(r.content.decode()) if f["method"] == "post"]


def _token_of(client, url, action) -> str:
    """The CSRF token in the form of page ``url`` that posts to ``action`` (no action: the page itself)."""
    for f in _post_forms(client, url):
        if (f["action"] or url.split("?")[0]) == action and f["inputs"].get(TOKEN):
            return f["inputs"][TOKEN]
    raise AssertionError(f"no post form to {action} with a token on {url}")


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- accounts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/masuk/", "/admin/login/"])
def test_login_needs_the_token(browser, people, url):
    credentials = {"username": "admin", "password": "x-Pass-12345"}
    assert browser.post(url, credentials).status_code == 403
    assert not _logged_in(browser)
    token = _token_of(browser, url, url)
    assert browser.post(url, {**credentials, TOKEN: token}).status_code == 302
    assert _logged_in(browser)


def test_logout_needs_the_token(browser, people, office):
    browser.force_login(people["front"])
    assert browser.post("/keluar/").status_code == 403
    assert _logged_in(browser)
    token = _token_of(browser, "/staf/berkas/", "/keluar/")
    assert browser.post("/keluar/", {TOKEN: token}).status_code == 302
    assert not _logged_in(browser)


def test_language_switch_needs_the_token(browser, office, people):
    data = {"language": "en", "next": "/contoh/"}
    r = browser.post("/i18n/setlang/", data)
    assert r.status_code == 403 and "django_language" not in r.cookies
    # Public pages switch language with a plain link (/bahasa/<code>/) and carry no token, so
    # they can be cached; a signed-in page still carries one for Django's POST switch.
    browser.force_login(people["front"])
    token = _token_of(browser, "/staf/berkas/", "/keluar/")
    r = browser.post("/i18n/setlang/", {**data, TOKEN: token})
    assert r.status_code == 302 and r.cookies["django_language"].value == "en"


# --- the counter flow ---------------------------------------------------------------------------

def _intake_form(items):
    a = applicant_data()
    a["birth_date"] = a["birth_date"].isoformat()
    return {**a, "service": "pindah", "submit": "1", "present": items, "original": items}


def test_intake_needs_the_token(browser, people, all_items):
    browser.force_login(people["front"])
    assert browser.post("/staf/berkas/baru/", _intake_form(all_items)).status_code == 403
    assert not Dossier.objects.exists()
    token = _token_of(browser, "/staf/berkas/baru/?layanan=pindah", "/staf/berkas/baru/")
    r = browser.post("/staf/berkas/baru/", {**_intake_form(all_items), TOKEN: token})
    assert r.status_code == 302 and Dossier.objects.count() == 1


def test_the_htmx_checklist_post_needs_the_header(browser, people, all_items):
    browser.force_login(people["front"])
    data = {"service": "pindah", "cond_pindah_antar_kota_provinsi": "1"}
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "checklist"}
    assert browser.post("/staf/berkas/baru/", data, **htmx).status_code == 403
    # base.html puts the token in hx-headers on <body>; htmx sends it as X-CSRFToken
    page = browser.get("/staf/berkas/baru/?layanan=pindah").content.decode()
    marker = '"X-CSRFToken": "'
    token = page[page.index(marker) + len(marker):].split('"', 1)[0]
    assert token
    r = browser.post("/staf/berkas/baru/", data, HTTP_X_CSRFTOKEN=token, **htmx)
    assert r.status_code == 200 and "Formulir F-1.35" in r.content.decode()


def _dossier(office, people, items, state):
    present = items[:1] if state == S.RETURNED else items
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                actor=people["front"], present=present, originals=present)
    path = [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")]
    upto = {S.RECEIVED: 0, S.RETURNED: 0, S.FORWARDED: 1, S.INITIALLED: 2, S.SIGNED: 3, S.REGISTERED: 4}[state]
    for act, who in path[:upto]:
        getattr(services, f"dossier_{act}")(code=d.code, actor=people[who])
    d.refresh_from_db()
    assert d.state == state
    return d


ACTS = {  # action: (state it acts on, who may, the state it leads to, form data)
    "forward": (S.RECEIVED, "front", S.FORWARDED, {}),
    "return": (S.RECEIVED, "front", S.RETURNED, {"reason": "Tanda tangan lurah tidak ada", "missing": "Surat Pengantar"}),
    "initial": (S.FORWARDED, "kasi", S.INITIALLED, {"note": "ok"}),
    "sign": (S.INITIALLED, "camat", S.SIGNED, {}),
    "register": (S.SIGNED, "front", S.REGISTERED, {}),
    "handover": (S.REGISTERED, "front", S.HANDED_OVER, {"handed_over_to": "Dispendukcapil"}),
    "resubmit": (S.RETURNED, "front", S.RECEIVED, None),  # data: every requirement present
}


@pytest.mark.parametrize("action", list(ACTS))
def test_every_dossier_act_needs_the_token(browser, office, people, all_items, action):
    state, who, after, data = ACTS[action]
    if data is None:
        data = {"present": all_items, "original": all_items}
    d = _dossier(office, people, all_items, state)
    transitions = Transition.objects.count()
    browser.force_login(people[who])
    url = reverse("dossiers:act", args=[d.code, action])
    assert browser.post(url, data).status_code == 403
    d.refresh_from_db()
    assert d.state == state and Transition.objects.count() == transitions
    token = _token_of(browser, reverse("dossiers:detail", args=[d.code]), url)
    assert browser.post(url, {**data, TOKEN: token}).status_code == 302
    d.refresh_from_db()
    assert d.state == after


def test_signing_many_needs_the_token(browser, office, people, all_items):
    codes = [_dossier(office, people, all_items, S.INITIALLED).code for _ in range(2)]
    browser.force_login(people["camat"])
    assert browser.post("/staf/tanda-tangan/", {"code": codes}).status_code == 403
    assert set(Dossier.objects.values_list("state", flat=True)) == {S.INITIALLED}
    token = _token_of(browser, "/staf/tanda-tangan/", "/staf/tanda-tangan/")
    assert browser.post("/staf/tanda-tangan/", {"code": codes, TOKEN: token}).status_code == 302
    assert set(Dossier.objects.values_list("state", flat=True)) == {S.SIGNED}


def test_the_register_screens_take_no_posts(browser, people, office):
    # loket/registers has no form that changes anything: its views are GET-only.
    browser.force_login(people["front"])
    for url in ["/staf/register/", "/staf/register/ekspor.xlsx", "/staf/register/ekspor.pdf"]:
        assert browser.post(url).status_code in (403, 405)


# --- admin and API -------------------------------------------------------------------------------

def test_admin_forms_need_the_token(browser, people, django_user_model):
    browser.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "x-Pass-12345"))
    assert browser.post("/admin/auth/group/add/", {"name": "Tanpa token"}).status_code == 403
    assert not Group.objects.filter(name="Tanpa token").exists()


def test_the_api_with_the_browser_session_needs_the_token(browser, people, all_items):
    a = applicant_data()
    a["birth_date"] = a["birth_date"].isoformat()
    body = {"service": "pindah", "applicant": a, "present": all_items, "originals": all_items}
    browser.force_login(people["front"])
    r = browser.post("/api/v1/dossiers/", body, content_type="application/json")
    assert r.status_code == 403 and not Dossier.objects.exists()
    token = _token_of(browser, "/staf/berkas/", "/keluar/")
    r = browser.post("/api/v1/dossiers/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201 and Dossier.objects.count() == 1
    # Bearer tokens are not sent by the browser on its own, so they need no CSRF token.
    token = ApiToken.issue(user=people["front"], name="tes")[1]
    r = Client(enforce_csrf_checks=True).post("/api/v1/dossiers/", body, content_type="application/json",
                                              HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201 and Dossier.objects.count() == 2


# --- every post form carries a token ---------------------------------------------------------------

def test_every_post_form_carries_a_token(browser, office, people, all_items, django_user_model):
    dossiers = {s: _dossier(office, people, all_items, s) for s in [S.RECEIVED, S.RETURNED, S.FORWARDED,
                                                                     S.INITIALLED, S.SIGNED, S.REGISTERED]}
    pages = {
        None: ["/contoh/", "/contoh/layanan/", "/contoh/layanan/pindah/", "/lacak/", "/masuk/", "/admin/login/"],
        "front": ["/staf/berkas/", "/staf/berkas/cari/?q=aminah", "/staf/berkas/baru/", "/staf/berkas/baru/?layanan=pindah",
                  "/staf/register/", "/contoh/"] + [f"/staf/berkas/{d.code}/" for d in dossiers.values()],
        "kasi": ["/staf/paraf/", f"/staf/berkas/{dossiers[S.FORWARDED].code}/"],
        "camat": ["/staf/tanda-tangan/", f"/staf/berkas/{dossiers[S.INITIALLED].code}/"],
        "sekcam": ["/staf/tanda-tangan/"],
        "root": ["/admin/", "/admin/auth/group/add/", "/admin/offices/staff/add/", "/admin/password_change/"],
    }
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x-Pass-12345")
    seen, missing = set(), []
    for who, urls in pages.items():
        browser.logout()
        if who:
            browser.force_login(root if who == "root" else people[who])
        for url in urls:
            for f in _post_forms(browser, url):
                seen.add(f["action"] or url.split("?")[0])
                if not f["inputs"].get(TOKEN):
                    missing.append((who, url, f["action"]))
    assert missing == []
    acts = {a for a in ACTS}
    assert {"/masuk/", "/admin/login/", "/keluar/", "/staf/berkas/baru/", "/staf/tanda-tangan/"} <= seen
    assert acts <= {a.rstrip("/").rsplit("/", 1)[-1] for a in seen if a.startswith("/staf/berkas/") and a.count("/") == 5}
