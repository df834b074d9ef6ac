"""The breach register (UU 27/2022 Pasal 46): the 3 × 24-hour clock from the moment the office
knew (hours left, overdue, each notice on time or late), the acts and their refusals (another
role, another office, a closed breach, a notice recorded twice, bad input saving nothing), the
pages, the two letters, and the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from loket.core.errors import InvalidInput, WrongState
from loket.offices.models import Office
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.papers.models import Document
from loket.privacy import breach_papers, breaches, policy
from loket.privacy.models import Breach, BreachStep, Officer
from loket.registers.models import RegisterEntry
from tests.support.api import token  # noqa: F401  (a fixture)
from tests.support.pdf import text_of

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def officer(office, people):
    """The office's data protection officer: the Kasi of the general unit (Kasubbag Umum)."""
    Officer.objects.create(office=office, user=people["kasi_other"], name="Dra. Rina Lestari",
                           position="Kasubbag Umum", email="ppdp@contoh.go.id", telephone="0351-462100")
    return people["kasi_other"]


def record(office, actor, **over) -> Breach:
    data = dict(title="Laptop loket hilang", description="Laptop loket dicuri dari meja pelayanan.",
                occurred_at=None, known_at=timezone.now() - 2 * H, data_affected="NIK, nama dan alamat pemohon KTP-el",
                subjects_affected="Pemohon KTP-el Januari 2026", subjects_count=120,
                actions="Kata sandi akun diganti; laporan ke polisi.", authority="")
    data.update(over)
    return breaches.breach_record(office=office, actor=actor, **data)


# --- the clock ----------------------------------------------------------------------------------

def _breach(known, **kw) -> Breach:
    return Breach(code="ABCDEFGH", state=kw.pop("state", Breach.State.OPEN), known_at=known, **kw)


def test_the_clock_gives_the_hours_left_then_how_long_overdue():
    known = timezone.now()
    clock = breaches.clock_of(_breach(known), known + 30 * H + dt.timedelta(minutes=15))
    assert clock.due == known + 72 * H and clock.running and not clock.late
    assert clock.left == 41 * H + dt.timedelta(minutes=45)
    assert clock.text() == "Sisa 41 jam 45 menit sampai tenggat pemberitahuan"
    assert clock.subjects.text() == "belum diberitahukan, sisa 41 jam 45 menit"
    late = breaches.clock_of(_breach(known), known + 80 * H)
    assert late.overdue == 8 * H and late.late and late.left is None
    assert late.text() == "Tenggat pemberitahuan lewat 8 jam 0 menit"
    assert breaches.clock_of(_breach(known), known + 200 * H).authority.text() == "belum diberitahukan, lewat 5 hari 8 jam"
    assert late.as_json()["overdue_hours"] == 8.0 and late.as_json()["subjects"]["in_time"] is None


def test_a_notice_at_the_due_moment_is_in_time_and_after_it_late():
    known = timezone.now()
    b = _breach(known, subjects_notified_at=known + 72 * H, authority_notified_at=known + 75 * H)
    clock = breaches.clock_of(b, known + 100 * H)
    assert clock.subjects.in_time is True and clock.subjects.text() == "diberitahukan tepat waktu"
    assert clock.authority.in_time is False and clock.authority.late_by == 3 * H
    assert clock.authority.text() == "diberitahukan terlambat 3 jam 0 menit"
    assert not clock.running and clock.late and clock.text().endswith("sebagian terlambat")
    closed = breaches.clock_of(_breach(known, state=Breach.State.CLOSED), known + 100 * H)
    assert not closed.running and closed.overdue is None and closed.text() == "Ditutup tanpa semua pemberitahuan tercatat"


# --- the acts ----------------------------------------------------------------------------------

