"""Evaluasi kinerja pelaksana (Permenpan RB 15/2014, komponen 14): each staff member's own
measured work in a period, beside the office median of their role, for the Camat's and the
Sekcam's conversation with them (docs/evaluation.md says what each figure means and its limits).

Every figure is counted from records the flows already write, never typed:

- ``taken_in``: dossiers the person received at the counter (Dossier.received_by) in the
  period; intakes they cancelled are counted apart (``cancelled``);
- ``returns``: returns the person made in the period; ``undone``: those later undone with
  "Batalkan pengembalian" (the dossier was complete after all);
- ``steps``: for the dossiers handed over in the period (dossiers.Measure), the working minutes
  of each step the person ended (the counter step ends when they forward, the Kasi's when they
  initial, the signer's when they sign, the closing step when they hand over);
- ``late``: late dossiers attributed to the person: of each dossier handed over beyond the
  standard, the step that took longest is attributed to whoever ended it (one person per late
  dossier, so the attributions add up to the report's "terlambat");
- ``answered`` / ``answered_on_time``: complaint answers the person sent in the period (not
  corrections), on time when sent by the complaint's target date;
- ``named``: complaints (pengaduan) received in the period that name the person
  (Complaint.staff_named);
- ``skm``: the SKM answers on "kompetensi pelaksana" and "perilaku pelaksana" (Permenpan RB
  14/2017, unsur 6 and 7) of the responses (dated in the period) to dossiers the person acted on;
- ``working_days`` / ``present_days``: the office's working days of the period up to today,
  less the absences recorded (offices.Absence).

The office median of a role is the median over that role's active staff of each person's own
figure (per day present, share, median minutes), so one busy person does not set it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from loket.complaints import selectors as complaint_selectors
from loket.complaints.models import Answer, Complaint
from loket.core import codes
from loket.dossiers.measure import STEP_ENDS, STEPS, median
from loket.dossiers.models import Dossier, Measure, Transition
from loket.leadership.selectors import STEP_LABELS, _bounds, rounded
from loket.offices.attendance import presence
from loket.offices.models import Office, Staff
from loket.offices.roles import Role
from loket.offices.signers import staff_name
from loket.surveys.models import Response

S = Dossier.State
SKM_KEYS = ("kompetensi", "perilaku")  # Permenpan RB 14/2017: unsur 6 and 7
END_STEP = {state: step for step, state in STEP_ENDS.items()}
# The roles whose work the flows record (the bendahara, the PPAT officer and the admin work in
# other books; their sheets would be empty).
EVALUATED = (Role.FRONT_OFFICE, Role.KASI, Role.SEKCAM, Role.CAMAT)


@dataclass
class Person:
    """One staff member's figures for a period."""

    user_id: int
    staff_id: int
    name: str
    role: str
    role_label: str
    position: str
    nip: str
    rank: str
    unit: str
    working_days: int = 0
    absent_days: int = 0
    taken_in: int = 0
    cancelled: int = 0
    returns: int = 0
    undone: int = 0
    steps: dict = field(default_factory=lambda: {s: [] for s in STEPS})
    late: int = 0
    answered: int = 0
    answered_on_time: int = 0
    named: int = 0
    skm: dict = field(default_factory=lambda: {k: [] for k in SKM_KEYS})

    @property
    def present_days(self) -> int:
        return max(self.working_days - self.absent_days, 0)

    def per_day(self, value: int) -> float | None:
        return value / self.present_days if self.present_days else None

    @property
    def taken_in_per_day(self) -> float | None:
        return self.per_day(self.taken_in)

    @property
    def returns_per_day(self) -> float | None:
        return self.per_day(self.returns)

    @property
    def undone_pct(self) -> float | None:
        return 100 * self.undone / self.returns if self.returns else None

    @property
    def acted(self) -> int:
        """Steps of handed-over dossiers the person ended."""
        return sum(len(v) for v in self.steps.values())

    @property
    def late_pct(self) -> float | None:
        return 100 * self.late / self.acted if self.acted else None

    @property
    def answered_on_time_pct(self) -> float | None:
        return 100 * self.answered_on_time / self.answered if self.answered else None

    def step_median(self, step: str) -> float | None:
        return median(self.steps[step])

    def skm_index(self, key: str) -> float | None:
        """The element's NRR converted to the IKM scale (× 25, Permenpan RB 14/2017), 25–100."""
        values = self.skm[key]
        return 25 * sum(values) / len(values) if values else None

    def metric(self, key: str) -> float | None:
        if key.startswith("step:"):
            return self.step_median(key[5:])
        if key.startswith("skm:"):
            return self.skm_index(key[4:])
        return getattr(self, key)

    def as_dict(self) -> dict:
        return {
            "user_id": self.user_id, "name": self.name, "role": self.role, "position": self.position,
            "unit": self.unit, "working_days": self.working_days, "absent_days": self.absent_days,
            "present_days": self.present_days, "taken_in": self.taken_in, "cancelled": self.cancelled,
            "taken_in_per_day": rounded(self.taken_in_per_day, 2), "returns": self.returns, "undone": self.undone,
            "undone_pct": rounded(self.undone_pct, 2), "returns_per_day": rounded(self.returns_per_day, 2),
            "steps": {s: {"count": len(self.steps[s]), "median_minutes": rounded(self.step_median(s), 2)} for s in STEPS},
            "late_attributed": self.late, "late_pct": rounded(self.late_pct, 2),
            "complaints_answered": self.answered, "complaints_answered_on_time": self.answered_on_time,
            "complaints_named": self.named,
            "skm": {k: {"responses": len(self.skm[k]), "index": rounded(self.skm_index(k), 2)} for k in SKM_KEYS},
        }


