"""The dossier's path: received → forwarded → initialled → signed → registered → handed over,
each act checking role and state, each writing one transition with the new state."""

import pytest
from django.core.exceptions import PermissionDenied

from loket.dossiers import services
from loket.dossiers.models import Dossier, Transition
from loket.registers.models import RegisterEntry
from tests.factories import applicant_data
from loket.core.errors import InvalidInput, WrongState

S = Dossier.State


def intake(office, people, items, **kw):
    return services.dossier_intake(
        office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
        present=items, originals=items, **kw,
    )


def test_full_path_with_sekcam_signing(office, people, all_items):
    d = intake(office, people, all_items)
    assert d.state == S.RECEIVED
    services.dossier_forward(code=d.code, actor=people["front"])
    services.dossier_initial(code=d.code, actor=people["kasi"])
    services.dossier_sign(code=d.code, actor=people["sekcam"])
    d = services.dossier_register(code=d.code, actor=people["front"])
    assert d.register_entry.number == 1 and d.verification_code
    d = services.dossier_handover(code=d.code, actor=people["front"])
    assert d.state == S.HANDED_OVER
    assert d.signer_capacity == Dossier.SignerCapacity.AN_CAMAT
    assert d.handed_over_to == "Dinas Kependudukan dan Pencatatan Sipil Kota Contoh"
    assert list(d.transitions.values_list("from_state", "to_state")) == [
        ("", S.RECEIVED), (S.RECEIVED, S.FORWARDED), (S.FORWARDED, S.INITIALLED), (S.INITIALLED, S.SIGNED),
        (S.SIGNED, S.REGISTERED), (S.REGISTERED, S.HANDED_OVER),
    ]
    entry = RegisterEntry.objects.get(book__kind="pelayanan")
    assert entry.name == "Siti Aminah" and entry.reference == d.code and "a.n. Camat" in entry.signer


def test_camat_signs_in_own_capacity(office, people, all_items):
    d = intake(office, people, all_items)
    services.dossier_forward(code=d.code, actor=people["front"])
    services.dossier_initial(code=d.code, actor=people["kasi"])
    d = services.dossier_sign(code=d.code, actor=people["camat"])
    assert d.signer_capacity == Dossier.SignerCapacity.CAMAT


def test_incomplete_intake_is_returned_with_what_is_missing(office, people, all_items):
    d = intake(office, people, all_items[:1])
    assert d.state == S.RETURNED
    last = d.transitions.last()
    assert last.missing == ["Kartu Keluarga asli"]  # the conditional F-1.35 was not asked for


def test_conditional_item_counts_only_when_it_applies(office, people, all_items):
    first, conditional, original = all_items
    d = intake(office, people, [first, original], answers={"pindah_antar_kota_provinsi": True})
    assert d.state == S.RETURNED
    assert d.transitions.last().missing == ["Formulir F-1.35"]


def test_original_not_shown_is_missing(office, people, all_items):
    d = services.dossier_intake(
        office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
        present=all_items, originals=[],
    )
    assert d.transitions.last().missing == ["Kartu Keluarga asli (tunjukkan yang asli)"]


def test_returned_dossier_comes_back_complete(office, people, all_items):
    d = intake(office, people, all_items[:1])
    d = services.dossier_resubmit(code=d.code, actor=people["front"], present=all_items, originals=all_items)
    assert d.state == S.RECEIVED
    assert d.items.filter(present=True).count() == 2


def test_kasi_returns_with_reason(office, people, all_items):
    d = intake(office, people, all_items)
    services.dossier_forward(code=d.code, actor=people["front"])
    with pytest.raises(InvalidInput):
        services.dossier_return(code=d.code, actor=people["kasi"], reason=" ")
    d = services.dossier_return(code=d.code, actor=people["kasi"], reason="Tanda tangan lurah tidak ada")
    assert d.state == S.RETURNED and d.transitions.last().note == "Tanda tangan lurah tidak ada"


def test_kasi_of_another_unit_cannot_initial(office, people, all_items):
    d = intake(office, people, all_items)
    services.dossier_forward(code=d.code, actor=people["front"])
    with pytest.raises(PermissionDenied):
        services.dossier_initial(code=d.code, actor=people["kasi_other"])
    d.refresh_from_db()
    assert d.state == S.FORWARDED
    assert not d.transitions.filter(to_state=S.INITIALLED).exists()


def test_wrong_state_is_refused_and_changes_nothing(office, people, all_items):
    d = intake(office, people, all_items)
    before = Transition.objects.count()
    with pytest.raises(WrongState, match="Diterima"):
        services.dossier_sign(code=d.code, actor=people["camat"])
    assert Transition.objects.count() == before


def test_bad_applicant_saves_nothing(office, people, all_items):
    with pytest.raises(InvalidInput) as info:
        services.dossier_intake(
            office=office, service_code="pindah", applicant=applicant_data(nik="12", phone="12", rt="abc"),
            actor=people["front"], present=all_items, originals=all_items,
        )
    assert set(info.value.errors) >= {"nik", "phone", "rt"}
    assert not Dossier.objects.exists()


def test_transitions_are_append_only(office, people, all_items):
    d = intake(office, people, all_items)
    t = d.transitions.first()
    with pytest.raises(ValueError):
        t.save()
    with pytest.raises(ValueError):
        t.delete()


def _signed_and_registered(office, people, items, signer):
    d = intake(office, people, items)
    services.dossier_forward(code=d.code, actor=people["front"])
    services.dossier_initial(code=d.code, actor=people["kasi"])
    services.dossier_sign(code=d.code, actor=people[signer])
    return services.dossier_register(code=d.code, actor=people["front"])


def test_register_names_the_signer_in_the_books_wording(office, people, all_items):
    # demo accounts are named after their position: the position is not repeated as a name
    people["sekcam"].first_name, people["sekcam"].last_name = "Sekretaris", "Kecamatan"
    people["sekcam"].save()
    d = _signed_and_registered(office, people, all_items, "sekcam")
    assert d.register_entry.signer == "Sekretaris Kecamatan a.n. Camat"
    people["camat"].first_name, people["camat"].last_name = "Tjatoer", "Wahjoedianto"
    people["camat"].save()
    d = _signed_and_registered(office, people, all_items, "camat")
    assert d.register_entry.signer == "Camat (Tjatoer Wahjoedianto)"
