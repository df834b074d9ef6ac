"""Bounds of the deed inputs: a sale (jual beli) has a price above 0; the tax proof's payment date
lies in 2000 … today; the note on resuming is refused when too long instead of being cut short.
Each refusal names its field and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from loket.core.inputs import NOTE_MAX
from loket.deeds import services
from loket.deeds.models import Case, Pause, TaxProof, Transition
from loket.core.errors import InvalidInput
from tests.deeds.conftest import T0, build, certificate, checklist, sale

pytestmark = pytest.mark.usefixtures("deed_world")

S = Case.State


@pytest.mark.parametrize("value", [0, "0", "Rp 0"])
def test_a_sale_for_nothing_is_refused(value, deed_office, officials):
    present, originals = checklist(deed_office)
    with pytest.raises(InvalidInput) as exc:
        services.case_intake(office=deed_office, actor=officials["front"], data=sale(value=value),
                             present=present, originals=originals)
    assert exc.value.errors["value"] == ["Harga jual beli wajib diisi dan lebih dari 0."]
    assert not Case.objects.exists()


def test_other_deeds_may_have_no_price(deed_office, officials):
    present, originals = checklist(deed_office)
    case = services.case_intake(office=deed_office, actor=officials["front"], data=certificate(),
                                present=present, originals=originals)
    assert case.value == 0


def test_a_sale_for_one_rupiah_is_taken(deed_office, officials):
    present, originals = checklist(deed_office)
    case = services.case_intake(office=deed_office, actor=officials["front"], data=sale(value=1),
                                present=present, originals=originals)
    assert case.value == 1


def test_the_api_refuses_a_sale_for_nothing_with_400(client, deed_office, officials):
    from loket.api.models import ApiToken

    token = ApiToken.issue(user=officials["front"], name="tes")[1]
    present, originals = checklist(deed_office)
    r = client.post("/api/v1/deeds/cases/", {**sale(value=0), "present": present, "originals": originals},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 400, r.content
    assert r.json()["errors"]["value"] == ["Harga jual beli wajib diisi dan lebih dari 0."]
    assert not Case.objects.exists()


@pytest.mark.parametrize("paid_on, words", [
    ("1999-12-31", "antara 01-01-2000"),
    ("0001-01-01", "antara 01-01-2000"),
    ("9999-12-31", "tidak boleh setelah hari ini"),
    ("2026-03-03", "tidak boleh setelah hari ini"),  # T0 + 1 day
    ("2026-02-30", "tulis TTTT-BB-HH"),
    ("", "wajib diisi"),
    (None, "wajib diisi"),
])
def test_the_payment_date_of_a_tax_proof_is_bounded(paid_on, words, deed_office, officials, travel):
    case = build(deed_office, officials, "received", travel=travel)
    services.case_forward(code=case.code, actor=officials["front"])
    with pytest.raises(InvalidInput) as exc:
        services.taxproof_record(code=case.code, actor=officials["ppat"], kind="pbb", year=2025, number="STTS-1",
                                 paid_on=paid_on, amount=150_000)
    assert words in exc.value.errors["paid_on"][0]
    assert not TaxProof.objects.exists()


def test_a_payment_date_of_today_or_2000_is_taken(deed_office, officials, travel):
    case = build(deed_office, officials, "received", travel=travel)
    services.case_forward(code=case.code, actor=officials["front"])
    for year, day in ((2024, "2000-01-01"), (2025, T0.date())):
        proof = services.taxproof_record(code=case.code, actor=officials["ppat"], kind="pbb", year=year,
                                         number=f"STTS-{year}", paid_on=day, amount=150_000)
        assert proof.paid_on == dt.date.fromisoformat(str(day))


def test_a_long_note_on_resuming_is_refused_not_cut(deed_office, officials, travel):
    case = build(deed_office, officials, "waiting", travel=travel)
    steps = Transition.objects.filter(case=case).count()
    with pytest.raises(InvalidInput) as exc:
        services.case_resume(code=case.code, actor=officials["ppat"], note="a" * (NOTE_MAX + 1))
    assert f"paling panjang {NOTE_MAX} karakter" in exc.value.errors["note"][0]
    case.refresh_from_db()
    assert case.state == S.WAITING and Transition.objects.filter(case=case).count() == steps
    assert Pause.objects.get(case=case).ended_at is None  # the clock is still stopped
    services.case_resume(code=case.code, actor=officials["ppat"], note="b" * NOTE_MAX)
    assert Transition.objects.filter(case=case).latest("pk").note == "b" * NOTE_MAX
