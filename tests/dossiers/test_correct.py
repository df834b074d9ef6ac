"""Koreksi data pemohon (services.dossier_correct): an explicit act with a reason, never a side
effect; one append-only Correction row per changed field (who, when, field, old, new, reason)
and the dossier's data, in one transaction; the dossier's history shows it.

Who and until when (policy.CORRECTORS): the one who holds the dossier — the front office
while it is received or returned, the Kasi of its unit while forwarded or initialled. Never
from the signature on (signed, registered, handed over): a signed paper keeps its facts, and
the message says to take in a new dossier instead. Order of checks as in every act: role →
office → state → input; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from loket.api.models import ApiToken
from loket.dossiers import selectors, services
from loket.dossiers.models import Applicant, Correction, Dossier, Transition
from loket.offices.roles import NIK_FULL_ROLES, Role
from tests.support.dossier_rules import ROLES, STATES, dossier_in, ktp_el_intake as _ktp_el_intake
from tests.support.world import other  # noqa: F401  (a fixture)
from tests.factories import applicant_data
from loket.core.errors import InvalidInput, WrongState
from loket.dossiers import policy
from loket.dossiers.policy import may_correct

S = Dossier.State
A = applicant_data()
NEW_NAME = "Siti Aminah Rahayu"
REASON = "Nama sesuai KK; salah ketik saat penerimaan."

# (role, state) → the correction goes through; every other pair is refused (see ``expected``).
ALLOWED = {("front", S.RECEIVED), ("front", S.RETURNED), ("kasi", S.FORWARDED), ("kasi", S.INITIALLED)}
SIGNED = {S.SIGNED, S.REGISTERED, S.HANDED_OVER}


def expected(role: str, state: str):
    if (role, state) in ALLOWED:
        return "ok"
    if role not in ("front", "kasi"):  # kasi_other heads another unit: not the dossier's Kasi
        return PermissionDenied
    return WrongState


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _dossier(state, office, people, items, **kw) -> Dossier:
    return dossier_in(state, office=office, people=people, items=items, **kw)


def _facts(d: Dossier) -> dict:
    """Everything a refused correction must leave as it was."""
    return {
        "row": Dossier.objects.filter(pk=d.pk).values().get(),
        "corrections": list(Correction.objects.filter(dossier=d).values()),
        "transitions": Transition.objects.filter(dossier=d).count(),
        "people": list(Applicant.objects.order_by("pk").values()),
    }


# --- who and when -----------------------------------------------------------------------------

@pytest.mark.parametrize("role,state", [pytest.param(r, s, id=f"{r}-{s}") for r in ROLES for s in STATES])
def test_who_may_correct_in_which_state(role, state, office, people, all_items):
    d = _dossier(state, office, people, all_items)
    before = _facts(d)
    want = expected(role, state)
    if want != "ok":
        with pytest.raises(want) as exc:
            services.dossier_correct(code=d.code, actor=people[role], changes={"name": NEW_NAME}, reason=REASON)
        assert str(exc.value)
        if want is WrongState and state in SIGNED:
            assert "tidak dapat dikoreksi" in str(exc.value) and "terima berkas baru" in str(exc.value)
        assert _facts(d) == before
        assert may_correct(dossier=Dossier.objects.get(pk=d.pk), actor=people[role]) is False
        return
    assert may_correct(dossier=Dossier.objects.get(pk=d.pk), actor=people[role]) is True
    result = services.dossier_correct(code=d.code, actor=people[role], changes={"name": NEW_NAME}, reason=REASON)
    d.refresh_from_db()
    assert result.applicant_name == d.applicant_name == NEW_NAME
    assert d.state == state  # a correction is not a step of the flow
    assert Transition.objects.filter(dossier=d).count() == before["transitions"]
    (c,) = Correction.objects.filter(dossier=d)
    assert (c.field, c.old_value, c.new_value, c.reason, c.actor_id, c.state) == (
        "name", A["name"], NEW_NAME, REASON, people[role].pk, state)
    assert abs(c.at - timezone.now()) < dt.timedelta(minutes=1)


def test_the_roles_that_correct_see_full_nik():
    """The correction form shows the NIK, KK and telephone to change them: only for roles that may read them."""
    assert set(policy.CORRECTORS) <= NIK_FULL_ROLES


def test_the_signed_states_are_the_ones_from_signature_on():
    order = [S.RECEIVED, S.FORWARDED, S.INITIALLED, S.SIGNED, S.REGISTERED, S.HANDED_OVER]
    assert set(policy.SIGNED_STATES) == set(order[order.index(S.SIGNED):])
    allowed = {s for states in policy.CORRECTORS.values() for s in states}
    assert not allowed & set(policy.SIGNED_STATES)


def test_staff_of_another_office_may_not_correct(office, people, all_items, other):
    _, people2, _ = other
    d = _dossier(S.RECEIVED, office, people, all_items)
    before = _facts(d)
    with pytest.raises(PermissionDenied, match="kantor lain"):
        services.dossier_correct(code=d.code, actor=people2["front"], changes={"name": NEW_NAME}, reason=REASON)
    assert _facts(d) == before


def test_the_wrong_holder_is_told_who_holds_it(office, people, all_items):
    d = _dossier(S.FORWARDED, office, people, all_items)
    with pytest.raises(WrongState, match="Kasi Pemerintahan"):
        services.dossier_correct(code=d.code, actor=people["front"], changes={"name": NEW_NAME}, reason=REASON)


# --- the input --------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, reason, field, fragment", [
    ({"name": NEW_NAME}, "", "reason", "Alasan koreksi wajib diisi"),
    ({"name": NEW_NAME}, "   ", "reason", "Alasan koreksi wajib diisi"),
    ({"name": NEW_NAME}, "x" * 501, "reason", "paling panjang 500"),
    ({"religion": "Islam"}, REASON, "changes", "religion"),
    ({}, REASON, "changes", "Tidak ada data yang berubah"),
    ({"name": A["name"]}, REASON, "changes", "Tidak ada data yang berubah"),
    ({"rt": "1"}, REASON, "changes", "Tidak ada data yang berubah"),  # "1" is stored as "001" already
    ({"name": ""}, REASON, "name", "Nama wajib diisi"),
    ({"birth_date": "1990-08-06"}, REASON, "birth_date", "tidak cocok dengan NIK"),  # NIK says the 5th
    ({"sex": "L"}, REASON, "sex", "NIK ini milik perempuan"),
    ({"nik": "3577011508900001"}, REASON, "sex", "NIK ini milik laki-laki"),
    ({"kk_number": "٣٥٧٧٠١٠١٠١١٠٠٠٢"}, REASON, "kk_number", "hanya boleh berisi angka"),
    ({"kk_number": "0" * 16}, REASON, "kk_number", "semuanya nol"),
    ({"phone": "12"}, REASON, "phone", "Nomor telepon tidak valid"),
    ({"kelurahan": "99.99.99.9999"}, REASON, "kelurahan", "Kelurahan tidak dikenal"),
])
def test_bad_input_is_refused_at_its_field_and_changes_nothing(changes, reason, field, fragment, office, people,
                                                                all_items):
    d = _dossier(S.RECEIVED, office, people, all_items)
    before = _facts(d)
    with pytest.raises(InvalidInput) as exc:
        services.dossier_correct(code=d.code, actor=people["front"], changes=changes, reason=reason)
    assert field in exc.value.errors, exc.value.errors
    assert any(fragment in m for m in exc.value.errors[field]), exc.value.errors
    assert _facts(d) == before


def test_the_service_rules_still_hold_after_a_correction(db):
    """KTP-el: 17 or older, or married (UU 24/2013 Pasal 63 ayat 1), as on the day of intake."""
    from loket.catalog.services import standard_load
    from loket.offices.services import roles_sync, staff_create

    roles_sync()
    office = standard_load().office
    front = staff_create(office=office, username="petugas", role=Role.FRONT_OFFICE, password="x-Pass-12345",
                         full_name="Petugas").user
    birth = dt.date(dt.date.today().year - 16, 1, 1)
    d = _ktp_el_intake(office, front, birth=birth, marital="kawin")  # 16 and married: allowed
    with pytest.raises(InvalidInput) as exc:
        services.dossier_correct(code=d.code, actor=front, changes={"marital_status": "belum_kawin"}, reason=REASON)
    assert "17 tahun" in exc.value.errors["birth_date"][0]
    d.refresh_from_db()
    assert d.applicant_marital_status == "kawin" and not d.corrections.exists()


# --- what a correction writes ----------------------------------------------------------------

def test_one_row_per_changed_field_with_old_and_new_values(office, people, all_items):
    d = _dossier(S.RECEIVED, office, people, all_items)
    changes = {"name": NEW_NAME, "address": "Jl. Contoh 2", "rt": "3", "rw": "2", "kelurahan": "",
               "birth_date": "1990-08-05", "phone": "0812 3456 7891", "kk_number": "3577-0101-0110-0003"}
    d = services.dossier_correct(code=d.code, actor=people["front"], changes=changes, reason=REASON)
    rows = {c.field: (c.old_value, c.new_value) for c in d.corrections.all()}
    # rw and birth_date did not change: no row for them
    assert rows == {
        "name": (A["name"], NEW_NAME), "address": ("Jl. Contoh 1", "Jl. Contoh 2"), "rt": ("001", "003"),
        "kelurahan": ("Satu (35.77.09.1001)", ""), "phone": (A["phone"], "081234567891"),
        "kk_number": (A["kk_number"], "3577010101100003"),
    }
    assert len({(c.at, c.reason, c.actor_id) for c in d.corrections.all()}) == 1  # one act
    d.refresh_from_db()
    assert (d.applicant_name, d.applicant_address, d.applicant_rt, d.applicant_kelurahan, d.applicant_phone,
            d.applicant_kk_number) == (NEW_NAME, "Jl. Contoh 2", "003", None, "081234567891", "3577010101100003")


def test_a_corrected_nik_moves_the_dossier_to_the_right_person(office, people, all_items):
    d = _dossier(S.RECEIVED, office, people, all_items)
    wrong_person = d.applicant
    right = "3577014508900002"  # the same birth date and sex; the clerk typed the serial wrong
    d = services.dossier_correct(code=d.code, actor=people["front"], changes={"nik": right}, reason=REASON)
    d.refresh_from_db()
    assert d.applicant_nik == right and d.applicant.nik == right and d.applicant_id != wrong_person.pk
    assert d.applicant.name == d.applicant_name
    wrong_person.refresh_from_db()
    assert wrong_person.nik == A["nik"]  # the other person record is left alone


def test_a_correction_of_a_returned_dossier_leaves_its_clock(office, people, all_items):
    """A returned dossier's clock stops at its return (selectors.dossier_clock reads updated_at)."""
    d = _dossier(S.RETURNED, office, people, all_items)
    past = timezone.now() - dt.timedelta(hours=3)
    Dossier.objects.filter(pk=d.pk).update(updated_at=past, clock_started_at=past - dt.timedelta(minutes=4))
    d = services.dossier_correct(code=d.code, actor=people["front"], changes={"name": NEW_NAME}, reason=REASON)
    d.refresh_from_db()
    assert d.updated_at == past
    assert selectors.dossier_clock(d).elapsed == dt.timedelta(minutes=4)


