"""The issue's "Done when", end to end through loket.deeds.services: an inheritance and a sale from
the counter to the hand over, with the fee within the cap, the tax proofs the deed needs (PBB of the
three years before the year of receipt; SSB/SSP per the office's TaxRule rows), validation only with
every proof, the Camat's signature not before the sidang, the Buku Register PPAT numbered per year
without a gap, the clock stopped at the hand over, a withdrawal that frees the Camat's time and
closes the pause, the append-only history, the overdue list and every role's work list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from loket.deeds import selectors, services
from loket.deeds.models import Case, Pause, Signing, SigningSlot, TaxProof, TaxRule, Transition
from loket.core.errors import InvalidInput, WrongState
from loket.registers.models import RegisterBook, RegisterEntry
from tests.deeds.conftest import (SIDANG, T0, WIB, build, certificate_checked, checklist, gift, inheritance,
                                  proofs_record, sale,
                                  signing_data)
from loket.deeds.policy import acts_allowed
from loket.deeds.taxes import pbb_years, taxes_missing, taxes_needed


# one office for the module: deed_office, officials, other_office and outsiders come from it
pytestmark = pytest.mark.usefixtures("deed_world")


S = Case.State
D = dt.timedelta(days=1)


def history(case: Case) -> list[tuple]:
    return list(Transition.objects.filter(case=case).order_by("pk")
                .values_list("from_state", "to_state", "actor__username"))


# --- the two deeds of the issue -------------------------------------------------------------------

def test_an_inheritance_from_the_counter_to_the_hand_over(deed_office, officials, travel):
    o = officials
    all_ids, originals = checklist(deed_office)
    # Monday 2 March 2026, 08:00: the heirs come without the death certificate's original
    case = services.case_intake(office=deed_office, actor=o["front"], data=inheritance(), present=all_ids)
    assert case.state == S.RETURNED and case.clock_started_at is None
    # 09:00: they come back with it
    travel.to(T0 + dt.timedelta(hours=1))
    case = services.case_resubmit(code=case.code, actor=o["front"], present=all_ids, originals=originals)
    assert case.state == S.RECEIVED and case.clock_started_at == T0 + dt.timedelta(hours=1)
    # the fee: 1 % of Rp 90 juta at most
    assert (case.value, case.fee, case.fee_rate) == (90_000_000, 900_000, 1)
    assert case.fee * 100 <= case.value
    services.case_forward(code=case.code, actor=o["front"])

    # the Petugas PPAT: the proofs this deed needs
    travel.by(days=1)
    assert pbb_years(case) == [2023, 2024, 2025]
    # Rp 90 juta: above the PPh's Rp 60 juta, below the Rp 300 juta NPOPTKP of an inheritance
    assert taxes_needed(case) == ["pph"]
    assert taxes_missing(case) == ["Pelunasan PBB tahun 2023", "Pelunasan PBB tahun 2024",
                                            "Pelunasan PBB tahun 2025", "SSP PPh"]
    with pytest.raises(WrongState) as exc:
        services.case_validate(code=case.code, actor=o["kasi_pem"])
    assert str(exc.value) == ("Bukti pajak belum lengkap: Pelunasan PBB tahun 2023; Pelunasan PBB tahun 2024; "
                              "Pelunasan PBB tahun 2025; SSP PPh.")
    assert Case.objects.get(pk=case.pk).state == S.PREPARING
    for year in (2023, 2024):
        services.taxproof_record(code=case.code, actor=o["ppat"], kind="pbb", year=year, number=f"STTS {year}",
                                 paid_on=dt.date(year, 8, 1), amount=120_000)
    # the SPPT of 2025 is not paid yet: the clock stops while the heirs pay it
    travel.by(days=1)
    services.case_wait(code=case.code, actor=o["ppat"], reason="Menunggu pelunasan PBB 2025")
    services.taxproof_record(code=case.code, actor=o["ppat"], kind="bphtb", number="NTPD 123", paid_on="2026-03-03",
                             amount=1_500_000)
    travel.by(days=4)
    services.taxproof_record(code=case.code, actor=o["ppat"], kind="pbb", year="2025", number="STTS 2025",
                             paid_on="2026-03-07", amount=125_000)
    with pytest.raises(WrongState):  # not while waiting
        services.case_validate(code=case.code, actor=o["kasi_pem"])
    services.case_resume(code=case.code, actor=o["ppat"], note="PBB 2025 lunas")
    with pytest.raises(WrongState, match=r"Bukti pajak belum lengkap: SSP PPh\.$"):
        services.case_validate(code=case.code, actor=o["kasi_pem"])
    services.taxproof_record(code=case.code, actor=o["ppat"], kind="pph", number="NTPN 0042", paid_on="2026-03-07",
                             amount=2_250_000)
    assert taxes_missing(case) == []
    assert TaxProof.objects.filter(case=case).count() == 5

    # the Kasi Pemerintahan validates
    case = services.case_validate(code=case.code, actor=o["kasi_pem"])
    assert case.state == S.VALIDATED and case.validated_by == o["kasi_pem"]
    certificate_checked(case, o["ppat"])

    # the sidang: Tuesday 10 March, 09:00–10:00
    travel.to(dt.datetime(2026, 3, 9, 10, 0, tzinfo=WIB))
    signing = services.signing_schedule(code=case.code, actor=o["ppat"], data=signing_data(SIDANG))
    assert (signing.starts_at, signing.ends_at) == (SIDANG, SIDANG + dt.timedelta(hours=1))
    assert sorted(SigningSlot.objects.filter(signing=signing).values_list("start", flat=True)) == [
        SIDANG, SIDANG + dt.timedelta(minutes=30)]
    assert selectors.calendar(office=deed_office, start=SIDANG.date(), end=SIDANG.date()) == [signing]
    # the Camat cannot sign before the sidang begins, not even a minute before
    travel.to(SIDANG - dt.timedelta(minutes=1))
    with pytest.raises(WrongState, match="Sidang baru dimulai 10-03-2026 09:00"):
        services.case_sign(code=case.code, actor=o["camat"])
    assert Case.objects.get(pk=case.pk).state == S.SCHEDULED
    travel.to(SIDANG)
    case = services.case_sign(code=case.code, actor=o["camat"])
    assert case.state == S.SIGNED and (case.signed_by, case.signed_at) == (o["camat"], SIDANG)

    # the Buku Register PPAT: number 1 of 2026
    travel.by(hours=2)
    case = services.case_register(code=case.code, actor=o["ppat"])
    entry = case.register_entry
    assert case.state == S.REGISTERED
    assert (entry.book.kind, entry.book.year, entry.number, entry.number_display) == (RegisterBook.Kind.PPAT, 2026, 1,
                                                                                     "1/2026")
    assert entry.reference == case.code and entry.kelurahan == "Klegen"
    assert "Sarno (alm.)" in entry.name and "dan 1 lainnya" in entry.name
    assert "Akta Pembagian Hak Bersama (karena pewarisan)" in entry.subject and "180 m²" in entry.subject
    assert list(selectors.deeds_of_month(office=deed_office, year=2026, month=3)) == [case]
    assert list(selectors.deeds_of_month(office=deed_office, year=2026, month=4)) == []

    # the hand over stops the clock
    travel.by(days=1)
    case = services.case_handover(code=case.code, actor=o["ppat"], to="Sumini (ahli waris)")
    assert case.state == S.HANDED_OVER and case.done_at == SIDANG + dt.timedelta(days=1, hours=2)
    assert case.handed_over_to == "Sumini (ahli waris)"
    c = selectors.clock(Case.objects.get(pk=case.pk), now=case.done_at + 90 * D)
    assert not c.running and c.paused == 4 * D and c.status == "ok"
    assert c.elapsed == case.done_at - case.clock_started_at - 4 * D

    assert history(case) == [
        ("", "received", "petugas"), ("received", "returned", "petugas"), ("returned", "received", "petugas"),
        ("received", "preparing", "petugas"),
        ("preparing", "preparing", "ppat"), ("preparing", "preparing", "ppat"),  # PBB 2023, 2024
        ("preparing", "waiting", "ppat"),
        ("waiting", "waiting", "ppat"), ("waiting", "waiting", "ppat"),  # SSB, PBB 2025
        ("waiting", "preparing", "ppat"), ("preparing", "preparing", "ppat"),  # SSP
        ("preparing", "validated", "kasi.pemerintahan"), ("validated", "scheduled", "ppat"),
        ("scheduled", "signed", "camat"), ("signed", "registered", "ppat"), ("registered", "handed_over", "ppat"),
    ]
    # nothing more can be done, but record the delivery to the land office (PP 24/1997 Pasal 40)
    for role in officials:
        assert acts_allowed(case, officials[role]) == ({"deliver"} if role == "ppat" else set())
    with pytest.raises(WrongState):
        services.case_withdraw(code=case.code, actor=o["ppat"], reason="Terlambat")


def test_a_sale_from_the_counter_to_the_hand_over(deed_office, officials, travel):
    o = officials
    services.fee_rate_set(office=deed_office, actor=o["camat"], rate="0,5")
    all_ids, originals = checklist(deed_office)
    quote = services.fee_for(office=deed_office, value=150_000_000)
    assert (quote.rate, quote.cap, quote.fee) == (0.5, 1_500_000, 750_000)
    case = services.case_intake(office=deed_office, actor=o["front"], data=sale(), present=all_ids,
                                originals=originals)
    assert (case.state, case.fee, case.fee_rate) == (S.RECEIVED, 750_000, 0.5)
    services.case_forward(code=case.code, actor=o["front"])
    assert taxes_needed(case) == ["bphtb", "pph"]
    proofs_record(case, o["ppat"])
    services.case_validate(code=case.code, actor=o["kasi_pem"])
    certificate_checked(case, o["ppat"])
    services.signing_schedule(code=case.code, actor=o["ppat"], data=signing_data("2026-03-10 13:00", minutes=30))
    travel.to(dt.datetime(2026, 3, 10, 13, 0, tzinfo=WIB))
    services.case_sign(code=case.code, actor=o["camat"])
    case = services.case_register(code=case.code, actor=o["ppat"])
    assert case.register_entry.number_display == "1/2026"
    assert case.register_entry.name == "Siti Aminah, Budi Santoso"
    case = services.case_handover(code=case.code, actor=o["ppat"], to="Budi Santoso")
    assert case.state == S.HANDED_OVER
    assert [t[1] for t in history(case)] == ["received", "preparing"] + ["preparing"] * 5 + [
        "validated", "scheduled", "signed", "registered", "handed_over"]


# --- tax proofs: PBB years and the office's thresholds -----------------------------------------------------

@pytest.mark.parametrize("received, years", [
    (dt.datetime(2026, 1, 1, 0, 0, tzinfo=WIB), [2023, 2024, 2025]),
    (dt.datetime(2025, 12, 31, 23, 59, tzinfo=WIB), [2022, 2023, 2024]),  # 16:59 UTC: still 2025 in Madiun
])
def test_pbb_is_needed_for_the_three_years_before_the_year_of_receipt(deed_office, officials, travel, received, years):
    case = build(deed_office, officials, "received", travel=travel, start=received)
    assert pbb_years(case) == years
    assert taxes_missing(case)[:3] == [f"Pelunasan PBB tahun {y}" for y in years]


@pytest.mark.parametrize("value, needed, heirs_need", [
    (60_000_000, [], []), (60_000_001, ["pph"], ["pph"]), (80_000_000, ["pph"], ["pph"]),
    (80_000_001, ["bphtb", "pph"], ["pph"]), (300_000_001, ["bphtb", "pph"], ["bphtb", "pph"]), (0, [], []),
])
def test_ssb_and_ssp_above_the_threshold_only(deed_office, officials, travel, value, needed, heirs_need):
    """SSB above the NPOPTKP (UU 1/2022 Pasal 46: Rp 80 juta; Rp 300 juta for an inheritance), SSP
    above the standard's Rp 60 juta (PP 34/2016 Pasal 6)."""
    sales = (sale(value=value),) if value else ()  # a sale for 0 is refused (tests/deeds/test_input_bounds.py)
    for data in (*sales, inheritance(value=value), gift(value=value)):
        case = build(deed_office, officials, "received", data, travel=travel)
        needed_here = heirs_need if data.get("cause") else needed
        assert taxes_needed(case) == needed_here
        labels = {"bphtb": "SSB BPHTB", "pph": "SSP PPh"}
        assert taxes_missing(case)[3:] == [labels[t] for t in needed_here]


