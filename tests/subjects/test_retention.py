"""The retention schedule (loket/subjects/retention.py, ``loket retention``; UU 27/2022 Pasal
42-44), tried as the data protection officer would: a world with records past their period and
records still within it; the dry run counts them and changes nothing; ``--apply`` anonymises or
deletes exactly what is past, and nothing recent; the books still number 1..N and the reports
add up to the same figures; a second run finds nothing; the run is recorded; an office's own
period is kept and used; the logs carry no NIK or telephone.

``TODAY`` lies 25 months after the real today, so everything the real acts write now is past every
period of the schedule (12 and 24 months), and the "recent" records are dated a month before it."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from loket.api.models import IdempotentRequest
from loket.complaints import selectors as complaint_selectors
from loket.complaints import services as complaint_services
from loket.complaints.models import Attachment, Complaint
from loket.core.models import FormSubmission
from loket.dossiers.models import Applicant, Correction, Dossier, DossierAttachment
from loket.leadership.selectors import service_report
from loket.offices.models import Kelurahan
from loket.privacy.models import Access, Request, RequestStep, RetentionPeriod, RetentionRun
from loket.privacy.retention_defaults import retention_defaults_create, shipped_retention
from loket.registers.models import RegisterEntry
from loket.rentals.models import Booking, Venue
from loket.subjects import retention
from loket.subjects.retention import FILE_MARK, HANDLERS, MARK, months_back
from tests.factories import applicant_data
from tests.leadership.fixtures import dossier, full, november
from tests.support.dossier_rules import dossier_in

pytestmark = pytest.mark.django_db

S = Dossier.State
TODAY = months_back(timezone.localdate(), -25)
NIK1, PHONE1 = "3577014508900001", "081234567890"   # the November dossiers' applicant
NIK2, PHONE2 = "3577010508900002", "081298765432"   # an applicant whose dossiers are all past
NOV_2026 = timezone.make_aware(dt.datetime(2026, 11, 1, 9, 0))

# What is past on TODAY, per kind: (anonymised, deleted). Worked out in ``world`` below.
EXPECTED = {
    "kontak-pemohon": (12, 0),   # 7 November dossiers + 3 of P2, P2's person record, P2's phone correction
    "pindaian-berkas": (0, 1),   # the scan of P2's handed-over dossier
    "kontak-pengadu": (1, 0),    # the complaint closed now (not the one closed last month, not the open one)
    "lampiran-pengaduan": (0, 1),
    "kontak-penyewa": (1, 0),    # the hall used in November (not the unpaid one, not last month's)
    "permintaan-subjek": (2, 0),  # the request answered in November and its step's note
    "catatan-akses": (0, 1),
    "catatan-login": (0, 2),     # the old failed attempt and the old login
    "sesi-login": (0, 1),
    "kiriman-formulir": (0, 1),
    "kunci-idempotensi": (0, 1),
}


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


RECENT = _aware(months_back(TODAY, 1))  # within every period


def _pdf(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% retention test\n", name=name)


@pytest.fixture
def world(office, people, all_items):
    """Old and recent records of every kind the schedule touches; returns them by name."""
    w = {"office": office, "people": people}
    # Dossiers. P1: the hand-counted November (A-H: handed over, cancelled, E still open), and one
    # handed over last month (R): P1 keeps the phone on the person record.
    w["nov"] = november(office, people)
    satu = Kelurahan.objects.get(office=office, code="35.77.09.1001")
    steps = full(RECENT, [2, 3, 2, 2])
    w["recent"] = dossier(office, people, "RRRRRRRR", kelurahan=satu, steps=steps, state=S.HANDED_OVER,
                          done=steps[-1][1])
    # P2, through the real acts (numbered in the Buku Register Pelayanan): two handed over, one
    # returned and never brought back; a correction of its phone on the returned one.
    p2 = applicant_data(nik=NIK2, sex="L", name="Budi Santoso", phone=PHONE2)
    w["p2"] = [dossier_in(S.HANDED_OVER, office=office, people=people, items=all_items, applicant=p2)
               for _ in range(2)]
    w["p2_returned"] = dossier_in(S.RETURNED, office=office, people=people, items=all_items, applicant=p2)
    Correction.objects.create(dossier=w["p2_returned"], field="phone", old_value="081200000000", new_value=PHONE2,
                              reason="Salah ketik", state=S.RETURNED, actor=people["front"], at=timezone.now())
    w["scan_old"] = DossierAttachment.objects.create(
        dossier=w["p2"][0], file=_pdf("s.pdf"), original_name=f"KTP {NIK2}.pdf", kind="pdf", size=26,
        state=S.RECEIVED, uploaded_at=timezone.now(), uploaded_by=people["front"])
    w["scan_recent"] = DossierAttachment.objects.create(
        dossier=w["recent"], file=_pdf("r.pdf"), original_name="KTP.pdf", kind="pdf", size=26,
        state=S.RECEIVED, uploaded_at=RECENT, uploaded_by=people["front"])

    # Complaints through the real acts (numbered in the Buku Pengaduan).
    def complaint(**over):
        data = {"kind": "pengaduan", "channel": "whatsapp", "name": "Budi Santoso", "phone": PHONE2,
                "reply_via": "whatsapp", "subject": "KTP-el belum jadi", "text": "Mohon dicek."}
        return complaint_services.complaint_record(office=office, actor=people["front"], data={**data, **over})

    def closed(**over):
        c = complaint(**over)
        complaint_services.complaint_answer(code=c.code, actor=people["front"], text="Sudah selesai.")
        complaint_services.complaint_feedback(code=c.code, satisfied=True)
        return Complaint.objects.get(pk=c.pk)

    w["c_old"], w["c_recent"], w["c_open"] = closed(), closed(name="Ani"), complaint(name="Wati")
    Complaint.objects.filter(pk=w["c_recent"].pk).update(closed_at=RECENT)
    for c, name in ((w["c_old"], "a.pdf"), (w["c_recent"], "b.pdf")):
        Attachment.objects.create(complaint=c, file=_pdf(name), original_name="foto.pdf", kind="pdf", size=26,
                                  uploaded_at=timezone.now())

    # The hall: used in November, still unpaid from November, used last month.
    venue = Venue.objects.create(office=office, code="aula", name="Aula", capacity=100)

    def booking(code, state, day):
        return Booking.objects.create(
            office=office, venue=venue, code=code, state=state, channel="telepon", renter_type="masyarakat",
            renter_name="Budi Santoso", phone=PHONE2, event="Hajatan", date=day, session="siang", attendance=50,
            quote={}, total=0, created_at=NOV_2026, created_by=people["bendahara"])

    w["b_old"] = booking("HALL0001", Booking.State.USED, dt.date(2026, 11, 20))
    w["b_unpaid"] = booking("HALL0002", Booking.State.BOOKED, dt.date(2026, 11, 21))
    w["b_recent"] = booking("HALL0003", Booking.State.USED, RECENT.date())

    # Data-subject requests: answered in November (with a step), answered last month, still open.
    def request(code, state, answered):
        r = Request.objects.create(
            office=office, code=code, kind="akses", state=state, nik=NIK2, name="Budi Santoso", contact=PHONE2,
            identity="ktp", details="Minta salinan data saya.", received_at=NOV_2026,
            answer="Data terlampir." if answered else "", answered_at=answered,
            answered_by=people["camat"] if answered else None, recorded_by=people["front"])
        RequestStep.objects.create(request=r, action="record", to_state="diterima", actor=people["front"],
                                   at=NOV_2026, note=f"Identitas {NIK2} diperiksa.")
        return r

    w["q_old"] = request("REQ00001", "dijawab", NOV_2026)
    w["q_recent"] = request("REQ00002", "dijawab", RECENT)
    w["q_open"] = request("REQ00003", "diterima", None)
    # the two step notes of the recent and open requests stay; the old one's is one anonymised row

    # Access records: one in November 2026, one last month.
    for at in (NOV_2026, RECENT):
        Access.objects.create(office=office, actor=people["front"], at=at, kind="berkas", record="AAAAAAAA",
                              subject_nik=NIK1, fields="NIK", purpose="Halaman berkas")

    # The installation's records: one past, one current, of each.
    now = timezone.now()
    Session.objects.create(session_key="old" + "x" * 29, session_data="e30:", expire_date=NOV_2026)
    Session.objects.create(session_key="new" + "x" * 29, session_data="e30:", expire_date=now + dt.timedelta(days=1))
    login = {"user_agent": "Firefox", "ip_address": "10.0.0.1", "username": "petugas", "http_accept": "*/*",
             "path_info": "/masuk/"}
    old_attempt = AccessAttempt.objects.create(**login, get_data="", post_data="", failures_since_start=1)
    AccessAttempt.objects.create(**{**login, "username": "kasi.pem"}, get_data="", post_data="", failures_since_start=1)
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(attempt_time=NOV_2026)
    AccessLog.objects.filter(pk=AccessLog.objects.create(**login).pk).update(attempt_time=NOV_2026)
    AccessLog.objects.create(**login)
    FormSubmission.objects.create(nonce="old", path="/staf/", created_at=NOV_2026)
    FormSubmission.objects.create(nonce="new", path="/staf/", created_at=now)
    for key, at in (("old", NOV_2026), ("new", now)):
        IdempotentRequest.objects.create(scope="s", key=key, fingerprint="f", owner="o", started_at=at, status=201,
                                         body=json.dumps({"nik": NIK2}), created_at=at)
    retention_defaults_create(office=office)
    return w


def snapshot() -> dict:
    """Everything the schedule could change, as plain values."""
    files = sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    return {
        "dossiers": list(Dossier.objects.order_by("pk").values_list("pk", "applicant_phone", "applicant_email",
                                                                   "applicant_nik", "applicant_name")),
        "people": list(Applicant.objects.order_by("pk").values_list("pk", "phone", "email", "nik")),
        "corrections": list(Correction.objects.order_by("pk").values_list("old_value", "new_value")),
        "scans": list(DossierAttachment.objects.order_by("pk").values_list("file", "original_name")),
        "files": files,
        "complaints": list(Complaint.objects.order_by("pk").values_list("name", "phone", "email", "address",
                                                                        "account", "text")),
        "attachments": list(Attachment.objects.order_by("pk").values_list("file", "original_name")),
        "bookings": list(Booking.objects.order_by("pk").values_list("renter_name", "phone")),
        "requests": list(Request.objects.order_by("pk").values_list("nik", "name", "contact", "details", "answer")),
        "steps": list(RequestStep.objects.order_by("pk").values_list("note", flat=True)),
        "lines": list(RegisterEntry.objects.order_by("pk").values_list("book_id", "number", "name", "nik")),
        "counts": [m.objects.count() for m in (Access, Session, AccessAttempt, AccessLog, FormSubmission,
                                               IdempotentRequest, RetentionRun)],
    }


def figures(office) -> dict:
    """The reports of the old period (November 2026 to the real today)."""
    start, end = dt.date(2026, 11, 1), timezone.localdate()
    report = service_report(office=office, start=start, end=end)
    complaints = complaint_selectors.report(office=office, start=start, end=end, today=end)
    return {"service": report.total.as_dict(), "per_kelurahan": {r.label: r.figures.as_dict() for r in report.kelurahan},
            "per_service": {r.key: r.figures.as_dict() for r in report.services},
            "november": service_report(office=office, start=start, end=dt.date(2026, 11, 30)).total.as_dict(),
            "complaints": {k: v for k, v in complaints.items() if k not in ("start", "end")}}


def numbers() -> dict:
    books = {}
    for book, number in RegisterEntry.objects.order_by("book_id", "number").values_list("book_id", "number"):
        books.setdefault(book, []).append(number)
    return books


def counted(lines) -> dict:
    return {line.kind: (line.anonymise, line.delete) for line in lines if not line.kept}


def test_the_dry_run_counts_what_is_past_and_changes_nothing(world):
    before = snapshot()
    lines = retention.plan(office=world["office"], today=TODAY)
    assert counted(lines) == EXPECTED
    by_kind = {line.kind: line for line in lines}
    assert by_kind["kontak-pengadu"].cutoff == months_back(TODAY, 12)
    assert by_kind["catatan-akses"].cutoff == months_back(TODAY, 24)
    assert by_kind["buku-register"].kept and by_kind["buku-register"].cutoff is None
    assert by_kind["akta-ppat"].kept
    assert snapshot() == before


def test_apply_removes_exactly_what_is_past_and_a_second_run_finds_nothing(world):
    office, nov = world["office"], world["nov"]
    run = retention.apply(office=office, today=TODAY, by="dpo")
    assert {k: (c["anonymised"], c["deleted"]) for k, c in run.counts.items()} == EXPECTED
    assert run.office == office and run.by == "dpo" and run.counts["kontak-pengadu"]["months"] == 12
    assert run.counts["catatan-akses"]["cutoff"] == months_back(TODAY, 24).isoformat()

    # Dossiers: contacts gone from what ended, kept on the open one and the recent one; NIK and name stay.
    for d in [*nov.values(), *world["p2"], world["p2_returned"]]:
        d.refresh_from_db()
        ended = d.code != "EEEEEEEE"
        assert (d.applicant_phone == "") == ended, d.code
        assert d.applicant_nik in (NIK1, NIK2) and d.applicant_name
    assert Dossier.objects.get(code="RRRRRRRR").applicant_phone == PHONE1
    assert Applicant.objects.get(nik=NIK1).phone == PHONE1   # has an open and a recent dossier
    assert Applicant.objects.get(nik=NIK2).phone == ""
    assert list(Correction.objects.values_list("old_value", "new_value")) == [(MARK, MARK)]
    # Scans: the old file is gone from the disk, its row stays marked; the recent one is untouched.
    old, recent = (DossierAttachment.objects.get(pk=world[k].pk) for k in ("scan_old", "scan_recent"))
    assert (old.file.name, old.original_name) == ("", FILE_MARK)
    assert not (Path(settings.MEDIA_ROOT) / world["scan_old"].file.name).exists()
    assert recent.file.name == world["scan_recent"].file.name and Path(recent.file.path).exists()
    # Complaints: the closed one anonymised, its text and its book line kept; the others untouched.
    c_old = Complaint.objects.get(pk=world["c_old"].pk)
    assert (c_old.name, c_old.phone, c_old.text) == (MARK, "", "Mohon dicek.")
    assert c_old.register_entry.name == "Budi Santoso"  # the Buku Pengaduan is kept as written
    assert Complaint.objects.get(pk=world["c_recent"].pk).phone == PHONE2
    assert Complaint.objects.get(pk=world["c_open"].pk).phone == PHONE2
    assert list(Attachment.objects.order_by("pk").values_list("original_name", flat=True)) == [FILE_MARK, "foto.pdf"]
    # The hall: the phone of the used November booking only; the renter's name stays (SKRD, kuitansi).
    assert [(b.code, b.phone) for b in Booking.objects.order_by("code")] == [
        ("HALL0001", ""), ("HALL0002", PHONE2), ("HALL0003", PHONE2)]
    assert Booking.objects.get(code="HALL0001").renter_name == "Budi Santoso"
    # Requests: the one answered in November, with its step's note; dates and state stay.
    q = Request.objects.get(pk=world["q_old"].pk)
    assert (q.nik, q.name, q.contact, q.details, q.answer, q.state) == ("", MARK, "", MARK, MARK, "dijawab")
    assert q.answered_at == NOV_2026
    assert list(RequestStep.objects.order_by("pk").values_list("note", flat=True)) == [
        MARK, f"Identitas {NIK2} diperiksa.", f"Identitas {NIK2} diperiksa."]
    assert Request.objects.get(pk=world["q_recent"].pk).nik == NIK2
    # Records deleted: the old of each, never the current ones.
    assert list(Access.objects.values_list("at", flat=True)) == [RECENT]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new" + "x" * 29]
    assert (AccessAttempt.objects.count(), AccessLog.objects.count()) == (1, 1)
    assert list(FormSubmission.objects.values_list("nonce", flat=True)) == ["new"]
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]

    assert counted(retention.plan(office=office, today=TODAY)) == {k: (0, 0) for k in EXPECTED}
    again = retention.apply(office=office, today=TODAY, by="dpo")
    assert all(c["anonymised"] == c["deleted"] == 0 for c in again.counts.values())
    assert RetentionRun.objects.filter(office=office).count() == 2


def test_the_books_still_number_1_to_n_and_the_reports_add_up_the_same(world):
    office = world["office"]
    books, before = numbers(), figures(office)
    assert books and all(n == list(range(1, len(n) + 1)) for n in books.values())
    assert before["november"]["received"] == 6  # the hand-counted month (tests/leadership/fixtures.py)
    retention.apply(office=office, today=TODAY, by="dpo")
    assert numbers() == books
    assert figures(office) == before


def test_an_offices_own_period_is_kept_by_setup_and_used(world):
    office = world["office"]
    row = RetentionPeriod.objects.get(office=office, kind="kontak-pengadu")
    row.months, row.source = 120, "JRA Kecamatan, baris pengaduan masyarakat: 10 tahun"
    row.save()
    assert retention_defaults_create(office=office) == 0
    assert RetentionPeriod.objects.get(pk=row.pk).months == 120
    line = next(li for li in retention.plan(office=office, today=TODAY) if li.kind == "kontak-pengadu")
    assert (line.months, line.anonymise, line.source) == (120, 0, row.source)
    retention.apply(office=office, today=TODAY, by="dpo")
    assert Complaint.objects.get(pk=world["c_old"].pk).phone == PHONE2


def test_the_command_shows_a_dry_run_and_applies_on_request(world):
    office = world["office"]
    out = io.StringIO()
    call_command("retention", office=office.slug, today=TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "uji coba retensi" in text and "tidak ada yang diubah" in text and "--apply" in text
    assert "Identitas dan kontak pengadu" in text and "disimpan" in text
    assert not RetentionRun.objects.exists()
    out = io.StringIO()
    call_command("retention", "--apply", office=office.slug, today=TODAY.isoformat(), stdout=out)
    assert "retensi dilaksanakan" in out.getvalue() and "Jumlah: 16 baris dianonimkan, 8 dihapus" in out.getvalue()
    run = RetentionRun.objects.get()
    assert run.by.endswith("(loket retention)")
    with pytest.raises(CommandError, match="tidak sah"):
        call_command("retention", today="31-01-2027", stdout=io.StringIO())
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("retention", office="tidak-ada", stdout=io.StringIO())
    assert RetentionRun.objects.count() == 1


def test_the_log_and_the_run_carry_no_nik_or_phone(world, caplog):
    caplog.set_level(logging.DEBUG)
    run = retention.apply(office=world["office"], today=TODAY, by="dpo")
    text = " ".join(r.getMessage() for r in caplog.records) + json.dumps(run.counts)
    assert "retention applied" in text
    for secret in (NIK1, NIK2, PHONE1, PHONE2, PHONE2[1:]):
        assert secret not in text


def test_the_schedule_file_names_every_kind_once_with_its_source(office):
    kinds = shipped_retention()
    assert {k.kind for k in kinds if not k.kept} == set(HANDLERS)
    assert all(k.source for k in kinds)
    assert retention_defaults_create(office=office) == len(HANDLERS)
    assert retention_defaults_create(office=office) == 0
