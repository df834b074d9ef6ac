"""The authorization matrix engine: every URL and API operation × every caller (anonymous, a
logged-in account without an office, one account per role, and two callers of a second office),
with the expected allow/deny, from the rows each app registers.

How to add rows: tests/support/README.md. Each app lists its rows in tests/<app>/authz_rows.py
(``ROWS``: a list of ``Entry``); tests/security/test_authz_matrix.py collects the union
(``APPS``), runs ``check`` on every (row, caller) and fails when a URL pattern of the project
is in no app's rows (``missing``), so a new URL cannot be forgotten.

``missing`` walks the URL resolver (the ninja API's operations included, method by method)
and names every pattern that has no entry. The only patterns left out of the rows are the
Django admin's ModelAdmin pages (everything under ``admin/<app_label>/<model_name>/`` of a
registered model, and the admin's unnamed catch-all); ``test_model_admin_pages`` covers those
for every registered model.

What "allowed" and "denied" mean, per kind of entry (read from the code, stated once here):

PUBLIC      anyone: the same answer for every caller.
PAGE        staff screen (``staff_required``). Anonymous → 302 to /masuk/?next=…; a logged-in
            account without an office → 403; a role not allowed → 403. Allowed → the status
            in the table (a 3xx must not point at a login page).
POST403     a staff form whose act raises PermissionDenied straight through the view
            (intake): a role not allowed → 403, nothing saved.
ACT         a dossier act through the web (``dossiers:act`` and the bulk signature form).
            The view turns a refusal into a flash message and a 302 back to the dossier (by
            design: tests/dossiers/test_views.py::test_wrong_role_gets_a_message_and_nothing_changes),
            so "denied" = 302 + the PermissionDenied message ("… hanya untuk …") + no
            transition written. "Allowed" = past the permission layer: either the act went
            through (new state), or — for an allowed role on a dossier in the wrong state —
            the WrongState message ("… berstatus …"), the web equivalent of the API's 409.
ADMIN       Django admin site pages: only the admin role (is_staff). Everyone else (anonymous
            included) → 302 to /admin/login/?next=….
API_PUBLIC  anyone, with or without a token.
API         staff API (bearer token; ``loket tokens issue``). No credentials → 401; a token of an
            account without an office → 401 (it does not authenticate); a role not allowed → 403
            with a JSON message.
            Allowed → the status in the table; for acts an allowed role on a dossier in the
            wrong state gets 409, which counts as allowed past authorization.

A second office (Kecamatan Taman) shares the install: its Admin and its front-office clerk
(``OTHER_OFFICE``) are callers too. Every entry that names an object of the first office (a
dossier, complaint, booking or deed code) is denied to them whatever their role (404 or 403,
nothing changed), and the admin site's own pages treat them as their role twin. The second
office is built once per module (``other_office``), not per case.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import URLResolver, get_resolver, reverse

from loket.api.models import ApiToken
from loket.dossiers import services
from loket.dossiers.models import Correction, Dossier, Transition
from loket.offices.models import Office, Staff
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from tests.factories import applicant_data

S = Dossier.State

ROLES = ["front", "kasi", "kasi_other", "sekcam", "camat", "bendahara", "ppat", "admin"]
# callers of a second office, and the role of the first office whose admin-site rights they share
OTHER_OFFICE = {"other_admin": "admin", "other_front": "front"}
CALLERS = ["anonymous", "outsider", *ROLES, *OTHER_OFFICE]  # outsider: logged in, but no office (no Staff row)
STAFF = frozenset(ROLES)
PUBLIC = "public"

PUBLIC_WEB, PAGE, POST403, ACT, ADMIN, API_PUBLIC, API = (
    "public-web", "page", "post403", "act", "admin", "api-public", "api",
)

LOGIN = "/masuk/"
ADMIN_LOGIN = "/admin/login/"


# --- the world each case runs in -------------------------------------------------------------

class World:
    """The mini office with one account per role, an outsider, and dossiers in any state,
    each brought there through the real acts (created on first use). Each app adds the
    builder of its own objects with ``@builder`` (``w.complaint(state)``, ``w.booking(state)``,
    ``w.deed_case(state)`` …), cached per world in ``w.made``."""

    def __init__(self, office, people, items):
        self.office, self.people, self.items = office, dict(people), items
        self.people["outsider"] = get_user_model().objects.create_user(username="luar", password="x-Pass-12345")
        self._dossiers: dict[str, Dossier] = {}
        self.made: dict = {}  # what the apps' builders made, by (app key, state)
        self._tokens: dict[str, str] = {}

    PATH = {
        S.RECEIVED: [],
        S.FORWARDED: [("forward", "front")],
        S.INITIALLED: [("forward", "front"), ("initial", "kasi")],
        S.SIGNED: [("forward", "front"), ("initial", "kasi"), ("sign", "camat")],
        S.REGISTERED: [("forward", "front"), ("initial", "kasi"), ("sign", "camat"), ("register", "front")],
    }

    def dossier(self, state: str) -> Dossier:
        if state not in self._dossiers:
            present = self.items[:1] if state == S.RETURNED else self.items
            d = services.dossier_intake(
                office=self.office, service_code="pindah", applicant=applicant_data(), actor=self.people["front"],
                present=present, originals=present,
            )
            for act, role in self.PATH.get(state, []):
                getattr(services, f"dossier_{act}")(code=d.code, actor=self.people[role])
            d = Dossier.objects.get(pk=d.pk)
            assert d.state == state
            self._dossiers[state] = d
        return self._dossiers[state]

    def code(self, state: str = S.RECEIVED) -> str:
        return self.dossier(state).code

    def token(self, who: str) -> dict:
        if who == "anonymous":
            return {}
        if who not in self._tokens:
            self._tokens[who] = ApiToken.issue(user=self.people[who], name="authz")[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {self._tokens[who]}"}


@pytest.fixture(scope="module")
def other_office(django_db_setup, django_db_blocker):
    """Kecamatan Taman with its Admin and a front-office clerk, committed once for this module
    (every case rolls back only its own changes) and removed at its end."""
    from django.contrib.auth.models import Group

    twins = {"admin": Role.ADMIN, "front": Role.FRONT_OFFICE}
    with django_db_blocker.unblock():
        groups_before = set(Group.objects.values_list("pk", flat=True))
        roles_sync()
        taman = Office.objects.create(slug="taman", region_code="35.77.03", name="Kecamatan Taman", city="Kota Madiun")
        people = {who: staff_create(office=taman, username=f"taman.{twin}", role=twins[twin],
                                    password="x-Pass-12345").user for who, twin in OTHER_OFFICE.items()}
    yield people
    with django_db_blocker.unblock():
        Staff.objects.filter(office=taman).delete()
        get_user_model().objects.filter(pk__in=[u.pk for u in people.values()]).delete()
        taman.delete()
        Group.objects.exclude(pk__in=groups_before).delete()


@pytest.fixture
def world(office, people, all_items, other_office, settings):
    # The second office is older (built per module): "/" and the office-less public API must
    # still mean the first one, as LOKET_DEFAULT_OFFICE does in a multi-office install.
    settings.LOKET_DEFAULT_OFFICE = office.slug
    return World(office, {**people, **other_office}, all_items)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the public look-ups are rate-limited per IP
    yield
    cache.clear()


# --- the rows ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    name: str                                  # URL pattern name, namespaced
    method: str
    kind: str
    allowed: frozenset | str                   # roles, or PUBLIC
    url: Callable[[World], str]
    ok: int = 200                              # status for an allowed caller
    variant: str = ""                          # e.g. the act, the paper
    data: Callable[[World], dict] | None = None
    # where an allowed 3xx must go (given the caller), if it is a redirect
    ok_location: Callable[[str, World], str] | None = None
    # acts: state of the dossier acted on, and the roles for whom the act goes through there
    state: str | None = None
    succeeds: frozenset = frozenset()
    writes: int = 1                            # history rows an act that goes through adds (two: register & hand over)
    # per-caller exceptions to ``ok`` (documented where used)
    ok_for: dict = field(default_factory=dict)
    deny_location: str | None = None           # ADMIN: where a refusal redirects, if not the admin login
    subject: str = "dossier"                   # what ``state`` is the state of: "dossier", "complaint", "deed"
    conflict: str = "berstatus"                # API: what the 409 of an allowed role that does not succeed says

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}{'-' + self.variant if self.variant else ''}]"


def r(name, **kw):
    return lambda w: reverse(name, kwargs=kw or None)


def code_url(name, state=S.RECEIVED, **extra):
    return lambda w: reverse(name, kwargs={"code": w.code(state), **extra})


# --- what an act acts on ---------------------------------------------------------------------

@dataclass(frozen=True)
class Subject:
    """What the ``state`` of an entry is the state of: how the world makes one in a state, how
    many history rows it has (an act writes one), and the acts that leave its state as it is."""

    model: type
    get: Callable[[World, str], object]
    history: Callable[[object], int]
    keeps_state: frozenset = frozenset()


SUBJECTS: dict[str, Subject] = {}


def subject(name: str, **kw) -> Subject:
    """Register what an app's acts act on (``Entry(subject=name)``)."""
    SUBJECTS[name] = Subject(**kw)
    return SUBJECTS[name]