def test_the_office_changes_its_tax_rules(deed_office, officials, travel):
    case = build(deed_office, officials, "received", inheritance(value=70_000_000), travel=travel)
    assert taxes_needed(case) == ["pph"]
    TaxRule.objects.filter(office=deed_office, deed_kind="pembagian", cause="warisan", tax="bphtb").update(above=60_000_000)
    assert taxes_needed(case) == ["bphtb", "pph"]
    TaxRule.objects.filter(office=deed_office, deed_kind="pembagian", cause="warisan", tax="pph").update(above=70_000_000)
    assert taxes_needed(case) == ["bphtb"]  # exactly at the threshold
    TaxRule.objects.filter(office=deed_office, deed_kind="pembagian", cause="warisan", tax="pph").update(above=69_999_999)
    assert taxes_needed(case) == ["bphtb", "pph"]
    TaxRule.objects.filter(office=deed_office, deed_kind="pembagian", cause="warisan").delete()
    assert taxes_needed(case) == []
    # a sale is not touched by the rules of an inheritance
    other = build(deed_office, officials, "received", sale(value=70_000_000), travel=travel)
    assert taxes_needed(other) == ["pph"]  # below the Rp 80 juta NPOPTKP
    # the defaults are made once, and never over the office's own
    assert services.tax_rules_default_create(office=deed_office) == 2
    rule = TaxRule.objects.get(office=deed_office, deed_kind="jual_beli", tax="bphtb")
    assert rule.above == 80_000_000 and rule.source.startswith("NPOPTKP BPHTB: UU 1/2022 (HKPD) Pasal 46")
    assert not TaxRule.objects.filter(office=deed_office, deed_kind="sertifikat").exists()


