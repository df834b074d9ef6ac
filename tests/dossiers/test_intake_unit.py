"""Service 15 (legalisasi umum lainnya): "diteruskan ke Kasi", component 9 "Kasi-Kasi Kecamatan
yang terkait". A service type flagged ``unit_chosen_at_intake`` lets the front office pick the
verifying unit among the office's Kasi at intake (default: the service's unit); the dossier
keeps it and the Kasi list and the paraf follow it (docs/standard-notes.md, item 4)."""

import pytest
from django.urls import reverse

from loket.catalog.models import ServiceType
from loket.core.errors import InvalidInput
from loket.dossiers import selectors, services
from loket.dossiers.models import Dossier
from loket.offices.models import Unit
from loket.offices.services import staff_create
from loket.offices.roles import Role
from tests.factories import applicant_data
from tests.support.forms import intake_form


@pytest.fixture
def chosen(office):
    """The mini office's 'pindah' flagged like service 15, and a second Kasi (Trantib) with its head."""
    ServiceType.objects.filter(edition__office=office, code="pindah").update(unit_chosen_at_intake=True)
    trantib = Unit.objects.create(office=office, code="trantib", name="Kasi Ketentraman dan Ketertiban", kind="kasi")
    head = staff_create(office=office, username="kasi.trantib", role=Role.KASI, unit=trantib, password="x-Pass-12345",
                        full_name="Kasi Trantib").user
    return trantib, head


def _intake(office, people, items, unit):
    return services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(),
                                   actor=people["front"], present=items, originals=items, unit=unit)


def test_front_office_picks_a_kasi_and_the_paraf_follows(office, people, all_items, chosen):
    trantib, head = chosen
    d = _intake(office, people, all_items, "trantib")
    assert d.unit == trantib
    services.dossier_forward(code=d.code, actor=people["front"])
    assert list(selectors.worklist_kasi(unit=trantib)) == [Dossier.objects.get(pk=d.pk)]
    with pytest.raises(Exception, match="unit"):  # the service's own Kasi is not this dossier's
        services.dossier_initial(code=d.code, actor=people["kasi"])
    assert services.dossier_initial(code=d.code, actor=head).state == Dossier.State.INITIALLED


def test_without_a_choice_the_service_unit_verifies(office, people, all_items, chosen):
    assert _intake(office, people, all_items, "").unit.code == "pemerintahan"


def test_a_unit_that_is_not_a_kasi_is_refused_and_nothing_is_saved(office, people, all_items, chosen):
    with pytest.raises(InvalidInput) as exc:
        _intake(office, people, all_items, "umum")  # the Subbag Umum: not a Kasi
    assert "bukan Kasi kantor ini" in exc.value.errors["unit"][0]
    assert not Dossier.objects.exists()


def test_a_service_without_the_flag_keeps_its_unit(office, people, all_items):
    Unit.objects.create(office=office, code="trantib", name="Kasi Trantib", kind="kasi")
    with pytest.raises(InvalidInput) as exc:
        _intake(office, people, all_items, "trantib")
    assert "unitnya tidak dipilih di loket" in exc.value.errors["unit"][0]


def test_the_intake_screen_offers_the_kasi_and_saves_the_choice(client, office, people, all_items, chosen):
    client.force_login(people["front"])
    page = client.get(reverse("dossiers:intake"), {"layanan": "pindah"}).content.decode()
    assert 'name="unit"' in page and "Kasi Ketentraman dan Ketertiban" in page and "Subbag Umum" not in page
    response = client.post(reverse("dossiers:intake"), intake_form(all_items, unit="trantib"))
    assert response.status_code == 302
    assert Dossier.objects.get().unit.code == "trantib"