def test_the_officer_records_a_breach_and_its_notices(office, officer):
    b = record(office, officer, occurred_at=(timezone.localtime() - 30 * H).strftime("%Y-%m-%dT%H:%M"))
    assert b.state == Breach.State.OPEN and b.authority == "Lembaga Pelindungan Data Pribadi"
    assert [s.action for s in b.steps.all()] == ["record"]
    breaches.breach_notify_subjects(code=b.code, actor=officer, at="", note="Surat diantar ke rumah.")
    breaches.breach_act(code=b.code, actor=officer, note="Pengumuman di papan informasi (Pasal 46 ayat (3)).")
    b = breaches.breach_notify_authority(code=b.code, actor=officer, at=timezone.now() - H, note="")
    assert b.subjects_notified_at and b.authority_notified_at
    assert "Pengumuman di papan informasi" in b.actions and b.actions.startswith("Kata sandi akun diganti")
    assert not breaches.clock_of(b).running
    b = breaches.breach_close(code=b.code, actor=officer, note="Selesai ditangani.")
    assert b.state == Breach.State.CLOSED
    steps = list(BreachStep.objects.filter(breach=b).values_list("action", "to_state"))
    assert steps == [("record", "terbuka"), ("notify_subjects", "terbuka"), ("act", "terbuka"),
                     ("notify_authority", "terbuka"), ("close", "ditutup")]
    assert "tepat waktu" in BreachStep.objects.get(breach=b, action="notify_subjects").note


def test_the_camat_may_change_the_authoritys_address_without_touching_the_actions(office, people):
    b = record(office, people["camat"])
    b = breaches.breach_act(code=b.code, actor=people["camat"], note="Diminta Diskominfo.",
                            authority="Kementerian Komunikasi dan Digital")
    assert b.authority == "Kementerian Komunikasi dan Digital" and "Diminta" not in b.actions
    assert "Lembaga Pelindungan Data Pribadi" in b.steps.last().note
    with pytest.raises(InvalidInput, match="sama dengan yang tercatat"):
        breaches.breach_act(code=b.code, actor=people["camat"], note="Lagi.", authority=b.authority)


@pytest.mark.parametrize("field,value,message", [
    ("known_at", lambda: timezone.now() + H, "tidak boleh setelah sekarang"),
    ("occurred_at", lambda: timezone.now() - H, "tidak boleh setelah waktu kegagalan diketahui"),
    ("known_at", lambda: "kemarin", "TTTT-BB-HH JJ:MM"),
    ("title", lambda: "  ", "wajib diisi"),
    ("subjects_count", lambda: -3, "bilangan bulat"),
], ids=["known-future", "occurred-after-known", "known-garbled", "title-empty", "count-negative"])
def test_bad_input_is_refused_and_saves_nothing(office, people, field, value, message):
    with pytest.raises(InvalidInput) as exc:
        record(office, people["camat"], **{field: value()})
    assert message in " ".join(exc.value.errors[field])
    assert not Breach.objects.exists() and not BreachStep.objects.exists()


def test_a_notice_before_the_breach_was_known_or_in_the_future_is_refused(office, officer):
    b = record(office, officer)
    for at, words in ((b.known_at - H, "tidak boleh sebelum"), (timezone.now() + H, "setelah sekarang")):
        with pytest.raises(InvalidInput) as exc:
            breaches.breach_notify_authority(code=b.code, actor=officer, at=at.isoformat(), note="")
        assert words in exc.value.errors["at"][0]
    assert Breach.objects.get(pk=b.pk).authority_notified_at is None and b.steps.count() == 1


def test_refusals_other_role_other_office_closed_and_notified_twice(office, people, officer):
    for who in ("front", "sekcam", "admin"):
        with pytest.raises(PermissionDenied, match=policy.HANDLER_TEXT):
            record(office, people[who])
    b = record(office, officer)
    with pytest.raises(PermissionDenied, match=policy.HANDLER_TEXT):
        breaches.breach_act(code=b.code, actor=people["sekcam"], note="x")
    taman = Office.objects.create(slug="taman", region_code="35.77.03", name="Kecamatan Taman", city="Kota Madiun")
    camat_taman = staff_create(office=taman, username="camat.taman", role=Role.CAMAT, password="x-Pass-12345").user
    with pytest.raises(PermissionDenied, match="bukan petugas kantor ini"):
        breaches.breach_close(code=b.code, actor=camat_taman, note="x")
    with pytest.raises(PermissionDenied, match="bukan petugas kantor ini"):
        record(office, camat_taman)
    breaches.breach_notify_subjects(code=b.code, actor=officer, at="", note="")
    with pytest.raises(WrongState, match="sudah dicatat"):
        breaches.breach_notify_subjects(code=b.code, actor=people["camat"], at="", note="")
    with pytest.raises(InvalidInput):
        breaches.breach_close(code=b.code, actor=officer, note=" ")
    breaches.breach_close(code=b.code, actor=officer, note="Selesai.")
    for act, kw in (("act", {"note": "x"}), ("notify_authority", {"at": "", "note": ""}), ("close", {"note": "x"})):
        with pytest.raises(WrongState, match="Ditutup"):
            breaches.RUN[act](code=b.code, actor=officer, **kw)
    assert b.steps.count() == 3


