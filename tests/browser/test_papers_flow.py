"""Official papers end to end (issue 16), in a real (headless, system) Chromium:

1. the front office registers a signed KTP-el dossier: its legalisation is issued, numbered in
   the Buku Agenda Surat Keluar, listed on the dossier; she prints it on F4 at the bottom;
2. the Camat opens the paper and signs it electronically with his demo certificate (a wrong
   passphrase first: refused, nothing signed);
3. the front office writes the recommendation letter of a signed service-15 dossier: a required
   field left empty is refused, then the numbered letter with the kop, the Camat's name and NIP;
4. the Buku Agenda Surat Keluar lists both papers;
5. a stranger opens the legalisation's verification page (its QR), uploads the signed PDF
   ("sama persis") and a tampered copy ("TIDAK sama").

The dossiers are brought to "signed" through the services (the counter flow has its own
browser test); everything about the papers happens in the browser. The console must stay clean
(the refused letter form answers 400, on purpose).
"""

import re

import pytest
from django.core.cache import cache

from tests.support.browser import (  # first: skips the module when Playwright is not installed
    Console, expect, fact, login, logout, PASSWORD, pdf_text, Shots,
)

from loket.catalog.services import standard_load
from loket.dossiers import services
from loket.dossiers.models import Dossier
from loket.offices.models import Staff, Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.papers import democa, signing
from loket.papers.models import Document
from tests.factories import applicant_data

pytestmark = pytest.mark.django_db(transaction=True)

P12_PASS = "ttd-demo-rahasia"


@pytest.fixture
def kartoharjo(transactional_db, settings, tmp_path):
    cache.clear()
    settings.DATA_DIR = tmp_path  # the demo CA lives here
    roles_sync()
    office = standard_load().office
    pem = Unit.objects.get(office=office, code="pemerintahan")
    people = {}
    for username, role, unit, full_name in [
        ("petugas", Role.FRONT_OFFICE, None, "Petugas Pelayanan"),
        ("kasi.pemerintahan", Role.KASI, pem, "Kasi Pemerintahan"),
        ("camat", Role.CAMAT, None, "Camat"),
    ]:
        people[username] = staff_create(office=office, username=username, role=role, unit=unit, password=PASSWORD,
                                        full_name=full_name).user
    Staff.objects.filter(user=people["camat"]).update(full_name="Drs. Agus Wibowo, M.Si.", rank="Pembina Tingkat I (IV/b)",
                                                      nip="196801011990031005")
    camat = type(people["camat"]).objects.get(pk=people["camat"].pk)
    p12 = democa.demo_pkcs12(name="Drs. Agus Wibowo, M.Si.", nip="196801011990031005", passphrase=P12_PASS)
    signing.credential_import(user=camat, pkcs12=p12, passphrase=P12_PASS)
    return office, people


def signed_dossier(office, people, service_code):
    items = [r.pk for r in office.editions.get(status="active").services.get(code=service_code).requirements.all()]
    d = services.dossier_intake(office=office, service_code=service_code, applicant=applicant_data(kelurahan="35.77.01.1008"),
                                actor=people["petugas"], present=items, originals=items,
                                answers={})
    for act, who in [("forward", "petugas"), ("initial", "kasi.pemerintahan"), ("sign", "camat")]:
        getattr(services, f"dossier_{act}")(code=d.code, actor=people[who])
    d.refresh_from_db()
    assert d.state == Dossier.State.SIGNED
    return d