def test_help_with_a_certificate_needs_only_the_pbb(deed_office, officials, travel):
    from tests.deeds.conftest import certificate

    case = build(deed_office, officials, "received", certificate(value=500_000_000), travel=travel)
    assert taxes_needed(case) == []
    assert taxes_missing(case) == ["Pelunasan PBB tahun 2023", "Pelunasan PBB tahun 2024",
                                            "Pelunasan PBB tahun 2025"]


def test_a_proof_recorded_again_replaces_the_first(deed_office, officials, travel):
    case = build(deed_office, officials, "preparing", travel=travel)
    n = TaxProof.objects.filter(case=case).count()
    services.taxproof_record(code=case.code, actor=officials["ppat"], kind="pbb", year=2024, number="STTS baru",
                             paid_on="2026-03-01", amount=99_000)
    assert TaxProof.objects.filter(case=case).count() == n
    assert TaxProof.objects.get(case=case, kind="pbb", year=2024).number == "STTS baru"


@pytest.mark.parametrize("kwargs, field", [
    ({"kind": "zakat"}, "kind"), ({"number": " "}, "number"), ({"number": "N" * 61}, "number"),
    ({"amount": 0}, "amount"), ({"amount": "banyak"}, "amount"), ({"year": None}, "year"), ({"year": 1989}, "year"),
    ({"kind": "bphtb", "year": 2025}, "year"), ({"paid_on": "2026-03-03"}, "paid_on"),
    ({"paid_on": "01-03-2026"}, "paid_on"), ({"paid_on": "2026-02-30"}, "paid_on"), ({"paid_on": None}, "paid_on"),
])
def test_a_bad_proof_is_refused_with_its_field(deed_office, officials, travel, kwargs, field):
    case = build(deed_office, officials, "received", travel=travel)
    services.case_forward(code=case.code, actor=officials["front"])
    before = (TaxProof.objects.count(), Transition.objects.count())
    args = {"kind": "pbb", "year": 2025, "number": "STTS 1", "paid_on": "2026-03-02", "amount": 1000, **kwargs}
    with pytest.raises(InvalidInput) as exc:
        services.taxproof_record(code=case.code, actor=officials["ppat"], **args)
    assert field in exc.value.errors, exc.value.errors
    assert (TaxProof.objects.count(), Transition.objects.count()) == before


