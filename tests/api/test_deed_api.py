"""The deeds API (akta tanah, the Camat as PPAT Sementara): the whole flow of a sale and of an
inheritance through /api/v1/deeds/, every refusal (400 field errors, 401, 403, 404, 409) with
its Indonesian message and nothing saved, another office's codes, the masking of the parties'
NIK, the fee quote, the Camat's calendar, and the OpenAPI schema.

Also the helpers the harness tests use to put deeds in the mini office (tests/conftest.py),
whose standard has no service 17: ``mini_deeds`` adds the bundled standard's service 17 to it,
``deed_case`` brings a case to any state through the real acts."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from loket.api.models import ApiToken
from loket.deeds import services as deed_services
from loket.deeds.models import Case, Party, Signing, SigningSlot, TaxProof, Transition
from loket.offices.models import Holiday
from loket.offices.roles import Role
from loket.offices.services import staff_create
from tests.deeds.conftest import NIKS, deed_office, inheritance, officials, sale  # noqa: F401
from tests.support.deeds import (
    all_items, at, deed_case, mini_deeds, sidang_form, sidang_slot,
)
from loket.deeds.taxes import pbb_years

C = Case.State
BASE = "/api/v1/deeds"


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture
def api(client):
    """Calls as a given user, with that user's bearer token."""
    tokens: dict = {}

    class Api:
        def headers(self, user):
            if user is None:
                return {}
            if user.pk not in tokens:
                tokens[user.pk] = ApiToken.issue(user=user, name="tes")[1]
            return {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}

        def get(self, path, user, **params):
            return client.get(BASE + path, params, **self.headers(user))

        def post(self, path, user, body=None):
            return client.post(BASE + path, body or {}, content_type="application/json", **self.headers(user))

    return Api()


@pytest.fixture
def actors(officials):
    return {"front": officials["front"], "ppat": officials["ppat"], "validator": officials["kasi_pem"],
            "camat": officials["camat"]}


def counts() -> tuple:
    return (Case.objects.count(), Party.objects.count(), Transition.objects.count(), TaxProof.objects.count(),
            Signing.objects.count(), SigningSlot.objects.filter(released=False).count())


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.content[:800])
    return r.json()


# --- the whole flow -----------------------------------------------------------------------------