# The figures compared with the office median of the role, in the order the sheet shows them.
COMPARED = ("taken_in_per_day", "returns_per_day", "undone_pct", *(f"step:{s}" for s in STEPS), "late_pct",
            "answered_on_time_pct", "named", *(f"skm:{k}" for k in SKM_KEYS))


@dataclass
class Evaluation:
    start: dt.date
    end: dt.date
    counted_to: dt.date                      # the last day counted (the period's end, or today)
    people: list[Person]
    role_medians: dict[str, dict[str, float | None]]
    office_skm: dict[str, float | None]
    unattributed_late: int                   # late dossiers with no step measured (before measures were stored)

    def person(self, user_id: int) -> Person | None:
        return next((p for p in self.people if p.user_id == user_id), None)

    def median_of(self, person: Person, key: str) -> float | None:
        return self.role_medians.get(person.role, {}).get(key)

    def role_size(self, role: str) -> int:
        return sum(1 for p in self.people if p.role == role)


def _people(office: Office, extra_user_id: int | None = None) -> dict[int, Person]:
    rows = (Staff.objects.filter(office=office, role__in=EVALUATED)
            .filter(Q(user__is_active=True) | Q(user_id=extra_user_id or 0))
            .select_related("user", "unit").order_by("role", "user__username"))
    order = {r: i for i, r in enumerate((Role.FRONT_OFFICE, Role.KASI, Role.SEKCAM, Role.CAMAT))}
    out = {}
    for s in sorted(rows, key=lambda s: (order[s.role], staff_name(s).lower())):
        out[s.user_id] = Person(user_id=s.user_id, staff_id=s.pk, name=staff_name(s), role=s.role, role_label=s.get_role_display(),
                                position=s.position or (s.unit.name if s.role == Role.KASI and s.unit_id else
                                                        s.get_role_display()),
                                nip=s.nip, rank=s.rank, unit=s.unit.name if s.unit_id else "")
    return out