def test_a_proof_paid_at_a_datetime_is_taken_or_refused_not_a_crash(deed_office, officials, travel):
    case = build(deed_office, officials, "preparing", travel=travel)
    try:
        proof = services.taxproof_record(code=case.code, actor=officials["ppat"], kind="pbb", year=2025,
                                         number="STTS 9", paid_on=dt.datetime(2026, 3, 1, 10, 0, tzinfo=WIB),
                                         amount=1000)
    except InvalidInput as exc:
        assert "paid_on" in exc.value.errors
    else:
        assert proof.paid_on == dt.date(2026, 3, 1)


# --- the Camat signs at the sidang, not before --------------------------------------------------------------

def test_the_camat_signs_only_once_the_sidang_has_begun(deed_office, officials, travel):
    case = build(deed_office, officials, "scheduled", travel=travel)
    for moment in (T0 + D, SIDANG - dt.timedelta(seconds=1)):
        travel.to(moment)
        with pytest.raises(WrongState, match="Sidang baru dimulai"):
            services.case_sign(code=case.code, actor=officials["camat"])
        case.refresh_from_db()
        assert case.state == S.SCHEDULED and case.signed_at is None
    travel.to(SIDANG + dt.timedelta(hours=3))  # later the same day is fine
    assert services.case_sign(code=case.code, actor=officials["camat"]).signed_at == SIDANG + dt.timedelta(hours=3)