# --- pages -------------------------------------------------------------------------------------

def test_the_dpo_records_a_breach_on_the_page_and_sees_the_deadline(client, office, officer):
    client.force_login(officer)
    assert client.get(reverse("privacy:breach_new")).status_code == 200
    known = timezone.localtime() - 5 * H
    form = {"title": "Map berkas tertinggal di angkot", "description": "Map berisi fotokopi KK tertinggal.",
            "known_at": known.strftime("%Y-%m-%dT%H:%M"), "occurred_at": "", "data_affected": "Fotokopi KK",
            "subjects_affected": "Tiga pemohon pindah", "subjects_count": "3", "actions": "Dicari ke terminal.",
            "authority": ""}
    resp = client.post(reverse("privacy:breach_new"), {**form, "known_at": ""})
    assert resp.status_code == 400 and not Breach.objects.exists()
    resp = client.post(reverse("privacy:breach_new"), form)
    b = Breach.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("privacy:breach_detail", args=[b.code])
    page = client.get(resp["Location"]).content.decode()
    assert re.search(r"Sisa 66 jam 5\d menit", page) and "Tenggat 3 × 24 jam" in page  # the minute typed
    assert 'action="/staf/privasi/kegagalan/%s/notify_subjects/"' % b.code in page
    listing = client.get(reverse("privacy:breaches")).content.decode()
    assert f'id="breach-{b.code}"' in listing and re.search(r"Sisa 66 jam 5\d menit", listing)
    resp = client.post(reverse("privacy:breach_act", args=[b.code, "close"]), {"note": "Map ditemukan utuh."})
    assert resp.status_code == 302 and Breach.objects.get().state == Breach.State.CLOSED
    page = client.get(reverse("privacy:breach_detail", args=[b.code])).content.decode()
    assert "notify_subjects" not in page and "Ditutup tanpa semua pemberitahuan tercatat" in page


def test_other_staff_get_403_with_the_reason(client, office, people, officer):
    b = record(office, officer)
    client.force_login(people["sekcam"])
    for url in (reverse("privacy:breaches"), reverse("privacy:breach_detail", args=[b.code]),
                reverse("privacy:breach_letter_subjects", args=[b.code])):
        resp = client.get(url)
        assert resp.status_code == 403 and policy.HANDLER_TEXT in resp.content.decode()
    assert client.post(reverse("privacy:breach_act", args=[b.code, "close"]), {"note": "x"}).status_code == 403
    assert Breach.objects.get().state == Breach.State.OPEN


# --- the letters -------------------------------------------------------------------------------

def test_the_letters_name_the_addressee_the_data_and_the_dpo(office, people, officer):
    b = record(office, officer, authority="Lembaga Pelindungan Data Pribadi u.p. Direktur Pengawasan")
    subjects = text_of(breach_papers.letter_pdf(b, "subjects"))
    assert "Subjek Data Pribadi yang terdampak" in subjects and "Pemohon KTP-el Januari 2026" in subjects
    assert "NIK, nama dan alamat pemohon KTP-el" in subjects and "Laptop loket dicuri" in subjects
    assert "Dra. Rina Lestari" in subjects and "ppdp@contoh.go.id" in subjects and "0351-462100" in subjects
    assert "Pasal 46" in subjects and "NIP" in subjects
    authority = text_of(breach_papers.letter_pdf(b, "authority"))
    assert "Lembaga Pelindungan Data Pribadi u.p. Direktur Pengawasan" in authority
    assert "120 orang" in authority and "Kata sandi akun diganti" in authority and "Dra. Rina Lestari" in authority
    assert office.name in authority


