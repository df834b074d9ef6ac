"""Work lists acted on in a batch: the Kasi initials several dossiers at once
(services.dossier_initial_many, the Kasi's list /staf/paraf/), the signer signs several
(dossier_sign_many, /staf/tanda-tangan/); both lists carry "Pilih semua" (loket/worklists.js)
and the touch stylesheet (loket/worklists.css). Each dossier is its own transaction; a code that
cannot be done is reported with its reason and the others still go through."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from loket.core import codes
from loket.core.errors import InvalidInput
from loket.dossiers import services
from loket.dossiers.models import Dossier, Transition
from tests.support.dossier_rules import dossier_in
from tests.support.world import other  # noqa: F401  (a fixture)

S = Dossier.State


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def forwarded(office, people, all_items):
    return [dossier_in(S.FORWARDED, office=office, people=people, items=all_items) for _ in range(3)]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the service ----------------------------------------------------------------------------

def test_initial_many_initials_each_with_one_transition_by_the_kasi(people, forwarded):
    done, failed = services.dossier_initial_many(codes_=[d.code for d in forwarded], actor=people["kasi"],
                                                 note="Sudah diperiksa")
    assert failed == {}
    assert sorted(d.code for d in done) == sorted(d.code for d in forwarded)
    for d in forwarded:
        d.refresh_from_db()
        t = Transition.objects.filter(dossier=d).latest("pk")
        assert (d.state, t.from_state, t.to_state, t.actor, t.note) == (
            S.INITIALLED, S.FORWARDED, S.INITIALLED, people["kasi"], "Sudah diperiksa")


def test_initial_many_reports_each_failure_and_does_the_rest(office, people, all_items, forwarded):
    received = dossier_in(S.RECEIVED, office=office, people=people, items=all_items)
    chosen = [codes.display(forwarded[0].code).lower(), received.code, "ZZZZZZZZ", forwarded[1].code]
    done, failed = services.dossier_initial_many(codes_=chosen, actor=people["kasi"])
    assert {d.code for d in done} == {forwarded[0].code, forwarded[1].code}  # typed any case, with a dash
    assert set(failed) == {received.code, "ZZZZZZZZ"}
    assert "berstatus Diterima" in failed[received.code]
    assert failed["ZZZZZZZZ"] == "Berkas ZZZZZZZZ tidak ditemukan."
    assert Dossier.objects.get(pk=received.pk).state == S.RECEIVED
    assert Dossier.objects.get(pk=forwarded[2].pk).state == S.FORWARDED  # not chosen: untouched


@pytest.mark.parametrize("who", ["kasi_other", "front", "sekcam"])
def test_initial_many_by_anyone_but_the_kasi_of_the_unit_initials_nothing(who, people, forwarded):
    done, failed = services.dossier_initial_many(codes_=[d.code for d in forwarded], actor=people[who])
    assert done == [] and set(failed) == {d.code for d in forwarded}
    assert all("hanya untuk" in why for why in failed.values())
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in forwarded]).values_list("state", flat=True)) == {S.FORWARDED}


def test_initial_many_of_another_offices_dossier_reads_as_unknown(people, forwarded, other):
    _, people2, _ = other
    done, failed = services.dossier_initial_many(codes_=[forwarded[0].code], actor=people2["kasi"])
    assert done == [] and failed == {forwarded[0].code: f"Berkas {forwarded[0].code} tidak ditemukan."}


def test_initial_many_refuses_a_long_note_before_initialling_any(people, forwarded):
    with pytest.raises(InvalidInput) as exc:
        services.dossier_initial_many(codes_=[d.code for d in forwarded], actor=people["kasi"], note="x" * 5000)
    assert "note" in exc.value.errors
    assert not Dossier.objects.filter(state=S.INITIALLED).exists()


def test_a_code_chosen_twice_is_initialled_once(people, forwarded):
    done, failed = services.dossier_initial_many(codes_=[forwarded[0].code] * 2, actor=people["kasi"])
    assert [d.code for d in done] == [forwarded[0].code] and failed == {}
    assert Transition.objects.filter(dossier=forwarded[0], to_state=S.INITIALLED).count() == 1


# --- the Kasi's list --------------------------------------------------------------------------

def test_the_kasi_list_has_a_checkbox_per_dossier_select_all_and_one_submit(client, people, forwarded):
    client.force_login(people["kasi"])
    page = client.get(reverse("dossiers:kasi")).content.decode()
    for d in forwarded:
        assert f'name="code" value="{d.code}"' in page
    assert "Pilih semua" in page and "data-pick-all" in page
    assert page.count("Paraf yang dipilih") == 1
    assert "loket/worklists.css" in page and "loket/worklists.js" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_the_kasi_initials_the_chosen_ones_from_the_list(client, people, forwarded):
    client.force_login(people["kasi"])
    r = client.post(reverse("dossiers:kasi"), {"code": [forwarded[0].code, forwarded[2].code]}, follow=True)
    assert r.redirect_chain == [("/staf/paraf/", 302)]
    assert _messages(r) == ["2 berkas diparaf."]
    states = {d.code: Dossier.objects.get(pk=d.pk).state for d in forwarded}
    assert states == {forwarded[0].code: S.INITIALLED, forwarded[1].code: S.FORWARDED, forwarded[2].code: S.INITIALLED}
    page = r.content.decode()
    assert forwarded[1].code in page and forwarded[0].code not in page  # the list now shows what is left


def test_the_kasi_list_names_each_refused_code_with_its_reason(client, office, people, all_items, forwarded):
    signed = dossier_in(S.INITIALLED, office=office, people=people, items=all_items)
    client.force_login(people["kasi"])
    r = client.post(reverse("dossiers:kasi"), {"code": [forwarded[0].code, signed.code]}, follow=True)
    shown = _messages(r)
    assert shown[0] == "1 berkas diparaf."
    assert shown[1].startswith(f"{codes.display(signed.code)}: ") and "berstatus Diparaf" in shown[1]


def test_nothing_chosen_is_said_and_nothing_changes(client, people, forwarded):
    client.force_login(people["kasi"])
    r = client.post(reverse("dossiers:kasi"), {}, follow=True)
    assert _messages(r) == ["Pilih dulu berkas yang akan diparaf."]
    assert not Dossier.objects.filter(state=S.INITIALLED).exists()


def test_another_units_kasi_is_refused_per_code(client, people, forwarded):
    client.force_login(people["kasi_other"])
    r = client.post(reverse("dossiers:kasi"), {"code": [forwarded[0].code]}, follow=True)
    (shown,) = _messages(r)
    assert "hanya untuk Kasi / Kasubbag unit" in shown
    assert Dossier.objects.get(pk=forwarded[0].pk).state == S.FORWARDED


# --- the signer's list ------------------------------------------------------------------------

def test_the_signature_list_has_select_all_and_the_touch_stylesheet(client, office, people, all_items):
    d = dossier_in(S.INITIALLED, office=office, people=people, items=all_items)
    client.force_login(people["sekcam"])
    page = client.get(reverse("dossiers:signature")).content.decode()
    assert f'name="code" value="{d.code}"' in page
    assert "Pilih semua" in page and "data-pick-all" in page
    assert "loket/worklists.css" in page and "loket/worklists.js" in page
    assert "<script>" not in page


def test_select_all_is_hidden_until_the_script_shows_it_and_absent_on_an_empty_list(client, people, forwarded):
    client.force_login(people["kasi"])
    page = client.get(reverse("dossiers:kasi")).content.decode()
    assert re.search(r'<p class="pick-all" data-pick-all hidden>', page)  # never a control that does nothing
    client.force_login(people["sekcam"])
    page = client.get(reverse("dossiers:signature")).content.decode()  # nothing initialled yet
    assert "Tidak ada berkas yang menunggu tanda tangan." in page and "Pilih semua" not in page


def test_the_signature_list_signs_the_chosen_ones(client, office, people, all_items):
    ds = [dossier_in(S.INITIALLED, office=office, people=people, items=all_items) for _ in range(2)]
    client.force_login(people["camat"])
    r = client.post(reverse("dossiers:signature"), {"code": [d.code for d in ds]}, follow=True)
    assert _messages(r) == ["2 berkas ditandatangani."]
    assert {Dossier.objects.get(pk=d.pk).state for d in ds} == {S.SIGNED}


def test_the_script_and_stylesheet_are_served_and_csp_safe():
    from django.contrib.staticfiles import finders

    js = open(finders.find("loket/worklists.js"), encoding="utf-8").read()
    css = open(finders.find("loket/worklists.css"), encoding="utf-8").read()
    assert "eval(" not in js and "innerHTML" not in js and "setAttribute(\"style\"" not in js
    assert "44px" in css  # touch targets