def test_a_moved_sidang_is_signed_at_its_new_time(deed_office, officials, travel):
    case = build(deed_office, officials, "scheduled", travel=travel)
    later = SIDANG + 2 * D
    services.signing_schedule(code=case.code, actor=officials["ppat"], data=signing_data(later))
    travel.to(SIDANG + dt.timedelta(hours=1))
    with pytest.raises(WrongState, match="12-03-2026 09:00"):
        services.case_sign(code=case.code, actor=officials["camat"])
    travel.to(later)
    assert services.case_sign(code=case.code, actor=officials["camat"]).state == S.SIGNED


# --- the Buku Register PPAT -------------------------------------------------------------------------------------

def test_register_numbers_are_per_year_and_without_a_gap(deed_office, officials, travel):
    signed = []
    for i in range(4):
        sidang = SIDANG.replace(hour=8 + i)
        signed.append(build(deed_office, officials, "signed", travel=travel, sidang=sidang))
    # a case withdrawn before signing takes no number
    build(deed_office, officials, "withdrawn", travel=travel)
    travel.to(dt.datetime(2026, 12, 31, 23, 59, tzinfo=WIB))
    numbers = [services.case_register(code=c.code, actor=officials["ppat"]).register_entry.number_display
               for c in signed[:3]]
    assert numbers == ["1/2026", "2/2026", "3/2026"]
    travel.to(dt.datetime(2027, 1, 1, 0, 0, tzinfo=WIB))  # a new year, a new book
    last = services.case_register(code=signed[3].code, actor=officials["ppat"])
    assert last.register_entry.number_display == "1/2027"
    books = RegisterBook.objects.filter(office=deed_office, kind=RegisterBook.Kind.PPAT).order_by("year")
    assert [(b.year, b.last_number) for b in books] == [(2026, 3), (2027, 1)]
    december = selectors.deeds_of_month(office=deed_office, year=2026, month=12)
    assert [c.register_entry.number for c in december] == [1, 2, 3]
    assert [c.pk for c in selectors.deeds_of_month(office=deed_office, year=2027, month=1)] == [signed[3].pk]
    assert sorted(RegisterEntry.objects.filter(book__kind="ppat").values_list("book__year", "number")) == [
        (2026, 1), (2026, 2), (2026, 3), (2027, 1)]
    # a register cannot be written twice
    with pytest.raises(WrongState):
        services.case_register(code=signed[0].code, actor=officials["ppat"])
    assert RegisterEntry.objects.filter(book__kind="ppat").count() == 4