def test_a_sale_from_intake_to_hand_over(api, deed_office, officials):
    front, ppat, kasi, camat = officials["front"], officials["ppat"], officials["kasi_pem"], officials["camat"]
    # intake without the papers: returned, with the checklist of a jual beli
    d = ok(api.post("/cases/", front, {**sale(), "note": "Datang bersama pembeli."}), 201)
    code = d["code"]
    assert d["state"] == C.RETURNED and d["state_label"] == "Dikembalikan ke pemohon"
    assert d["deed_kind"] == "jual_beli" and d["deed_kind_label"] == "Akta Jual Beli"
    assert d["kelurahan"] == "35.77.01.1001" and d["kelurahan_name"] == "Oro-oro Ombo"
    assert d["value"] == 150_000_000 and d["fee"] == 1_500_000 and d["clock"] is None
    assert d["fee_detail"] == {"rate": "1", "cap": 1_500_000, "fee": 1_500_000, "free": False,
                               "notes": [mock.ANY]} and "1%" in d["fee_detail"]["notes"][0]
    texts = [i["text"] for i in d["checklist"]]
    assert any("Kuitansi jual beli" in t for t in texts) and not any("Ahli Waris" in t for t in texts)
    assert d["history"][-1]["to_state"] == C.RETURNED and d["history"][-1]["missing"]
    assert [p["name"] for p in d["parties"]] == ["Siti Aminah", "Budi Santoso"]
    assert d["parties"][0]["nik"] == NIKS[0] and d["parties"][0]["role_label"] == "Penjual"
    assert d["allowed_acts"] == ["resubmit", "withdraw"]
    ids = [i["requirement"] for i in d["checklist"]]
    # back with everything: received, the clock runs
    d = ok(api.post(f"/cases/{code}/resubmit/", front, {"present": ids, "originals": ids}))
    assert d["state"] == C.RECEIVED and all(i["present"] for i in d["checklist"])
    assert d["clock"]["status"] == "ok" and d["clock"]["running"] and d["clock"]["paused_days"] == 0
    assert d["allowed_acts"] == ["forward", "withdraw"]
    d = ok(api.post(f"/cases/{code}/forward/", front))
    assert d["state"] == C.PREPARING
    # the Petugas PPAT: three years of PBB, the SSB and the SSP (the value is above Rp 60 juta)
    assert d["pbb_years"] == pbb_years(Case.objects.get(code=code))
    assert len(d["taxes_missing"]) == 5
    assert ok(api.get(f"/cases/{code}/", ppat))["allowed_acts"] == ["certcheck", "taxproof", "wait", "withdraw"]
    # validating too early: 409, nothing changes
    r = api.post(f"/cases/{code}/validate/", kasi)
    assert r.status_code == 409 and "Bukti pajak belum lengkap" in r.json()["detail"]
    today = timezone.localdate().isoformat()
    for year in d["pbb_years"]:
        d = ok(api.post(f"/cases/{code}/taxproof/", ppat, {"kind": "pbb", "year": year, "number": f"STTS/{year}/77",
                                                           "paid_on": today, "amount": 310_000}))
    d = ok(api.post(f"/cases/{code}/wait/", ppat, {"reason": "Menunggu SSB BPHTB dari Bapenda."}))
    assert d["state"] == C.WAITING and d["clock"]["running"] is False
    for kind in ("bphtb", "pph"):
        d = ok(api.post(f"/cases/{code}/taxproof/", ppat, {"kind": kind, "number": f"NTPD-{kind}", "paid_on": today,
                                                           "amount": 4_500_000}))
    assert d["taxes_missing"] == [] and {t["kind"] for t in d["tax_proofs"]} == {"pbb", "bphtb", "pph"}
    assert d["tax_proofs"][0]["recorded_by"] == "Ppat"
    d = ok(api.post(f"/cases/{code}/certcheck/", ppat, {"checked_on": today, "result": "sesuai"}))
    assert d["certificate_checks"] == [{"checked_on": today, "result": "sesuai", "note": ""}]
    d = ok(api.post(f"/cases/{code}/resume/", ppat, {"note": "SSB sudah dibawa."}))
    assert d["state"] == C.PREPARING and d["clock"]["running"]
    assert ok(api.get(f"/cases/{code}/", kasi))["allowed_acts"] == ["validate"]
    d = ok(api.post(f"/cases/{code}/validate/", kasi))
    assert d["state"] == C.VALIDATED
    # the sidang, on the Camat's calendar
    start = sidang_slot(deed_office)
    d = ok(api.post(f"/cases/{code}/schedule/", ppat, sidang_form(start, 90)))
    assert d["state"] == C.SCHEDULED
    assert d["signing"] == {"starts_at": mock.ANY, "ends_at": mock.ANY, "minutes": 90, "place": "Ruang Camat",
                            "witnesses": ["Sri Wahyuni", "Agus Salim"]}
    assert dt.datetime.fromisoformat(d["signing"]["starts_at"]) == start
    day = timezone.localtime(start).date().isoformat()
    cal = ok(api.get("/calendar/", camat, **{"from": day, "to": day}))
    assert cal == [{"code": code, "deed_kind": "jual_beli", "deed_kind_label": "Akta Jual Beli",
                    "starts_at": mock.ANY, "ends_at": mock.ANY, "place": "Ruang Camat"}]
    assert dt.datetime.fromisoformat(cal[0]["ends_at"]) == start + dt.timedelta(minutes=90)
    # the Camat signs once the sidang has begun, not before
    r = api.post(f"/cases/{code}/sign/", camat)
    assert r.status_code == 409 and "Sidang baru dimulai" in r.json()["detail"]
    with at(start + dt.timedelta(minutes=10)):
        assert ok(api.get(f"/cases/{code}/", camat))["allowed_acts"] == ["sign"]
        d = ok(api.post(f"/cases/{code}/sign/", camat))
    assert d["state"] == C.SIGNED
    with at(start + dt.timedelta(minutes=100)):
        d = ok(api.post(f"/cases/{code}/register/", ppat))
    year = timezone.localtime(start).year
    assert d["state"] == C.REGISTERED and d["register_number"] == f"1/{year}"
    with at(start + dt.timedelta(minutes=110)):
        d = ok(api.post(f"/cases/{code}/handover/", ppat, {"to": "Budi Santoso"}))
    assert d["state"] == C.HANDED_OVER and d["handed_over_to"] == "Budi Santoso" and d["allowed_acts"] == ["deliver"]
    assert d["clock"]["running"] is False
    assert [h["to_state"] for h in d["history"]] == [
        C.RECEIVED, C.RETURNED, C.RECEIVED, C.PREPARING, C.PREPARING, C.PREPARING, C.PREPARING, C.WAITING,
        C.WAITING, C.WAITING, C.WAITING, C.PREPARING, C.VALIDATED, C.SCHEDULED, C.SIGNED, C.REGISTERED, C.HANDED_OVER]
    # the list
    rows = ok(api.get("/cases/", front))
    assert [(c["code"], c["state"], c["register_number"]) for c in rows] == [(code, C.HANDED_OVER, f"1/{year}")]
    assert "parties" not in rows[0]


