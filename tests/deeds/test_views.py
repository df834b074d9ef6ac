"""The deed screens under /staf/akta/: intake at the counter, a case with its acts for each role,
the work lists, the Camat's calendar; refusals say why and change nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from loket.deeds import services
from loket.deeds.models import Case, CaseItem, Party, Transition
from loket.registers.models import RegisterEntry
from tests.deeds.conftest import NIKS, inheritance, sale
from tests.support.forms import deed_all_ids as _all_ids, deed_form as _form
from loket.deeds.taxes import pbb_years

BASE = "/staf/akta/"


def _counts():
    return (Case.objects.count(), Party.objects.count(), CaseItem.objects.count(), Transition.objects.count(),
            RegisterEntry.objects.count())


def test_the_form_shows_the_checklist_kinds_and_the_rate(client, officials):
    client.force_login(officials["front"])
    r = client.get(f"{BASE}baru/")
    page = r.content.decode()
    assert r.status_code == 200
    for text in ["Terima berkas akta tanah", "Akta Jual Beli", "Akta Tukar Menukar", "Surat Pengantar RT/ RW",
                 "bila ada pengurusan waris", "Ahli waris", "tarif kantor 1%", "PP 24/2016 Pasal 32", "Oro-oro Ombo",
                 "2 minggu/ 60 (enam puluh) hari"]:
        assert text in page, text
    assert page.count('name="p0-role"') == 1 and 'name="p3-role"' in page and 'name="p4-role"' not in page


@pytest.mark.parametrize("who", ["ppat", "kasi_pem", "camat", "bendahara", "admin"])
def test_only_the_front_office_takes_in(client, officials, who):
    client.force_login(officials[who])
    assert client.get(f"{BASE}baru/").status_code == 403
    before = _counts()
    assert client.post(f"{BASE}baru/", _form(sale())).status_code == 403
    assert _counts() == before


def test_a_complete_sale_is_received_and_an_incomplete_one_returned(client, officials, deed_office):
    client.force_login(officials["front"])
    r = client.post(f"{BASE}baru/", _form(sale(), present=_all_ids(deed_office)), follow=True)
    case = Case.objects.get()
    assert case.state == Case.State.RECEIVED and case.fee == 1_500_000
    assert "diterima. Teruskan ke Petugas PPAT" in r.content.decode()
    r = client.post(f"{BASE}baru/", _form(sale(parties=[
        {"role": "penjual", "name": "Ani", "nik": NIKS[2]}, {"role": "pembeli", "name": "Ida", "nik": NIKS[3]}])),
        follow=True)
    returned = Case.objects.exclude(pk=case.pk).get()
    assert returned.state == Case.State.RETURNED
    page = r.content.decode()
    assert "belum lengkap dan dikembalikan" in page and "Surat Pengantar RT/ RW" in page


def test_the_fee_is_computed_without_saving_and_a_fee_above_the_cap_is_refused(client, officials, deed_office):
    client.force_login(officials["front"])
    before = _counts()
    r = client.post(f"{BASE}baru/", _form(sale(), aksi="uang-jasa"))
    page = r.content.decode()
    assert r.status_code == 200 and "Uang jasa PPAT (belum disimpan)" in page and "Rp 1.500.000" in page
    r = client.post(f"{BASE}baru/", _form(sale(fee="1500001"), present=_all_ids(deed_office)))
    page = r.content.decode()
    assert r.status_code == 400 and "melebihi batas" in page and "Tidak ada yang disimpan" in page
    assert 'value="Siti Aminah"' in page  # what was typed stays
    assert _counts() == before


def test_bad_parties_are_marked_on_their_row_and_nothing_is_saved(client, officials, deed_office):
    client.force_login(officials["front"])
    data = inheritance()
    data["parties"][2]["share"] = "1/3"  # 1/2 + 1/3 + 1/4 ≠ 1
    data["parties"][1]["nik"] = "123"
    before = _counts()
    r = client.post(f"{BASE}baru/", _form(data, present=_all_ids(deed_office, "pembagian", True, "warisan")))
    page = r.content.decode()
    assert r.status_code == 400 and "NIK harus 16 digit" in page
    assert _counts() == before
    data = inheritance()
    data["parties"][2]["share"] = "1/3"
    r = client.post(f"{BASE}baru/", _form(data))
    assert r.status_code == 400 and "Jumlah bagian harus 1" in r.content.decode()
    assert _counts() == before


def test_more_party_rows_keep_what_was_typed(client, officials):
    client.force_login(officials["front"])
    data = inheritance()
    r = client.post(f"{BASE}baru/", _form(data, aksi="tambah-pihak"))
    page = r.content.decode()
    assert r.status_code == 200 and 'name="p5-role"' in page and 'value="Sumini"' in page
    assert not Case.objects.exists()


def _shift(monkeypatch, days):
    later = timezone.now() + dt.timedelta(days=days)
    monkeypatch.setattr(services.timezone, "now", lambda: later)


def _next_workday_9(days=3):
    d = timezone.localdate() + dt.timedelta(days=days)
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return f"{d:%Y-%m-%d}T09:00"


def test_an_inheritance_goes_through_every_screen(client, officials, deed_office, monkeypatch):
    o = officials
    client.force_login(o["front"])
    client.post(f"{BASE}baru/", _form(inheritance(), present=_all_ids(deed_office, "pembagian", True, "warisan"),
                                       originals=_all_ids(deed_office, "pembagian", True, "warisan")))
    case = Case.objects.get()
    assert case.state == "received"
    url = f"{BASE}{case.code}/"

    def act(who, action, **data):
        client.force_login(o[who])
        r = client.post(f"{url}{action}/", data, follow=True)
        assert r.status_code == 200
        return r.content.decode()

    assert "Teruskan" in client.get(url).content.decode()
    act("front", "forward")
    page = act("ppat", "wait", reason="SPPT 2024 belum dibawa")
    assert "waktu layanan berhenti" in page.lower()
    act("ppat", "resume")
    for y in pbb_years(case):
        act("ppat", "taxproof", kind="pbb", year=str(y), number=f"STTS-{y}", paid_on="2025-02-01", amount="150000")
    page = act("kasi_pem", "validate")
    assert "Bukti pajak belum lengkap" in page and Case.objects.get().state == "preparing"
    act("ppat", "taxproof", kind="bphtb", number="SSB-1", paid_on="2026-01-05", amount="1500000")
    act("ppat", "taxproof", kind="pph", number="SSP-1", paid_on="2026-01-05", amount="2250000")
    act("kasi_pem", "validate")
    assert Case.objects.get().state == "validated"
    page = act("ppat", "certcheck", checked_on="2026-01-05", result="sesuai")
    assert "Pengecekan sertipikat dicatat." in page
    page = act("ppat", "schedule", starts_at=_next_workday_9(), minutes="60", place="Ruang Camat",
               witness_1="Staf Satu", witness_2="Staf Dua")
    assert "Sidang dijadwalkan" in page and Case.objects.get().state == "scheduled"
    client.force_login(o["camat"])
    cal = client.get(f"{BASE}kalender/").content.decode()
    assert case.get_deed_kind_display() in cal and "09:00" in cal
    page = act("camat", "sign")
    assert "Sidang baru dimulai" in page and Case.objects.get().state == "scheduled"
    _shift(monkeypatch, 8)
    act("camat", "sign")
    monkeypatch.undo()
    page = act("ppat", "register")
    case = Case.objects.get()
    assert case.state == "registered" and f"Buku Register PPAT nomor {case.register_entry.number_display}" in page
    page = act("ppat", "handover", to="Joko (ahli waris)")
    assert Case.objects.get().state == "handed_over"
    assert "Sampul akta (PDF)" in page and "Diserahkan ke pemohon" in page


@pytest.mark.parametrize("who,full", [("front", True), ("ppat", True), ("kasi_pem", True), ("camat", True),
                                      ("bendahara", False), ("kasi_other", False), ("sekcam", False)])
def test_niks_are_masked_for_roles_that_do_not_handle_deeds(client, officials, deed_office, who, full):
    case = services.case_intake(office=deed_office, actor=officials["front"], data=sale(),
                                present=_all_ids(deed_office))
    client.force_login(officials[who])
    page = client.get(f"{BASE}{case.code}/").content.decode()
    assert (NIKS[0] in page) == full
    assert "Siti Aminah" in page


def test_acts_of_the_wrong_role_are_refused_and_change_nothing(client, officials, deed_office):
    case = services.case_intake(office=deed_office, actor=officials["front"], data=sale(),
                                present=_all_ids(deed_office))
    client.force_login(officials["ppat"])
    before = _counts()
    assert client.post(f"{BASE}{case.code}/forward/").status_code == 403
    assert _counts() == before and Case.objects.get().state == "received"
    r = client.post(f"{BASE}{case.code}/nonsense/")
    assert r.status_code == 404
    client.force_login(officials["front"])
    r = client.post(f"{BASE}{case.code}/wait/", {"reason": "x"})
    assert r.status_code == 403


def test_lists_show_each_role_its_work_and_the_overdue(client, officials, deed_office, monkeypatch):
    case = services.case_intake(office=deed_office, actor=officials["front"], data=sale(),
                                present=_all_ids(deed_office))
    client.force_login(officials["front"])
    page = client.get(BASE).content.decode()
    mine = page.split('id="mine-h"')[1].split('id="late-h"')[0]
    assert case.code[:4] in mine and "Terima berkas akta" in page
    client.force_login(officials["ppat"])
    page = client.get(BASE).content.decode()
    assert "Tidak ada berkas akta yang menunggu Anda" in page and "Terima berkas akta" not in page
    Case.objects.filter(pk=case.pk).update(clock_started_at=timezone.now() - dt.timedelta(days=15))
    page = client.get(BASE).content.decode()
    late = page.split('id="late-h"')[1].split('id="all-h"')[0]
    assert case.code[:4] in late and "lewat target" in late


def test_another_office_sees_nothing(client, officials, deed_office):
    from loket.offices.models import Office
    from loket.offices.roles import Role
    from loket.offices.services import staff_create

    case = services.case_intake(office=deed_office, actor=officials["front"], data=sale(),
                                present=_all_ids(deed_office))
    other = Office.objects.create(name="Kecamatan Taman", slug="taman", city="Kota Madiun")
    stranger = staff_create(office=other, username="ppat.taman", role=Role.PPAT_OFFICER, unit=None,
                            password="x-Pass-12345", full_name="Lain").user
    client.force_login(stranger)
    assert client.get(f"{BASE}{case.code}/").status_code == 404
    assert client.post(f"{BASE}{case.code}/withdraw/", {"reason": "x"}).status_code == 404
    assert case.code[:4] not in client.get(BASE).content.decode()


def test_the_calendar_survives_a_bad_date(client, officials):
    client.force_login(officials["camat"])
    r = client.get(f"{BASE}kalender/?dari=kemarin")
    assert r.status_code == 200 and "Kalender sidang Camat" in r.content.decode()
    assert re.search(r"Tidak ada sidang", r.content.decode())


@pytest.mark.parametrize("who", ["camat", "admin"])
def test_the_camat_or_the_admin_sets_the_fee_rate_within_the_cap(client, officials, deed_office, who):
    from loket.deeds.models import Setting

    client.force_login(officials[who])
    page = client.get(BASE).content.decode()
    assert "Tarif kantor: 1%" in page and 'name="fee_rate"' in page
    r = client.post(f"{BASE}tarif/", {"fee_rate": "0,75"}, follow=True)
    assert "sekarang 0,75% dari harga transaksi" in r.content.decode()
    assert str(Setting.objects.get(office=deed_office).fee_rate) == "0.750"
    r = client.post(f"{BASE}tarif/", {"fee_rate": "1,5"}, follow=True)
    assert "Tarif tidak diubah" in r.content.decode() and "paling tinggi 1%" in r.content.decode()
    assert str(Setting.objects.get(office=deed_office).fee_rate) == "0.750"
    q = services.fee_for(office=deed_office, value=100_000_000)
    assert q.fee == 750_000


@pytest.mark.parametrize("who", ["front", "ppat", "kasi_pem", "sekcam", "bendahara"])
def test_other_roles_read_the_rate_but_cannot_change_it(client, officials, deed_office, who):
    from loket.deeds.models import Setting

    client.force_login(officials[who])
    page = client.get(BASE).content.decode()
    assert "Tarif kantor: 1%" in page and 'name="fee_rate"' not in page
    assert client.post(f"{BASE}tarif/", {"fee_rate": "0,5"}).status_code == 403
    assert str(Setting.objects.get(office=deed_office).fee_rate) == "1.000"


def test_the_case_screen_says_what_an_act_waits_for_only_to_whom_it_will_be_offered(client, officials, deed_office):
    from tests.support.deeds import deed_case

    actors = {**officials, "validator": officials["kasi_pem"]}
    preparing = deed_case(deed_office, actors, Case.State.PREPARING, sale())
    scheduled = deed_case(deed_office, actors, Case.State.SCHEDULED, sale())
    pages = {}
    for who in ("kasi_pem", "camat", "ppat"):
        client.force_login(officials[who])
        pages[who] = [client.get(f"/staf/akta/{c.code}/").content.decode() for c in (preparing, scheduled)]
    assert "Menunggu bukti pajak dari Petugas PPAT:" in pages["kasi_pem"][0]  # validation waits for the proofs
    assert "Dapat ditandatangani mulai sidang" in pages["camat"][1]  # the signature waits for the sidang
    for who, (prep, sched) in pages.items():
        assert ("Menunggu bukti pajak dari Petugas PPAT:" in prep) is (who == "kasi_pem")
        assert ("Dapat ditandatangani mulai sidang" in sched) is (who == "camat")
        assert f"/{preparing.code}/validate/" not in prep and f"/{scheduled.code}/sign/" not in sched
