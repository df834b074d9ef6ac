"""A hand-counted month of the counter (November 2026) for the service performance report:
each dossier's steps at stated times, and what the report must say about them, worked out by
hand in the comments (docs/service-report.md defines each figure).

Default working hours (Perpres 21/2023): Monday–Thursday 07.30–16.00, Friday 07.30–16.30.
Thursday 12 November is the office's own holiday. The service "pindah" has 5–10 minutes."""

from __future__ import annotations

import datetime as dt

from loket.catalog.models import ServiceType
from loket.dossiers.measure import measure_store
from loket.dossiers.models import Applicant, Dossier, Transition
from loket.offices.models import Holiday, Kelurahan, Unit

WIB = dt.timezone(dt.timedelta(hours=7))
S = Dossier.State


def at(month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


def dossier(office, people, code: str, *, kelurahan, steps: list, state: str, clock=None, done=None,
            service=None, by: str = "front") -> Dossier:
    """A dossier whose history is ``steps``: (to_state, at, missing, actor key); the first is the
    intake. ``clock``: when the complete dossier was (last) accepted (default: the intake)."""
    service = service or ServiceType.objects.get(edition__office=office, code="pindah", edition__status="active")
    applicant, _ = Applicant.objects.get_or_create(
        office=office, nik="3577014508900001",
        defaults=dict(name="Siti Aminah", birth_date=dt.date(1990, 8, 5), sex="P", address="Jl. Contoh 1", rt="1",
                      rw="2", phone="081234567890"))
    received = steps[0][1]
    d = Dossier.objects.create(
        office=office, code=code, service=service, unit=Unit.objects.get(office=office, code="pemerintahan"),
        applicant=applicant, applicant_nik=applicant.nik, applicant_name=applicant.name,
        applicant_birth_date=applicant.birth_date, applicant_sex="P", applicant_address="Jl. Contoh 1",
        applicant_rt="1", applicant_rw="2", applicant_kelurahan=kelurahan, applicant_phone="081234567890",
        state=state, received_at=received, clock_started_at=clock or received, received_by=people[by],
        done_at=done)
    previous = ""
    made = []
    for to_state, when, missing, who in steps:
        cancels = made[-1] if to_state == "undo" else None
        t = Transition.objects.create(dossier=d, from_state=previous, to_state=S.RECEIVED if cancels else to_state,
                                      actor=people[who], at=when, missing=missing or [], cancels=cancels)
        made.append(t)
        previous = t.to_state
    if state == S.HANDED_OVER:
        measure_store(d)  # as the handover act does
    return d


def full(start: dt.datetime, minutes: list[int], front: str = "front") -> list[tuple]:
    """Intake at ``start``, then forwarded, initialled, signed, registered, handed over after the
    given minutes (the register at the same minute as the handover); ``front``: the clerk."""
    steps, when = [("received", start, None, front)], start
    for state, m, who in zip(("forwarded", "initialled", "signed", "handed_over"), minutes,
                             (front, "kasi", "camat", front)):
        when = when + dt.timedelta(minutes=m)
        if state == "handed_over":
            steps.append(("registered", when, None, front))
        steps.append((state, when, None, who))
    return steps


def november(office, people) -> dict:
    """The month's dossiers; returns them by letter."""
    satu = Kelurahan.objects.get(office=office, code="35.77.09.1001")
    Holiday.objects.create(office=office, date=dt.date(2026, 11, 12), kind=Holiday.Kind.LOCAL, name="Hari jadi")
    made = {}
    # A: Monday 2 Nov 08.00; 2 + 3 + 2 + 2 = 9 minutes: on time.
    a = full(at(11, 2, 8, 0), [2, 3, 2, 2])
    made["A"] = dossier(office, people, "AAAAAAAA", kelurahan=satu, steps=a, state=S.HANDED_OVER, done=a[-1][1])
    # B: Friday 6 Nov 16.25, forwarded 16.27, initialled Monday 07.33, signed 07.35, handed over 07.36:
    # 5 minutes on Friday + 6 on Monday = 11: late. Steps 2, 3 + 3 = 6, 2, 1.
    b = [("received", at(11, 6, 16, 25), None, "front"), ("forwarded", at(11, 6, 16, 27), None, "front"),
         ("initialled", at(11, 9, 7, 33), None, "kasi"), ("signed", at(11, 9, 7, 35), None, "camat"),
         ("registered", at(11, 9, 7, 36), None, "front"), ("handed_over", at(11, 9, 7, 36), None, "front")]
    made["B"] = dossier(office, people, "BBBBBBBB", kelurahan=satu, steps=b, state=S.HANDED_OVER, done=b[-1][1])
    # C: Wednesday 11 Nov 15.58 (closes 16.00), Thursday a holiday, handed over Friday 07.35:
    # 2 + 5 = 7: on time. Steps 1, 1 + 3 = 4, 1, 1. From outside the kecamatan.
    c = [("received", at(11, 11, 15, 58), None, "front"), ("forwarded", at(11, 11, 15, 59), None, "front"),
         ("initialled", at(11, 13, 7, 33), None, "kasi"), ("signed", at(11, 13, 7, 34), None, "sekcam"),
         ("registered", at(11, 13, 7, 35), None, "front"), ("handed_over", at(11, 13, 7, 35), None, "front")]
    made["C"] = dossier(office, people, "CCCCCCCC", kelurahan=None, steps=c, state=S.HANDED_OVER, done=c[-1][1])
    # D: Monday 16 Nov 09.00, returned 09.03 by the front office (surat pengantar missing); brought
    # back complete on Tuesday 10.00, when the clock starts again: 1 + 3 + 2 + 3 = 9, on time.
    d = [("received", at(11, 16, 9, 0), None, "front"),
         ("returned", at(11, 16, 9, 3), ["Surat pengantar RT/RW"], "front"),
         *full(at(11, 17, 10, 0), [1, 3, 2, 3])]  # its first step: the resubmission
    made["D"] = dossier(office, people, "DDDDDDDD", kelurahan=satu, steps=d, state=S.HANDED_OVER,
                        clock=at(11, 17, 10, 0), done=d[-1][1])
    # E: Friday 20 Nov, returned by mistake and the return undone at once: no return counted;
    # still with the Kasi. Outside the kecamatan.
    e = [("received", at(11, 20, 8, 0), None, "front"),
         ("returned", at(11, 20, 8, 1), ["Kartu Keluarga", "Surat pengantar RT/RW"], "front"),
         ("undo", at(11, 20, 8, 2), None, "front"), ("forwarded", at(11, 20, 8, 3), None, "front")]
    made["E"] = dossier(office, people, "EEEEEEEE", kelurahan=None, steps=e, state=S.FORWARDED)
    # F: taken in by mistake and cancelled at the counter: counted only as cancelled.
    f = [("received", at(11, 23, 9, 0), None, "front"), ("cancelled", at(11, 23, 9, 1), None, "front")]
    made["F"] = dossier(office, people, "FFFFFFFF", kelurahan=satu, steps=f, state=S.CANCELLED)
    # G: received Friday 30 October 16.20, handed over Monday 2 November 07.40: completed in
    # November, received in October. 10 + 10 = 20: late. Steps 2, 8 + 5 = 13, 3, 2.
    g = [("received", at(10, 30, 16, 20), None, "front"), ("forwarded", at(10, 30, 16, 22), None, "front"),
         ("initialled", at(11, 2, 7, 35), None, "kasi"), ("signed", at(11, 2, 7, 38), None, "camat"),
         ("registered", at(11, 2, 7, 40), None, "front"), ("handed_over", at(11, 2, 7, 40), None, "front")]
    made["G"] = dossier(office, people, "GGGGGGGG", kelurahan=satu, steps=g, state=S.HANDED_OVER, done=g[-1][1])
    # H: received Monday 30 November, handed over in December: received only.
    h = full(at(11, 30, 15, 55), [1, 1, 1, 1440])
    made["H"] = dossier(office, people, "HHHHHHHH", kelurahan=satu, steps=h, state=S.HANDED_OVER, done=h[-1][1])
    return made


# What the report must say about November (worked out above).
EXPECTED_TOTAL = {
    "received": 6,        # A B C D E H (F cancelled, G received in October)
    "cancelled": 1,       # F
    "returned": 1,        # D's; E's return was undone
    "completed": 5,       # A B C D G (H in December)
    "on_time": 3,         # A 9, C 7, D 9 (B 11, G 20 late)
    "late": 2,
    "on_time_pct": 60.0,
    "median_minutes": 9.0,   # 7 9 9 11 20
    "p90_minutes": 20.0,     # nearest rank: the 5th of 5
    "steps": {
        "counter": {"median_minutes": 2.0, "p90_minutes": 2.0, "count": 5},   # 2 2 1 1 2
        "kasi": {"median_minutes": 4.0, "p90_minutes": 13.0, "count": 5},     # 3 6 4 3 13
        "signer": {"median_minutes": 2.0, "p90_minutes": 3.0, "count": 5},    # 2 2 1 2 3
        "closing": {"median_minutes": 2.0, "p90_minutes": 3.0, "count": 5},   # 2 1 1 3 2
    },
    "top_reasons": [{"requirement": "Surat pengantar RT/RW", "count": 1}],
}