def test_the_register_line_records_the_corrected_data(office, people, all_items):
    d = _dossier(S.INITIALLED, office, people, all_items)
    services.dossier_correct(code=d.code, actor=people["kasi"], changes={"name": NEW_NAME, "kelurahan": ""},
                             reason=REASON)
    services.dossier_sign(code=d.code, actor=people["camat"])
    d = services.dossier_register(code=d.code, actor=people["front"])
    assert (d.register_entry.name, d.register_entry.kelurahan) == (NEW_NAME, "")
    assert selectors.verification_public(code=d.verification_code)["name"] == selectors.mask_name(NEW_NAME)


def test_the_log_names_the_fields_never_the_values(office, people, all_items, caplog):
    d = _dossier(S.RECEIVED, office, people, all_items)
    with caplog.at_level(logging.DEBUG):
        services.dossier_correct(code=d.code, actor=people["front"], reason=REASON,
                                 changes={"name": NEW_NAME, "phone": "081299998888", "kk_number": "3577010101100003"})
    text = caplog.text
    assert "name" in text and "phone" in text
    for secret in (NEW_NAME, "081299998888", "3577010101100003", A["phone"], A["kk_number"], A["nik"]):
        assert secret not in text


# --- append-only ------------------------------------------------------------------------------

def test_a_correction_row_can_be_neither_changed_nor_deleted(office, people, all_items):
    d = _dossier(S.RECEIVED, office, people, all_items)
    services.dossier_correct(code=d.code, actor=people["front"], changes={"name": NEW_NAME}, reason=REASON)
    c = Correction.objects.get(dossier=d)
    c.new_value = "Orang Lain"
    with pytest.raises(ValueError, match="tidak dapat diubah"):
        c.save()
    with pytest.raises(ValueError, match="tidak dapat dihapus"):
        c.delete()
    with pytest.raises(ValueError, match="tidak dapat diubah"):
        Correction.objects.filter(pk=c.pk).update(new_value="Orang Lain")
    with pytest.raises(ValueError, match="tidak dapat dihapus"):
        Correction.objects.filter(pk=c.pk).delete()
    with pytest.raises(ValueError, match="tidak dapat diubah"), transaction.atomic():
        Correction.objects.bulk_update([c], ["new_value"])  # its own atomic block has no savepoint
    assert Correction.objects.get(pk=c.pk).new_value == NEW_NAME