def builder(fn):
    """Add an app's object builder to the World: ``@builder def booking(w, state): …`` makes
    ``w.booking(state)``."""
    setattr(World, fn.__name__, fn)
    return fn


subject("dossier", model=Dossier, get=lambda w, state: w.dossier(state),
        history=lambda d: Transition.objects.filter(dossier=d).count() + Correction.objects.filter(dossier=d).count(),
        keeps_state=frozenset({"correct"}))


# --- walking the resolver: the completeness rule -----------------------------------------------

def walk(patterns, prefix="", ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            sub = ":".join(x for x in (ns, p.namespace) if x) if p.namespace else ns
            yield from walk(p.url_patterns, prefix + str(p.pattern), sub)
        else:
            name = f"{ns}:{p.name}" if (ns and p.name) else p.name
            yield prefix + str(p.pattern), name, p


def _admin_model_prefixes():
    return tuple(f"admin/{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry)


def _is_model_admin_page(route: str, name: str | None) -> bool:
    """The rule for what the table leaves out: a registered model's ModelAdmin pages, and the
    admin's unnamed catch-all (which only redirects or 404s)."""
    return route.startswith("admin/") and (name is None or route.startswith(_admin_model_prefixes()))


def _ninja_methods(pattern) -> list[str] | None:
    """The HTTP methods of a ninja path (its PathView is in the view wrapper's closure)."""
    cb = pattern.callback
    if not inspect.isfunction(cb):
        return None
    for value in inspect.getclosurevars(cb).nonlocals.values():
        if type(value).__name__ == "PathView":
            return sorted({m.upper() for op in value.operations for m in op.methods})
    return None


def resolver_keys():
    """{(name, method or None)} of every URL pattern that the table must cover."""
    keys, unnamed = set(), []
    for route, name, pattern in walk(get_resolver().url_patterns):
        if _is_model_admin_page(route, name):
            continue
        if name is None:
            unnamed.append(route)
            continue
        methods = _ninja_methods(pattern)
        if methods:
            keys |= {(name, m) for m in methods}
        else:
            keys.add((name, None))
    return keys, unnamed


def missing(table: list[Entry]) -> tuple[list[str], list[str], list[str]]:
    """The completeness rule: (URL patterns without a name, patterns with no entry in ``table``,
    entries naming patterns that no longer exist)."""
    keys, unnamed = resolver_keys()
    names = {e.name for e in table}
    name_methods = {(e.name, e.method) for e in table}
    absent = sorted(
        f"{n} {m or ''}".strip() for n, m in keys if (n not in names if m is None else (n, m) not in name_methods)
    )
    stale = sorted(names - {n for n, _ in keys})
    return unnamed, absent, stale


def matrix(table: list[Entry]) -> list:
    """The (entry, caller) cases: every caller of the first office on every entry; the second
    office's callers on the entries that concern them."""
    return [pytest.param(e, who, id=f"{e.id}-{who}") for e in table for who in CALLERS
            if who not in OTHER_OFFICE or _concerns_other_office(e)]


# --- the check ---------------------------------------------------------------------------------

def _is_allowed(e: Entry, who: str) -> bool:
    if who in OTHER_OFFICE:  # only the admin site's own pages, as its role twin
        return e.kind == ADMIN and OTHER_OFFICE[who] in e.allowed
    return e.allowed == PUBLIC or who in e.allowed


def _routes() -> dict[str, str]:
    return {name: route for route, name, _ in walk(get_resolver().url_patterns) if name}


OBJECT_ROUTES = {name for name, route in _routes().items() if re.search(r"<((str|int):)?(code|pk)>", route)}


def _concerns_other_office(e: Entry) -> bool:
    """Entries a second office's caller is tried on: those naming a first-office object, and
    the admin site's pages."""
    return e.kind == ADMIN or (e.kind in (PAGE, POST403, ACT, API) and e.name in OBJECT_ROUTES)


def _send(client, e: Entry, who: str, w: World, url: str, data: dict | None):
    if e.kind in (API, API_PUBLIC):
        headers = w.token(who)
        if e.method == "GET":
            return client.get(url, **headers)
        send = client.put if e.method == "PUT" else client.post
        return send(url, data or {}, content_type="application/json", **headers)
    if who != "anonymous":
        client.force_login(w.people[who])
    if e.method == "GET":
        return client.get(url)
    return client.post(url, data or {})


def location(resp) -> str:
    return resp.get("Location", "")


def _errors(resp) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request) if m.level_tag == "error"]


