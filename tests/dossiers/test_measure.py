"""The handover stores the dossier's time against the standard (dossiers.Measure), in working
time, in the same transaction; the migration and ``loket measures`` measure what came before."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from loket.core.errors import WrongState
from loket.dossiers import services
from loket.dossiers.models import Measure
from tests.factories import applicant_data

pytestmark = pytest.mark.django_db


def _handed_over(office, people, all_items):
    front = people["front"]
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=front,
                                present=all_items, originals=all_items)
    services.dossier_forward(code=d.code, actor=front)
    services.dossier_initial(code=d.code, actor=people["kasi"])
    services.dossier_sign(code=d.code, actor=people["sekcam"])
    services.dossier_register(code=d.code, actor=front)
    return services.dossier_handover(code=d.code, actor=front)


def test_the_handover_measures_the_dossier(office, people, all_items):
    d = _handed_over(office, people, all_items)
    m = Measure.objects.get(dossier=d)
    # Done in a moment (or outside the working hours, then 0): within the 10 minutes either way.
    assert m.on_time and 0 <= m.minutes < 1
    assert all(v is not None for v in (m.counter_minutes, m.kasi_minutes, m.signer_minutes, m.closing_minutes))


def test_a_refused_handover_stores_no_measure(office, people, all_items):
    front = people["front"]
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=front,
                                present=all_items, originals=all_items)
    with pytest.raises(WrongState):  # received, not registered
        services.dossier_handover(code=d.code, actor=front)
    assert not Measure.objects.exists()


def test_loket_measures_measures_again_and_refuses_an_unknown_office(office, people, all_items):
    d = _handed_over(office, people, all_items)
    Measure.objects.filter(dossier=d).update(minutes=999, on_time=False)
    out = io.StringIO()
    call_command("measures", office=office.slug, stdout=out)
    assert "1 berkas diukur ulang" in out.getvalue()
    assert Measure.objects.get(dossier=d).on_time
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("measures", office="tidak-ada")