def test_a_wrong_correction_is_put_right_by_another_one(office, people, all_items):
    d = _dossier(S.RECEIVED, office, people, all_items)
    services.dossier_correct(code=d.code, actor=people["front"], changes={"name": "Siti Aminah Salah"}, reason=REASON)
    d = services.dossier_correct(code=d.code, actor=people["front"], changes={"name": A["name"]},
                                 reason="Koreksi sebelumnya keliru.")
    assert [(c.old_value, c.new_value) for c in d.corrections.all()] == [
        (A["name"], "Siti Aminah Salah"), ("Siti Aminah Salah", A["name"])]
    d.refresh_from_db()
    assert d.applicant_name == A["name"]


# --- the screen -------------------------------------------------------------------------------

def _form(d: Dossier, **over) -> dict:
    data = services.snapshot_of(d)
    data["birth_date"] = data["birth_date"].isoformat()
    data["reason"] = REASON
    data.update(over)
    return data


@pytest.mark.parametrize("role,state", [("front", S.RECEIVED), ("front", S.RETURNED), ("kasi", S.FORWARDED),
                                        ("kasi", S.INITIALLED), ("front", S.FORWARDED), ("kasi", S.RECEIVED),
                                        ("front", S.SIGNED), ("kasi", S.SIGNED), ("camat", S.INITIALLED),
                                        ("bendahara", S.RECEIVED), ("kasi_other", S.FORWARDED)])