def staff_evaluation(*, office: Office, start: dt.date, end: dt.date, today: dt.date | None = None,
                     include_user_id: int | None = None) -> Evaluation:
    """The figures of every evaluated staff member of the office for [start, end] (local dates),
    in a fixed number of queries (tests/leadership/budget_cases.py). ``include_user_id``: also a
    deactivated account (a sheet of someone who has left)."""
    today = today or timezone.localdate()
    counted_to = min(end, today)
    lo, hi = _bounds(start, end)
    people = _people(office, include_user_id)

    def person(user_id):
        return people.get(user_id)

    by_staff = {p.staff_id: p for p in people.values()}
    for staff_id, days in presence(office_id=office.pk, start=start, end=counted_to, staff_ids=list(by_staff)).items():
        by_staff[staff_id].working_days, by_staff[staff_id].absent_days = days.working_days, days.absent_days

    for r in (Dossier.objects.filter(office=office, received_at__gte=lo, received_at__lt=hi)
              .values("received_by").annotate(n=Count("pk"), cancelled=Count("pk", filter=Q(state=S.CANCELLED)))):
        if (p := person(r["received_by"])) is not None:
            p.taken_in += r["n"] - r["cancelled"]
            p.cancelled += r["cancelled"]

    undone = set(Transition.objects.filter(dossier__office=office, cancels__isnull=False)
                 .values_list("cancels_id", flat=True))
    for pk, actor in (Transition.objects.filter(dossier__office=office, to_state=S.RETURNED, at__gte=lo, at__lt=hi)
                      .values_list("pk", "actor_id")):
        if (p := person(actor)) is not None:
            p.returns += 1
            p.undone += pk in undone

    # Who ended each step of the dossiers handed over in the period: the last transition into the
    # step's end state (after a return, the round that counted).
    actors: dict[int, dict[str, int]] = defaultdict(dict)
    for dossier_id, state, actor in (Transition.objects
                                     .filter(dossier__office=office, dossier__done_at__gte=lo, dossier__done_at__lt=hi,
                                             to_state__in=list(END_STEP))
                                     .order_by("at", "pk").values_list("dossier_id", "to_state", "actor_id")):
        actors[dossier_id][END_STEP[state]] = actor
    unattributed = 0
    for dossier_id, on_time, *minutes in (Measure.objects
                                          .filter(dossier__office=office, dossier__done_at__gte=lo,
                                                  dossier__done_at__lt=hi)
                                          .values_list("dossier_id", "on_time", *(f"{s}_minutes" for s in STEPS))):
        by = actors.get(dossier_id, {})
        for step, value in zip(STEPS, minutes):
            if value is not None and (p := person(by.get(step))) is not None:
                p.steps[step].append(value)
        if not on_time:
            longest = _longest(minutes)
            if longest is None:
                unattributed += 1
            elif (p := person(by.get(longest))) is not None:
                p.late += 1

    for sent_by, sent_at, due in (Answer.objects.filter(complaint__office=office, corrects__isnull=True,
                                                         sent_at__gte=lo, sent_at__lt=hi)
                                  .values_list("sent_by", "sent_at", "complaint__due_date")):
        if (p := person(sent_by)) is not None:
            p.answered += 1
            p.answered_on_time += timezone.localdate(sent_at) <= due

    for user_id, n in complaint_selectors.naming_counts(office=office, start=start, end=end).items():
        if (p := person(user_id)) is not None:
            p.named = n

    answers = list(Response.objects.filter(office=office, date__gte=start, date__lte=end, dossier__isnull=False)
                   .values_list("dossier_id", *SKM_KEYS))
    office_skm = {k: [] for k in SKM_KEYS}
    for _dossier, *values in answers:
        for k, v in zip(SKM_KEYS, values):
            if v is not None:
                office_skm[k].append(v)
    if answers:
        acted: dict[int, set] = defaultdict(set)
        for dossier_id, actor in (Transition.objects.filter(dossier_id__in=[a[0] for a in answers])
                                  .values_list("dossier_id", "actor_id").distinct()):
            acted[dossier_id].add(actor)
        for dossier_id, *values in answers:
            for actor in acted.get(dossier_id, ()):
                if (p := person(actor)) is not None:
                    for k, v in zip(SKM_KEYS, values):
                        if v is not None:
                            p.skm[k].append(v)

    listed = list(people.values())
    medians: dict[str, dict[str, float | None]] = {}
    for role in {p.role for p in listed}:
        same = [p for p in listed if p.role == role]
        medians[role] = {key: median([v for p in same if (v := p.metric(key)) is not None]) for key in COMPARED}
    return Evaluation(start=start, end=end, counted_to=counted_to, people=listed, role_medians=medians,
                      office_skm={k: (25 * sum(v) / len(v) if v else None) for k, v in office_skm.items()},
                      unattributed_late=unattributed)