def test_an_inheritance_with_shares_and_a_proxy(api, deed_office, officials):
    front, ppat, kasi, camat = officials["front"], officials["ppat"], officials["kasi_pem"], officials["camat"]
    items = all_items(deed_office)
    d = ok(api.post("/cases/", front, {**inheritance(), "present": items, "originals": items}), 201)
    code = d["code"]
    assert d["state"] == C.RECEIVED and d["deed_kind_label"] == "Akta Pembagian Hak Bersama (karena pewarisan)" and d["by_proxy"] is True
    assert d["land_title"] == "shm" and d["land_title_label"] == "Sertifikat Hak Milik"
    assert [(p["role"], p["share"]) for p in d["parties"]] == [
        ("pewaris", ""), ("ahli_waris", "1/2"), ("ahli_waris", "1/4"), ("ahli_waris", "1/4")]
    assert d["parties"][3]["proxy_name"] == "Joko" and d["parties"][3]["proxy_letter"]
    texts = " | ".join(i["text"] for i in d["checklist"])
    assert "Surat Pernyataan Ahli Waris" in texts and "Surat Kuasa" in texts and "Kuitansi jual beli" not in texts
    assert d["clock"]["status"] == "ok"
    ok(api.post(f"/cases/{code}/forward/", front))
    today = timezone.localdate().isoformat()
    for year in d["pbb_years"]:
        ok(api.post(f"/cases/{code}/taxproof/", ppat, {"kind": "pbb", "year": year, "number": f"{year}",
                                                       "paid_on": today, "amount": 100_000}))
    # Rp 90 juta of an inheritance: above the PPh's Rp 60 juta, below the Rp 300 juta NPOPTKP of the BPHTB
    d = ok(api.get(f"/cases/{code}/", ppat))
    assert d["taxes_missing"] == ["SSP PPh"]
    for kind in ("pph",):
        d = ok(api.post(f"/cases/{code}/taxproof/", ppat, {"kind": kind, "number": "NTPN 1", "paid_on": today,
                                                           "amount": 1_500_000}))
    ok(api.post(f"/cases/{code}/certcheck/", ppat, {"checked_on": today, "result": "sesuai"}))
    ok(api.post(f"/cases/{code}/validate/", kasi))
    start = sidang_slot(deed_office)
    ok(api.post(f"/cases/{code}/schedule/", ppat, sidang_form(start)))
    # moved to another time: the old half hours are free again, one sidang on the calendar
    later = start + dt.timedelta(hours=2)
    d = ok(api.post(f"/cases/{code}/schedule/", ppat, {**sidang_form(later), "place": "Pendopo"}))
    assert d["signing"]["place"] == "Pendopo"
    day = timezone.localtime(start).date().isoformat()
    cal = ok(api.get("/calendar/", ppat, **{"from": day, "to": day}))
    assert [dt.datetime.fromisoformat(c["starts_at"]) for c in cal] == [later]
    with at(later + dt.timedelta(minutes=1)):
        ok(api.post(f"/cases/{code}/sign/", camat))
    ok(api.post(f"/cases/{code}/register/", ppat))
    d = ok(api.post(f"/cases/{code}/handover/", ppat, {"to": "Joko (kuasa ahli waris)"}))
    assert d["state"] == C.HANDED_OVER and d["register_number"].startswith("1/")


def test_withdrawal_frees_the_camats_time(api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.SCHEDULED, sale())
    d = ok(api.post(f"/cases/{case.code}/withdraw/", officials["ppat"], {"reason": "Para pihak membatalkan."}))
    assert d["state"] == C.WITHDRAWN and d["withdraw_reason"] == "Para pihak membatalkan." and d["signing"] is None
    assert not SigningSlot.objects.filter(released=False).exists()
    assert ok(api.get(f"/cases/?state={C.WITHDRAWN}", officials["front"]))[0]["code"] == case.code