def test_the_form_is_offered_only_to_who_may_correct_now(role, state, client, office, people, all_items):
    d = _dossier(state, office, people, all_items)
    client.force_login(people[role])
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    offered = "Koreksi data pemohon" in page
    assert offered is ((role, state) in ALLOWED)
    if offered:
        assert reverse("dossiers:act", args=[d.code, "correct"]) in page
        assert 'id="koreksi-name"' in page and f'value="{A["name"]}"' in page


def test_a_correction_through_the_screen_lands_in_the_history(client, office, people, all_items):
    d = _dossier(S.RECEIVED, office, people, all_items)
    client.force_login(people["front"])
    r = client.post(reverse("dossiers:act", args=[d.code, "correct"]), _form(d, name=NEW_NAME, phone="081299998888"))
    assert r.status_code == 302 and r["Location"] == reverse("dossiers:detail", args=[d.code])
    d.refresh_from_db()
    assert d.applicant_name == NEW_NAME and d.applicant_phone == "081299998888"
    assert sorted(d.corrections.values_list("field", flat=True)) == ["name", "phone"]
    page = client.get(r["Location"]).content.decode()
    assert "dikoreksi" in page  # the message
    assert "Koreksi data" in page and REASON in page
    assert f"Nama: {A['name']} → {NEW_NAME}" in page
    assert f"Telepon/WhatsApp: {A['phone']} → 081299998888" in page


def test_a_bad_correction_through_the_screen_shows_the_form_again_and_changes_nothing(
    client, office, people, all_items,
):
    d = _dossier(S.RECEIVED, office, people, all_items)
    before = _facts(d)
    client.force_login(people["front"])
    r = client.post(reverse("dossiers:act", args=[d.code, "correct"]),
                    _form(d, name="Siti Aminah Rahayu", sex="L", reason=""))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Jenis kelamin tidak cocok dengan NIK" in page and "Alasan koreksi wajib diisi" in page
    assert 'value="Siti Aminah Rahayu"' in page  # what was typed is kept
    assert "Tidak ada yang berubah" in page
    assert _facts(d) == before


def test_a_refused_correction_through_the_screen_is_a_message(client, office, people, all_items):
    d = _dossier(S.SIGNED, office, people, all_items)
    before = _facts(d)
    client.force_login(people["front"])
    r = client.post(reverse("dossiers:act", args=[d.code, "correct"]), _form(d, name=NEW_NAME), follow=True)
    assert "tidak dapat dikoreksi" in r.content.decode()
    assert _facts(d) == before


