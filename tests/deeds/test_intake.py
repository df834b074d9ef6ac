"""Penerimaan berkas akta at the counter (services.case_intake and case_resubmit): the checklist of
service 17 with only the items whose condition applies to the deed, complete → received (the clock
starts), incomplete → returned with what is missing, and every bad input refused with its field
and nothing saved."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import PermissionDenied

from loket.catalog.models import Requirement
from loket.deeds import inputs, services
from loket.deeds.models import Case, CaseItem, DeedKind, Party, Transition
from loket.deeds.taxes import taxes_needed
from loket.core.errors import InvalidInput, WrongState
from tests.deeds.conftest import (KIND_DATA, MORE_NIKS, NIKS, T0, certificate, checklist, division, gift,
                                  inheritance, release, sale)


# one office for the module: deed_office, officials, other_office and outsiders come from it
pytestmark = pytest.mark.usefixtures("deed_world")


S = Case.State
ALWAYS = ["Surat Pengantar RT/ RW", "Foto copy Petok Persil/ Letter C",
          "Foto copy SPPT PBB dan Pelunasan PBB 3 tahun terakhir",
          "Bukti SSB dari Pajak BPHTB dari Badan Pendapatan Daerah, bukti SSP/ PPH untuk perolehan tanah lebih dari "
          "60 jt (waris)", "Data dukung lainnya yang dibutuhkan"]
HEIRS = ["Surat Pernyataan Ahli Waris yang bermaterai 6000 yang dibuat oleh Pemohon bila ada Pengurusan Waris",
         "Foto copy Surat Kematian dan menunjukkan aslinya",
         "Foto copy KK masing-masing Ahli Waris yang telah dilegalisir",
         "Foto copy KTP masing-masing Ahli Waris yang telah dilegalisir",
         "Foto copy surat nikah Pewaris/ Almarhum/ Almarhumah"]
KUITANSI = "Kuitansi jual beli jika perolehan dari jual beli tanah"
PERNYATAAN = "Surat Pernyataan Penyerahan Hak bersama/ hibah"
KUASA = "Surat Kuasa bila dikuasakan bermaterai 6000,-"
DEATH = "Foto copy Surat Kematian dan menunjukkan aslinya"


def counts() -> tuple[int, int, int, int]:
    return (Case.objects.count(), Party.objects.count(), CaseItem.objects.count(), Transition.objects.count())


def without_proxy(data: dict) -> dict:
    data = copy.deepcopy(data)
    for p in data["parties"]:
        p.pop("proxy_name", None)
        p.pop("proxy_letter", None)
    return data


def with_proxy(data: dict, i: int = -1) -> dict:
    data = copy.deepcopy(data)
    data["parties"][i].update(proxy_name="Bambang", proxy_letter="Surat kuasa 1 Maret 2026")
    return data


def texts(case: Case) -> list[str]:
    return [i.requirement.text for i in case.items.select_related("requirement").order_by("requirement__order")]


def in_order(office, wanted: list[str]) -> list[str]:
    """``wanted`` in the order of the standard."""
    order = list(Requirement.objects.filter(service__edition__office=office, service__code="ppat")
                 .order_by("order").values_list("text", flat=True))
    assert set(wanted) <= set(order)
    return [t for t in order if t in wanted]


def take(office, people, data, present=None, originals=None) -> Case:
    all_ids, all_originals = checklist(office)
    return services.case_intake(office=office, actor=people["front"], data=data,
                                present=all_ids if present is None else present,
                                originals=all_originals if originals is None else originals)


# --- the checklist follows the deed ------------------------------------------------------------------

EXTRA = {"jual_beli": [KUITANSI], "hibah": [PERNYATAAN], "waris": HEIRS, "pembagian": [], "penyerahan": [PERNYATAAN],
         "sertifikat": []}
KEYS = {"jual_beli": {"jual_beli"}, "hibah": {"penyerahan_hak_hibah"}, "waris": {"pengurusan_waris"},
        "pembagian": set(), "penyerahan": {"penyerahan_hak_hibah"}, "sertifikat": set()}


@pytest.mark.parametrize("proxy", [False, True], ids=["sendiri", "dikuasakan"])
@pytest.mark.parametrize("kind", list(KIND_DATA))
def test_the_checklist_has_only_the_items_of_the_deed(deed_office, officials, travel, kind, proxy):
    data = without_proxy(KIND_DATA[kind]())
    if proxy:
        data = with_proxy(data)
    case = take(deed_office, officials, data)
    wanted = ALWAYS + EXTRA[kind] + ([KUASA] if proxy else [])
    assert texts(case) == in_order(deed_office, wanted)
    assert case.by_proxy is proxy
    keys = KEYS[kind] | ({"dikuasakan"} if proxy else set())
    assert case.answers == {k: k in keys for k in ("pengurusan_waris", "jual_beli", "penyerahan_hak_hibah",
                                                   "dikuasakan")}
    assert case.state == S.RECEIVED


def test_heirs_documents_only_for_an_inheritance(deed_office, officials, travel):
    waris = take(deed_office, officials, inheritance())
    others = [take(deed_office, officials, f()) for f in (sale, gift, release, division, certificate)]
    assert set(HEIRS) <= set(texts(waris))
    assert all(not set(HEIRS) & set(texts(c)) for c in others)
    assert KUASA in texts(waris)  # Wati is represented by Joko
    # the death certificate is the only item whose original must be shown
    assert [i.requirement.text for i in waris.items.select_related("requirement") if i.requirement.show_original] \
        == [DEATH]


# --- complete, incomplete, resubmitted -----------------------------------------------------------------

def test_a_complete_intake_is_received_and_starts_the_clock(deed_office, officials, travel):
    case = take(deed_office, officials, sale())
    case.refresh_from_db()
    assert (case.state, case.received_at, case.clock_started_at, case.received_by) == (
        S.RECEIVED, T0, T0, officials["front"])
    assert all(i.present for i in case.items.all())
    assert list(case.transitions.values_list("from_state", "to_state", "actor", "missing")) == [
        ("", S.RECEIVED, officials["front"].pk, [])]
    assert len(case.code) == 8 and case.service.code == "ppat" and case.office == deed_office


def test_the_case_keeps_what_was_typed(deed_office, officials, travel):
    data = inheritance(nop="35.77.010.003-002.0003.0", value="Rp 90.000.000", area_m2="180", njop=" 90.000.000 ")
    data["parties"][1]["nik"] = "3577 0125 0595 0004"
    case = take(deed_office, officials, data)
    assert (case.nop, case.value, case.area_m2, case.njop) == ("357701000300200030", 90_000_000, 180, 90_000_000)
    assert (case.deed_kind, case.cause, case.land_title, case.kelurahan.name) == ("pembagian", "warisan", "shm", "Klegen")
    rows = list(case.parties.values_list("order", "role", "name", "nik", "share_num", "share_den", "proxy_name"))
    assert rows == [
        (0, "pewaris", "Sarno (alm.)", NIKS[2], None, None, ""),
        (1, "ahli_waris", "Sumini", NIKS[3], 1, 2, ""),
        (2, "ahli_waris", "Joko", NIKS[4], 1, 4, ""),
        (3, "ahli_waris", "Wati", NIKS[5], 1, 4, "Joko"),
    ]
    assert [p.share_display for p in case.parties.all()] == ["", "1/2", "1/4", "1/4"]


def test_an_incomplete_intake_is_returned_with_what_is_missing(deed_office, officials, travel):
    case = take(deed_office, officials, sale(), present=[], originals=[])
    assert case.state == S.RETURNED and case.clock_started_at is None
    wanted = in_order(deed_office, ALWAYS + [KUITANSI])
    steps = list(case.transitions.order_by("pk").values_list("from_state", "to_state", "missing"))
    assert steps == [("", S.RECEIVED, []), (S.RECEIVED, S.RETURNED, wanted)]
    assert not any(i.present for i in case.items.all())


def test_one_missing_item_is_enough_to_return(deed_office, officials, travel):
    all_ids, originals = checklist(deed_office)
    rt_rw = Requirement.objects.get(pk__in=all_ids, text="Surat Pengantar RT/ RW")
    case = take(deed_office, officials, sale(), present=[i for i in all_ids if i != rt_rw.pk])
    assert case.state == S.RETURNED
    assert case.transitions.get(to_state=S.RETURNED).missing == ["Surat Pengantar RT/ RW"]


def test_the_death_certificate_original_not_shown_counts_as_missing(deed_office, officials, travel):
    all_ids, originals = checklist(deed_office)
    assert len(originals) == 1
    case = take(deed_office, officials, inheritance(), originals=[])
    assert case.state == S.RETURNED
    assert case.transitions.get(to_state=S.RETURNED).missing == [f"{DEATH} (asli belum ditunjukkan)"]
    item = case.items.get(requirement_id=originals[0])
    assert item.present and not item.original_shown


def test_ids_may_be_typed_as_text_and_strangers_are_ignored(deed_office, officials, travel):
    all_ids, originals = checklist(deed_office)
    case = take(deed_office, officials, sale(), present=[str(i) for i in all_ids] + [999_999], originals=["999999"])
    assert case.state == S.RECEIVED


def test_resubmitting_until_complete(deed_office, officials, travel):
    all_ids, originals = checklist(deed_office)
    case = take(deed_office, officials, inheritance(), present=[], originals=[])
    assert case.state == S.RETURNED
    travel.by(days=2)
    case = services.case_resubmit(code=case.code, actor=officials["front"], present=all_ids, originals=[])
    assert case.state == S.RETURNED and case.clock_started_at is None
    last = case.transitions.order_by("pk").last()
    assert (last.from_state, last.to_state, last.missing) == (S.RETURNED, S.RETURNED,
                                                              [f"{DEATH} (asli belum ditunjukkan)"])
    travel.by(days=1)
    # the code as read aloud: any case, with a dash
    display = f"{case.code[:4]}-{case.code[4:]}".lower()
    case = services.case_resubmit(code=display, actor=officials["front"], present=all_ids, originals=originals)
    case.refresh_from_db()
    assert case.state == S.RECEIVED and case.clock_started_at == T0.replace(day=5)
    assert case.received_at == T0  # the first visit stays the date of receipt
    assert [t.to_state for t in case.transitions.order_by("pk")] == [S.RECEIVED, S.RETURNED, S.RETURNED, S.RECEIVED]
    assert all(i.present and (i.original_shown or not i.requirement.show_original)
               for i in case.items.select_related("requirement"))
    with pytest.raises(WrongState, match="penerimaan ulang tidak dapat dilakukan"):
        services.case_resubmit(code=case.code, actor=officials["front"], present=all_ids, originals=originals)


@pytest.mark.parametrize("who", ["ppat", "kasi_pem", "camat", "admin"])
def test_only_the_front_office_resubmits(deed_office, officials, travel, who):
    all_ids, originals = checklist(deed_office)
    case = take(deed_office, officials, sale(), present=[])
    before = counts()
    with pytest.raises(PermissionDenied):
        services.case_resubmit(code=case.code, actor=officials[who], present=all_ids, originals=originals)
    assert counts() == before and Case.objects.get(pk=case.pk).state == S.RETURNED


def test_bad_checklist_ids_are_refused_and_nothing_is_saved(deed_office, officials, travel):
    with pytest.raises(InvalidInput) as exc:
        take(deed_office, officials, sale(), present=["satu"])
    assert list(exc.value.errors) == ["present"]
    assert counts() == (0, 0, 0, 0)


# --- bad input: its field, and nothing saved --------------------------------------------------------------

def _party(data: dict, i: int, **fields) -> dict:
    data = copy.deepcopy(data)
    data["parties"][i].update(fields)
    return data


def _drop(data: dict, i: int, field: str) -> dict:
    data = copy.deepcopy(data)
    data["parties"][i].pop(field)
    return data


def _parties(data: dict, parties) -> dict:
    data = copy.deepcopy(data)
    data["parties"] = parties
    return data


MANY = [{"role": "ahli_waris", "name": f"Ahli {i}", "nik": NIKS[0], "share": "1/41"} for i in range(41)]

BAD = {
    "unknown kind": (sale(deed_kind="wasiat"), "deed_kind"),
    "no kind": (sale(deed_kind=""), "deed_kind"),
    "unknown title": (sale(land_title="girik"), "land_title"),
    "no land reference": (sale(land_reference="  "), "land_reference"),
    "nik too short": (_party(sale(), 1, nik="357701120385"), "parties[1].nik"),
    "nik with letters": (_party(sale(), 0, nik="35770157089000AB"), "parties[0].nik"),
    "nik bad region": (_party(sale(), 1, nik="9977011203850002"), "parties[1].nik"),
    "nik bad birth date": (_party(sale(), 1, nik="3577013213850002"), "parties[1].nik"),
    "nik missing": (_party(sale(), 0, nik=""), "parties[0].nik"),
    "duplicate nik": (_party(sale(), 1, nik=NIKS[0]), "parties"),
    "duplicate nik typed differently": (_party(sale(), 1, nik="3577 0157 0890 0001"), "parties"),
    "shares sum below 1": (_party(inheritance(), 3, share="1/8"), "parties"),
    "shares sum above 1": (_party(inheritance(), 3, share="1/2"), "parties"),
    "share above 1": (_party(inheritance(), 1, share="3/2"), "parties[1].share"),
    "share of zero": (_party(inheritance(), 1, share="0/2"), "parties[1].share"),
    "share not a fraction": (_party(inheritance(), 1, share="setengah"), "parties[1].share"),
    "share as a decimal": (_party(inheritance(), 1, share="0.5"), "parties[1].share"),
    "share on the deceased": (_party(inheritance(), 0, share="1/2"), "parties[0].share"),
    "share on a seller": (_party(sale(), 0, share="1/1"), "parties[0].share"),
    "share on a receiver of a gift": (_party(gift(), 1, share="1/1"), "parties[1].share"),
    "missing share of an heir": (_drop(inheritance(), 2, "share"), "parties[2].share"),
    "missing share of a co-owner": (_drop(division(), 0, "share"), "parties[0].share"),
    "deceased twice": (_parties(inheritance(), inheritance()["parties"]
                                + [{"role": "pewaris", "name": "Sarni", "nik": MORE_NIKS[0]}]), "parties"),
    "division with one holder": (_parties(division(), [{"role": "pemegang_hak", "name": "Sugeng", "nik": NIKS[1],
                                                        "share": "1/1"}]), "parties"),
    "role of another deed": (_party(sale(), 1, role="ahli_waris"), "parties[1].role"),
    "unknown role": (_party(sale(), 0, role="saksi"), "parties[0].role"),
    "no role": (_party(sale(), 0, role=""), "parties[0].role"),
    "heir in a gift": (_party(gift(), 0, role="pewaris"), "parties[0].role"),
    "no buyer": (_party(sale(), 1, role="penjual"), "parties"),
    "no heir": (_parties(inheritance(), inheritance()["parties"][:1]), "parties"),
    "no deceased": (_party(inheritance(), 0, role="ahli_waris", share="1/2"), "parties"),
    "no receiver of a gift": (_parties(gift(), gift()["parties"][:1]), "parties"),
    "proxy without letter": (_party(sale(), 0, proxy_name="Bambang"), "parties[0].proxy_letter"),
    "letter without proxy": (_party(sale(), 1, proxy_letter="Surat kuasa 1/2026"), "parties[1].proxy_letter"),
    "proxy of the deceased": (_party(inheritance(), 0, proxy_name="Joko", proxy_letter="SK 1"),
                              "parties[0].proxy_name"),
    "no parties": (_parties(sale(), []), "parties"),
    "parties not a list": (_parties(sale(), "Siti, Budi"), "parties"),
    "too many parties": (_parties(inheritance(), MANY), "parties"),
    "unknown kelurahan": (sale(kelurahan="35.77.01.9999"), "kelurahan"),
    "no kelurahan": (sale(kelurahan=""), "kelurahan"),
    "kelurahan of another office": (sale(kelurahan="35.77.99.1001"), "kelurahan"),
    "nop of 17 digits": (sale(nop="35.77.010.001.001-0001"), "nop"),
    "nop of 19 digits": (sale(nop="3577010001001000100"), "nop"),
    "nop with letters": (sale(nop="35770100010010001A"), "nop"),
    "area 0": (sale(area_m2=0), "area_m2"),
    "area negative": (sale(area_m2=-5), "area_m2"),
    "area in words": (sale(area_m2="dua ratus"), "area_m2"),
    "area too large": (sale(area_m2=inputs.MAX_AREA_M2 + 1), "area_m2"),
    "value in words": (sale(value="seratus lima puluh juta"), "value"),
    "value a float": (sale(value=150_000_000.5), "value"),
    "value a bool": (sale(value=True), "value"),
    "value negative": (sale(value=-1), "value"),
    "value too large": (sale(value=10**15 + 1), "value"),
    "value missing": (sale(value=None), "value"),
    "value with decimals": (sale(value="150.000.000,50"), "value"),
    "njop in words": (sale(njop="x"), "njop"),
    "fee above the cap": (sale(fee=1_500_001), "fee"),
    "fee above the cap typed": (sale(fee="1.500.001"), "fee"),
    "fee not a number": (sale(fee="gratis"), "fee"),
    "fee negative": (sale(fee=-1), "fee"),
    "fee of a person who cannot afford it": (sale(fee_free=True, fee=1), "fee"),
    "name too long": (_party(sale(), 0, name="A" * 151), "parties[0].name"),
    "name missing": (_party(sale(), 1, name=" "), "parties[1].name"),
    "address too long": (_party(sale(), 1, address="J" * 251), "parties[1].address"),
    "proxy name too long": (_party(sale(), 0, proxy_name="B" * 151, proxy_letter="SK 1"), "parties[0].proxy_name"),
    "proxy letter too long": (_party(sale(), 0, proxy_name="Bambang", proxy_letter="S" * 121),
                              "parties[0].proxy_letter"),
    "land reference too long": (sale(land_reference="L" * 81), "land_reference"),
    "land address too long": (sale(land_address="J" * 251), "land_address"),
    "note too long": (sale(note="n" * 2001), "note"),
}
# A party's wrong role also leaves its deed without a role it needs: the whole is named too.
ALSO = {"role of another deed": {"parties"}, "unknown role": {"parties"}, "no role": {"parties"},
        "heir in a gift": {"parties"}}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused_with_its_field_and_saves_nothing(deed_office, officials, other_office, travel, case):
    data, field = BAD[case]
    with pytest.raises(InvalidInput) as exc:
        take(deed_office, officials, copy.deepcopy(data))
    assert field in exc.value.errors, exc.value.errors
    assert all(isinstance(m, str) and m for m in exc.value.errors[field])
    assert set(exc.value.errors) == {field} | ALSO.get(case, set()), exc.value.errors
    assert counts() == (0, 0, 0, 0)


def test_every_problem_is_told_at_once(deed_office, officials, travel):
    data = _party(sale(nop="1", area_m2=0, kelurahan="x"), 1, nik="1")
    with pytest.raises(InvalidInput) as exc:
        take(deed_office, officials, data)
    assert set(exc.value.errors) == {"nop", "area_m2", "kelurahan", "parties[1].nik"}
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("field, value", [("value", "1.5"), ("value", "150000000.0"), ("value", "1.50.0"),
                                          ("value", "150.000.0000"), ("fee", "1.0"), ("fee", "1.000,00")])
def test_a_dot_that_is_not_a_thousands_separator_is_refused(deed_office, officials, travel, field, value):
    with pytest.raises(InvalidInput) as exc:
        take(deed_office, officials, sale(**{field: value}))
    assert field in exc.value.errors
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("typed", ["150000000", "150.000.000", "Rp 150.000.000", "Rp. 150.000.000", " rp150000000 "])
def test_rupiah_as_typed_at_the_counter(deed_office, officials, travel, typed):
    assert take(deed_office, officials, sale(value=typed)).value == 150_000_000


def test_the_limits_themselves_are_accepted(deed_office, officials, travel):
    parties = [{"role": "pemegang_hak", "name": "N" * 150, "nik": f"357701570890{i:04d}",
                "address": "A" * 250, "share": "1/40"} for i in range(1, 41)]
    case = take(deed_office, officials, division(parties=parties, land_reference="L" * 80, land_address="J" * 250,
                                                 note="n" * 2000, area_m2=inputs.MAX_AREA_M2, value=10**15,
                                                 fee=10**13))
    assert case.state == S.RECEIVED and case.parties.count() == 40 and case.fee == 10**13


# --- who takes cases in ---------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["ppat", "kasi_pem", "kasi_other", "sekcam", "camat", "bendahara", "admin"])
def test_a_wrong_role_is_refused_before_the_input_is_read(deed_office, officials, travel, who):
    all_ids, originals = checklist(deed_office)
    for data in (sale(), sale(value="x", nop="1")):
        with pytest.raises(PermissionDenied, match="front office"):
            services.case_intake(office=deed_office, actor=officials[who], data=data, present=all_ids,
                                 originals=originals)
    assert counts() == (0, 0, 0, 0)


def test_the_front_office_of_another_office_is_refused(deed_office, officials, outsiders, travel):
    with pytest.raises(PermissionDenied):
        services.case_intake(office=deed_office, actor=outsiders["front"], data=sale())
    assert counts() == (0, 0, 0, 0)


# --- the deeds of PP 37/1998 Pasal 2 ayat (2); an inheritance is a pembagian hak bersama ------------

def test_the_deeds_of_pp37_and_their_parties(deed_office, officials, travel):
    mortgage = take(deed_office, officials, sale(deed_kind="hak_tanggungan", parties=[
        {"role": "pemberi_ht", "name": "Siti Aminah", "nik": NIKS[0]},
        {"role": "pemegang_ht", "name": "PT Bank Jatim (kuasa direksi)", "nik": NIKS[1]}]))
    assert mortgage.kind_label == "Akta Pemberian Hak Tanggungan (APHT)" and taxes_needed(mortgage) == []
    with pytest.raises(InvalidInput) as exc:  # an exchange needs two who exchange
        take(deed_office, officials, sale(deed_kind="tukar_menukar",
                                          parties=[{"role": "penukar", "name": "Ani", "nik": NIKS[2]}]))
    assert "paling sedikit dua pihak yang bertukar" in str(exc.value.errors["parties"])
    assert "waris" not in DeedKind.values


def test_an_inheritance_is_only_a_pembagian_with_the_deceased_and_the_heirs(deed_office, officials, travel):
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        take(deed_office, officials, inheritance(deed_kind="hibah"))
    assert exc.value.errors["cause"] == ["Pewarisan dibagi dengan Akta Pembagian Hak Bersama; pilih jenis akta itu."]
    with pytest.raises(InvalidInput) as exc:
        take(deed_office, officials, division(cause="warisan"))  # co-owners, no heirs
    assert "memerlukan pewaris (almarhum/ almarhumah)" in " ".join(exc.value.errors["parties"])
    assert counts() == before
    case = take(deed_office, officials, inheritance())
    assert case.answers["pengurusan_waris"] and case.kind_label == "Akta Pembagian Hak Bersama (karena pewarisan)"