def test_the_code_may_be_typed_as_read_aloud(api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.RECEIVED, sale())
    spelled = f"{case.code[:4]}-{case.code[4:]}".lower()
    assert ok(api.get(f"/cases/{spelled}/", officials["sekcam"]))["code"] == case.code
    assert ok(api.post(f"/cases/{spelled}/forward/", officials["front"]))["state"] == C.PREPARING


# --- refusals: status, Indonesian message, nothing saved -----------------------------------------

def test_invalid_intake_is_400_per_field_and_saves_nothing(api, deed_office, officials):
    before = counts()
    body = inheritance(nop="123", area_m2=0, kelurahan="35.77.09.1001")
    body["parties"][1] = {**body["parties"][1], "nik": "3577011234"}
    body["parties"][2] = {**body["parties"][2], "share": "1/3"}
    r = api.post("/cases/", officials["front"], body)
    data = ok(r, 400)
    assert data["detail"] == "Data tidak valid."
    errors = data["errors"]
    assert errors["nop"] == ["NOP PBB harus 18 angka, mis. 35.77.010.001.001-0001.0."]
    assert "Luas tanah" in errors["area_m2"][0]
    assert "kelurahan kecamatan ini" in errors["kelurahan"][0]
    assert "16 digit" in errors["parties[1].nik"][0]
    assert counts() == before


def test_shares_must_add_up_to_one(api, deed_office, officials):
    body = inheritance()
    body["parties"][2] = {**body["parties"][2], "share": "1/3"}
    errors = ok(api.post("/cases/", officials["front"], body), 400)["errors"]
    assert errors == {"parties": ["Jumlah bagian harus 1; yang diisi 13/12."]}
    assert not Case.objects.exists()


def test_a_missing_field_and_a_wrong_type_are_400_in_indonesian(api, deed_office, officials):
    body = sale(area_m2="luas")
    del body["value"]
    errors = ok(api.post("/cases/", officials["front"], body), 400)["errors"]
    assert errors == {"value": ["Wajib diisi."], "area_m2": ["Harus bilangan bulat."]}
    assert not Case.objects.exists()


def test_a_fee_above_one_percent_is_refused_at_intake(api, deed_office, officials):
    errors = ok(api.post("/cases/", officials["front"], sale(fee=1_500_001)), 400)["errors"]
    assert "melebihi batas" in errors["fee"][0] and "PP 24/2016" in errors["fee"][0]
    errors = ok(api.post("/cases/", officials["front"], sale(fee=10, fee_free=True)), 400)["errors"]
    assert errors == {"fee": ["Pemohon tidak mampu dilayani tanpa biaya; uang jasa harus 0."]}
    assert not Case.objects.exists()


def test_a_free_case_pays_nothing(api, deed_office, officials):
    d = ok(api.post("/cases/", officials["front"], sale(fee_free=True)), 201)
    assert d["fee"] == 0 and d["fee_detail"]["free"] is True and "tidak mampu" in d["fee_detail"]["notes"][0]


