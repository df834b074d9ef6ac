"""Fixtures of the API-token tests (imported by tests/api/test_token*.py): a second kecamatan
with its own admin and front office, and a platform superuser without an office."""

from pathlib import Path

import pytest

from loket.offices.roles import Role
from loket.offices.services import staff_create


@pytest.fixture
def other(office, tmp_path):
    """Kecamatan Lain (the mini standard under another slug and region) with an admin and a clerk."""
    from loket.catalog.services import standard_load
    from tests.conftest import MINI_STANDARD

    text = Path(MINI_STANDARD).read_text(encoding="utf-8")
    text = text.replace('slug: "contoh"', 'slug: "lain"').replace("35.77.09", "35.77.10")
    text = text.replace("Kecamatan Contoh", "Kecamatan Lain")
    path = tmp_path / "lain.yaml"
    path.write_text(text, encoding="utf-8")
    office2 = standard_load(path=path).office
    make = lambda username, role: staff_create(  # noqa: E731
        office=office2, username=username, role=role, password="x-Pass-12345", full_name=username.title()).user
    return {"office": office2, "admin": make("admin.lain", Role.ADMIN), "front": make("petugas.lain", Role.FRONT_OFFICE)}


@pytest.fixture
def root(db, django_user_model):
    """A platform superuser: no office of its own."""
    return django_user_model.objects.create_superuser("root", password="x-Pass-12345")