def check(e: Entry, who: str, client, world: World) -> None:
    """One cell of the matrix: ``who`` sends the request of entry ``e``; the answer is the one
    the kind of entry promises (see the module docstring), and a refusal changes nothing."""
    subject = SUBJECTS[e.subject]
    acted_on = subject.get(world, e.state) if e.state else None
    model = subject.model

    def history():
        return subject.history(acted_on)

    url = e.url(world)  # builds the dossiers/complaints the request names
    data = e.data(world) if e.data else None
    before = history() if acted_on else None
    counts_before = {name: s.model.objects.count() for name, s in SUBJECTS.items()}
    resp = _send(client, e, who, world, url, data)
    status = resp.status_code
    allowed = _is_allowed(e, who)

    def nothing_changed():
        if acted_on is not None:
            assert history() == before
            assert model.objects.get(pk=acted_on.pk).state == e.state
        assert {name: s.model.objects.count() for name, s in SUBJECTS.items()} == counts_before

    # --- denied -------------------------------------------------------------------------
    if not allowed:
        if who in OTHER_OFFICE and e.kind != ADMIN:
            # another office's object: not found; a role refused whatever the office may be
            # refused before the object is looked up (403)
            expected = (404,) if OTHER_OFFICE[who] in e.allowed or e.allowed == PUBLIC else (403, 404)
            assert status in expected, (status, resp.content[:300])
            if e.kind == API:
                assert resp.json()["detail"]
        elif e.kind in (API, API_PUBLIC):
            # an account without an office: its token does not authenticate at all (401)
            assert status == (401 if who in ("anonymous", "outsider") else 403), (status, resp.content[:300])
            assert resp.json()["detail"]
        elif e.kind == ADMIN:
            assert status == 302, status
            if e.deny_location:
                assert location(resp) == e.deny_location
            else:
                assert location(resp).startswith(f"{ADMIN_LOGIN}?next="), location(resp)
        elif who == "anonymous":
            assert status == 302 and location(resp) == f"{LOGIN}?next={quote(url)}", (status, location(resp))
        elif who == "outsider" or e.kind in (PAGE, POST403):
            assert status == 403, status
        else:  # ACT: refusal as a message, back where the clerk came from
            assert status == 302, status
            assert not location(resp).startswith((LOGIN, ADMIN_LOGIN))
            errors = _errors(resp)
            assert errors and all("hanya untuk" in m for m in errors), errors
        nothing_changed()
        return

    # --- allowed ------------------------------------------------------------------------
    want = e.ok_for.get(OTHER_OFFICE.get(who, who), e.ok)
    if e.kind == API and e.state and who not in e.succeeds:
        want = 409  # allowed role, wrong state: past authorization
    assert status == want, (status, resp.content[:500])
    if 300 <= status < 400:
        loc = location(resp)
        assert not loc.startswith((LOGIN, ADMIN_LOGIN)), loc
        if e.ok_location:
            assert loc == e.ok_location(who, world), loc
    if e.kind == ACT:
        errors = _errors(resp)
        if who in e.succeeds:
            assert not errors, errors
            # a correction leaves the state as it is; every other act moves it
            assert (model.objects.get(pk=acted_on.pk).state != e.state) or e.variant in subject.keeps_state
            assert history() == before + e.writes
        else:
            assert errors and all("berstatus" in m for m in errors), errors  # WrongState, not PermissionDenied
            nothing_changed()
    if e.kind == POST403 and e.state:  # a web act that refuses a role with 403 (the deeds)
        if who in e.succeeds:
            keeps_state = e.variant in subject.keeps_state
            assert model.objects.get(pk=acted_on.pk).state != e.state or keeps_state
            assert history() == before + e.writes
        else:
            errors = _errors(resp)
            assert errors and all(e.conflict in m for m in errors), errors
            nothing_changed()
    if e.kind == API and e.state:
        if who in e.succeeds:
            keeps_state = e.variant in subject.keeps_state
            assert resp.json()["state"] != e.state or keeps_state
            assert history() == before + e.writes
        else:
            assert e.conflict in resp.json()["detail"], resp.json()
            nothing_changed()
