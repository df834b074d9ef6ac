"""Undoing a mistake at the counter (issue 15, item 2): 'Batalkan pengembalian' and 'Batalkan
penerimaan'. Append-only acts with a reason: the mistaken step stays in the history, the act
that undoes it is a new transition, shown on the staff page with its reason and on the public
tracking page as "Pengembalian dibatalkan" (the reason stays staff-only). The role × state
matrix of both acts is in tests/dossiers/test_matrix.py (tests/support/dossier_rules.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from loket.dossiers import policy, selectors, services
from loket.dossiers.models import Dossier, Transition
from loket.registers.models import RegisterEntry
from tests.support.dossier_rules import act, assert_nothing_changed, dossier_in, snapshot
from loket.core.errors import InvalidInput, WrongState

S = Dossier.State


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the public tracking page is rate-limited per address


def returned_at_intake(office, people, items) -> Dossier:
    """The clerk ticked one paper too few: the intake returned a complete dossier."""
    return dossier_in(S.RETURNED, office=office, people=people, items=items)


# --- Batalkan pengembalian -------------------------------------------------------------------

def test_a_false_return_is_undone_with_reason_and_checklist_and_stays_in_the_history(office, people, all_items):
    d = returned_at_intake(office, people, all_items)
    received_at = d.clock_started_at
    the_return = d.transitions.get(to_state=S.RETURNED)
    d = services.dossier_cancel_return(code=d.code, actor=people["front"], reason="Salah centang, KK ada",
                                       present=all_items, originals=all_items)
    assert d.state == S.RECEIVED
    steps = list(Transition.objects.filter(dossier=d).order_by("pk"))
    assert [(t.from_state, t.to_state) for t in steps] == [("", S.RECEIVED), (S.RECEIVED, S.RETURNED),
                                                           (S.RETURNED, S.RECEIVED)]
    last = steps[-1]
    assert last.cancels_id == the_return.pk and last.label == "Pengembalian dibatalkan"
    assert last.note == "Pengembalian dibatalkan: Salah centang, KK ada"
    assert d.clock_started_at == received_at  # the citizen has waited since intake
    assert all(i.complete for i in d.items.all())
    # and the dossier goes on as any complete one
    assert services.dossier_forward(code=d.code, actor=people["front"]).state == S.FORWARDED


def test_the_public_history_shows_the_correction_but_not_the_clerks_reason(client, office, people, all_items):
    d = returned_at_intake(office, people, all_items)
    services.dossier_cancel_return(code=d.code, actor=people["front"], reason="Salah centang oleh petugas Budi",
                                   present=all_items, originals=all_items)
    data = selectors.tracking_public(code=d.code)
    assert [(s["state"], s["cancelled"], s["correction"]) for s in data["timeline"]] == [
        (S.RECEIVED, False, False), (S.RETURNED, True, False), (S.RECEIVED, False, True)]
    assert data["timeline"][-1]["label"] == "Pengembalian dibatalkan"
    page = client.get(f"/lacak/{d.code}/").content.decode()
    assert "Pengembalian dibatalkan" in page
    assert "Budi" not in page  # the reason is the staff's
    api = client.get(f"/api/v1/track/{d.code}/").json()
    assert api["timeline"][-1]["label"] == "Pengembalian dibatalkan" and api["timeline"][-1]["correction"] is True
    assert api["timeline"][1]["cancelled"] is True


def test_the_staff_history_shows_pengembalian_dibatalkan_with_the_reason(client, office, people, all_items):
    d = returned_at_intake(office, people, all_items)
    client.force_login(people["front"])
    page = client.get(f"/staf/berkas/{d.code}/").content.decode()
    assert "Batalkan pengembalian" in page and 'action="/staf/berkas/%s/cancel_return/"' % d.code in page
    r = client.post(f"/staf/berkas/{d.code}/cancel_return/",
                    {"reason": "Salah centang", "present": all_items, "original": all_items})
    assert r.status_code == 302 and r["Location"] == f"/staf/berkas/{d.code}/"
    page = client.get(r["Location"]).content.decode()
    assert "Pengembalian dibatalkan: Salah centang" in page
    assert "Batalkan pengembalian" not in page  # received now: nothing to undo
    body = client.get(f"/api/v1/dossiers/{d.code}/").json()
    assert [t["cancels_return"] for t in body["transitions"]] == [False, False, True]


def test_a_return_undone_prints_no_return_slip(client, office, people, all_items):
    d = returned_at_intake(office, people, all_items)
    client.force_login(people["front"])
    slip = f"/staf/berkas/{d.code}/slip-pengembalian.pdf"
    page = client.get(f"/staf/berkas/{d.code}/").content.decode()
    assert "slip-pengembalian" in page and client.get(slip).status_code == 200
    services.dossier_cancel_return(code=d.code, actor=people["front"], reason="Salah centang",
                                   present=all_items, originals=all_items)
    page = client.get(f"/staf/berkas/{d.code}/").content.decode()
    assert "slip-pengembalian" not in page and client.get(slip).status_code == 404


def test_a_kasi_return_is_not_undone_at_the_counter(office, people, all_items):
    d = dossier_in(S.FORWARDED, office=office, people=people, items=all_items)
    act("return", code=d.code, actor=people["kasi"])
    before = snapshot(d)
    assert "cancel_return" not in policy.acts_allowed(selectors.dossier_get(office=office, code=d.code), people["front"])
    with pytest.raises(WrongState, match="dikembalikan oleh Kasi"):
        services.dossier_cancel_return(code=d.code, actor=people["front"], reason="Salah", present=all_items,
                                       originals=all_items)
    assert_nothing_changed(d, before)
    # the way back for the citizen is the resubmission
    assert services.dossier_resubmit(code=d.code, actor=people["front"], present=all_items,
                                     originals=all_items).state == S.RECEIVED


def test_a_false_return_at_a_resubmission_restarts_the_clock_from_that_resubmission(office, people, all_items):
    d = dossier_in(S.FORWARDED, office=office, people=people, items=all_items)
    act("return", code=d.code, actor=people["kasi"])
    # the citizen comes back with everything; the clerk forgets to tick the original KK
    services.dossier_resubmit(code=d.code, actor=people["front"], present=all_items, originals=[])
    wrong = Transition.objects.filter(dossier=d).latest("pk")
    assert (wrong.from_state, wrong.to_state) == (S.RETURNED, S.RETURNED)
    assert "cancel_return" in policy.acts_allowed(selectors.dossier_get(office=office, code=d.code), people["front"])
    d = services.dossier_cancel_return(code=d.code, actor=people["front"], reason="KK asli sudah ditunjukkan",
                                       present=all_items, originals=all_items)
    assert d.state == S.RECEIVED and d.clock_started_at == wrong.at
    assert Transition.objects.filter(dossier=d).latest("pk").cancels_id == wrong.pk


def test_an_incomplete_checklist_is_not_a_false_return(office, people, all_items):
    d = returned_at_intake(office, people, all_items)
    before = snapshot(d)
    with pytest.raises(InvalidInput) as info:
        services.dossier_cancel_return(code=d.code, actor=people["front"], reason="Salah centang",
                                       present=all_items, originals=[])
    assert "masih belum lengkap" in info.value.errors["items"][0]
    assert "Kartu Keluarga asli" in info.value.errors["items"][0]
    assert_nothing_changed(d, before)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_no_reason_changes_nothing(reason, office, people, all_items):
    d = returned_at_intake(office, people, all_items)
    before = snapshot(d)
    with pytest.raises(InvalidInput) as info:
        services.dossier_cancel_return(code=d.code, actor=people["front"], reason=reason, present=all_items,
                                       originals=all_items)
    assert "Alasan pembatalan wajib diisi" in info.value.errors["reason"][0]
    with pytest.raises(InvalidInput) as info:
        services.dossier_cancel_intake(code=d.code, actor=people["front"], reason=reason)
    assert "reason" in info.value.errors
    assert_nothing_changed(d, before)


def test_a_refused_cancel_shows_the_error_at_its_field_and_keeps_what_was_typed(client, office, people, all_items):
    d = returned_at_intake(office, people, all_items)
    before = snapshot(d)
    client.force_login(people["front"])
    r = client.post(f"/staf/berkas/{d.code}/cancel_return/",
                    {"reason": "Salah centang oleh saya", "present": all_items, "original": []})
    assert r.status_code == 400
    page = r.content.decode()
    assert "masih belum lengkap" in page and 'value="Salah centang oleh saya"' in page
    assert "<details class=\"cancel-return\" open>" in page
    r = client.post(f"/staf/berkas/{d.code}/cancel_intake/", {"reason": " "})
    assert r.status_code == 400
    assert "Alasan pembatalan wajib diisi" in r.content.decode()
    assert_nothing_changed(d, before)


def test_only_the_front_office_sees_the_undo_forms(client, office, people, all_items):
    d = returned_at_intake(office, people, all_items)
    for role in ("kasi", "camat", "bendahara", "admin"):
        client.force_login(people[role])
        page = client.get(f"/staf/berkas/{d.code}/").content.decode()
        assert "cancel_return" not in page and "cancel_intake" not in page, role
        with pytest.raises(PermissionDenied):
            services.dossier_cancel_intake(code=d.code, actor=people[role], reason="x")


# --- Batalkan penerimaan -------------------------------------------------------------------------

def test_a_cancelled_intake_leaves_every_list_and_takes_no_number(client, office, people, all_items):
    keep = dossier_in(S.RECEIVED, office=office, people=people, items=all_items)
    d = dossier_in(S.RECEIVED, office=office, people=people, items=all_items)
    entries = RegisterEntry.objects.count()
    d = services.dossier_cancel_intake(code=d.code, actor=people["front"], reason="Tercatat dua kali")
    assert d.state == S.CANCELLED and d.get_state_display() == "Dibatalkan"
    t = Transition.objects.filter(dossier=d).latest("pk")
    assert (t.from_state, t.to_state, t.note) == (S.RECEIVED, S.CANCELLED, "Penerimaan dibatalkan: Tercatat dua kali")
    assert RegisterEntry.objects.count() == entries and d.register_entry_id is None
    assert list(selectors.worklist_front_office(office=office)) == [keep]
    assert not selectors.worklist_signature(office=office).exists()
    assert not selectors.dossier_clock(d).running
    client.force_login(people["front"])
    assert d.code not in client.get("/staf/berkas/").content.decode()
    page = client.get(f"/staf/berkas/{d.code}/").content.decode()  # still found, with its history
    assert "Penerimaan dibatalkan: Tercatat dua kali" in page
    for name in policy.ACTS:
        assert not policy.acts_allowed(d, people["front"]), name  # an end state: nothing more
    cache.clear()
    assert selectors.tracking_public(code=d.code)["timeline"][-1]["state"] == S.CANCELLED


def test_a_cancelled_dossier_is_not_counted_in_the_survey_population(office, people, all_items):
    from loket.surveys.selectors import population_served

    dossier_in(S.RECEIVED, office=office, people=people, items=all_items)
    d = dossier_in(S.RETURNED, office=office, people=people, items=all_items)
    today = timezone.localdate()
    assert population_served(office=office, start=today, end=today) == 2
    services.dossier_cancel_intake(code=d.code, actor=people["front"], reason="Pemohon batal")
    assert population_served(office=office, start=today, end=today) == 1


def test_after_forwarding_the_intake_is_not_cancelled_at_the_counter(office, people, all_items):
    d = dossier_in(S.FORWARDED, office=office, people=people, items=all_items)
    before = snapshot(d)
    with pytest.raises(WrongState):
        services.dossier_cancel_intake(code=d.code, actor=people["front"], reason="Salah layanan")
    assert_nothing_changed(d, before)


def test_the_api_runs_both_acts(client, office, people, all_items):
    from loket.api.models import ApiToken

    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=people['front'], name='t')[1]}"}
    d = returned_at_intake(office, people, all_items)
    r = client.post(f"/api/v1/dossiers/{d.code}/cancel_return/", {"reason": ""}, content_type="application/json",
                    **headers)
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.post(f"/api/v1/dossiers/{d.code}/cancel_return/",
                    {"reason": "Salah centang", "present": all_items, "originals": all_items},
                    content_type="application/json", **headers)
    assert r.status_code == 200 and r.json()["state"] == S.RECEIVED
    assert "cancel_intake" in r.json()["allowed_acts"] and "cancel_return" not in r.json()["allowed_acts"]
    r = client.post(f"/api/v1/dossiers/{d.code}/cancel_intake/", {"reason": "Salah layanan"},
                    content_type="application/json", **headers)
    assert r.status_code == 200 and r.json()["state"] == S.CANCELLED and r.json()["allowed_acts"] == []
