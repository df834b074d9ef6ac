"""The issue's scenarios, end to end through loket.complaints.services: the web complaint the
front office answers at once, the WhatsApp complaint that needs the Camat's direction, the one
that waits for a kelurahan or a musyawarah, the unhappy complainant, the append-only history,
and the anonymous complainant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from loket.complaints import deadlines, services
from loket.complaints.models import Answer, Complaint, Coordination, Step
from loket.core.history import AppendOnlyError
from loket.registers.models import RegisterEntry
from tests.complaints.conftest import complaint_data
from loket.core.errors import InvalidInput, WrongState

S = Complaint.State
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def clock(monkeypatch):
    """clock.set(datetime) makes timezone.now() return that moment, for every module that calls
    django.utils.timezone.now (services, registers, auto_now)."""

    class Clock:
        def set(self, moment: dt.datetime) -> None:
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()


def steps(c: Complaint) -> list[tuple]:
    return list(c.steps.order_by("pk").values_list("action", "from_state", "to_state", "actor__username"))


# --- (a) web complaint, answered by the front office, complainant satisfied --------------------

def test_web_complaint_answered_by_front_office_and_closed_when_satisfied(office, people):
    c = services.complaint_file_public(office=office, data=complaint_data(
        channel="telepon",  # ignored: the web form is always the website channel
        unit="umum",  # ignored: the public does not choose the unit
        reply_via="website", phone="", kind="konsultasi",
        subject="Syarat legalisasi pindah", text="Apa saja syarat legalisasi surat pindah antar kota?",
    ))
    assert (c.state, c.channel, c.kind, c.received_by, c.unit) == (S.RECEIVED, "website", "konsultasi", None, None)
    assert c.register_entry.entered_by is None and c.register_entry.reference == c.code
    assert c.register_entry.book.kind == "pengaduan"
    assert c.first_answered_at is None and c.closed_at is None and c.satisfied is None

    answer = services.complaint_answer(code=c.code, actor=people["front"],
                                       text="Syaratnya surat pengantar RT/RW dan KK asli.")
    assert answer.reply_via == "website" and answer.sent_by == people["front"] and answer.corrects is None
    c.refresh_from_db()
    assert c.state == S.ANSWERED and c.first_answered_at == answer.sent_at

    # the complainant, on the tracking page (no account): satisfied
    services.complaint_feedback(code=c.code.lower(), satisfied=True, note="Terima kasih.")
    c.refresh_from_db()
    assert c.state == S.CLOSED
    assert c.satisfied is True
    assert c.closed_at is not None and c.closed_at >= c.first_answered_at
    assert steps(c) == [
        ("intake", "", S.RECEIVED, None),
        ("answer", S.RECEIVED, S.ANSWERED, "petugas"),
        ("feedback", S.ANSWERED, S.CLOSED, None),
    ]
    assert c.steps.order_by("-pk").first().at == c.closed_at
    # closed is the end: no more feedback, no more answers
    with pytest.raises(WrongState):
        services.complaint_feedback(code=c.code, satisfied=False)
    with pytest.raises(WrongState):
        services.complaint_answer(code=c.code, actor=people["front"], text="Jawaban kedua yang tidak boleh.")


def test_feedback_before_the_answer_is_refused(make_complaint):
    c = make_complaint(S.RECEIVED)
    with pytest.raises(WrongState):
        services.complaint_feedback(code=c.code, satisfied=True)
    c.refresh_from_db()
    assert c.state == S.RECEIVED and c.satisfied is None and c.steps.count() == 1


def test_close_without_the_complainants_word_needs_a_reason(make_complaint, people):
    c = make_complaint(S.ANSWERED)
    with pytest.raises(InvalidInput) as info:
        services.complaint_close(code=c.code, actor=people["front"], note="   ")
    assert "note" in info.value.errors
    c.refresh_from_db()
    assert c.state == S.ANSWERED and c.closed_at is None
    services.complaint_close(code=c.code, actor=people["front"], note="Tidak ada tanggapan 14 hari.")
    c.refresh_from_db()
    assert c.state == S.CLOSED and c.closed_at is not None and c.satisfied is None


# --- (b) WhatsApp → Kasi Pemerintahan → direction of the Camat → answer ----------------------

def test_whatsapp_complaint_escalated_directed_and_answered(make_complaint, people):
    c = make_complaint(S.RECEIVED)
    assert c.channel == "whatsapp" and c.reply_via == "whatsapp" and c.received_by == people["front"]

    services.complaint_escalate(code=c.code, actor=people["front"], unit_code="pemerintahan",
                                note="Perlu cek data SIAK.")
    c.refresh_from_db()
    assert c.state == S.ESCALATED and c.unit.code == "pemerintahan" and c.unit.name == "Kasi Pemerintahan"

    services.complaint_direction_request(code=c.code, actor=people["kasi"], question="Apakah boleh dibantu cetak ulang?")
    services.complaint_direction_give(code=c.code, actor=people["camat"], direction="Bantu, koordinasikan dengan Dukcapil.")
    c.refresh_from_db()
    assert c.state == S.DIRECTED and c.first_answered_at is None

    answer = services.complaint_answer(code=c.code, actor=people["kasi"], text="KTP-el Anda sudah dicetak, silakan ambil.")
    c.refresh_from_db()
    assert c.state == S.ANSWERED
    assert answer.reply_via == "whatsapp" and answer.sent_by == people["kasi"]
    first = c.first_answered_at
    assert first == answer.sent_at

    assert steps(c) == [
        ("intake", "", S.RECEIVED, "petugas"),
        ("escalate", S.RECEIVED, S.ESCALATED, "petugas"),
        ("direction_request", S.ESCALATED, S.DIRECTION_REQUESTED, "kasi.pem"),
        ("direction_give", S.DIRECTION_REQUESTED, S.DIRECTED, "camat"),
        ("answer", S.DIRECTED, S.ANSWERED, "kasi.pem"),
    ]
    notes = dict(c.steps.values_list("action", "note"))
    assert notes["escalate"] == "Perlu cek data SIAK."
    assert notes["direction_request"] == "Apakah boleh dibantu cetak ulang?"
    assert notes["direction_give"] == "Bantu, koordinasikan dengan Dukcapil."

    # a correction later does not move the first answer's time
    fix = services.complaint_answer_correct(code=c.code, actor=people["kasi"], text="KTP-el diambil di kelurahan.",
                                            reason="Tempat pengambilan salah.")
    c.refresh_from_db()
    assert c.first_answered_at == first < fix.sent_at
    assert c.state == S.ANSWERED


def test_the_sekcam_may_give_the_direction_too(make_complaint, people):
    c = make_complaint(S.DIRECTION_REQUESTED)
    services.complaint_direction_give(code=c.code, actor=people["sekcam"], direction="Jawab sesuai SOP.")
    c.refresh_from_db()
    assert c.state == S.DIRECTED
    # and the Kasi may ask again after a direction
    services.complaint_direction_request(code=c.code, actor=people["kasi"], question="Mohon arahan lanjutan.")
    c.refresh_from_db()
    assert c.state == S.DIRECTION_REQUESTED


def test_escalate_needs_a_back_office_unit(make_complaint, people):
    c = make_complaint(S.RECEIVED)
    for bad in ("", "tidak-ada"):
        with pytest.raises(InvalidInput) as info:
            services.complaint_escalate(code=c.code, actor=people["front"], unit_code=bad)
        assert "unit" in info.value.errors
    c.refresh_from_db()
    assert c.state == S.RECEIVED and c.unit is None and c.steps.count() == 1


@pytest.mark.parametrize("field,call", [
    ("question", lambda c, p: services.complaint_direction_request(code=c, actor=p["kasi"], question=" ")),
    ("direction", lambda c, p: services.complaint_direction_give(code=c, actor=p["camat"], direction="")),
    ("text", lambda c, p: services.complaint_answer(code=c, actor=p["kasi"], text="")),
    ("text", lambda c, p: services.complaint_answer(code=c, actor=p["kasi"], text="x" * 5001)),
])
def test_acts_refuse_empty_or_long_text_and_write_nothing(field, call, make_complaint, people):
    state = S.DIRECTION_REQUESTED if field == "direction" else S.ESCALATED
    c = make_complaint(state)
    n = c.steps.count()
    with pytest.raises(InvalidInput) as info:
        call(c.code, people)
    assert field in info.value.errors
    c.refresh_from_db()
    assert c.state == state and c.steps.count() == n and c.answers.count() == 0


# --- (c) waiting for a kelurahan; a musyawarah ------------------------------------------------

@pytest.mark.parametrize("start,holder", [(S.RECEIVED, "front"), (S.ESCALATED, "kasi"), (S.REOPENED, "front"),
                                          (S.DIRECTED, "kasi")])
def test_coordination_with_a_kelurahan_goes_back_to_the_previous_state(start, holder, make_complaint, people):
    c = make_complaint(start)
    co = services.complaint_coordinate(code=c.code, actor=people[holder], kind="kelurahan", party="Kelurahan Satu",
                                       question="Apakah pemohon tercatat di RT 01/ RW 02?")
    c.refresh_from_db()
    assert c.state == S.COORDINATING
    assert (co.kind, co.party, co.resume_state, co.asked_by, co.answered_at, co.answered_by, co.result) == (
        "kelurahan", "Kelurahan Satu", start, people[holder], None, None, "")
    assert co.asked_at is not None and co.meeting_date is None
    # while waiting nothing else can happen: no answer, no escalation
    with pytest.raises(WrongState):
        services.complaint_answer(code=c.code, actor=people[holder], text="Jawaban sebelum hasil koordinasi.")

    services.complaint_coordination_result(code=c.code, actor=people[holder], result="Benar, tercatat sejak 2019.")
    c.refresh_from_db()
    co.refresh_from_db()
    assert c.state == start
    assert co.answered_by == people[holder] and co.result == "Benar, tercatat sejak 2019."
    assert co.answered_at is not None and co.answered_at >= co.asked_at
    last = c.steps.order_by("-pk").first()
    assert (last.action, last.from_state, last.to_state, last.at) == ("coordination_result", S.COORDINATING, start,
                                                                    co.answered_at)

    # a second result is refused and the first one stays
    with pytest.raises(WrongState):
        services.complaint_coordination_result(code=c.code, actor=people[holder], result="Hasil kedua.")
    co.refresh_from_db()
    assert co.result == "Benar, tercatat sejak 2019." and Coordination.objects.filter(complaint=c).count() == 1

    # and the holder answers with it
    services.complaint_answer(code=c.code, actor=people[holder], text="Data Anda tercatat, KK dapat diproses.")
    c.refresh_from_db()
    assert c.state == S.ANSWERED


def test_coordination_twice_each_result_goes_to_its_own_request(make_complaint, people):
    c = make_complaint(S.RECEIVED)
    first = services.complaint_coordinate(code=c.code, actor=people["front"], kind="instansi", party="Dinas Dukcapil",
                                          question="Status cetak?")
    services.complaint_coordination_result(code=c.code, actor=people["front"], result="Belum dicetak.")
    second = services.complaint_coordinate(code=c.code, actor=people["front"], kind="kelurahan", party="Kelurahan Satu",
                                           question="Alamat benar?")
    services.complaint_coordination_result(code=c.code, actor=people["front"], result="Alamat benar.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.result, second.result) == ("Belum dicetak.", "Alamat benar.")


def test_a_musyawarah_needs_its_meeting_date(make_complaint, people):
    c = make_complaint(S.ESCALATED)
    for bad in (None, "", "minggu depan", "2026-13-01"):
        with pytest.raises(InvalidInput) as info:
            services.complaint_coordinate(code=c.code, actor=people["kasi"], kind="musyawarah",
                                          party="RT 01/ RW 02, Lurah, Babinsa", question="Sengketa saluran air.",
                                          meeting_date=bad)
        assert "meeting_date" in info.value.errors
    assert not Coordination.objects.filter(complaint=c).exists()
    c.refresh_from_db()
    assert c.state == S.ESCALATED and c.steps.count() == 2

    co = services.complaint_coordinate(code=c.code, actor=people["kasi"], kind="musyawarah",
                                       party="RT 01/ RW 02, Lurah, Babinsa", question="Sengketa saluran air.",
                                       meeting_date="2026-12-03")
    assert co.meeting_date == dt.date(2026, 12, 3)
    # the meeting was moved: the result may give the date it was really held
    services.complaint_coordination_result(code=c.code, actor=people["kasi"], result="Disepakati kerja bakti.",
                                           meeting_date=dt.date(2026, 12, 5))
    co.refresh_from_db()
    assert co.meeting_date == dt.date(2026, 12, 5) and co.result == "Disepakati kerja bakti."


@pytest.mark.parametrize("over,field", [
    ({"kind": "rapat"}, "kind"),
    ({"party": ""}, "party"),
    ({"party": "x" * 201}, "party"),
    ({"question": " "}, "question"),
])
def test_coordination_input_is_checked(over, field, make_complaint, people):
    c = make_complaint(S.RECEIVED)
    args = {"kind": "instansi", "party": "Dinas Dukcapil", "question": "Status?", **over}
    with pytest.raises(InvalidInput) as info:
        services.complaint_coordinate(code=c.code, actor=people["front"], **args)
    assert field in info.value.errors
    c.refresh_from_db()
    assert c.state == S.RECEIVED and not Coordination.objects.exists() and c.steps.count() == 1


def test_coordination_result_needs_a_result(make_complaint, people):
    c = make_complaint(S.COORDINATING)
    with pytest.raises(InvalidInput) as info:
        services.complaint_coordination_result(code=c.code, actor=people["kasi"], result="")
    assert "result" in info.value.errors
    c.refresh_from_db()
    assert c.state == S.COORDINATING
    assert Coordination.objects.get(complaint=c).answered_at is None


# --- (d) the complainant is not satisfied: reopened with a fresh clock -------------------------

def test_unhappy_complainant_reopens_with_the_clock_restarted_from_now(office, people, clock):
    received = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB)  # Monday
    clock.set(received)
    c = services.complaint_record(office=office, actor=people["front"], data=complaint_data())
    assert c.clock_started_at == received and c.due_date == dt.date(2026, 11, 9)  # + 5 working days
    assert c.legal_due_date == dt.date(2027, 1, 1)

    clock.set(received + dt.timedelta(days=2))
    services.complaint_answer(code=c.code, actor=people["front"], text="Berkas Anda sudah selesai.")
    answered = timezone.now()

    reopened = dt.datetime(2026, 11, 20, 15, 0, tzinfo=WIB)  # Friday
    clock.set(reopened)
    services.complaint_feedback(code=c.code, satisfied=False, note="Berkas belum saya terima.")
    c.refresh_from_db()
    assert c.state == S.REOPENED
    assert c.satisfied is False
    assert c.closed_at is None
    assert c.clock_started_at == reopened
    assert c.received_at == received  # the receipt stays
    assert c.target_days == 5
    assert (c.due_date, c.legal_due_date) == deadlines.due_dates(office_id=office.pk, start=reopened, target_days=5)
    assert (c.due_date, c.legal_due_date) == (dt.date(2026, 11, 27), dt.date(2027, 1, 19))
    assert c.first_answered_at == answered
    last = c.steps.order_by("-pk").first()
    assert (last.action, last.from_state, last.to_state, last.actor, last.at) == (
        "feedback", S.ANSWERED, S.REOPENED, None, reopened)
    assert "Berkas belum saya terima." in last.note

    # the front office holds it again, answers, and the complainant is satisfied this time
    clock.set(reopened + dt.timedelta(days=3))
    services.complaint_answer(code=c.code, actor=people["front"], text="Berkas sudah dikirim ke alamat Anda.")
    c.refresh_from_db()
    assert c.state == S.ANSWERED and c.first_answered_at == answered
    services.complaint_feedback(code=c.code, satisfied=True, actor=people["front"])
    c.refresh_from_db()
    assert c.state == S.CLOSED and c.satisfied is True and c.closed_at == reopened + dt.timedelta(days=3)


def test_feedback_must_be_a_real_boolean(make_complaint):
    c = make_complaint(S.ANSWERED)
    for bad in ("ya", 1, None):
        with pytest.raises(InvalidInput) as info:
            services.complaint_feedback(code=c.code, satisfied=bad)
        assert "satisfied" in info.value.errors
    c.refresh_from_db()
    assert c.state == S.ANSWERED and c.satisfied is None


# --- (e) answered is final: append-only history -------------------------------------------------

def test_answers_and_steps_are_append_only_and_a_correction_keeps_the_old_answer(make_complaint, people):
    c = make_complaint(S.ANSWERED)
    old = c.answers.get()
    old_text = old.text

    old.text = "Diubah diam-diam."
    with pytest.raises(AppendOnlyError):
        old.save()
    with pytest.raises(AppendOnlyError):
        old.delete()
    step = c.steps.order_by("pk").first()
    step.note = "Diubah diam-diam."
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        step.delete()
    assert Answer.objects.get(pk=old.pk).text == old_text
    assert Step.objects.get(pk=step.pk).note != "Diubah diam-diam."

    fix = services.complaint_answer_correct(code=c.code, actor=people["front"], text="Berkas diambil hari Rabu.",
                                            reason="Salah hari.")
    assert fix.corrects_id == old.pk and fix.pk != old.pk
    assert list(c.answers.order_by("pk").values_list("text", flat=True)) == [old_text, "Berkas diambil hari Rabu."]
    assert c.steps.order_by("-pk").first().note == "Koreksi jawaban: Salah hari."

    # a correction of the correction names the latest answer, and both earlier ones stay
    fix2 = services.complaint_answer_correct(code=c.code, actor=people["front"], text="Berkas diambil hari Kamis.",
                                             reason="Jadwal berubah.")
    assert fix2.corrects_id == fix.pk
    assert c.answers.count() == 3


def test_a_correction_needs_a_reason_and_a_text(make_complaint, people):
    c = make_complaint(S.CLOSED)
    for text, reason, field in (("Teks koreksi.", "", "reason"), ("", "Salah hari.", "text")):
        with pytest.raises(InvalidInput) as info:
            services.complaint_answer_correct(code=c.code, actor=people["front"], text=text, reason=reason)
        assert field in info.value.errors
    assert c.answers.count() == 1 and c.steps.count() == 3


# --- (f) anonymous ------------------------------------------------------------------------------

@pytest.mark.parametrize("public", [False, True], ids=["recorded", "web"])
def test_anonymous_complaint_keeps_no_identity_even_if_given(public, office, people):
    data = complaint_data(anonymous="on", name="Budi Santoso", phone="081234567890", email="budi@example.org",
                          address="Jl. Mawar 3", account="@budi", reply_via="website")
    if public:
        c = services.complaint_file_public(office=office, data=data)
    else:
        c = services.complaint_record(office=office, actor=people["front"], data=data)
    c.refresh_from_db()
    assert c.anonymous is True
    assert (c.name, c.phone, c.email, c.address, c.account) == ("", "", "", "", "")
    entry = RegisterEntry.objects.get(pk=c.register_entry_id)
    assert entry.name == "Anonim"
    assert "Budi" not in entry.subject + entry.note + entry.reference
    assert not any("Budi" in (s.note or "") or "0812" in (s.note or "") for s in c.steps.all())

    # the answer can only go by the tracking page or in person
    with pytest.raises(InvalidInput) as info:
        services.complaint_answer(code=c.code, actor=people["front"], text="Jawaban lewat WhatsApp.",
                                  reply_via="whatsapp")
    assert "reply_via" in info.value.errors
    answer = services.complaint_answer(code=c.code, actor=people["front"], text="Jawaban di halaman lacak.")
    assert answer.reply_via == "website"


def test_anonymous_flag_false_values_keep_the_name(office, people):
    for value in ("0", "false", "", None, False):
        c = services.complaint_record(office=office, actor=people["front"], data=complaint_data(anonymous=value))
        assert c.anonymous is False and c.name == "Budi Santoso" and c.phone == "081234567890"
