"""Staff search (selectors.dossier_search, /staf/berkas/cari/): by tracking code, by name, and by
NIK only for the roles that may read a full NIK (offices.roles.NIK_FULL_ROLES). For the others a
NIK never matches — a search that found a dossier by its full NIK, or by more and more of its
digits, would tell them the number their screens mask — and a query that can only be a NIK is
answered with a message saying what to search with instead."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from loket.core import codes
from loket.dossiers import selectors, services
from loket.offices.roles import NIK_FULL_ROLES, can_see_full_nik
from tests.factories import applicant_data

A = applicant_data()
NIK = A["nik"]  # 3577014508900001
FULL = ["front", "kasi", "kasi_other", "sekcam", "camat", "admin"]
MASKED = ["bendahara", "ppat"]
FULL_WIDTH = NIK.translate({ord("0") + i: 0xFF10 + i for i in range(10)})
REFUSED = "Pencarian dengan NIK hanya untuk petugas yang berhak melihat NIK lengkap"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def dossier(office, people, all_items):
    return services.dossier_intake(office=office, service_code="pindah", applicant=A, actor=people["front"],
                                   present=all_items, originals=all_items)


def test_the_role_lists_match_nik_full_roles(people):
    assert [w for w in FULL if can_see_full_nik(people[w])] == FULL
    assert [w for w in MASKED if not can_see_full_nik(people[w])] == MASKED
    assert len(NIK_FULL_ROLES) == 5  # front office, Kasi, Sekcam, Camat, admin


@pytest.mark.parametrize("query", [NIK, "3577 0145 0890 0001", "35.77.01.450890.0001", FULL_WIDTH,
                                   NIK[:10], NIK[:7]])
def test_roles_with_full_nik_find_by_the_whole_nik_or_its_start(query, office, dossier):
    assert list(selectors.dossier_search(office=office, query=query, full_nik=True)) == [dossier]
    assert not selectors.nik_search_refused(query=query, full_nik=True)


@pytest.mark.parametrize("query", [NIK, "3577 0145 0890 0001", FULL_WIDTH, NIK[:10], NIK[:7]])
def test_roles_with_masked_nik_find_nothing_by_nik(query, office, dossier):
    assert list(selectors.dossier_search(office=office, query=query, full_nik=False)) == []
    assert list(selectors.dossier_search(office=office, query=query)) == []  # masked is the default


def test_a_whole_nik_matches_exactly_not_as_a_start(office, people, all_items, dossier):
    other = services.dossier_intake(office=office, service_code="pindah", actor=people["front"],
                                    applicant=applicant_data(nik="3577014508900011", name="Ani"),
                                    present=all_items, originals=all_items)
    assert list(selectors.dossier_search(office=office, query=NIK, full_nik=True)) == [dossier]
    assert set(selectors.dossier_search(office=office, query=NIK[:12], full_nik=True)) == {dossier, other}


@pytest.mark.parametrize("who", MASKED)
def test_the_screen_refuses_a_nik_search_with_a_message(who, client, people, dossier):
    client.force_login(people[who])
    page = client.get(reverse("dossiers:search") + f"?q={NIK}").content.decode()
    assert REFUSED in page
    assert codes.display(dossier.code) not in page and A["name"] not in page
    # more and more digits teach nothing either
    for n in range(9, 17):
        page = client.get(reverse("dossiers:search") + f"?q={NIK[:n]}").content.decode()
        assert codes.display(dossier.code) not in page and REFUSED in page


@pytest.mark.parametrize("who", MASKED)
def test_masked_roles_still_find_by_code_and_name(who, client, people, dossier):
    client.force_login(people[who])
    for q in (dossier.code, codes.display(dossier.code).lower(), "aminah"):
        page = client.get(reverse("dossiers:search") + f"?q={q}", follow=True).content.decode()
        assert codes.display(dossier.code) in page and REFUSED not in page, q


@pytest.mark.parametrize("who", FULL)
def test_the_screen_finds_by_nik_for_roles_that_read_it(who, client, people, dossier):
    client.force_login(people[who])
    page = client.get(reverse("dossiers:search") + f"?q={NIK}").content.decode()
    assert codes.display(dossier.code) in page and REFUSED not in page


def test_a_tracking_code_of_digits_only_is_still_searched_for_everyone(office, people, all_items, dossier):
    from loket.dossiers.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(code="23456789")  # the alphabet has digits 2-9
    assert not selectors.nik_search_refused(query="23456789", full_nik=False)
    assert list(selectors.dossier_search(office=office, query="2345-6789", full_nik=False)) == [
        Dossier.objects.get(pk=dossier.pk)]


def test_search_reads_the_dossiers_own_data_not_the_person_record(office, people, all_items, dossier):
    services.dossier_intake(office=office, service_code="pindah", actor=people["front"],
                            applicant=applicant_data(name="Nama Lain Sama Sekali"), present=[], originals=[])
    found = list(selectors.dossier_search(office=office, query="aminah", full_nik=True))
    assert found == [dossier]  # the later intake renamed the person record, not this dossier
