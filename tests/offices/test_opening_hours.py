"""Office.opening_hours: blank after setup from the bundled 2018 standard (it states no counter
hours), taken from a standard file's office.opening_hours when one states them, editable in
the admin."""

from loket.catalog.services import DEFAULT_STANDARD, standard_load
from loket.catalog.standard_file import parse_standard_file
from loket.offices.models import Office


def test_the_bundled_standard_states_no_hours(db):
    office = standard_load().office
    assert office.opening_hours == ""


def test_a_standard_that_states_hours_fills_them(db):
    data = parse_standard_file(DEFAULT_STANDARD)
    data.office.opening_hours = "Senin–Kamis 07.30–15.30\nJumat 07.30–11.00"
    office = standard_load(data=data).office
    assert Office.objects.get(pk=office.pk).opening_hours == "Senin–Kamis 07.30–15.30\nJumat 07.30–11.00"


def test_the_office_admin_edits_them(admin_client, db):
    office = standard_load().office
    page = admin_client.get(f"/admin/offices/office/{office.pk}/change/").content.decode()
    assert 'name="opening_hours"' in page