@pytest.mark.parametrize("who", ["ppat", "kasi_pem", "sekcam", "camat", "bendahara", "admin"])
def test_intake_is_for_the_front_office_only(who, api, deed_office, officials):
    r = api.post("/cases/", officials[who], sale())
    assert r.status_code == 403 and "front office" in r.json()["detail"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("action, body, who, state", [
    ("forward", {}, "ppat", C.RECEIVED),
    ("resubmit", {}, "ppat", C.RETURNED),
    ("taxproof", {"kind": "pbb", "year": 2025, "number": "1", "paid_on": "2026-01-02", "amount": 1}, "front",
     C.PREPARING),
    ("wait", {"reason": "x"}, "kasi_pem", C.PREPARING),
    ("validate", {}, "kasi_other", C.PREPARING),
    ("validate", {}, "camat", C.PREPARING),
    ("schedule", {}, "camat", C.VALIDATED),
    ("sign", {}, "sekcam", C.SCHEDULED),
    ("register", {}, "front", C.SIGNED),
    ("handover", {"to": "Budi"}, "front", C.REGISTERED),
    ("withdraw", {"reason": "Batal"}, "camat", C.RECEIVED),
])
def test_an_act_by_the_wrong_role_is_403_and_changes_nothing(action, body, who, state, api, deed_office, officials,
                                                              actors):
    case = deed_case(deed_office, actors, state, sale())
    before = counts()
    r = api.post(f"/cases/{case.code}/{action}/", officials[who], body)
    assert r.status_code == 403, r.content
    assert r.json()["detail"].endswith(".") and "oleh" in r.json()["detail"]
    assert counts() == before and Case.objects.get(pk=case.pk).state == state


@pytest.mark.parametrize("action, who, state", [
    ("forward", "front", C.PREPARING),
    ("resubmit", "front", C.RECEIVED),
    ("validate", "kasi_pem", C.VALIDATED),
    ("sign", "camat", C.VALIDATED),
    ("register", "ppat", C.SCHEDULED),
    ("handover", "ppat", C.SIGNED),
    ("withdraw", "ppat", C.SIGNED),
    ("resume", "ppat", C.PREPARING),
])
def test_an_act_in_the_wrong_state_is_409_and_changes_nothing(action, who, state, api, deed_office, officials,
                                                              actors):
    case = deed_case(deed_office, actors, state, sale())
    before = counts()
    r = api.post(f"/cases/{case.code}/{action}/", officials[who], {"reason": "Batal", "to": "Budi"})
    assert r.status_code == 409, r.content
    assert "berstatus" in r.json()["detail"] and "tidak dapat dilakukan" in r.json()["detail"]
    assert counts() == before and Case.objects.get(pk=case.pk).state == state


def test_two_sidang_at_the_same_time_are_409(api, deed_office, officials, actors):
    first = deed_case(deed_office, actors, C.SCHEDULED, sale())
    second = deed_case(deed_office, actors, C.VALIDATED, inheritance())
    taken = Signing.objects.get(case=first, cancelled=False).starts_at
    before = counts()
    r = api.post(f"/cases/{second.code}/schedule/", officials["ppat"], sidang_form(taken + deed_services.SLOT))
    assert r.status_code == 409 and r.json()["detail"] == ("Camat sudah dijadwalkan sidang lain pada waktu itu. "
                                                          "Pilih waktu lain.")
    assert counts() == before and Case.objects.get(pk=second.pk).state == C.VALIDATED


@pytest.mark.parametrize("form, field, message", [
    ({"starts_at": "besok pagi"}, "starts_at", "YYYY-MM-DD HH:MM"),
    ({"minutes": 45}, "minutes", "30, 60, 90 atau 120 menit"),
    ({"witness_2": "Sri Wahyuni"}, "witness_2", "dua orang yang berbeda"),
    ({"place": ""}, "place", "Tempat sidang wajib diisi."),
])
def test_a_bad_sidang_is_400_and_saves_nothing(form, field, message, api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.VALIDATED, sale())
    before = counts()
    r = api.post(f"/cases/{case.code}/schedule/", officials["ppat"], {**sidang_form(sidang_slot(deed_office)), **form})
    errors = ok(r, 400)["errors"]
    assert message in errors[field][0]
    assert counts() == before


def test_a_sidang_on_a_weekend_or_after_hours_is_400(api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.VALIDATED, sale())
    day = timezone.localdate() + dt.timedelta(days=7)
    saturday = day + dt.timedelta(days=(5 - day.weekday()) % 7)
    r = api.post(f"/cases/{case.code}/schedule/", officials["ppat"],
                 {**sidang_form(sidang_slot(deed_office)), "starts_at": f"{saturday} 09:00"})
    assert ok(r, 400)["errors"] == {"starts_at": ["Sidang diadakan pada hari kerja (Senin–Jumat, bukan hari libur)."]}
    monday = saturday + dt.timedelta(days=2)
    r = api.post(f"/cases/{case.code}/schedule/", officials["ppat"],
                 {**sidang_form(sidang_slot(deed_office)), "starts_at": f"{monday} 15:00"})
    assert ok(r, 400)["errors"] == {"starts_at": ["Sidang berlangsung dalam jam kerja, 07.30–15.30."]}
    # a holiday of the office is no working day either
    Holiday.objects.create(date=monday, kind=Holiday.Kind.LOCAL, office=deed_office, name="Hari jadi kota")
    r = api.post(f"/cases/{case.code}/schedule/", officials["ppat"],
                 {**sidang_form(sidang_slot(deed_office)), "starts_at": f"{monday} 09:00"})
    assert ok(r, 400)["errors"] == {"starts_at": ["Sidang diadakan pada hari kerja (Senin–Jumat, bukan hari libur)."]}
    assert Case.objects.get(pk=case.pk).state == C.VALIDATED and not Signing.objects.exists()


def test_a_sidang_at_the_end_of_time_is_a_field_error(api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.VALIDATED, sale())
    before = counts()
    r = api.post(f"/cases/{case.code}/schedule/", officials["ppat"],
                 {**sidang_form(sidang_slot(deed_office)), "starts_at": "9999-12-31 23:30", "minutes": 30})
    assert ok(r, 400)["errors"] == {"starts_at": ["Sidang dijadwalkan paling lama satu tahun ke depan."]}
    assert counts() == before and not Signing.objects.exists()


def test_a_bad_tax_proof_is_400_and_saves_nothing(api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.PREPARING, sale())
    before = counts()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    errors = ok(api.post(f"/cases/{case.code}/taxproof/", officials["ppat"],
                         {"kind": "pbb", "number": "", "paid_on": tomorrow, "amount": 0}), 400)["errors"]
    assert errors == {"number": ["Nomor bukti wajib diisi."],
                      "amount": ["Jumlah dibayar harus antara 1 dan 1.000.000.000.000.000."],
                      "year": ["Tahun pajak harus berupa bilangan bulat."],
                      "paid_on": ["Tanggal bayar tidak boleh setelah hari ini."]}
    errors = ok(api.post(f"/cases/{case.code}/taxproof/", officials["ppat"],
                         {"kind": "pbhtb", "number": "1", "paid_on": "kemarin", "amount": 5}), 400)["errors"]
    assert errors == {"kind": ["Jenis bukti pajak tidak dikenal (pbb, bphtb, pph)."],
                      "paid_on": ["Tanggal bayar tidak valid: tulis TTTT-BB-HH, misalnya 2026-12-31."]}
    assert counts() == before


@pytest.mark.parametrize("action, field, message", [
    ("wait", "reason", "Kekurangan yang diminta wajib diisi."),
    ("withdraw", "reason", "Alasan pembatalan wajib diisi."),
])
def test_a_reason_is_required(action, field, message, api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.PREPARING, sale())
    before = counts()
    assert ok(api.post(f"/cases/{case.code}/{action}/", officials["ppat"], {}), 400)["errors"] == {field: [message]}
    assert counts() == before


def test_handover_needs_a_name(api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.REGISTERED, sale())
    errors = ok(api.post(f"/cases/{case.code}/handover/", officials["ppat"], {"to": " "}), 400)["errors"]
    assert errors == {"to": ["Diterima oleh wajib diisi."]}
    assert Case.objects.get(pk=case.pk).state == C.REGISTERED


def test_an_unknown_action_is_400(api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.RECEIVED, sale())
    assert ok(api.post(f"/cases/{case.code}/approve/", officials["front"]), 400)["errors"] == {
        "action": ["Nilai tidak dikenal."]}


def test_without_a_token_every_operation_is_401(api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.RECEIVED, sale())
    for r in (api.get("/cases/", None), api.post("/cases/", None, sale()), api.get(f"/cases/{case.code}/", None),
              api.post(f"/cases/{case.code}/forward/", None), api.post("/fee/", None, {"value": 1}),
              api.get("/calendar/", None, **{"from": "2026-01-01", "to": "2026-01-02"})):
        assert r.status_code == 401 and "Bearer" in r.json()["detail"]
    assert Case.objects.get(pk=case.pk).state == C.RECEIVED and Case.objects.count() == 1


def test_an_account_without_an_office_is_refused(api, client, deed_office, django_user_model):
    """Its token does not authenticate (401, loket/api/auth.py); its browser session gets 403."""
    outsider = django_user_model.objects.create_user(username="luar", password="x-Pass-12345")
    for r in (api.get("/cases/", outsider), api.post("/fee/", outsider, {"value": 1})):
        assert r.status_code == 401
    client.force_login(outsider)
    r = client.get(BASE + "/cases/")
    assert r.status_code == 403 and r.json()["detail"] == "Hanya untuk pegawai kantor."


# --- another office -------------------------------------------------------------------------------

def test_another_office_sees_404_and_cannot_act(api, deed_office, officials, actors, office):
    """``office`` is the mini office of tests/conftest.py: its staff never see Kartoharjo's deeds."""
    case = deed_case(deed_office, actors, C.RECEIVED, sale())
    mini_deeds(office)
    other = staff_create(office=office, username="petugas.contoh", role=Role.FRONT_OFFICE, password="x-Pass-12345",
                         full_name="Petugas Contoh").user
    before = counts()
    r = api.get(f"/cases/{case.code}/", other)
    assert r.status_code == 404 and r.json()["detail"] == f"Berkas akta {case.code} tidak ditemukan."
    for action in ("forward", "withdraw"):
        r = api.post(f"/cases/{case.code}/{action}/", other, {"reason": "Batal"})
        assert r.status_code == 404 and "tidak ditemukan" in r.json()["detail"]
    assert ok(api.get("/cases/", other)) == []
    assert counts() == before and Case.objects.get(pk=case.pk).state == C.RECEIVED
    # the same act by the office's own front office goes through
    assert ok(api.post(f"/cases/{case.code}/forward/", officials["front"]))["state"] == C.PREPARING


def test_an_unknown_code_is_404(api, deed_office, officials):
    r = api.get("/cases/ZZZZZZZZ/", officials["front"])
    assert r.status_code == 404 and r.json()["detail"] == "Berkas akta ZZZZZZZZ tidak ditemukan."


# --- masking -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("who, full", [
    ("front", True), ("ppat", True), ("kasi_pem", True), ("camat", True),
    ("kasi_other", False), ("sekcam", False), ("bendahara", False), ("admin", False),
])
def test_the_nik_is_masked_for_roles_that_do_not_handle_deeds(who, full, api, deed_office, officials, actors):
    case = deed_case(deed_office, actors, C.RECEIVED, inheritance())
    d = ok(api.get(f"/cases/{case.code}/", officials[who]))
    niks = [p["nik"] for p in d["parties"]]
    assert niks == (NIKS[2:6] if full else [n[:6] + "*" * 10 for n in NIKS[2:6]])
    if not full:
        assert not any(n in str(d) for n in NIKS)
        assert d["allowed_acts"] == []


