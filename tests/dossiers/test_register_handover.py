"""'Register & serahkan': when the citizen waits at the counter for the signed paper, the front
office registers it and hands it over in one act (services.dossier_register_handover), through
dossier_register and dossier_handover in one transaction: two transitions, one register number,
a verification code; refused whole (no number taken) when any part is refused."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from loket.core.errors import InvalidInput, WrongState
from loket.dossiers import policy, services
from loket.dossiers.models import Dossier, Transition
from loket.registers.models import RegisterBook, RegisterEntry
from tests.support.dossier_rules import book, dossier_in  # noqa: F401  (book is a fixture)

S = Dossier.State
AGENCY = "Dinas Kependudukan dan Pencatatan Sipil Kota Contoh"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def signed(office, people, all_items):
    return dossier_in(S.SIGNED, office=office, people=people, items=all_items)


def test_register_and_hand_over_in_one_act(people, signed, book):
    d = services.dossier_register_handover(code=signed.code, actor=people["front"], note="Diambil sendiri")
    d.refresh_from_db()
    assert d.state == S.HANDED_OVER
    new = list(Transition.objects.filter(dossier=d).order_by("pk"))[-2:]
    assert [(t.from_state, t.to_state, t.actor_id) for t in new] == [
        (S.SIGNED, S.REGISTERED, people["front"].pk), (S.REGISTERED, S.HANDED_OVER, people["front"].pk)]
    assert new[0].note == f"Nomor register {d.register_entry.number_display}."
    assert new[1].note == "Diambil sendiri"
    book.refresh_from_db()
    assert d.register_entry.number == book.last_number == 8 and d.register_entry.reference == d.code
    assert d.verification_code and d.handed_over_to == AGENCY and d.done_at == new[1].at


def test_the_agency_typed_is_the_one_recorded(people, signed, book):
    d = services.dossier_register_handover(code=signed.code, actor=people["front"], handed_over_to="Dispendukcapil Kab.")
    assert d.handed_over_to == "Dispendukcapil Kab."


def test_a_refused_handover_takes_no_register_number(people, signed, book):
    with pytest.raises(InvalidInput) as exc:
        services.dossier_register_handover(code=signed.code, actor=people["front"], handed_over_to="x" * 251)
    assert "handed_over_to" in exc.value.errors
    d = Dossier.objects.get(pk=signed.pk)
    assert (d.state, d.register_entry_id, d.verification_code) == (S.SIGNED, None, None)
    book.refresh_from_db()
    assert book.last_number == 7 and not RegisterEntry.objects.exists()  # gap-free: nothing taken
    assert not Transition.objects.filter(dossier=d, to_state=S.REGISTERED).exists()


@pytest.mark.parametrize("who", ["kasi", "sekcam", "camat", "bendahara", "ppat", "admin"])
def test_only_the_front_office_may(who, people, signed, book):
    with pytest.raises(PermissionDenied) as exc:
        services.dossier_register_handover(code=signed.code, actor=people[who])
    assert "hanya untuk Petugas Pelayanan" in str(exc.value)
    assert Dossier.objects.get(pk=signed.pk).state == S.SIGNED


@pytest.mark.parametrize("state", [S.INITIALLED, S.REGISTERED, S.HANDED_OVER])
def test_only_a_signed_dossier(state, office, people, all_items, book):
    d = dossier_in(state, office=office, people=people, items=all_items)
    with pytest.raises(WrongState) as exc:
        services.dossier_register_handover(code=d.code, actor=people["front"])
    assert "belum/tidak bisa diregister dan diserahkan" in str(exc.value)
    assert Dossier.objects.get(pk=d.pk).state == state


def test_offered_to_the_front_office_on_a_signed_dossier_only(office, people, all_items, signed):
    assert "register_handover" in policy.acts_allowed(signed, people["front"])
    for who in ("kasi", "camat", "sekcam", "admin"):
        assert "register_handover" not in policy.acts_allowed(signed, people[who])
    registered = dossier_in(S.REGISTERED, office=office, people=people, items=all_items)
    assert "register_handover" not in policy.acts_allowed(registered, people["front"])


def test_the_detail_page_offers_one_button_and_it_hands_over(client, people, signed):
    client.force_login(people["front"])
    page = client.get(reverse("dossiers:detail", args=[signed.code])).content.decode()
    assert "Register & serahkan" in page
    assert reverse("dossiers:act", args=[signed.code, "register_handover"]) in page
    assert "Catat di Buku Register saja" in page  # when the citizen is not there yet
    r = client.post(reverse("dossiers:act", args=[signed.code, "register_handover"]),
                    {"handed_over_to": AGENCY}, follow=True)
    assert r.redirect_chain == [(reverse("dossiers:detail", args=[signed.code]), 302)]
    page = r.content.decode()
    assert "Diserahkan" in page and "Cetak label verifikasi (PDF)" in page
    assert Dossier.objects.get(pk=signed.pk).state == S.HANDED_OVER


def test_the_button_is_not_shown_to_the_signer(client, people, signed):
    client.force_login(people["camat"])
    page = client.get(reverse("dossiers:detail", args=[signed.code])).content.decode()
    assert "Register & serahkan" not in page


def test_a_refusal_on_the_screen_is_a_sentence_and_changes_nothing(client, people, signed):
    client.force_login(people["front"])
    r = client.post(reverse("dossiers:act", args=[signed.code, "register_handover"]),
                    {"handed_over_to": "x" * 251}, follow=True)
    assert [str(m) for m in r.context["messages"]] == ["Instansi tujuan paling panjang 250 karakter."]
    assert Dossier.objects.get(pk=signed.pk).state == S.SIGNED


def test_the_api_runs_it(client, people, signed):
    client.force_login(people["front"])
    r = client.post(f"/api/v1/dossiers/{signed.code}/register_handover/", {"handed_over_to": AGENCY},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == S.HANDED_OVER and body["register_number"] and body["verification_code"]
    assert [t["to_state"] for t in body["transitions"]][-2:] == [S.REGISTERED, S.HANDED_OVER]
    r = client.post(f"/api/v1/dossiers/{signed.code}/register_handover/", {}, content_type="application/json")
    assert r.status_code == 409 and "berstatus" in r.json()["detail"]
    assert RegisterBook.objects.get(kind=RegisterBook.Kind.PELAYANAN).last_number == 1


# --- from the counter's list ("Berkas hari ini") -------------------------------------------------

def test_the_counter_list_registers_and_hands_over_a_signed_dossier_in_one_click(client, people, signed, book,
                                                                                  all_items):
    received = dossier_in(S.RECEIVED, office=signed.office, people=people, items=all_items)
    client.force_login(people["front"])
    page = client.get(reverse("dossiers:today")).content.decode()
    button = reverse("dossiers:act", args=[signed.code, "register_handover"])
    assert button in page  # the signed one has the button
    assert reverse("dossiers:act", args=[received.code, "register_handover"]) not in page  # the others not
    r = client.post(button, {"handed_over_to": signed.service.forwarded_to, "back": "today"})
    assert r.status_code == 302 and r["Location"] == reverse("dossiers:today")
    d = Dossier.objects.get(pk=signed.pk)
    assert d.state == S.HANDED_OVER and d.handed_over_to == signed.service.forwarded_to


@pytest.mark.parametrize("who", ["kasi", "camat", "sekcam"])
def test_other_roles_see_no_register_button_on_the_counter_list(client, people, signed, who):
    client.force_login(people[who])
    page = client.get(reverse("dossiers:today")).content.decode()
    assert reverse("dossiers:act", args=[signed.code, "register_handover"]) not in page


def test_back_goes_only_to_the_counter_list(client, people, signed, book):
    client.force_login(people["front"])
    r = client.post(reverse("dossiers:act", args=[signed.code, "register_handover"]),
                    {"handed_over_to": "Dispendukcapil", "back": "https://example.org/"})
    assert r["Location"] == reverse("dossiers:detail", args=[signed.code])


def test_the_counter_list_offers_the_services_most_asked_for_first(client, people, signed):
    from loket.dossiers import selectors
    from loket.dossiers.views import _counter_services

    counter = _counter_services(signed.office)
    quick = selectors.counter_services_frequent(office=signed.office, services=counter, limit=3)
    assert quick[0].code == signed.service.code  # the one with dossiers
    assert [s.number for s in quick[1:]] == sorted(s.number for s in quick[1:])  # then the standard's order
    client.force_login(people["front"])
    page = client.get(reverse("dossiers:today")).content.decode()
    assert f'href="{reverse("dossiers:intake")}?layanan={signed.service.code}"' in page


# --- 'Terima kembali & teruskan ke Kasi': the missing paper brought --------------------------------

@pytest.fixture
def returned(office, people, all_items):
    return dossier_in(S.RETURNED, office=office, people=people, items=all_items)


def test_a_dossier_completed_at_the_second_visit_is_taken_back_and_forwarded_in_one_act(people, returned, all_items):
    d = services.dossier_resubmit_forward(code=returned.code, actor=people["front"], present=all_items,
                                          originals=all_items)
    assert d.state == S.FORWARDED
    new = list(Transition.objects.filter(dossier=d).order_by("pk"))[-2:]
    assert [(t.from_state, t.to_state) for t in new] == [(S.RETURNED, S.RECEIVED), (S.RECEIVED, S.FORWARDED)]


def test_still_incomplete_it_stays_returned_and_is_not_forwarded(people, returned, all_items):
    d = services.dossier_resubmit_forward(code=returned.code, actor=people["front"], present=all_items[:-1],
                                          originals=all_items[:-1])
    assert d.state == S.RETURNED and d.transitions.order_by("pk").last().missing


@pytest.mark.parametrize("who", ["kasi", "camat", "ppat"])
def test_only_the_front_office_takes_back_and_forwards(people, returned, all_items, who):
    with pytest.raises(PermissionDenied):
        services.dossier_resubmit_forward(code=returned.code, actor=people[who], present=all_items, originals=all_items)
    assert Dossier.objects.get(pk=returned.pk).state == S.RETURNED


def test_the_resubmit_form_forwards_by_default(client, people, returned, all_items):
    client.force_login(people["front"])
    page = client.get(reverse("dossiers:detail", args=[returned.code])).content.decode()
    form = page[page.index(reverse("dossiers:act", args=[returned.code, "resubmit"])):]
    first_button = form[form.index("<button"):form.index(">", form.index("<button"))]
    assert reverse("dossiers:act", args=[returned.code, "resubmit_forward"]) in first_button
    r = client.post(reverse("dossiers:act", args=[returned.code, "resubmit_forward"]),
                    {"present": all_items, "original": all_items})
    assert r.status_code == 302 and Dossier.objects.get(pk=returned.pk).state == S.FORWARDED