def _longest(minutes: list) -> str | None:
    """The step that took longest (the first of equals); None when no step was measured."""
    best = None
    for step, value in zip(STEPS, minutes):
        if value is not None and (best is None or value > best[1]):
            best = (step, value)
    return best[0] if best else None


# --- the records behind each figure (the sheet links each one) ----------------------------------

TRAILS = {
    "diterima": gettext_noop("Berkas yang diterima di loket"),
    "dibatalkan": gettext_noop("Penerimaan yang dibatalkan"),
    "dikembalikan": gettext_noop("Pengembalian berkas"),
    "langkah": gettext_noop("Tahap yang diselesaikan (berkas yang diserahkan pada periode)"),
    "terlambat": gettext_noop("Keterlambatan yang diatribusikan"),
    "pengaduan": gettext_noop("Jawaban pengaduan yang dikirim"),
    "diadukan": gettext_noop("Pengaduan yang menyebut pegawai ini"),
}


@dataclass
class TrailRow:
    code: str
    link: str
    at: dt.datetime | dt.date | None
    what: str
    detail: str = ""


def _dossier_row(d_code: str, at, what: str, detail: str = "") -> TrailRow:
    return TrailRow(codes.display(d_code), reverse("dossiers:detail", args=[d_code]), at, what, detail)


TRAIL_LIMIT = 500


def trail(*, office: Office, user_id: int, start: dt.date, end: dt.date, figure: str) -> list[TrailRow]:
    """The records behind one figure of a person's sheet, oldest first (at most TRAIL_LIMIT). The
    SKM answers are not listed one by one: the survey is anonymous (Permenpan RB 14/2017)."""
    lo, hi = _bounds(start, end)
    rows: list[TrailRow] = []
    if figure in ("diterima", "dibatalkan"):
        qs = Dossier.objects.filter(office=office, received_by_id=user_id, received_at__gte=lo, received_at__lt=hi)
        qs = qs.filter(state=S.CANCELLED) if figure == "dibatalkan" else qs.exclude(state=S.CANCELLED)
        for code, at, service, state in qs.order_by("received_at", "pk").values_list(
                "code", "received_at", "service__short_name", "state")[:TRAIL_LIMIT]:
            rows.append(_dossier_row(code, at, service, S(state).label))
    elif figure == "dikembalikan":
        undone = set(Transition.objects.filter(dossier__office=office, cancels__isnull=False)
                     .values_list("cancels_id", flat=True))
        for pk, code, at, service, missing in (Transition.objects
                                               .filter(dossier__office=office, actor_id=user_id, to_state=S.RETURNED,
                                                       at__gte=lo, at__lt=hi)
                                               .order_by("at", "pk")
                                               .values_list("pk", "dossier__code", "at", "dossier__service__short_name",
                                                            "missing")[:TRAIL_LIMIT]):
            detail = "Belum ada: " + ", ".join(str(m) for m in missing or []) if missing else ""
            if pk in undone:
                detail = ("Pengembalian dibatalkan (berkas ternyata lengkap). " + detail).strip()
            rows.append(_dossier_row(code, at, service, detail))
    elif figure in ("langkah", "terlambat"):
        # Only the dossiers the person ended a step of (then each step's last actor among them).
        theirs = (Transition.objects
                  .filter(dossier__office=office, dossier__done_at__gte=lo, dossier__done_at__lt=hi,
                          to_state__in=list(END_STEP), actor_id=user_id)
                  .values("dossier_id"))
        ended = (Transition.objects.filter(dossier_id__in=theirs, to_state__in=list(END_STEP))
                 .order_by("at", "pk").values_list("dossier_id", "to_state", "actor_id", "at"))
        mine: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
        last: dict[int, dict[str, int]] = defaultdict(dict)
        for dossier_id, state, actor, at in ended:
            last[dossier_id][END_STEP[state]] = actor
            if actor == user_id:
                mine[dossier_id][END_STEP[state]] = at
        for m in (Measure.objects.filter(dossier_id__in=list(mine)).select_related("dossier__service")
                  .order_by("dossier__done_at", "dossier_id")):
            values = [getattr(m, f"{s}_minutes") for s in STEPS]
            for step, value in zip(STEPS, values):
                if value is None or last[m.dossier_id].get(step) != user_id:
                    continue
                if figure == "terlambat" and (m.on_time or _longest(values) != step):
                    continue
                detail = f"{STEP_LABELS[step]}: {value:.0f} menit kerja"
                if figure == "terlambat":
                    detail += f"; seluruhnya {m.minutes:.0f} menit, standar {m.dossier.service.duration_max}"
                rows.append(_dossier_row(m.dossier.code, mine[m.dossier_id][step], m.dossier.service.short_name,
                                         detail))
        rows = rows[:TRAIL_LIMIT]
    elif figure == "pengaduan":
        for a in (Answer.objects.filter(complaint__office=office, sent_by_id=user_id, corrects__isnull=True,
                                        sent_at__gte=lo, sent_at__lt=hi)
                  .select_related("complaint").order_by("sent_at", "pk")[:TRAIL_LIMIT]):
            on_time = timezone.localdate(a.sent_at) <= a.complaint.due_date
            rows.append(TrailRow(codes.display(a.complaint.code), reverse("complaints:detail", args=[a.complaint.code]),
                                 a.sent_at, a.complaint.subject,
                                 ("Tepat waktu" if on_time else "Melewati target") +
                                 f" (target {a.complaint.due_date:%d-%m-%Y})"))
    elif figure == "diadukan":
        for c in (Complaint.objects.filter(office=office, staff_named_id=user_id, kind=Complaint.Kind.COMPLAINT,
                                           received_at__gte=lo, received_at__lt=hi)
                  .order_by("received_at", "pk")[:TRAIL_LIMIT]):
            rows.append(TrailRow(codes.display(c.code), reverse("complaints:detail", args=[c.code]), c.received_at,
                                 c.subject, c.get_state_display()))
    else:
        raise ValueError(figure)
    return rows


