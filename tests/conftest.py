"""Shared fixtures. The database is whatever DATABASE_URL names (SQLite by default).

With CI=true and a PostgreSQL DATABASE_URL that cannot be reached, the run stops with an
error instead of silently testing nothing on PostgreSQL."""

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
def mini_standard(db):
    """The small two-service standard of tests/catalog/fixtures/mini.yaml, loaded and active."""
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


# --- offices with staff, for dossier tests -------------------------------------

from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create


@pytest.fixture
def office(mini_standard):
    roles_sync()
    return mini_standard.office


@pytest.fixture
def people(office):
    """One account per role in the mini office, plus a Kasi of another unit."""
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