# --- lists, fee, calendar --------------------------------------------------------------------------

def test_the_list_filters_by_state_and_overdue(api, deed_office, officials, actors):
    received = deed_case(deed_office, actors, C.RECEIVED, sale())
    waiting = deed_case(deed_office, actors, C.WAITING, inheritance())
    returned = deed_case(deed_office, actors, C.RETURNED, sale())
    front = officials["front"]
    assert {c["code"] for c in ok(api.get("/cases/", front))} == {received.code, waiting.code, returned.code}
    assert [c["code"] for c in ok(api.get("/cases/", front, state=C.WAITING))] == [waiting.code]
    assert ok(api.get("/cases/", front, overdue="true")) == []
    # 20 days on: the received case is past its 14-day target; the waiting one's clock stands still
    with at(timezone.now() + dt.timedelta(days=20)):
        rows = ok(api.get("/cases/", front, overdue="true"))
        assert [(c["code"], c["clock"]["status"]) for c in rows] == [(received.code, "late")]
        assert ok(api.get("/cases/", front, overdue="true", state=C.PREPARING)) == []
        waiting_row = next(c for c in ok(api.get("/cases/", front)) if c["code"] == waiting.code)
        assert waiting_row["clock"]["paused_days"] == 20 and waiting_row["clock"]["status"] == "ok"
    with at(timezone.now() + dt.timedelta(days=61)):
        assert ok(api.get("/cases/", front, overdue="true"))[0]["clock"]["status"] == "over"
    returned_row = next(c for c in ok(api.get("/cases/", front)) if c["code"] == returned.code)
    assert returned_row["clock"] is None
    errors = ok(api.get("/cases/", front, state="selesai"), 400)["errors"]
    assert "Status harus salah satu dari" in errors["state"][0]