def test_the_ppat_register_is_its_own_book(deed_office, officials, travel):
    from loket.registers.services import register_entry_add
    from django.db import transaction

    with transaction.atomic():
        register_entry_add(office_id=deed_office.pk, kind=RegisterBook.Kind.PELAYANAN, actor=officials["front"],
                           subject="Legalisasi KTP-el")
    case = build(deed_office, officials, "registered", travel=travel)
    assert case.register_entry.number == 1 and case.register_entry.book.kind == "ppat"


# --- withdrawal -------------------------------------------------------------------------------------------------

def test_withdrawing_a_scheduled_case_frees_the_camats_time(deed_office, officials, travel):
    case = build(deed_office, officials, "scheduled", travel=travel)
    other = build(deed_office, officials, "validated", gift(), travel=travel)
    with pytest.raises(services.Taken):
        services.signing_schedule(code=other.code, actor=officials["ppat"], data=signing_data(SIDANG))
    with pytest.raises(InvalidInput):
        services.case_withdraw(code=case.code, actor=officials["front"], reason="  ")
    travel.by(days=1)
    case = services.case_withdraw(code=case.code, actor=officials["front"], reason="Para pihak batal menjual")
    assert (case.state, case.done_at, case.withdraw_reason) == (S.WITHDRAWN, travel.now, "Para pihak batal menjual")
    assert not SigningSlot.objects.filter(signing__case=case, released=False).exists()
    assert SigningSlot.objects.filter(signing__case=case).count() == 2  # kept as history
    assert Signing.objects.get(case=case).cancelled
    assert selectors.calendar(office=deed_office, start=SIDANG.date(), end=SIDANG.date()) == []
    s = services.signing_schedule(code=other.code, actor=officials["ppat"], data=signing_data(SIDANG))
    assert selectors.calendar(office=deed_office, start=SIDANG.date(), end=SIDANG.date()) == [s]


def test_withdrawing_a_waiting_case_closes_the_pause_and_stops_the_clock(deed_office, officials, travel):
    case = build(deed_office, officials, "waiting", travel=travel)
    travel.by(days=3)
    case = services.case_withdraw(code=case.code, actor=officials["ppat"], reason="Sengketa ahli waris")
    pause = Pause.objects.get(case=case)
    assert pause.ended_at == travel.now == case.done_at
    c = selectors.clock(Case.objects.get(pk=case.pk), now=travel.now + 100 * D)
    assert not c.running and c.paused == 3 * D
    assert c.elapsed == case.done_at - case.clock_started_at - 3 * D


@pytest.mark.parametrize("state", ["signed", "registered", "handed_over"])
def test_a_signed_deed_cannot_be_withdrawn(deed_office, officials, travel, state):
    case = build(deed_office, officials, state, travel=travel)
    for who in ("front", "ppat"):
        with pytest.raises(WrongState, match="pembatalan tidak dapat dilakukan"):
            services.case_withdraw(code=case.code, actor=officials[who], reason="Batal")
    assert Case.objects.get(pk=case.pk).state == state


# --- waiting --------------------------------------------------------------------------------------------------

def test_waiting_needs_a_reason_and_one_pause_at_a_time(deed_office, officials, travel):
    case = build(deed_office, officials, "preparing", travel=travel)
    with pytest.raises(InvalidInput) as exc:
        services.case_wait(code=case.code, actor=officials["ppat"], reason=" ")
    assert list(exc.value.errors) == ["reason"]
    assert not Pause.objects.exists()
    services.case_wait(code=case.code, actor=officials["ppat"], reason="Menunggu KTP ahli waris")
    with pytest.raises(WrongState):
        services.case_wait(code=case.code, actor=officials["ppat"], reason="Lagi")
    assert Pause.objects.filter(case=case, ended_at__isnull=True).count() == 1
    travel.by(days=2)
    services.case_resume(code=case.code, actor=officials["ppat"])
    travel.by(days=1)
    services.case_wait(code=case.code, actor=officials["ppat"], reason="Menunggu KK")
    assert list(Pause.objects.filter(case=case).values_list("ended_at", flat=True)) == [T0 + dt.timedelta(hours=1)
                                                                                       + 2 * D, None]


# --- the history is appended, never changed ---------------------------------------------------------------------

