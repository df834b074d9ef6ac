"""Shared fixtures. The database is whatever DATABASE_URL names (SQLite by default).

With CI=true and a PostgreSQL DATABASE_URL that cannot be reached, the run stops with an
error instead of silently testing nothing on PostgreSQL."""

import copy
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "catalog" / "fixtures"
MINI_STANDARD = FIXTURES / "mini.yaml"


def pytest_sessionstart(session):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg
        import dj_database_url

        cfg = dj_database_url.parse(url)
        try:
            psycopg.connect(
                host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                password=cfg["PASSWORD"] or None, dbname=cfg["NAME"], connect_timeout=5,
            ).close()
        except psycopg.OperationalError as exc:
            message = f"PostgreSQL is not reachable at {cfg['HOST']}:{cfg['PORT']}: {exc}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.exit(message, returncode=3)
            raise


@pytest.fixture
def mini_standard(db, mini_world):
    """The small two-service standard of tests/catalog/fixtures/mini.yaml, loaded and active."""
    if mini_world:
        return copy.deepcopy(mini_world["mini_standard"])
    from loket.catalog.services import standard_load

    return standard_load(path=MINI_STANDARD)


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    # The shared file cache of the install lives in the data folder; a test run gets its own,
    # so two runs on one machine (or a running Loket) never clear each other's counts.
    from django.conf import settings
    from django.test import override_settings

    caches_ = {**settings.CACHES}
    if caches_["default"]["BACKEND"].endswith("FileBasedCache"):
        caches_["default"] = {**caches_["default"], "LOCATION": str(tmp_path_factory.mktemp("cache"))}
    with override_settings(CACHES=caches_):
        yield


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Rate-limit counts and cached public pages must not leak from one test into the next.
    from django.core.cache import caches

    for c in caches.all(initialized_only=True):
        c.clear()
    yield


@pytest.fixture
def one_rate_window(monkeypatch):
    """Rate-limit windows are int(time.time() // 60): a test that counts up to the limit must not
    straddle a minute boundary, which a slow run (PostgreSQL under load) otherwise does."""
    from loket.core import ratelimit

    now = {"t": 1_800_000_000.0}  # the start of a minute
    monkeypatch.setattr(ratelimit.time, "time", lambda: now["t"])
    return now


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; tests only need a working hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every test's client loads the middleware anew, and WhiteNoise (WHITENOISE_USE_FINDERS) then
    # lists and stats every static file of every package: 31 ms per test, half of a short test's
    # time. With autorefresh it looks a file up when one is asked for; no test asks the client
    # for a static file (the browser tests' live server serves them through its own handler).
    settings.WHITENOISE_AUTOREFRESH = True


# --- offices with staff, for dossier tests -------------------------------------

from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.catalog.services import standard_load


@pytest.fixture
def office(mini_standard, mini_world):
    if mini_world and "office" in mini_world:
        return mini_standard.office  # its roles are synced
    roles_sync()
    return mini_standard.office


@pytest.fixture
def people(office, mini_world):
    """One account per role in the mini office, plus a Kasi of another unit."""
    if mini_world and "people" in mini_world:
        return copy.deepcopy(mini_world["people"])
    return people_make(office)


def people_make(office) -> dict:
    pem = Unit.objects.get(office=office, code="pemerintahan")
    umum = Unit.objects.get(office=office, code="umum")
    make = lambda username, role, unit=None: staff_create(
        office=office, username=username, role=role, unit=unit, password="x-Pass-12345", full_name=username.title()
    ).user
    return {
        "front": make("petugas", Role.FRONT_OFFICE),
        "kasi": make("kasi.pem", Role.KASI, pem),
        "kasi_other": make("kasi.umum", Role.KASI, umum),
        "sekcam": make("sekcam", Role.SEKCAM),
        "camat": make("camat", Role.CAMAT),
        "bendahara": make("bendahara", Role.BENDAHARA, umum),
        "ppat": make("ppat", Role.PPAT_OFFICER),
        "admin": make("admin", Role.ADMIN),
    }


@pytest.fixture(scope="module")
def mini_world(request, django_db_setup, django_db_blocker):
    """``mini_standard``, ``office`` and ``people`` built once for a module where every database
    test asks for them anyway (see ``module_world``); None elsewhere."""
    def build(level):
        made = {"mini_standard": standard_load(path=MINI_STANDARD)}
        if level >= 2:
            roles_sync()
            made["office"] = made["mini_standard"].office
        if level >= 3:
            made["people"] = people_make(made["office"])
        return made

    yield from module_world(request, django_db_blocker, "mini", build)


