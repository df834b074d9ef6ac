"""Personal data protection (issue 19; UU 27/2022) as a citizen and the office's data protection
officer (DPO) meet it, in a real (headless, system) Chromium, with a screenshot at each main step:

1. a citizen, not signed in, reads the office's privacy notice: who the DPO is and how to reach
   them, and the rights it gives;
2. the front-office clerk records the citizen's access request (kind "akses", identity checked
   on the KTP-el) from "Pelindungan data" in the staff menu and sees its 3 × 24-hour deadline;
   the clerk also opens the citizen's dossier (an access record is written) and is refused the
   record of who read what (403);
3. the DPO (the Kasubbag Umum) opens the request, downloads the copy of the data (PDF and JSON:
   the clerk is listed as a reader) and answers it;
4. the DPO searches the access record by the NIK: rows with the NIK masked, never in full;
5. the DPO records a breach, sees its 3 × 24-hour clock, records the notice to the data
   subjects and gets the letter numbered in the Buku Agenda Surat Keluar, signed for the Camat;
6. the DPO runs the retention schedule from its page: the two access records older than the
   24-month period are deleted, the newer ones stay.

The browser's console must stay clean (no CSP violation, no script error) except the one refusal
provoked on purpose. The dossier is taken in through the dossier services (its browser flow is
test_ktp_el_flow.py); the two old access records are written directly, dated three years ago.

Screenshots land in tests/browser/screenshots/privacy-NN-name.png (ignored by git).
"""

import datetime as dt
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from tests.support.browser import (  # first: skips the module when Playwright is not installed
    Console, PASSWORD, Shots, expect, fetch_pdf, login, logout, pdf_text,
)

from loket.catalog.models import Edition, Requirement
from loket.catalog.services import standard_load
from loket.core import codes
from loket.dossiers import services as dossier_services
from loket.offices.models import Unit
from loket.offices.roles import Role
from loket.offices.services import roles_sync, staff_create
from loket.papers.models import Document
from loket.privacy.models import Access, Breach, Officer, Request, RetentionRun
from loket.privacy.retention_defaults import retention_defaults_create
from loket.privacy.services import register_default_create

pytestmark = pytest.mark.django_db(transaction=True)

NIK = "3577014508900001"
MASKED = NIK[:6] + "*" * 10
APPLICANT = {
    "nik": NIK, "kk_number": "", "name": "Siti Aminah", "birth_date": "1990-08-05",
    "sex": "P", "marital_status": "kawin", "address": "Jl. Contoh 1", "rt": "1", "rw": "2",
    "kelurahan": "35.77.01.1008", "phone": "081234567890", "email": "",
}
DPO = {"name": "Dra. Rina Lestari", "position": "Kasubbag Umum dan Keuangan", "email": "ppdp@kartoharjo.contoh.go.id",
       "telephone": "0351-462100"}


@pytest.fixture
def kartoharjo(transactional_db):
    """The Kartoharjo office with its 2018 standard, register of processing and retention periods;
    the clerk, the Kasubbag Umum appointed DPO, and the Camat; one KTP-el dossier of the citizen
    and two records of reading her data three years ago (past the 24-month period)."""
    cache.clear()
    roles_sync()
    office = standard_load().office
    register_default_create(office=office)
    retention_defaults_create(office=office)
    umum = Unit.objects.get(office=office, code="umum")
    for username, role, unit, full_name in [
        ("petugas", Role.FRONT_OFFICE, None, "Petugas Pelayanan"),
        ("kasubbag.umum", Role.KASI, umum, "Rina Lestari"),
        ("camat", Role.CAMAT, None, "Camat Kartoharjo"),
    ]:
        staff_create(office=office, username=username, role=role, unit=unit, password=PASSWORD, full_name=full_name)
    users = {u.username: u for u in get_user_model().objects.all()}
    Officer.objects.create(office=office, user=users["kasubbag.umum"], **DPO)
    items = list(Requirement.objects.filter(service__code="ktp-el", service__edition__office=office,
                                            service__edition__status=Edition.Status.ACTIVE).values_list("pk", flat=True))
    d = dossier_services.dossier_intake(office=office, service_code="ktp-el", applicant=dict(APPLICANT),
                                        actor=users["petugas"], present=items, originals=items)
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)
    old = [Access.objects.create(office=office, actor=users["camat"], at=long_ago + dt.timedelta(hours=i),
                                 kind=Access.Kind.DOSSIER, record=d.code, subject_nik=NIK, fields="NIK, alamat",
                                 purpose="Halaman berkas").pk for i in range(2)]
    return {"office": office, "users": users, "dossier": d.code, "old_access": old}