def test_a_legalisation_and_a_letter_numbered_signed_and_verified(kartoharjo, new_context, screenshots, tmp_path):
    office, people = kartoharjo
    ktp = signed_dossier(office, people, "ktp-el")
    rec = signed_dossier(office, people, "legalisasi-umum")
    shot = Shots(screenshots, "papers-")
    console = Console(expected=[(400, "/surat/")])

    # 1. the front office registers the KTP-el dossier: the legalisation is issued
    page = console.watch(new_context().new_page())
    login(page, "petugas")
    page.goto(f"/staf/berkas/{ktp.code}/")
    page.get_by_role("button", name=re.compile("Catat di Buku Register")).first.click()
    docs = page.locator("section.documents")
    expect(docs).to_contain_text("Legalisasi")
    legal = Document.objects.get(reference=ktp.code)
    expect(docs).to_contain_text(legal.number)
    shot(page, "registered")
    page.get_by_role("link", name="Legalisasi", exact=False).first.click()
    expect(page.get_by_role("heading", name=re.compile("Legalisasi"))).to_be_visible()
    page.get_by_label("Kertas").select_option("F4")
    page.get_by_label("Posisi").select_option("bawah")
    href = page.locator("form[action$='/cetak']").get_attribute("action") + "?kertas=F4&posisi=bawah"
    body = page.request.get(href).body()
    text = pdf_text(body)
    assert legal.number in text and "Drs. Agus Wibowo, M.Si." in text and "NIP. 19680101 199003 1 005" in text
    assert "Mengetahui / Dilegalisasi oleh:" in text
    logout(page, "petugas")

    # 2. the Camat signs it electronically: a wrong passphrase first
    login(page, "camat")
    page.goto(f"/staf/naskah/{legal.pk}/")
    page.get_by_label("Passphrase sertifikat").fill("salah")
    page.get_by_role("button", name="Tandatangani").click()
    expect(page.locator(".messages .msg-error")).to_be_visible()
    assert not legal.signatures.exists()
    page.get_by_label("Passphrase sertifikat").fill(P12_PASS)
    page.get_by_role("button", name="Tandatangani").click()
    expect(page.locator(".messages")).to_contain_text("ditandatangani secara elektronik")
    expect(fact(page, "Tanda tangan elektronik")).to_contain_text("DEMO — bukan sertifikat resmi")
    shot(page, "signed")
    signed_pdf = page.request.get(f"/staf/naskah/{legal.pk}/pdf").body()
    result = signing.pdf_validate(pdf=signed_pdf, trust_roots_pem=signing.trust_roots())
    assert result.intact and result.trusted
    logout(page, "camat")

    # 3. the recommendation letter of service 15
    login(page, "petugas")
    page.goto(f"/staf/berkas/{rec.code}/")
    page.get_by_role("link", name=re.compile("Tulis Surat Rekomendasi")).click()
    required = page.locator("input[required]").first
    required.fill("")
    page.get_by_role("button", name="Terbitkan surat bernomor").click()
    expect(page.locator(".field.invalid p.error").first).to_contain_text("wajib diisi")
    for field in page.locator("input[required]").all():
        if not field.input_value():
            field.fill("Kegiatan warga RW 02")
    page.get_by_label("Kertas").select_option("A4")
    page.get_by_role("button", name="Terbitkan surat bernomor").click()
    letter = Document.objects.get(reference=rec.code, kind="surat")
    expect(page.get_by_role("heading", name=letter.title)).to_be_visible()
    shot(page, "letter")
    text = pdf_text(page.request.get(f"/staf/naskah/{letter.pk}/pdf").body())
    for expected in ["PEMERINTAH KOTA MADIUN", "KECAMATAN KARTOHARJO", letter.number, "Drs. Agus Wibowo, M.Si.",
                     "NIP. 19680101 199003 1 005", "Tembusan"]:
        assert expected in text, expected

    # 4. the agenda lists both
    page.get_by_role("link", name="Agenda Surat Keluar").click()
    agenda = page.locator("table.table")
    expect(agenda).to_contain_text(legal.number)
    expect(agenda).to_contain_text(letter.number)
    shot(page, "agenda")
    logout(page, "petugas")

    # 5. a stranger verifies the legalisation by its QR and by the PDF
    stranger = console.watch(new_context().new_page())
    stranger.goto(f"/verifikasi/{legal.verification_code}/")
    expect(fact(stranger, "Nomor")).to_have_text(legal.number)
    expect(fact(stranger, "Tanda tangan elektronik")).to_contain_text("DEMO")
    good = tmp_path / "legalisasi.pdf"
    good.write_bytes(signed_pdf)
    stranger.get_by_label("Berkas PDF naskah").set_input_files(str(good))
    stranger.get_by_role("button", name="Periksa").click()
    expect(stranger.locator("p.ok").last).to_contain_text("sama persis")
    bad = tmp_path / "palsu.pdf"
    bad.write_bytes(signed_pdf[:400] + bytes([signed_pdf[400] ^ 1]) + signed_pdf[401:])
    stranger.get_by_label("Berkas PDF naskah").set_input_files(str(bad))
    stranger.get_by_role("button", name="Periksa").click()
    expect(stranger.locator("p.error")).to_contain_text("TIDAK sama")
    shot(stranger, "verified")
    console.assert_clean()