def test_the_history_masks_nik_kk_and_phone_for_roles_that_see_them_masked(client, office, people, all_items):
    d = _dossier(S.RECEIVED, office, people, all_items)
    new = {"nik": "3577014508900002", "kk_number": "3577010101100003", "phone": "081299998888"}
    services.dossier_correct(code=d.code, actor=people["front"], changes=new, reason=REASON)
    secrets = [A["nik"], A["kk_number"], A["phone"], *new.values()]
    client.force_login(people["bendahara"])
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "Koreksi data" in page and "357701**********" in page and "0812******88" in page
    for secret in secrets:
        assert secret not in page
    token = ApiToken.issue(user=people["ppat"], name="t")[1]
    body = client.get(reverse("api:dossier_detail", args=[d.code]), HTTP_AUTHORIZATION=f"Bearer {token}").content
    assert b'"field": "nik"' in body or b'"field":"nik"' in body
    for secret in secrets:
        assert secret.encode() not in body
    client.force_login(people["front"])  # who may read them sees them
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert f"NIK: {A['nik']} → {new['nik']}" in page


# --- the API ----------------------------------------------------------------------------------

def _api(client, people, who, d, body):
    token = ApiToken.issue(user=people[who], name="t")[1]
    return client.post(reverse("api:dossier_action", args=[d.code, "correct"]), body,
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_api_correct(client, office, people, all_items):
    d = _dossier(S.FORWARDED, office, people, all_items)
    r = _api(client, people, "kasi", d, {"changes": {"name": NEW_NAME, "birth_date": "1990-08-05"}, "reason": REASON})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["applicant_name"] == NEW_NAME and body["state"] == S.FORWARDED
    (c,) = body["corrections"]
    assert (c["field"], c["label"], c["old"], c["new"], c["reason"], c["actor"], c["state"]) == (
        "name", "Nama", A["name"], NEW_NAME, REASON, "Kasi.Pem", S.FORWARDED)
    detail = client.get(reverse("api:dossier_detail", args=[d.code]),
                        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user=people['front'], name='t')[1]}").json()
    assert detail["corrections"] == body["corrections"]


@pytest.mark.parametrize("who, state, body, status, fragment", [
    ("kasi", S.FORWARDED, {"changes": {"name": NEW_NAME}}, 400, "Alasan koreksi wajib diisi"),
    ("kasi", S.FORWARDED, {"changes": {"nik": "123"}, "reason": REASON}, 400, "NIK harus 16 digit"),
    ("kasi", S.FORWARDED, {"changes": {"name": 5}, "reason": REASON}, 400, ""),  # not a string: refused as input
    ("bendahara", S.FORWARDED, {"changes": {"name": NEW_NAME}, "reason": REASON}, 403, "hanya untuk"),
    ("front", S.FORWARDED, {"changes": {"name": NEW_NAME}, "reason": REASON}, 409, "Kasi Pemerintahan"),
    ("front", S.REGISTERED, {"changes": {"name": NEW_NAME}, "reason": REASON}, 409, "terima berkas baru"),
])
def test_api_correct_refusals(who, state, body, status, fragment, client, office, people, all_items):
    d = _dossier(state, office, people, all_items)
    before = _facts(d)
    r = _api(client, people, who, d, body)
    assert r.status_code == status, r.content
    assert fragment in r.content.decode()
    assert _facts(d) == before


def test_the_other_acts_do_not_read_changes(client, office, people, all_items):
    """A resubmission is about the checklist; the applicant's data change only through 'correct'."""
    d = _dossier(S.RETURNED, office, people, all_items)
    token = ApiToken.issue(user=people["front"], name="t")[1]
    r = client.post(reverse("api:dossier_action", args=[d.code, "resubmit"]),
                    {"present": all_items, "originals": all_items, "changes": {"name": NEW_NAME}, "reason": REASON},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and r.json()["state"] == S.RECEIVED
    d.refresh_from_db()
    assert d.applicant_name == A["name"] and not d.corrections.exists()


def test_unknown_code(office, people):
    with pytest.raises(Dossier.DoesNotExist):
        services.dossier_correct(code="ZZZZ-ZZZZ", actor=people["front"], changes={"name": NEW_NAME}, reason=REASON)
