"""The staff evaluation (komponen 14; leadership.evaluation) against the hand-counted November of
tests/leadership/fixtures.py, with a second clerk, absences, SKM answers and complaints; the
sheet, its records, the assessment (append-only, who may write it), the printed sheet and the
API. Every number below is counted by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from loket.complaints import services as complaint_services
from loket.core.errors import InvalidInput
from loket.core.history import AppendOnlyError
from loket.leadership.evaluation import aspects_for, staff_evaluation, trail
from loket.leadership.models import Assessment
from loket.leadership.services import assessment_record
from loket.offices.models import Absence, Staff
from loket.offices.roles import Role
from loket.offices.services import staff_create
from loket.surveys.models import Response
from loket.surveys.periods import Period
from tests.leadership.fixtures import S, at, dossier, full, november
from tests.support.world import other  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

NOV = Period("bulan", 2026, 11)
AFTER = dt.date(2026, 12, 7)  # "today" for the counts: November has ended


@pytest.fixture
def month(office, people):
    """November as in the report's tests, plus a second clerk (front2) with two dossiers of her
    own, absences and two SKM answers."""
    from loket.offices.models import Kelurahan

    people = dict(people)
    people["front2"] = staff_create(office=office, username="petugas2", role=Role.FRONT_OFFICE, password="x-Pass-12345",
                                    full_name="Petugas Dua").user
    made = november(office, people)
    satu = Kelurahan.objects.get(office=office, code="35.77.09.1001")
    # I: front2, Tuesday 24 Nov 09.00; 3 + 4 + 2 + 1 = 10 minutes: on time (5–10). Counter 3, closing 1.
    i = full(at(11, 24, 9, 0), [3, 4, 2, 1], front="front2")
    made["I"] = dossier(office, people, "IIIIIIII", kelurahan=satu, steps=i, state=S.HANDED_OVER, done=i[-1][1],
                        by="front2")
    # J: front2, Wednesday 25 Nov, returned (not undone).
    j = [("received", at(11, 25, 10, 0), None, "front2"),
         ("returned", at(11, 25, 10, 4), ["Kartu Keluarga"], "front2")]
    made["J"] = dossier(office, people, "JJJJJJJJ", kelurahan=satu, steps=j, state=S.RETURNED, by="front2")
    staff = {k: Staff.objects.get(user=people[k]) for k in ("front", "front2")}
    # front: cuti Monday 9 – Tuesday 10 November: 2 working days.
    Absence.objects.create(office=office, staff=staff["front"], kind="cuti", start=dt.date(2026, 11, 9),
                           end=dt.date(2026, 11, 10))
    # front2: sakit Thursday 12 (the office's holiday) – Sunday 15: only Friday 13 is a working day.
    Absence.objects.create(office=office, staff=staff["front2"], kind="sakit", start=dt.date(2026, 11, 12),
                           end=dt.date(2026, 11, 15))
    # SKM: A (front, kasi, camat acted) kompetensi 4, perilaku 3; B kompetensi 2, perilaku not answered.
    for code, kompetensi, perilaku in (("AAAAAAAA", 4, 3), ("BBBBBBBB", 2, None)):
        Response.objects.create(office=office, dossier=made[code[0]], date=dt.date(2026, 11, 20), source="form",
                                kompetensi=kompetensi, perilaku=perilaku, waktu=3)
    made["people"] = people
    return made


def _by_name(data):
    return {p.name: p for p in data.people}


def test_the_clerks_figures_as_counted_by_hand(office, month):
    data = staff_evaluation(office=office, start=NOV.start, end=NOV.end, today=AFTER)
    front, front2 = _by_name(data)["Petugas"], _by_name(data)["Petugas Dua"]
    # November 2026: 21 weekdays less the office's holiday on the 12th = 20 working days.
    assert (front.working_days, front.absent_days, front.present_days) == (20, 2, 18)
    assert (front2.working_days, front2.absent_days, front2.present_days) == (20, 1, 19)
    # front took in A B C D E H (G in October, F cancelled apart); returned D's and E's, E's undone.
    assert (front.taken_in, front.cancelled, front.returns, front.undone) == (6, 1, 2, 1)
    assert front.undone_pct == 50.0 and front.taken_in_per_day == pytest.approx(6 / 18)
    # The counter and closing steps of A B C D G (handed over in November): 2 2 1 1 2 and 2 1 1 3 2.
    assert sorted(front.steps["counter"]) == [1, 1, 2, 2, 2] and front.step_median("counter") == 2
    assert sorted(front.steps["closing"]) == [1, 1, 2, 2, 3] and front.step_median("closing") == 2
    # B (steps 2 6 2 1) and G (2 13 3 2) were late: the Kasi's step was the longest of both.
    assert (front.late, front.acted, front.late_pct) == (0, 10, 0)
    assert (front2.taken_in, front2.returns, front2.undone, front2.steps["counter"], front2.steps["closing"]) == \
        (2, 1, 0, [3], [1])
    # SKM over A and B, which front acted on: kompetensi (4 + 2) / 2 × 25 = 75; perilaku 3 × 25 = 75.
    assert (front.skm_index("kompetensi"), front.skm_index("perilaku")) == (75, 75)
    assert front2.skm_index("kompetensi") is None and data.office_skm == {"kompetensi": 75, "perilaku": 75}


def test_the_kasi_and_signers_and_the_late_attribution(office, month):
    data = staff_evaluation(office=office, start=NOV.start, end=NOV.end, today=AFTER)
    people = _by_name(data)
    kasi, camat, sekcam = people["Kasi.Pem"], people["Camat"], people["Sekcam"]
    # The Kasi initialled A B C D G I: 3 6 4 3 13 4 minutes; median 4; both late dossiers are hers.
    assert sorted(kasi.steps["kasi"]) == [3, 3, 4, 4, 6, 13] and kasi.step_median("kasi") == 4
    assert (kasi.late, kasi.acted) == (2, 6) and kasi.late_pct == pytest.approx(100 * 2 / 6)
    assert sorted(camat.steps["signer"]) == [2, 2, 2, 2, 3] and camat.late == 0  # A B D G I
    assert sekcam.steps["signer"] == [1]  # C
    # The attributions add up to the report's "terlambat" (B and G).
    assert sum(p.late for p in data.people) == 2 and data.unattributed_late == 0


def test_the_office_median_of_the_role(office, month):
    data = staff_evaluation(office=office, start=NOV.start, end=NOV.end, today=AFTER)
    front = _by_name(data)["Petugas"]
    # Front office: taken in per day present 6/18 and 2/19 → their mean (an even count).
    assert data.median_of(front, "taken_in_per_day") == pytest.approx((6 / 18 + 2 / 19) / 2)
    assert data.median_of(front, "undone_pct") == 25.0          # 50 and 0
    assert data.median_of(front, "step:counter") == 2.5        # the personal medians 2 and 3
    assert data.median_of(front, "step:closing") == 1.5        # 2 and 1
    kasi = _by_name(data)["Kasi.Pem"]
    # The other Kasi initialled nothing: the step median is the one Kasi who did.
    assert data.median_of(kasi, "step:kasi") == 4 and data.role_size(Role.KASI) == 2


def test_a_running_period_counts_working_days_to_today(office, month):
    data = staff_evaluation(office=office, start=NOV.start, end=NOV.end, today=dt.date(2026, 11, 6))
    front = _by_name(data)["Petugas"]
    assert (data.counted_to, front.working_days, front.absent_days) == (dt.date(2026, 11, 6), 5, 0)


def test_the_records_behind_each_figure(office, month):
    front = month["people"]["front"]
    codes = lambda figure, who=front: [r.code for r in trail(office=office, user_id=who.pk, start=NOV.start,  # noqa: E731
                                                             end=NOV.end, figure=figure)]
    assert codes("diterima") == ["AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD", "EEEE-EEEE", "HHHH-HHHH"]
    assert codes("dibatalkan") == ["FFFF-FFFF"]
    assert codes("dikembalikan") == ["DDDD-DDDD", "EEEE-EEEE"]
    rows = trail(office=office, user_id=front.pk, start=NOV.start, end=NOV.end, figure="dikembalikan")
    assert "ternyata lengkap" in rows[1].detail and "ternyata lengkap" not in rows[0].detail
    assert len(codes("langkah")) == 10
    kasi = month["people"]["kasi"]
    assert codes("terlambat", kasi) == ["GGGG-GGGG", "BBBB-BBBB"]  # handed over 2 and 9 November
    assert codes("terlambat") == []


def test_complaints_answered_on_time_and_named(office, people):
    today = timezone.localdate()
    data = dict(kind="pengaduan", channel="whatsapp", name="Budi", phone="081234567890", reply_via="whatsapp",
                subject="Petugas tidak ramah", text="Petugas di loket tidak ramah saat saya bertanya.")
    named = complaint_services.complaint_record(office=office, actor=people["kasi"],
                                                data={**data, "staff_named": str(people["front"].pk)})
    late = complaint_services.complaint_record(office=office, actor=people["kasi"], data=data)
    from loket.complaints.models import Complaint

    Complaint.objects.filter(pk=late.pk).update(due_date=today - dt.timedelta(days=1))  # its target has passed
    complaint_services.complaint_answer(code=named.code, actor=people["front"], text="Mohon maaf, kami perbaiki.")
    complaint_services.complaint_answer(code=late.code, actor=people["front"], text="Sudah kami tindak lanjuti.")
    month_start = today.replace(day=1)
    ev = staff_evaluation(office=office, start=month_start, end=today, today=today)
    front = _by_name(ev)["Petugas"]
    assert (front.answered, front.answered_on_time, front.named) == (2, 1, 1)
    assert front.answered_on_time_pct == 50.0 and _by_name(ev)["Kasi.Pem"].named == 0
    rows = trail(office=office, user_id=people["front"].pk, start=month_start, end=today, figure="pengaduan")
    assert [r.detail.split(" (")[0] for r in rows] == ["Tepat waktu", "Melewati target"]
    assert len(trail(office=office, user_id=people["front"].pk, start=month_start, end=today, figure="diadukan")) == 1


# --- the assessment ---------------------------------------------------------------------------

def test_aspects_are_the_standards_own(office):
    aspects = aspects_for(office)
    assert aspects and all(isinstance(a, str) and a for a in aspects)
    from loket.catalog.models import ServiceType

    listed = {str(t) for s in ServiceType.objects.filter(edition__office=office, edition__status="active")
              for t in s.performance_evaluation}
    assert set(aspects) <= listed


def _assess(office, actor, staff_user, **over):
    aspects = aspects_for(office)
    kwargs = dict(office=office, actor=actor, staff=Staff.objects.get(user=staff_user), period=NOV,
                  aspects={aspects[0]: "baik"} if aspects else {}, assessment="Teliti dan ramah.",
                  follow_up="Ikut pelatihan pelayanan prima.")
    kwargs.update(over)
    return assessment_record(**kwargs)


def test_an_assessment_is_signed_and_append_only(office, people, month):
    people["camat"].staff.nip = "197001011990031001"
    people["camat"].staff.save()
    first = _assess(office, people["camat"], people["front"])
    assert first.evaluator_name == "Camat" and first.evaluator_nip == "197001011990031001"
    assert first.figures["person"]["taken_in"] == 6 and first.figures["person"]["present_days"] == 18
    assert first.figures["role_medians"]["undone_pct"] == 25.0
    with pytest.raises(AppendOnlyError):
        first.assessment = "diubah"
        first.save()
    second = _assess(office, people["sekcam"], people["front"], assessment="Dinilai ulang.")
    from loket.leadership.evaluation import assessments_of

    assert [a.pk for a in assessments_of(office=office, user_id=people["front"].pk, period=NOV)] == [second.pk, first.pk]


@pytest.mark.parametrize("actor, target", [
    ("front", "front"), ("kasi", "front"), ("admin", "front"),   # not a leader
    ("sekcam", "camat"),                                         # the Sekcam does not evaluate the Camat
    ("camat", "camat"),                                          # nobody evaluates themselves
])
def test_who_may_not_assess(office, people, actor, target):
    with pytest.raises(PermissionDenied):
        _assess(office, people[actor], people[target])
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("over, field", [
    (lambda aspects: {"assessment": "  "}, "penilaian"),
    (lambda aspects: {"follow_up": ""}, "tindak_lanjut"),
    (lambda aspects: {"assessment": "x" * 4001}, "penilaian"),
    (lambda aspects: {"aspects": {"Aspek karangan": "baik"}}, "aspek"),
    (lambda aspects: {"aspects": {aspects[0]: "luar biasa"}}, "aspek"),
])
def test_bad_input_is_refused_and_nothing_is_saved(office, people, over, field):
    with pytest.raises(InvalidInput) as exc:
        _assess(office, people["camat"], people["front"], **over(aspects_for(office)))
    assert field in exc.value.errors and not Assessment.objects.exists()


# --- pages, the printed sheet and the API -------------------------------------------------------

Q = "?jenis=bulan&tahun=2026&ke=11"


def test_the_camat_works_through_the_sheet(client, office, month):
    people = month["people"]
    client.force_login(people["camat"])
    page = client.get(reverse("leadership:evaluation") + Q).content.decode()
    assert "Petugas Dua" in page and f'id="e-person-{people["camat"].pk}"' not in page  # not himself
    url = reverse("leadership:evaluation_sheet", args=[people["front"].pk])
    page = client.get(url + Q).content.decode()
    assert "18 / 20" in page and 'id="e-line-taken_in"' in page and "angka=dikembalikan" in page
    trail_page = client.get(reverse("leadership:evaluation_trail", args=[people["front"].pk]) + Q + "&angka=dikembalikan")
    assert "DDDD-DDDD" in trail_page.content.decode()
    aspects = aspects_for(office)
    resp = client.post(reverse("leadership:evaluation_assess", args=[people["front"].pk]),
                       {"jenis": "bulan", "tahun": "2026", "ke": "11", "aspek-0": "cukup",
                        "penilaian": "Pengembalian perlu lebih teliti.", "tindak_lanjut": "Pendampingan oleh Kasi."},
                       follow=True)
    body = resp.content.decode()
    assert "Penilaian November 2026 dicatat." in body and "Pendampingan oleh Kasi." in body
    a = Assessment.objects.get()
    assert a.aspects == [{"aspect": aspects[0], "rating": "cukup"}] and a.period_label == "November 2026"
    pdf = client.get(reverse("leadership:evaluation_pdf", args=[people["front"].pk]) + Q)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_sheet_pdf_text(client, office, month):
    from pypdf import PdfReader
    import io

    people = month["people"]
    _assess(office, people["camat"], people["front"], assessment="Sangat teliti.", follow_up="Pertahankan.")
    client.force_login(people["camat"])
    pdf = client.get(reverse("leadership:evaluation_pdf", args=[people["front"].pk]) + Q).content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1  # the signatures on the page they sign
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("LEMBAR EVALUASI KINERJA PELAKSANA", "November 2026", "Petugas", "Sangat teliti.",
                     "Pertahankan.", "Pejabat penilai", "Pegawai yang dinilai", "18 / 20"):
        assert expected in text, expected


def test_a_bad_assessment_posted_changes_nothing(client, office, month):
    people = month["people"]
    client.force_login(people["sekcam"])
    resp = client.post(reverse("leadership:evaluation_assess", args=[people["front"].pk]),
                       {"jenis": "bulan", "tahun": "2026", "ke": "11", "penilaian": "", "tindak_lanjut": ""},
                       follow=True)
    assert "Penilaian wajib diisi." in resp.content.decode() and not Assessment.objects.exists()


@pytest.mark.parametrize("who, status", [("front", 403), ("kasi", 403), ("admin", 403), ("sekcam", 403)])
def test_who_may_open_the_camats_sheet(client, office, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("leadership:evaluation_sheet", args=[people["camat"].pk])).status_code == status


def test_unknown_staff_and_bad_figure(client, office, people, other):
    client.force_login(people["camat"])
    assert client.get(reverse("leadership:evaluation_sheet", args=[999999])).status_code == 404
    assert client.get(reverse("leadership:evaluation_sheet", args=[people["bendahara"].pk])).status_code == 404
    assert client.get(reverse("leadership:evaluation_sheet", args=[other[1]["front"].pk])).status_code == 404
    page = client.get(reverse("leadership:evaluation_trail", args=[people["front"].pk]) + "?angka=rahasia")
    assert page.status_code == 200 and "tidak dikenal" in page.content.decode()


def test_the_api(client, office, month):

    people = month["people"]
    client.force_login(people["sekcam"])
    resp = client.get("/api/v1/staff/evaluation/?jenis=bulan&tahun=2026&ke=11")
    assert resp.status_code == 200
    body = resp.json()
    names = {p["name"]: p for p in body["people"]}
    assert "Camat" not in names and "Sekcam" not in names  # the Sekcam evaluates neither
    assert names["Petugas"]["taken_in"] == 6 and names["Petugas"]["undone"] == 1
    assert body["role_medians"]["front_office"]["undone_pct"] == 25.0
    assert client.get("/api/v1/staff/evaluation/?jenis=bulan&tahun=2026&ke=13").status_code == 400
    resp = client.post(f"/api/v1/staff/evaluation/{people['front'].pk}/assessments/",
                       {"jenis": "bulan", "tahun": 2026, "ke": 11, "assessment": "Baik.", "follow_up": "Lanjutkan."},
                       content_type="application/json")
    assert resp.status_code == 201 and resp.json()["evaluator_name"] == "Sekcam"
    resp = client.post(f"/api/v1/staff/evaluation/{people['camat'].pk}/assessments/",
                       {"jenis": "bulan", "tahun": 2026, "ke": 11, "assessment": "x", "follow_up": "y"},
                       content_type="application/json")
    assert resp.status_code == 403 and Assessment.objects.count() == 1
    client.force_login(people["front"])
    assert client.get("/api/v1/staff/evaluation/").status_code == 403
