"""Staff screens and public pages of the counter flow, driven through the browser's requests."""

import pytest
from django.core.cache import cache

from loket.dossiers import services
from loket.dossiers.models import Dossier
from tests.factories import applicant_data
from tests.support.forms import intake_form as _form


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_intake_page_lists_services_then_the_checklist(client, people):
    client.force_login(people["front"])
    page = client.get("/staf/berkas/baru/").content.decode()
    assert "Pindah" in page
    page = client.get("/staf/berkas/baru/?layanan=pindah").content.decode()
    assert "Surat Pengantar RT/ RW" in page
    assert "Formulir F-1.35" not in page  # conditional, not asked yet
    page = client.get("/staf/berkas/baru/?layanan=pindah&cond_pindah_antar_kota_provinsi=1").content.decode()
    assert "Formulir F-1.35" in page


def test_intake_saves_and_redirects_to_the_dossier(client, people, all_items):
    client.force_login(people["front"])
    r = client.post("/staf/berkas/baru/", _form(all_items))
    assert r.status_code == 302
    d = Dossier.objects.get()
    assert r["Location"] == f"/staf/berkas/{d.code}/"
    assert d.state == Dossier.State.RECEIVED
    page = client.get(r["Location"]).content.decode()
    assert "Teruskan ke Kasi Pemerintahan" in page


def test_bad_intake_shows_messages_next_to_fields_and_saves_nothing(client, people, all_items):
    client.force_login(people["front"])
    r = client.post("/staf/berkas/baru/", _form(all_items, nik="123", sex="L"))
    assert r.status_code == 400
    page = r.content.decode()
    assert "NIK harus 16 digit; yang diisi 3 digit." in page
    assert "Siti Aminah" in page  # what was typed is kept
    assert not Dossier.objects.exists()


def test_sex_that_disagrees_with_the_nik_is_refused(client, people, all_items):
    client.force_login(people["front"])
    r = client.post("/staf/berkas/baru/", _form(all_items, sex="L"))
    assert r.status_code == 400
    assert "Jenis kelamin tidak cocok dengan NIK" in r.content.decode()


def test_whole_path_in_the_browser(client, people, all_items):
    client.force_login(people["front"])
    client.post("/staf/berkas/baru/", _form(all_items))
    code = Dossier.objects.get().code
    steps = [("front", "forward"), ("kasi", "initial"), ("sekcam", "sign"), ("front", "register"), ("front", "handover")]
    for role, action in steps:
        client.force_login(people[role])
        r = client.post(f"/staf/berkas/{code}/{action}/", {})
        assert r.status_code == 302
    d = Dossier.objects.get()
    assert d.state == Dossier.State.HANDED_OVER


def test_wrong_role_gets_a_message_and_nothing_changes(client, people, all_items):
    client.force_login(people["front"])
    client.post("/staf/berkas/baru/", _form(all_items))
    code = Dossier.objects.get().code
    client.force_login(people["kasi_other"])
    r = client.post(f"/staf/berkas/{code}/forward/", {}, follow=True)
    assert "hanya untuk" in r.content.decode()
    assert Dossier.objects.get().state == Dossier.State.RECEIVED


def test_signature_list_signs_several_at_once(client, people, all_items, office):
    codes = []
    for _ in range(3):
        d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
                                    present=all_items, originals=all_items)
        services.dossier_forward(code=d.code, actor=people["front"])
        services.dossier_initial(code=d.code, actor=people["kasi"])
        codes.append(d.code)
    client.force_login(people["camat"])
    page = client.get("/staf/tanda-tangan/").content.decode()
    assert all(c[:4] in page for c in codes)
    client.post("/staf/tanda-tangan/", {"code": codes[:2]})
    states = dict(Dossier.objects.values_list("code", "state"))
    assert [states[c] for c in codes] == ["signed", "signed", "initialled"]


def test_kasi_sees_only_own_unit(client, people, all_items, office):
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
                                present=all_items, originals=all_items)
    services.dossier_forward(code=d.code, actor=people["front"])
    client.force_login(people["kasi"])
    assert d.code[:4] in client.get("/staf/paraf/").content.decode()
    client.force_login(people["kasi_other"])
    assert d.code[:4] not in client.get("/staf/paraf/").content.decode()


def test_staff_search_by_code_nik_and_name(client, people, all_items, office):
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
                                present=all_items, originals=all_items)
    client.force_login(people["front"])
    for q in [d.code.lower(), "357701450890", "aminah"]:
        assert d.code[:4] in client.get("/staf/berkas/cari/", {"q": q}, follow=True).content.decode(), q


def test_anonymous_is_sent_to_login(client, db):
    r = client.get("/staf/berkas/")
    assert r.status_code == 302 and "/masuk/" in r["Location"]


def test_public_tracking_page_has_no_personal_data(client, people, all_items, office):
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
                                present=all_items, originals=all_items)
    page = client.get(f"/lacak/{d.code}/").content.decode()
    assert "Diterima" in page
    for secret in ["3577014508900001", "Siti", "Aminah", "081234567890"]:
        assert secret not in page
    assert client.get("/lacak/ZZZZZZZZ/").status_code == 404


def test_public_verification_page(client, people, all_items, office):
    d = services.dossier_intake(office=office, service_code="pindah", applicant=applicant_data(), actor=people["front"],
                                present=all_items, originals=all_items)
    for fn, who in [(services.dossier_forward, "front"), (services.dossier_initial, "kasi"),
                    (services.dossier_sign, "camat"), (services.dossier_register, "front")]:
        d = fn(code=d.code, actor=people[who])
    page = client.get(f"/verifikasi/{d.verification_code}/").content.decode()
    assert "S*** A*****" in page and d.register_entry.number_display in page
    assert client.get("/verifikasi/ABCDEFGHJKLM/").status_code == 404


@pytest.mark.parametrize("who, shown, hidden", [
    ("front", ["Terima berkas"], ["Menunggu paraf", "Menunggu tanda tangan"]),
    ("kasi", ["Menunggu paraf"], ["Terima berkas", "Menunggu tanda tangan"]),
    ("sekcam", ["Menunggu tanda tangan"], ["Terima berkas", "Menunggu paraf"]),
])
def test_staff_menu_shows_each_role_its_own_work(client, people, who, shown, hidden):
    client.force_login(people[who])
    page = client.get("/staf/berkas/").content.decode()
    nav = page[page.index('<nav class="staffnav"'):page.index("</nav>", page.index('<nav class="staffnav"'))]
    for text in shown:
        assert text in nav
    for text in hidden:
        assert text not in nav