def test_the_fee_quote(api, deed_office, officials):
    sekcam = officials["sekcam"]
    q = ok(api.post("/fee/", sekcam, {"value": 150_000_000}))
    assert q == {"value": 150_000_000, "rate": "1", "cap": 1_500_000, "fee": 1_500_000, "free": False,
                 "notes": ["Uang jasa 1% dari harga transaksi, termasuk uang jasa saksi; paling banyak 1% "
                           "(PP 24/2016 Pasal 32 ayat (1)) = Rp 1.500.000."]}
    assert ok(api.post("/fee/", sekcam, {"value": 150_000_099, "fee": 1_000_000}))["fee"] == 1_000_000
    assert ok(api.post("/fee/", sekcam, {"value": 150_000_000, "free": True}))["fee"] == 0
    errors = ok(api.post("/fee/", sekcam, {"value": 100_000_000, "fee": 2_000_000}), 400)["errors"]
    assert list(errors) == ["fee"] and len(errors["fee"]) == 1
    message = errors["fee"][0]
    assert message.startswith("Uang jasa Rp 2.000.000 melebihi batas")
    assert "paling banyak Rp 1.000.000" in message and "PP 24/2016 Pasal 32 ayat (1)" in message
    errors = ok(api.post("/fee/", sekcam, {"value": -5}), 400)["errors"]
    assert "Harga transaksi" in errors["value"][0]
    assert ok(api.post("/fee/", sekcam, {}), 400)["errors"] == {"value": ["Wajib diisi."]}