# --- the standard's aspects of komponen 14, and the sheet's records ------------------------------

def aspects_for(office: Office) -> list[str]:
    """The aspects of "evaluasi kinerja pelaksana" in the office's standard in force: the wording
    that at least half of its services share (the signed text repeats the list per service with
    small variants, e.g. "sopan dan rapi" beside "sopan, rapi dan berseragam"), in the standard's
    order. Empty when the standard lists none."""
    from loket.catalog.models import ServiceType

    lists = [s for s in ServiceType.objects.filter(edition__office=office, edition__status="active")
             .order_by("number").values_list("performance_evaluation", flat=True)]
    counts: dict[str, int] = {}
    order: list[str] = []
    for items in lists:
        for text in items or []:
            text = str(text).strip()
            if text and text not in counts:
                order.append(text)
            counts[text] = counts.get(text, 0) + 1
    return [t for t in order if counts[t] * 2 >= len(lists)]


def staff_get(*, office: Office, user_id) -> Staff | None:
    """A staff member of an evaluated role of the office, by account id (a deactivated one too)."""
    try:
        return (Staff.objects.select_related("user", "unit")
                .get(office=office, user_id=int(user_id), role__in=EVALUATED))
    except (Staff.DoesNotExist, ValueError, TypeError):
        return None


def assessments_of(*, office: Office, user_id: int, period) -> list:
    """The assessments of one person for one period, the newest first."""
    from loket.leadership.models import Assessment

    return list(Assessment.objects.filter(office=office, staff_id=user_id, period_kind=period.kind,
                                          period_year=period.year, period_number=period.number)
                .select_related("evaluator").order_by("-at", "-pk"))


@dataclass
class Line:
    """One line of the evaluation sheet: the person's figure, per working day present where that
    is fair, and the office median of the role; ``trail``: the records behind it."""

    key: str
    label: str
    value: str
    per_day: float | None = None
    mine: float | None = None          # the figure compared (per day, share or minutes)
    median: float | None = None
    unit: str = ""                     # "per_day", "pct", "minutes", "index", "count"
    trail: str = ""