def test_the_history_is_append_only(deed_office, officials, travel):
    case = build(deed_office, officials, "validated", travel=travel)
    t = Transition.objects.filter(case=case).order_by("pk").first()
    t.note = "diubah"
    with pytest.raises(ValueError, match="tidak dapat diubah"):
        t.save()
    with pytest.raises(ValueError, match="tidak dapat dihapus"):
        t.delete()
    assert Transition.objects.get(pk=t.pk).note == ""
    n = Transition.objects.filter(case=case).count()
    services.case_withdraw(code=case.code, actor=officials["ppat"], reason="Batal")
    assert Transition.objects.filter(case=case).count() == n + 1


# --- overdue and work lists ----------------------------------------------------------------------------------------

def test_a_case_past_fourteen_days_is_overdue_unless_its_pauses_keep_it_within(deed_office, officials, travel):
    late = build(deed_office, officials, "preparing", travel=travel)
    kept = build(deed_office, officials, "preparing", gift(), travel=travel)
    travel.to(T0 + 2 * D)
    services.case_wait(code=kept.code, actor=officials["ppat"], reason="Menunggu sertifikat asli")
    travel.to(T0 + 5 * D)
    services.case_resume(code=kept.code, actor=officials["ppat"])
    waiting = build(deed_office, officials, "waiting", sale(value=90_000_000), travel=travel)
    returned = build(deed_office, officials, "returned", travel=travel)
    done = build(deed_office, officials, "handed_over", travel=travel, sidang=SIDANG.replace(hour=11))

    at = T0 + 14 * D
    assert selectors.overdue(office=deed_office, now=at) == []  # exactly 14 days is still in time
    at = T0 + 14 * D + dt.timedelta(seconds=1)
    rows = selectors.overdue(office=deed_office, now=at)
    assert [c for c, _ in rows] == [late]
    assert rows[0][1].state(at) == "late" and rows[0][1].target_at == T0 + 14 * D
    at = T0 + 17 * D + dt.timedelta(seconds=1)  # the three days paused are over too
    assert [c for c, _ in selectors.overdue(office=deed_office, now=at)] == [late, kept]
    at = T0 + 61 * D
    rows = selectors.overdue(office=deed_office, now=at)
    assert [(c, clk.state(at)) for c, clk in rows] == [(late, "over"), (kept, "late")]
    # never: the case that waits for the applicant, the one never complete, the one handed over
    assert {waiting, returned, done}.isdisjoint(c for c, _ in rows)


def test_each_role_sees_its_own_work(deed_office, officials, outsiders, travel):
    cases = {state: build(deed_office, officials, state, travel=travel, sidang=SIDANG + i * dt.timedelta(minutes=30),
                          minutes=30)
             for i, state in enumerate(["received", "returned", "preparing", "waiting", "validated", "scheduled",
                                        "signed", "registered", "handed_over", "withdrawn"])}
    expected = {
        "front": ["received", "returned"],
        "ppat": ["preparing", "waiting", "validated", "scheduled", "signed", "registered"],
        "kasi_pem": ["preparing"], "camat": ["scheduled"],
        "kasi_other": [], "sekcam": [], "bendahara": [], "admin": [],
    }
    for role, states in expected.items():
        got = selectors.worklist(user=officials[role])
        assert sorted(c.state for c in got) == sorted(states), role
        assert {c.pk for c in got} == {cases[s].pk for s in states}
    assert all(selectors.worklist(user=u) == [] for u in outsiders.values())


def test_cases_of_another_office_are_out_of_reach(deed_office, officials, outsiders, travel):
    case = build(deed_office, officials, "received", travel=travel)
    with pytest.raises(PermissionDenied):
        services.case_forward(code=case.code, actor=outsiders["front"])
    with pytest.raises(PermissionDenied):
        services.case_withdraw(code=case.code, actor=outsiders["ppat"], reason="x")
    assert acts_allowed(case, outsiders["front"]) == set()
    assert Case.objects.get(pk=case.pk).state == S.RECEIVED


def test_an_unknown_code_is_not_found(deed_office, officials, travel):
    with pytest.raises(Case.DoesNotExist, match="tidak ditemukan"):
        services.case_forward(code="ZZZZ-ZZZZ", actor=officials["front"])