@pytest.fixture
def all_items(office):
    """Every requirement of the 'pindah' service ticked present and with the original shown."""
    from loket.catalog.models import Requirement

    ids = list(Requirement.objects.filter(service__code="pindah", service__edition__office=office).values_list("pk", flat=True))
    return ids


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Attachments written by a test land in the test's own folder, never in the install's data.
    settings.MEDIA_ROOT = str(tmp_path / "media")


# --- worlds built once per module --------------------------------------------------------------
#
# Most tests start from the same rows: an office loaded from a standard, its roles, one account per
# role. Building them takes far longer than most tests. Where every database test of a module asks
# for them anyway, they are built once, in a transaction opened before the module's first test and
# rolled back after its last; each test still runs in its own savepoint (pytest-django's ``db``),
# rolled back at its end, so no test sees another test's rows, and each test gets its own copy of
# the Python objects. A module with a transactional test (``transaction=True``, ``live_server``)
# or with its own version of one of the fixtures builds them per test, as before.

# name -> (module that defines the fixtures, the fixtures in the order each needs the one before)
WORLDS = {"mini": (__name__, ("mini_standard", "office", "people"))}
_levels: dict[tuple[str, str], int] = {}  # (module node id, world) -> how many of its fixtures to build
_TRANSACTIONAL = {"transactional_db", "live_server", "django_db_serialized_rollback", "django_db_reset_sequences"}


def world_register(name: str, module: str, fixtures: tuple[str, ...]) -> None:
    WORLDS[name] = (module, fixtures)


def _transactional(item) -> bool:
    mark = item.get_closest_marker("django_db")
    if mark and (any(mark.args) or any(mark.kwargs.get(k) for k in ("transaction", "reset_sequences", "serialized_rollback"))):
        return True
    return bool(_TRANSACTIONAL & set(getattr(item, "fixturenames", ())))


def _uses_db(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return "db" in names or bool(_TRANSACTIONAL & names) or item.get_closest_marker("django_db") is not None


def _level(item, module: str, fixtures: tuple[str, ...]) -> int:
    """How many of ``fixtures`` the item asks for (as a chain), counting only their shared definitions."""
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    n = 0
    for name in fixtures:
        chosen = defs.get(name)
        if name not in item.fixturenames or not chosen or getattr(chosen[-1].func, "__module__", None) != module:
            break
        n += 1
    return n


# The longest modules (whole, on one worker: --dist loadfile), sent out first when the suite runs
# on several workers, so that none of them starts last and keeps the others waiting at the end.
LONGEST_FIRST = ("tests/security/test_authz_matrix.py", "tests/deeds/test_acts_roles.py",
                 "tests/complaints/test_matrix.py", "tests/dossiers/test_matrix.py", "tests/perf/test_query_budgets.py",
                 "tests/rentals/test_acts_roles.py")


def _longest_first(items) -> None:
    """A stable sort: the modules of LONGEST_FIRST first, in that order; everything else, and the
    order inside each module, as collected. Only under xdist (a single process keeps
    pytest-django's order of database tests)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    _longest_first(items)
    by_module: dict[str, list] = {}
    for item in items:
        module = item.getparent(pytest.Module)
        if module is not None:
            by_module.setdefault(module.nodeid, []).append(item)
    for nodeid, its in by_module.items():
        db_items = [i for i in its if _uses_db(i)]
        unsafe = any(_transactional(i) for i in its)
        for world, (module, fixtures) in WORLDS.items():
            levels = [_level(i, module, fixtures) for i in db_items]
            _levels[(nodeid, world)] = 0 if unsafe or not levels else min(levels)


def module_world(request, django_db_blocker, world: str, build):
    """The body of a module-scoped world fixture: yields ``build(level)`` (a dict) built in a
    transaction rolled back at the module's end, or None where the module is not safe for it.
    The fixtures hand each test a deep copy, so one test's changes to an object never reach the next."""
    from django.db import transaction
    from django.test import override_settings

    level = _levels.get((request.node.nodeid, world), 0)
    if not level:
        yield None
        return
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=md5):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = build(level)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)



@pytest.fixture(autouse=True, scope="session")
def _standard_parsed_once():
    # Reading the bundled standard (115 KB of YAML, validated) takes about two seconds and many
    # tests load it; a text already read is answered from memory (a deep copy, so a caller that
    # changes it changes only its own). Errors are not cached: a broken text is read again.
    from loket.catalog import standard_file

    original = standard_file.parse_standard_text
    parsed: dict[tuple[str, str], object] = {}

    def parse_once(text, *, path="<teks>"):
        key = (text, str(path))
        if key not in parsed:
            parsed[key] = original(text, path=path)
        return parsed[key].model_copy(deep=True)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(standard_file, "parse_standard_text", parse_once)
        yield
