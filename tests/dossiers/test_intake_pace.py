"""The counter's intake at the citizen's pace (issue 15): a KTP-el legalisation of the bundled
Kartoharjo standard taken in with as few inputs as the data allow.

- Birth date and sex are read from the NIK (services and API alike); they are typed only under
  "Data NIK tidak sesuai", with a reason that the intake's transition records.
- A returning citizen's last data at this office are offered once the NIK is typed, only to
  roles that may read personal data; a possible duplicate is shown before saving.
- The "17 years or married" line is decided from the NIK and the marital status, and the photo
  background is a decided note: neither is ticked.
- "Simpan & teruskan ke Kasi" is one action for a complete dossier; an incomplete one is saved
  as returned only after the clerk confirmed the exact list of what is missing.
- Enter presses "Simpan & teruskan ke Kasi"; every error is a sentence next to its field.
- RT/RW is one field typed as on the KTP; the KK number and the marital status may stay empty
  (the KK is a paper of the checklist; the marital status decides only KTP-el under 17).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from loket.catalog.models import Requirement
from loket.catalog.services import standard_load
from loket.core.errors import InvalidInput
from loket.dossiers import selectors, services
from loket.dossiers.models import Applicant, Dossier, DossierItem, Transition
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from tests.support.budgets import htmx

S = Dossier.State
NIK = "3577014508900001"  # a woman born 5 August 1990 (day 45 = 5 + 40), first issued in Kartoharjo
KELURAHAN = "35.77.01.1008"
# What the clerk types for a first-time citizen: no birth date, no sex.
TYPED = {"nik": NIK, "kk_number": "3577010101100002", "name": "Siti Aminah", "marital_status": "kawin",
         "address": "Jl. Contoh 1", "rt": "1", "rw": "2", "kelurahan": KELURAHAN, "phone": "081234567890"}


@pytest.fixture
def k(db):
    """Kartoharjo with its 2018 standard active, and one account per role needed here."""
    cache.clear()
    roles_sync()
    office = standard_load().office
    pem = Unit.objects.get(office=office, code="pemerintahan")
    make = lambda username, role, unit=None: staff_create(  # noqa: E731
        office=office, username=username, role=role, unit=unit, password="x-Pass-12345", full_name=username.title()).user
    people = {"front": make("petugas", Role.FRONT_OFFICE), "kasi": make("kasi.pem", Role.KASI, pem),
              "bendahara": make("bendahara", Role.BENDAHARA), "ppat": make("ppat", Role.PPAT_OFFICER)}
    reqs = list(Requirement.objects.filter(service__code="ktp-el", service__edition__office=office).order_by("order"))
    return type("K", (), {"office": office, "people": people, "reqs": reqs})


def _ids(k, *, but: str = "", age: bool = False) -> list[int]:
    """The KTP-el checklist's ids a clerk ticks: all shown, or all but the one starting with ``but``.
    The age line is not among them (it is decided) unless ``age``."""
    return [r.pk for r in k.reqs if not (but and r.text.startswith(but))
            and (age or not r.text.lower().startswith("berusia"))]


def _intake(k, applicant=None, **kw):
    ids = kw.pop("present", None)
    ids = _ids(k) if ids is None else ids
    return services.dossier_intake(office=k.office, service_code="ktp-el", applicant=applicant or dict(TYPED),
                                   actor=k.people["front"], present=ids, originals=ids, **kw)


def _form(k, *, present=None, **over) -> dict:
    ids = _ids(k) if present is None else present
    return {**TYPED, "service": "ktp-el", "submit": "1", "present": ids, "original": ids, **over}


# --- birth date and sex from the NIK --------------------------------------------------------------

def test_birth_date_and_sex_are_read_from_the_nik(k):
    d = _intake(k)
    assert (d.applicant_birth_date, d.applicant_sex) == (dt.date(1990, 8, 5), "P")
    assert Applicant.objects.get(nik=NIK).birth_date == dt.date(1990, 8, 5)


def test_typed_data_that_disagree_with_the_nik_are_refused_without_a_reason(k):
    with pytest.raises(InvalidInput) as exc:
        _intake(k, {**TYPED, "birth_date": "1990-08-06", "sex": "L"})
    assert "tidak cocok dengan NIK" in exc.value.errors["birth_date"][0]
    assert not Dossier.objects.exists()


def test_data_nik_tidak_sesuai_takes_the_typed_data_and_records_the_reason(k):
    reason = "NIK terbit sebelum tanggal lahir dikoreksi di Dukcapil."
    d = _intake(k, {**TYPED, "birth_date": "1990-08-06"}, nik_override_reason=reason)
    assert (d.applicant_birth_date, d.applicant_sex) == (dt.date(1990, 8, 6), "P")  # sex still from the NIK
    received = d.transitions.get(to_state=S.RECEIVED)
    assert received.note == f"Data NIK tidak sesuai (tanggal lahir diisi petugas, bukan dari NIK): {reason}"


def test_a_reason_with_nothing_different_from_the_nik_is_refused(k):
    with pytest.raises(InvalidInput) as exc:
        _intake(k, {**TYPED, "birth_date": "1990-08-05", "sex": "P"}, nik_override_reason="Salah cetak")
    assert set(exc.value.errors) == {"nik_override_reason"}
    assert "sama dengan NIK" in exc.value.errors["nik_override_reason"][0]


def test_a_bad_nik_says_so_once_and_asks_for_no_birth_date(k):
    with pytest.raises(InvalidInput) as exc:
        _intake(k, {**TYPED, "nik": "123"})
    assert exc.value.errors["nik"] == ["NIK harus 16 digit; yang diisi 3 digit."]
    assert "birth_date" not in exc.value.errors and "sex" not in exc.value.errors


def test_the_api_reads_birth_date_and_sex_from_the_nik_too(k, client):
    from loket.api.models import ApiToken

    header = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=k.people['front'], name='t')[1]}"}
    ids = _ids(k)
    body = {"service": "ktp-el", "applicant": TYPED, "present": ids, "originals": ids}
    r = client.post("/api/v1/dossiers/", body, content_type="application/json", **header)
    assert r.status_code == 201, r.content
    d = Dossier.objects.get()
    assert (d.applicant_birth_date, d.applicant_sex, d.state) == (dt.date(1990, 8, 5), "P", S.RECEIVED)
    body["applicant"] = {**TYPED, "birth_date": "1990-08-06"}
    body["nik_override_reason"] = "NIK lama"
    r = client.post("/api/v1/dossiers/", body, content_type="application/json", **header)
    assert r.status_code == 201, r.content
    assert Dossier.objects.latest("pk").applicant_birth_date == dt.date(1990, 8, 6)


# --- decided, not ticked ----------------------------------------------------------------------------

def test_the_age_line_is_decided_and_recorded_present(k):
    d = _intake(k)  # the clerk ticked everything but the age line
    assert d.state == S.RECEIVED
    age = DossierItem.objects.get(dossier=d, requirement__text__startswith="Berusia")
    assert age.present


def test_a_single_16_year_old_is_refused_with_the_reason(k):
    today = timezone.localdate()
    birth = dt.date(today.year - 16, 1, 1)
    nik = f"357701{birth:%d%m%y}0001"
    with pytest.raises(InvalidInput) as exc:
        _intake(k, {**TYPED, "nik": nik, "marital_status": "belum_kawin"})
    assert "17 tahun" in exc.value.errors["birth_date"][0]


def test_the_screen_shows_the_age_line_and_the_photo_colour_as_decided(k, client):
    client.force_login(k.people["front"])
    r = client.post("/staf/berkas/baru/", {**TYPED, "service": "ktp-el"}, **htmx("checklist"))
    page = r.content.decode()
    age = next(x for x in k.reqs if x.text.startswith("Berusia"))
    assert f'id="req-{age.pk}"' not in page  # no checkbox
    assert "Terpenuhi: pemohon berusia" in page
    assert "Latar foto harus biru: tahun lahir 1990 genap (dari NIK)." in page
    young = client.post("/staf/berkas/baru/", {**TYPED, "service": "ktp-el", "nik": "3577010101150001",
                                                "marital_status": "belum_kawin"}, **htmx("checklist"))
    assert "Tidak terpenuhi: pemohon berusia" in young.content.decode()
    assert "Latar foto harus merah: tahun lahir 2015 ganjil" in young.content.decode()


# --- a returning citizen, a possible duplicate -------------------------------------------------------

def test_applicant_last_offers_the_last_dossier_of_this_office_to_readers_of_personal_data(k):
    _intake(k, {**TYPED, "address": "Jl. Lama 1"})
    _intake(k, {**TYPED, "address": "Jl. Baru 2", "email": "siti@example.org"})
    last = selectors.applicant_last(office=k.office, nik=NIK, full_nik=True)
    assert (last["address"], last["email"], last["kelurahan"], last["rt"]) == ("Jl. Baru 2", "siti@example.org",
                                                                           KELURAHAN, "001")
    assert last["code"] == Dossier.objects.latest("received_at").code
    assert selectors.applicant_last(office=k.office, nik=NIK, full_nik=False) is None
    assert selectors.applicant_last(office=k.office, nik="3577010101900001", full_nik=True) is None


def test_duplicates_are_the_open_dossiers_of_the_same_nik_and_service(k):
    first = _intake(k)
    assert [d.code for d in selectors.dossier_duplicates(office=k.office, nik=NIK, service_code="ktp-el")] == [first.code]
    assert selectors.dossier_duplicates(office=k.office, nik=NIK, service_code="pindah") == []
    Dossier.objects.filter(pk=first.pk).update(state=S.HANDED_OVER)
    assert selectors.dossier_duplicates(office=k.office, nik=NIK, service_code="ktp-el") == []


def test_typing_the_nik_offers_the_last_data_and_shows_a_duplicate(k, client):
    first = _intake(k, {**TYPED, "email": "siti@example.org"})
    client.force_login(k.people["front"])
    r = client.post("/staf/berkas/baru/", {"service": "ktp-el", "nik": NIK}, **htmx("from-nik"))
    page = r.content.decode()
    assert page.lstrip().startswith('<div id="from-nik"')
    assert "Dari NIK" in page and "5 Agustus 1990" in page and "Perempuan" in page
    assert 'data-fill="email" data-value="siti@example.org"' in page
    assert f'data-fill="kelurahan" data-value="{KELURAHAN}"' in page
    assert "Mungkin ganda" in page and f'href="/staf/berkas/{first.code}/"' in page
    assert 'id="checklist" hx-swap-oob="true"' in page  # the decided lines follow the NIK


@pytest.mark.parametrize("who", ["bendahara", "ppat"])
def test_roles_that_may_not_read_personal_data_get_nothing(k, client, who):
    _intake(k, {**TYPED, "email": "siti@example.org"})
    client.force_login(k.people[who])
    page = client.post("/staf/berkas/baru/", {"service": "ktp-el", "nik": NIK}, **htmx("from-nik")).content.decode()
    assert "data-fill" not in page and "siti@example.org" not in page and "Jl. Contoh" not in page


def test_the_api_offers_the_last_data_to_readers_of_personal_data_only(k, client):
    from loket.api.models import ApiToken

    first = _intake(k)
    url = f"/api/v1/applicants/{NIK}/last/?service=ktp-el"
    for who, status in [("front", 200), ("kasi", 200), ("bendahara", 403)]:
        header = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=k.people[who], name='t')[1]}"}
        r = client.get(url, **header)
        assert r.status_code == status, (who, r.content)
    body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user=k.people['front'], name='t')[1]}").json()
    assert body["name"] == "Siti Aminah" and body["open_dossiers"] == [first.code]
    r = client.get("/api/v1/applicants/3577010101900001/last/",
                   HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user=k.people['front'], name='t')[1]}")
    assert r.status_code == 404


# --- save & forward; the incomplete dossier asks once -------------------------------------------------

def test_save_and_forward_is_one_action_for_a_complete_dossier(k, client):
    client.force_login(k.people["front"])
    r = client.post("/staf/berkas/baru/", _form(k, submit="teruskan"))
    d = Dossier.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/staf/berkas/{d.code}/"
    assert d.state == S.FORWARDED
    assert list(d.transitions.values_list("to_state", flat=True)) == [S.RECEIVED, S.FORWARDED]


def test_an_incomplete_dossier_is_neither_forwarded_nor_saved(k, client):
    client.force_login(k.people["front"])
    r = client.post("/staf/berkas/baru/", _form(k, submit="teruskan", present=_ids(k, but="Pas Foto")), follow=True)
    assert not Dossier.objects.exists() and not Transition.objects.exists()
    page = r.content.decode()
    assert "belum dapat diteruskan ke Kasi" in page
    assert "Ya, simpan sebagai dikembalikan" in page


def test_saving_an_incomplete_dossier_asks_once_with_exactly_what_is_missing(k, client):
    client.force_login(k.people["front"])
    ids = _ids(k, but="Pas Foto")
    r = client.post("/staf/berkas/baru/", _form(k, present=ids))
    assert r.status_code == 200 and not Dossier.objects.exists()
    page = r.content.decode()
    box = page[page.index('class="confirm-return"'):page.index("</section>", page.index('class="confirm-return"'))]
    missing = re.findall(r"<li>(.*?)</li>", box)
    assert len(missing) == 1 and missing[0].startswith("Pas Foto")
    confirmed = re.findall(r'name="confirmed" value="([^"]*)"', box)
    assert len(confirmed) == 1
    assert 'name="submit" value="kembalikan"' in box
    assert "Siti Aminah" in page  # what was typed is kept

    # the clerk changed the checklist after the question: asked again, nothing saved
    r = client.post("/staf/berkas/baru/", _form(k, present=_ids(k, but="Surat"), submit="kembalikan",
                                                 confirmed=confirmed))
    assert r.status_code == 200 and not Dossier.objects.exists()
    assert "Surat Pengantar RT/ RW" in r.content.decode()

    # yes to the list shown: saved as returned, with that list
    from html import unescape

    r = client.post("/staf/berkas/baru/", _form(k, present=ids, submit="kembalikan",
                                                 confirmed=[unescape(c) for c in confirmed]))
    d = Dossier.objects.get()
    assert r.status_code == 302 and d.state == S.RETURNED
    assert d.transitions.get(to_state=S.RETURNED).missing == [unescape(missing[0])]


def test_a_complete_dossier_saves_at_once(k, client):
    client.force_login(k.people["front"])
    r = client.post("/staf/berkas/baru/", _form(k))
    assert r.status_code == 302 and Dossier.objects.get().state == S.RECEIVED


def test_the_api_still_takes_an_incomplete_dossier_as_returned(k):
    d = _intake(k, present=_ids(k, but="Pas Foto"))
    assert d.state == S.RETURNED


# --- the form: Enter, errors, nothing lost -----------------------------------------------------------

def _form_html(page: str) -> str:
    start = page.index('<form method="post" class="intake"')
    return page[start:page.index("</form>", start)]


def test_enter_presses_simpan_dan_teruskan(k, client):
    client.force_login(k.people["front"])
    form = _form_html(client.get("/staf/berkas/baru/?layanan=ktp-el").content.decode())
    without_noscript = re.sub(r"<noscript>.*?</noscript>", "", form, flags=re.S)
    first = re.search(r"<button[^>]*>", without_noscript).group(0)
    # the form's default button: save and forward, the counter's usual next step (an incomplete
    # dossier is asked about first, see test_saving_an_incomplete_dossier_asks_once_with_exactly_what_is_missing)
    assert 'type="submit"' in first and 'name="submit" value="teruskan"' in first
    # the checklist's refresh button exists only without scripts (htmx refreshes by itself)
    assert "Perbarui daftar persyaratan" not in without_noscript and "Perbarui daftar persyaratan" in form
    for extra in ("data-check-all", "data-fill-all"):  # script buttons are type=button, never submit
        for b in re.findall(rf"<button[^>]*{extra}[^>]*>", form):
            assert 'type="button"' in b


def test_the_intake_page_has_no_birth_date_or_sex_to_type_and_no_inline_script(k, client):
    client.force_login(k.people["front"])
    page = client.get("/staf/berkas/baru/?layanan=ktp-el").content.decode()
    form = _form_html(page)
    details = form[form.index('<details class="nik-override"'):form.index("</details>")]
    assert 'name="birth_date"' in details and 'name="sex"' in details and 'name="nik_override_reason"' in details
    outside = form.replace(details, "")
    assert 'name="birth_date"' not in outside and 'name="sex"' not in outside
    assert '<script src="/static/loket/intake.js" defer></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (CSP)
    assert "Lengkap semua" in page and "Simpan & teruskan ke Kasi" in page


def test_errors_are_sentences_next_to_their_fields_and_nothing_typed_is_lost(k, client):
    client.force_login(k.people["front"])
    r = client.post("/staf/berkas/baru/", _form(k, nik="", phone="12", note="Pemohon menunggu di kursi 3",
                                                proxy_name="", by_proxy="1"))
    assert r.status_code == 400
    page = r.content.decode()
    assert "(&#x27;" not in page and "('" not in page and "[&#x27;" not in page  # no Python tuples or lists
    assert re.search(r'id="id_nik"[^>]*>\s*<p class="error" id="id_nik-error">NIK wajib diisi.</p>', page)
    assert 'id="id_phone-error">Nomor telepon tidak valid; contoh 081234567890.</p>' in page
    assert 'id="id_proxy_name-error">Nama penerima kuasa wajib diisi bila berkas dikuasakan.</p>' in page
    assert 'value="Pemohon menunggu di kursi 3"' in page and 'value="Siti Aminah"' in page
    assert page.count("checked") >= len(_ids(k))  # the ticks are kept


def test_a_checklist_error_is_a_sentence_above_the_checklist(k, client):
    client.force_login(k.people["front"])
    r = client.post("/staf/berkas/baru/", _form(k, present=["999999"]))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Persyaratan [999999] bukan milik layanan ini." in page
    assert "(&#x27;items&#x27;" not in page


# --- the count ----------------------------------------------------------------------------------------

def test_a_first_time_ktp_el_needs_only_what_the_nik_cannot_tell(k, client):
    """The fields a clerk fills for a first-time citizen: 9 (8 typed or chosen, email left empty);
    with "Lengkap semua" and "Simpan & teruskan ke Kasi" (and the service's link) the intake takes
    12 inputs, 11 after the first of the day (the link opens the screen of the last service)."""
    client.force_login(k.people["front"])
    filled = {f for f in TYPED}
    assert filled == {"nik", "kk_number", "name", "marital_status", "address", "rt", "rw", "kelurahan", "phone"}
    r = client.post("/staf/berkas/baru/", _form(k, submit="teruskan"))
    assert r.status_code == 302 and Dossier.objects.get().state == S.FORWARDED


def test_a_returning_citizen_needs_the_nik_only(k, client):
    """A returning citizen: the NIK, then the data offered are posted back as the screen fills
    them (intake.js), "Lengkap semua", "Simpan & teruskan ke Kasi"."""
    _intake(k, {**TYPED, "email": "siti@example.org"})
    Dossier.objects.update(state=S.HANDED_OVER)  # the earlier one is done
    client.force_login(k.people["front"])
    page = client.post("/staf/berkas/baru/", {"service": "ktp-el", "nik": NIK}, **htmx("from-nik")).content.decode()
    offered = dict(re.findall(r'data-fill="([a-z_]+)" data-value="([^"]*)"', page))
    rt_rw = f"{offered['rt_rw']}"  # RT and RW are one field on the intake form
    assert set(offered) == {*selectors.RETURNING_FIELDS, "rt_rw"} - {"rt", "rw"} and re.fullmatch(r"\d{3}/\d{3}", rt_rw)
    r = client.post("/staf/berkas/baru/", _form(k, submit="teruskan", **offered))
    assert r.status_code == 302
    assert Dossier.objects.latest("pk").state == S.FORWARDED


def test_a_dossier_taken_in_under_data_nik_tidak_sesuai_can_still_be_corrected(k):
    d = _intake(k, {**TYPED, "birth_date": "1990-08-06"}, nik_override_reason="NIK terbit sebelum koreksi")
    d = services.dossier_correct(code=d.code, actor=k.people["front"], changes={"name": "Siti Aminah Rahayu"},
                                 reason="Nama sesuai KK.")
    assert (d.applicant_name, d.applicant_birth_date) == ("Siti Aminah Rahayu", dt.date(1990, 8, 6))
    plain = _intake(k)  # the data agree with the NIK: a correction must too
    with pytest.raises(InvalidInput) as exc:
        services.dossier_correct(code=plain.code, actor=k.people["front"], changes={"birth_date": "1990-08-07"},
                                 reason="Salah ketik")
    assert "tidak cocok dengan NIK" in exc.value.errors["birth_date"][0]


# --- what the counter no longer types --------------------------------------------------------------

@pytest.mark.parametrize("typed, rt, rw", [("003/005", "003", "005"), ("3/5", "003", "005"), ("3 5", "003", "005"),
                                           ("03-015", "003", "015"), (" 1 / 2 ", "001", "002")])
def test_rt_rw_is_one_field_typed_as_on_the_ktp(k, typed, rt, rw):
    applicant = {key: v for key, v in TYPED.items() if key not in ("rt", "rw")}
    d = _intake(k, {**applicant, "rt_rw": typed})
    assert (d.applicant_rt, d.applicant_rw) == (rt, rw)


@pytest.mark.parametrize("typed", ["3", "3/5/7", "a/b", "1234/5", "/"])
def test_a_bad_rt_rw_is_named_on_its_one_field_and_nothing_is_saved(k, client, typed):
    applicant = {key: v for key, v in TYPED.items() if key not in ("rt", "rw")}
    with pytest.raises(InvalidInput) as exc:
        _intake(k, {**applicant, "rt_rw": typed})
    assert set(exc.value.errors) == {"rt_rw"} and "003/005" in exc.value.errors["rt_rw"][0]
    client.force_login(k.people["front"])
    form = {key: v for key, v in _form(k).items() if key not in ("rt", "rw")}
    r = client.post("/staf/berkas/baru/", {**form, "rt_rw": typed})
    assert r.status_code == 400 and 'id="id_rt_rw-error"' in r.content.decode()
    assert not Dossier.objects.exists()


def test_the_kk_number_and_the_marital_status_are_not_asked_for_an_adult(k):
    d = _intake(k, {key: v for key, v in TYPED.items() if key not in ("kk_number", "marital_status")})
    assert (d.applicant_kk_number, d.applicant_marital_status, d.state) == ("", "", S.RECEIVED)
    with pytest.raises(InvalidInput) as exc:  # typed, a KK number is still checked
        _intake(k, {**TYPED, "kk_number": "12345"})
    assert set(exc.value.errors) == {"kk_number"}


def test_the_intake_form_asks_five_things_of_a_first_time_citizen_and_four_may_stay_empty(k, client):
    """The applicant's part of the form: NIK, name, address, RT/RW, kelurahan typed or chosen;
    phone (only for a citizen who wants to be contacted), email, KK number and marital status
    may stay empty (tests/dossiers/test_minimal_data.py)."""
    client.force_login(k.people["front"])
    form = _form_html(client.get("/staf/berkas/baru/?layanan=ktp-el").content.decode())
    fieldset = form[form.index('id="applicant"'):form.index('<details class="nik-override"')]
    names = re.findall(r'<(?:input|select)[^>]*name="([a-z_]+)"', fieldset)
    assert names == ["nik", "name", "address", "rt_rw", "kelurahan", "phone", "email", "kk_number", "marital_status"]