def test_a_notice_issues_its_letter_numbered_in_the_agenda_and_the_page_serves_it(client, office, people, officer):
    """Before the notice the page gives the draft (number left open); recording the notice issues
    the letter as a paper of the office: the next number of the Buku Agenda Surat Keluar, a
    verification code, the Camat as signer; from then on the page serves that letter."""
    b = record(office, officer)
    client.force_login(officer)
    url = reverse("privacy:breach_letter_subjects", args=[b.code])
    draft = text_of(client.get(url).content)
    assert "KONSEP" in draft and "……" in draft
    agenda = RegisterEntry.objects.filter(book__office=office, book__kind="surat_keluar").count()
    breaches.breach_notify_subjects(code=b.code, actor=officer, note="Diantar ke rumah.")
    letter = Document.objects.get(reference=b.code)
    assert letter.template == "pdp-subjek" and letter.kind == "surat" and letter.number
    assert RegisterEntry.objects.filter(book__office=office, book__kind="surat_keluar").count() == agenda + 1
    assert letter.signer_title.upper().startswith("CAMAT")
    served = text_of(client.get(url).content)
    assert letter.number in served and "KONSEP" not in served and "Kode verifikasi" in served
    page = client.get(reverse("privacy:breach_detail", args=[b.code])).content.decode()
    assert letter.number in page and reverse("papers:document", args=[letter.pk]) in page
    assert letter.number in BreachStep.objects.filter(breach=b).latest("pk").note
    # the authority's letter is still a draft, and a refused notice issues nothing
    assert "KONSEP" in text_of(client.get(reverse("privacy:breach_letter_authority", args=[b.code])).content)
    with pytest.raises(InvalidInput):
        breaches.breach_notify_authority(code=b.code, actor=officer, at="kemarin")
    assert Document.objects.filter(reference=b.code).count() == 1


def test_the_letters_without_an_officer_give_the_offices_contact(client, office, people):
    b = record(office, people["camat"])
    client.force_login(people["camat"])
    resp = client.get(reverse("privacy:breach_letter_authority", args=[b.code]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert "belum ditunjuk" in text_of(resp.content)


# --- the API -----------------------------------------------------------------------------------

def test_the_api_records_lists_and_acts(client, office, people, officer, token):
    url = "/api/v1/privacy/breaches/"
    body = {"title": "Surel salah kirim", "description": "Daftar pemohon terkirim ke alamat lain.",
            "known_at": (timezone.localtime() - 3 * H).strftime("%Y-%m-%dT%H:%M"), "data_affected": "Nama, telepon",
            "subjects_affected": "Pemohon sewa gedung", "actions": "Penerima diminta menghapus."}
    dpo = token(None, who=officer)
    assert client.post(url, body, content_type="application/json", **token("front")).status_code == 403
    bad = client.post(url, {**body, "known_at": "besok"}, content_type="application/json", **dpo)
    assert bad.status_code == 400 and "known_at" in bad.json()["errors"] and not Breach.objects.exists()
    made = client.post(url, body, content_type="application/json", **dpo)
    assert made.status_code == 201, made.content
    code = made.json()["code"]
    assert made.json()["clock"]["hours_left"] == pytest.approx(69, abs=0.1)
    assert made.json()["allowed_acts"] == ["act", "notify_subjects", "notify_authority", "close"]
    assert [r["code"] for r in client.get(url, **dpo).json()] == [code]
    act = f"{url}{code}/notify_subjects/"
    done = client.post(act, {"note": "Lewat WhatsApp."}, content_type="application/json", **dpo)
    assert done.status_code == 200 and done.json()["clock"]["subjects"]["in_time"] is True
    assert "notify_subjects" not in done.json()["allowed_acts"]
    assert client.post(act, {}, content_type="application/json", **dpo).status_code == 409
    assert client.get(f"{url}{code}/", **token("sekcam")).status_code == 403
    assert client.get(f"{url}ZZZZZZZZ/", **dpo).status_code == 404
