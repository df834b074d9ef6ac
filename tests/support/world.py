"""Worlds shared by several test modules: a second office with its own staff."""

from __future__ import annotations

from pathlib import Path

import pytest

from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import staff_create


def second_office_load(office, tmp_path):
    """A second kecamatan loaded from the mini standard with another slug, name and region code
    (no staff yet): the office whose staff and codes the first office must never reach."""
    from loket.catalog.services import standard_load

    from tests.conftest import MINI_STANDARD

    text = Path(MINI_STANDARD).read_text(encoding="utf-8")
    text = text.replace('slug: "contoh"', 'slug: "lain"').replace("35.77.09", "35.77.10")
    text = text.replace("Kecamatan Contoh", "Kecamatan Lain")
    path = tmp_path / "lain.yaml"
    path.write_text(text, encoding="utf-8")
    office2 = standard_load(path=path).office
    assert office2.pk != office.pk
    return office2


@pytest.fixture
def other(office, tmp_path):
    """A second kecamatan, loaded from its own standard file (the mini standard with another
    slug and region code), with its own staff."""
    office2 = second_office_load(office, tmp_path)
    pem = Unit.objects.get(office=office2, code="pemerintahan")
    make = lambda username, role, unit=None: staff_create(
        office=office2, username=username, role=role, unit=unit, password="x-Pass-12345", full_name=username.title()
    ).user
    people2 = {
        "front": make("petugas.lain", Role.FRONT_OFFICE),
        "kasi": make("kasi.pem.lain", Role.KASI, pem),
        "sekcam": make("sekcam.lain", Role.SEKCAM),
        "camat": make("camat.lain", Role.CAMAT),
    }
    from loket.catalog.models import Requirement

    items2 = list(Requirement.objects.filter(service__code="pindah", service__edition__office=office2)
                  .values_list("pk", flat=True))
    return office2, people2, items2