def privacy_menu(page):
    """ "Pelindungan data" from the staff menu: the privacy page with its own menu."""
    page.get_by_role("navigation", name="Menu pegawai").get_by_role("link", name="Pelindungan data", exact=True).click()
    expect(page.get_by_role("heading", name="Pelindungan data pribadi", exact=True)).to_be_visible()


def test_a_citizen_and_the_data_protection_officer(new_context, screenshots, kartoharjo):
    shot = Shots(screenshots, "privacy-")
    console = Console(expected=[(403, r"/staf/privasi/akses/$")])  # the clerk refused the access record
    page = console.watch(new_context().new_page())
    office = kartoharjo["office"]

    # 1. The citizen reads the privacy notice: the DPO and how to reach them, and the rights.
    page.goto(f"/{office.slug}/privasi/")
    expect(page.get_by_role("heading", name="Pemberitahuan pelindungan data pribadi")).to_be_visible()
    officer = page.locator("#pv-officer")
    for text in (DPO["name"], DPO["position"], DPO["email"], DPO["telephone"]):
        expect(officer).to_contain_text(text)
    rights = page.locator("#pv-rights")
    expect(rights.get_by_role("heading", name="Hak Anda")).to_be_visible()
    expect(rights).to_contain_text("salinan data Anda")
    expect(rights).to_contain_text("3 × 24 jam")
    expect(page.locator("#pv-activities article").first).to_be_visible()  # the register of processing
    shot(page, "notice")

    # 2. The clerk records the citizen's access request at the counter.
    login(page, "petugas")
    privacy_menu(page)
    expect(page.locator("#privacy-officer")).to_contain_text(DPO["name"])
    expect(page.locator("#privacy-links")).not_to_contain_text("Catatan akses")  # the officer's and the Camat's
    page.get_by_role("link", name="Catat permintaan baru").click()
    expect(page).to_have_url(re.compile(r"/staf/privasi/permintaan/baru/$"))
    expect(page.get_by_role("heading", name="Catat permintaan subjek data")).to_be_visible()
    page.get_by_label("Akses dan salinan data pribadi").check()
    page.get_by_label("NIK subjek data").fill(NIK)
    page.get_by_label("Nama", exact=True).fill(APPLICANT["name"])
    page.get_by_label("Telepon atau e-mail untuk jawaban (boleh kosong)").fill(APPLICANT["phone"])
    page.get_by_label("Pemeriksaan identitas").select_option("ktp")
    page.get_by_label("Isi permintaan").fill(
        "Meminta salinan data pribadi yang disimpan kantor dan siapa saja yang membacanya.")
    shot(page, "request-form")
    page.get_by_role("button", name="Catat permintaan").click()
    r = Request.objects.get()
    display = codes.display(r.code)
    expect(page.get_by_role("heading", name=f"Permintaan {display}")).to_be_visible()
    expect(page.get_by_text(f"Permintaan {display} dicatat; batas waktu")).to_be_visible()
    assert r.kind == "akses" and r.nik == NIK and r.identity == "ktp" and r.recorded_by.username == "petugas"
    assert r.due_at - r.received_at == dt.timedelta(hours=72)
    clock = page.locator("#request-clock")
    expect(clock).to_contain_text("Batas waktu")
    expect(page.locator("#clock-left")).to_have_text(re.compile(r"^sisa (71|72) jam$"))
    expect(page.locator("#clock-basis")).to_contain_text("3 × 24 jam")
    expect(page.locator(".lead .state")).to_have_text("Diterima")
    expect(page.locator("dl.facts")).to_contain_text(f"NIK {MASKED}")
    expect(page.locator("#request-acts")).to_have_count(0)  # the clerk answers nothing, downloads nothing
    shot(page, "request-recorded")
    # the clerk opens the citizen's dossier: the page shows her data, an access record is written
    page.goto(f"/staf/berkas/{kartoharjo['dossier']}/")
    expect(page.get_by_role("heading", name=re.compile(codes.display(kartoharjo["dossier"])))).to_be_visible()
    assert Access.objects.filter(actor__username="petugas", subject_nik=NIK, purpose="Halaman berkas").count() == 1
    # the record of who read what is the officer's and the Camat's
    response = page.goto("/staf/privasi/akses/")
    assert response.status == 403, response.status
    expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()
    expect(page.get_by_text("Hanya pejabat pelindungan data pribadi kantor ini dan Camat.")).to_be_visible()
    logout(page, "petugas")

    # 3. The DPO opens the request, downloads the copy of the data and answers.
    login(page, "kasubbag.umum")
    privacy_menu(page)
    page.locator("#privacy-nav").get_by_role("link", name="Permintaan subjek data").click()
    expect(page.get_by_role("heading", name="Permintaan subjek data pribadi")).to_be_visible()
    row = page.locator(f"#req-{r.code}")
    expect(row).to_contain_text(APPLICANT["name"])
    expect(row).to_contain_text(MASKED)
    expect(row).not_to_contain_text(NIK)
    row.get_by_role("link", name=codes.display(r.code)).click()
    expect(page.get_by_role("heading", name=f"Permintaan {display}")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(APPLICANT["phone"])  # the officer sees the contact in full
    expect(page.locator("#records")).to_contain_text(codes.display(kartoharjo["dossier"]))  # the NIK's records (htmx)
    shot(page, "request-dpo")
    pdf = " ".join(pdf_text(fetch_pdf(page, "Unduh salinan data (PDF)")).split())
    for text in ("Salinan data pribadi", display, NIK, APPLICANT["name"], "Siapa yang membaca data Anda",
                 "Petugas Pelayanan", "Halaman berkas"):
        assert text in pdf, text
    href = page.get_by_role("link", name="Unduh salinan data (JSON)").get_attribute("href")
    got = page.request.get(href)
    assert got.status == 200 and got.headers["content-type"].startswith("application/json"), got.headers
    data = json.loads(got.body())
    assert data["nik"] == NIK and data["request"]["code"] == r.code
    assert [x["code"] for x in data["dossiers"]] == [kartoharjo["dossier"]]
    readers = {(x["name"], x["purpose"]) for x in data["reads"]}
    assert ("Petugas Pelayanan", "Halaman berkas") in readers, readers
    assert ("Camat Kartoharjo", "Halaman berkas") in readers, readers  # the old records, not yet removed
    assert ("Rina Lestari", "Salinan data subjek (PDF)") in readers, readers  # the copy is itself a reading
    page.get_by_role("link", name="Jawab", exact=True).click()
    expect(page.get_by_role("heading", name=f"Jawab permintaan {display}")).to_be_visible()
    expect(page.locator("#access-note")).to_be_visible()
    answer = ("Salinan data pribadi (PDF) diserahkan langsung kepada pemohon di loket, "
              "dengan daftar pegawai yang membacanya.")
    page.get_by_label("Jawaban kepada pemohon").fill(answer)
    page.get_by_role("button", name="Simpan jawaban").click()
    expect(page.get_by_text(f"Permintaan {display}: Dijawab.")).to_be_visible()
    expect(page.locator(".lead .state")).to_have_text(Request.State.ANSWERED.label)
    expect(page.locator("#request-answer")).to_have_text(answer)
    expect(page.locator("#request-clock")).to_contain_text("Dijawab")
    expect(page.locator("#request-history")).to_contain_text("Rina Lestari")
    shot(page, "request-answered")
    r.refresh_from_db()
    assert r.state == Request.State.ANSWERED and r.answered_by.username == "kasubbag.umum"
    assert list(r.steps.values_list("action", flat=True)) == ["record", "export", "export", "answer"]

    # 4. The record of who read what, searched by the NIK: masked on every row.
    privacy_menu(page)
    page.locator("#privacy-nav").get_by_role("link", name="Catatan akses").click()
    expect(page.get_by_role("heading", name="Catatan akses data pribadi")).to_be_visible()
    page.locator("#access-search").get_by_label("NIK").fill(NIK)
    page.locator("#access-search").get_by_role("button", name="Cari").click()
    rows = page.locator("#access-rows")
    expect(rows).to_be_visible()
    expect(rows.locator("tbody tr")).to_have_count(Access.objects.filter(subject_nik=NIK).count())
    expect(rows).to_contain_text(MASKED)
    expect(rows).to_contain_text("Petugas Pelayanan")
    expect(rows).to_contain_text("Halaman berkas")
    expect(rows).to_contain_text("Salinan data subjek (JSON)")
    expect(rows).not_to_contain_text(NIK)
    assert NIK not in rows.inner_text()
    shot(page, "access-record")

    # 5. A breach: the 3 × 24-hour clock, the notice to the data subjects and its numbered letter.
    page.locator("#privacy-nav").get_by_role("link", name="Kegagalan pelindungan data").click()
    expect(page.get_by_role("heading", name="Register kegagalan pelindungan data pribadi")).to_be_visible()
    page.get_by_role("link", name="Catat kegagalan").click()
    expect(page).to_have_url(re.compile(r"/staf/privasi/kegagalan/baru/$"))
    page.get_by_label("Judul singkat").fill("Daftar pemohon terkirim ke alamat e-mail yang salah")
    page.get_by_label("Apa yang terjadi, kapan dan bagaimana data terungkap").fill(
        "Rekap pemohon KTP-el minggu ini terkirim ke alamat e-mail warga lain karena salah ketik.")
    page.get_by_label("Data pribadi yang terungkap").fill("NIK, nama dan alamat pemohon KTP-el")
    page.get_by_label("Subjek data yang terdampak").fill("Pemohon KTP-el minggu ini")
    page.get_by_label("Jumlah orang (bila diketahui)").fill("12")
    page.get_by_label("Upaya penanganan dan pemulihan").fill(
        "Penerima diminta menghapus surel; pengiriman rekap dihentikan.")
    shot(page, "breach-form")
    page.get_by_role("button", name="Catat kegagalan").click()
    b = Breach.objects.get()
    expect(page.get_by_role("heading", name=b.title)).to_be_visible()
    expect(page.get_by_text(f"Kegagalan {codes.display(b.code)} dicatat. Tenggat pemberitahuan:")).to_be_visible()
    expect(page.locator("#breach-clock")).to_have_text(
        re.compile(r"^Sisa (71 jam \d+ menit|72 jam 0 menit) sampai tenggat pemberitahuan$"))
    expect(page.locator("#breach-notices")).to_contain_text("Tenggat 3 × 24 jam")
    expect(page.locator("#notice-subjects")).to_contain_text("belum diberitahukan, sisa")
    expect(page.locator("#breach-letter-numbers")).to_have_count(0)  # only drafts before a notice
    shot(page, "breach-recorded")
    notice = page.locator("form", has=page.get_by_role("heading", name="Catat pemberitahuan kepada subjek data"))
    notice.get_by_label("Cara penyampaian (surat, pesan, pengumuman)").fill("Surat diantar ke rumah setiap pemohon.")
    notice.get_by_role("button", name="Catat pemberitahuan").click()
    expect(page.get_by_text(f"{codes.display(b.code)}: Catat pemberitahuan kepada subjek data dicatat.")
           ).to_be_visible()
    letter = Document.objects.get(reference=b.code)
    numbers = page.locator("#breach-letter-numbers")
    expect(numbers).to_contain_text(f"Nomor {letter.number}")
    expect(page.locator("#notice-subjects")).to_contain_text("diberitahukan tepat waktu")
    expect(page.locator("#breach-history")).to_contain_text(f"surat nomor {letter.number}")
    shot(page, "breach-notified")
    text = pdf_text(fetch_pdf(page, "Surat kepada subjek data (PDF)"))
    flat = " ".join(text.split())
    assert letter.number in flat, (letter.number, flat[:400])
    assert "CAMAT" in text and "KONSEP" not in flat
    assert "Pemberitahuan Kegagalan Pelindungan Data Pribadi" in flat and DPO["name"] in flat

    # 6. Retention: the dry run shows the two old access records, one button removes them.
    old = kartoharjo["old_access"]
    newer = set(Access.objects.exclude(pk__in=old).values_list("pk", flat=True))
    assert newer and Access.objects.filter(pk__in=old).count() == 2
    privacy_menu(page)
    page.locator("#privacy-nav").get_by_role("link", name="Retensi").click()
    expect(page.get_by_role("heading", name="Retensi data pribadi")).to_be_visible()
    plan = page.locator("#retention-plan #plan-catatan-akses td")
    expect(plan.nth(0)).to_contain_text("Catatan akses data pribadi")
    expect(plan.nth(1)).to_have_text("24 bulan")
    expect(plan.nth(3)).to_have_text("0")  # nothing anonymised: the rows are deleted
    expect(plan.nth(4)).to_have_text("2")
    expect(page.locator("#retention-never")).to_be_visible()
    shot(page, "retention-plan")
    page.get_by_role("button", name="Laksanakan retensi sekarang").click()
    expect(page.get_by_text(re.compile(r"Retensi dilaksanakan: \d+ baris dianonimkan, \d+ dihapus\."))).to_be_visible()
    runs = page.locator("#retention-runs tbody tr")
    expect(runs).to_have_count(1)
    expect(runs.first).to_contain_text("kasubbag.umum")
    expect(plan.nth(4)).to_have_text("0")  # the dry run of today finds nothing more
    expect(page.get_by_role("button", name="Laksanakan retensi sekarang")).to_be_disabled()
    shot(page, "retention-done")
    run = RetentionRun.objects.get(office=office)
    assert run.counts["catatan-akses"]["deleted"] == 2, run.counts
    assert not Access.objects.filter(pk__in=old).exists()
    assert newer <= set(Access.objects.values_list("pk", flat=True))
    logout(page, "kasubbag.umum")

    console.assert_clean()