def test_the_fee_follows_the_office_rate(api, deed_office, officials):
    deed_services.fee_rate_set(office=deed_office, actor=officials["camat"], rate="0,5")
    q = ok(api.post("/fee/", officials["front"], {"value": 150_000_000}))
    assert (q["rate"], q["cap"], q["fee"]) == ("0.5", 1_500_000, 750_000)
    errors = ok(api.post("/fee/", officials["front"], {"value": 150_000_000, "fee": 800_000}), 400)["errors"]
    assert "melebihi tarif kantor 0,5%" in errors["fee"][0]


@pytest.mark.parametrize("query, field, message", [
    ({"from": "2026-02-30", "to": "2026-03-01"}, "from", "Tanggal tidak valid: tulis TTTT-BB-HH, misalnya 2026-12-31."),
    ({"from": "2026-03-01", "to": "kemarin"}, "to", "Tanggal tidak valid: tulis TTTT-BB-HH, misalnya 2026-12-31."),
    ({"from": "2026-03-10", "to": "2026-03-01"}, "to", "Tanggal akhir tidak boleh sebelum tanggal awal."),
    ({"from": "2026-01-01", "to": "2026-03-04"}, "to", "Rentang paling panjang 62 hari."),
    ({"from": "1999-01-01", "to": "1999-01-02"}, "from", "Tanggal harus antara 01-01-2000 sampai 31-12-2100."),
    ({"from": "2026-03-01", "to": "9999-12-31"}, "to", "Tanggal harus antara 01-01-2000 sampai 31-12-2100."),
    ({"to": "2026-03-01"}, "from", "Wajib diisi."),
])
def test_bad_calendar_dates_are_400(query, field, message, api, deed_office, officials):
    assert ok(api.get("/calendar/", officials["camat"], **query), 400)["errors"] == {field: [message]}


def test_the_calendar_takes_62_days(api, deed_office, officials):
    assert ok(api.get("/calendar/", officials["camat"], **{"from": "2026-01-01", "to": "2026-03-03"})) == []


# --- the schema ------------------------------------------------------------------------------------

OPERATIONS = {
    ("/api/v1/deeds/cases/", "get"), ("/api/v1/deeds/cases/", "post"), ("/api/v1/deeds/cases/{code}/", "get"),
    ("/api/v1/deeds/cases/{code}/{action}/", "post"), ("/api/v1/deeds/fee/", "post"),
    ("/api/v1/deeds/calendar/", "get"),
}


def test_every_operation_is_in_the_schema_with_an_indonesian_description(client, db):
    schema = client.get("/api/v1/schema/").json()
    found = {(p, m) for p, ops in schema["paths"].items() if p.startswith("/api/v1/deeds/") for m in ops}
    assert found == OPERATIONS
    for path, method in OPERATIONS:
        op = schema["paths"][path][method]
        assert op["summary"] and len(op["description"]) > 80, (path, method)
        assert op["tags"] == ["Akta Tanah (PPAT)"]
        assert {"401", "403"} <= set(op["responses"]), (path, method)
        assert op["security"], (path, method)
    act = schema["paths"]["/api/v1/deeds/cases/{code}/{action}/"]["post"]
    assert {"400", "404", "409"} <= set(act["responses"])
    action = next(p for p in act["parameters"] if p["name"] == "action")
    assert set(action["schema"]["enum"]) == {"resubmit", "forward", "taxproof", "certcheck", "deliver", "wait", "resume", "validate",
                                             "schedule", "sign", "register", "handover", "withdraw"}
    calendar = schema["paths"]["/api/v1/deeds/calendar/"]["get"]
    assert {p["name"] for p in calendar["parameters"]} == {"from", "to"}
    # ninja names a component after its class: a name another module also uses would silently
    # replace one of the two shapes (e.g. the catalog's FeeOut)
    from ninja import Schema as NinjaSchema

    from loket.deeds import api as module

    shapes = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, NinjaSchema)
              and v.__module__ == module.__name__]
    assert len(shapes) == 16
    for shape in shapes:
        assert set(schema["components"]["schemas"][shape.__name__]["properties"]) == set(shape.model_fields), shape
    detail = schema["components"]["schemas"]["DeedCaseDetailOut"]["properties"]
    assert {"parties", "checklist", "tax_proofs", "taxes_missing", "pbb_years", "signing", "history", "fee_detail",
            "allowed_acts", "clock"} <= set(detail)