# Labels printed on the sheet (Indonesian); the page shows them through gettext.
LABELS = {
    "present": gettext_noop("Hari kerja hadir"),
    "taken_in": gettext_noop("Berkas diterima di loket"),
    "cancelled": gettext_noop("Penerimaan dibatalkan"),
    "returns": gettext_noop("Pengembalian berkas"),
    "undone": gettext_noop("Pengembalian yang dibatalkan (berkas ternyata lengkap)"),
    "late": gettext_noop("Keterlambatan yang diatribusikan (tahap terlama)"),
    "answered": gettext_noop("Jawaban pengaduan dikirim / tepat waktu"),
    "named": gettext_noop("Pengaduan yang menyebut pegawai ini"),
    "skm:kompetensi": gettext_noop("SKM unsur kompetensi pelaksana (25–100)"),
    "skm:perilaku": gettext_noop("SKM unsur perilaku pelaksana (25–100)"),
}
STEP_LINE = gettext_noop("Waktu tahap: %(step)s (median menit kerja)")


def sheet_lines(data: Evaluation, p: Person, *, translate=lambda s: s) -> list[Line]:
    """The sheet's lines for ``p``; ``translate`` for the page (gettext), identity for the PDF."""
    t = translate
    med = lambda key: data.median_of(p, key)  # noqa: E731
    lines = [
        Line("present", t(LABELS["present"]), f"{p.present_days} / {p.working_days}", unit="count"),
        Line("taken_in", t(LABELS["taken_in"]), str(p.taken_in), per_day=p.taken_in_per_day,
             mine=p.taken_in_per_day, median=med("taken_in_per_day"), unit="per_day", trail="diterima"),
        Line("cancelled", t(LABELS["cancelled"]), str(p.cancelled), unit="count", trail="dibatalkan"),
        Line("returns", t(LABELS["returns"]), str(p.returns), per_day=p.returns_per_day, mine=p.returns_per_day,
             median=med("returns_per_day"), unit="per_day", trail="dikembalikan"),
        Line("undone", t(LABELS["undone"]), f"{p.undone} / {p.returns}", mine=p.undone_pct,
             median=med("undone_pct"), unit="pct", trail="dikembalikan"),
    ]
    for step in STEPS:
        if p.steps[step]:
            lines.append(Line(f"step:{step}", t(STEP_LINE) % {"step": t(STEP_LABELS[step])},
                              str(len(p.steps[step])), mine=p.step_median(step), median=med(f"step:{step}"),
                              unit="minutes", trail="langkah"))
    lines += [
        Line("late", t(LABELS["late"]), f"{p.late} / {p.acted}", mine=p.late_pct, median=med("late_pct"),
             unit="pct", trail="terlambat"),
        Line("answered", t(LABELS["answered"]), f"{p.answered} / {p.answered_on_time}", mine=p.answered_on_time_pct,
             median=med("answered_on_time_pct"), unit="pct", trail="pengaduan"),
        Line("named", t(LABELS["named"]), str(p.named), mine=p.named, median=med("named"), unit="count",
             trail="diadukan"),
    ]
    for key in SKM_KEYS:
        lines.append(Line(f"skm:{key}", t(LABELS[f"skm:{key}"]), str(len(p.skm[key])), mine=p.skm_index(key),
                          median=med(f"skm:{key}"), unit="index"))
    return lines


def evaluation_for(*, office: Office, user, start: dt.date, end: dt.date) -> tuple[Evaluation, list[Person]]:
    """The office's evaluation of [start, end] and, of its people, those ``user`` may evaluate
    (the list page and the API)."""
    data = staff_evaluation(office=office, start=start, end=end)
    allowed = {s.user_id for s in evaluable(office=office, user=user)}
    return data, [p for p in data.people if p.user_id in allowed]


def evaluable(*, office: Office, user) -> list[Staff]:
    """The staff of the office ``user`` may evaluate (leadership.policy.may_evaluate)."""
    from loket.leadership.policy import may_evaluate

    return [s for s in Staff.objects.filter(office=office, role__in=EVALUATED).select_related("user")
            if may_evaluate(user, s)]
