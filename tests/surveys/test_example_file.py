"""The sample of last year's paper forms shipped in docs/examples (docs/skm.md tells a new user
to import it): it stays importable into the bundled Kartoharjo standard, and its IKM is the one
the documentation quotes."""

from pathlib import Path

from loket.catalog.services import standard_load
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.surveys import selectors, services
from loket.surveys.importer import parse, read_cells
from loket.surveys.periods import Period

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "skm-kuesioner-kertas-2025.csv"


def test_the_example_file_imports_and_gives_the_documented_ikm(db):
    roles_sync()
    office = standard_load().office
    clerk = staff_create(office=office, username="fo", role=Role.FRONT_OFFICE, password="x-Pass-12345").user
    rows = parse(read_cells(EXAMPLE.name, EXAMPLE.read_bytes()))
    assert services.responses_import(office=office, actor=clerk, rows=rows) == 120
    rep = selectors.report(office=office, period=Period("tahun", 2025, 1))
    assert (rep.respondents, rep.result.as_json()["ikm_unit"], rep.result.grade) == (120, 83.77, "B")
    assert selectors.report(office=office, period=Period("tahun", 2025, 1), weight="0.11").result.as_json()["ikm_unit"] == 82.94
    documented = (Path(__file__).resolve().parents[2] / "docs" / "skm.md").read_text()
    assert "83,77" in documented and EXAMPLE.name in documented
