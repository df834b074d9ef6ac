"""Reads of complaints: work lists per role, ageing and the overdue list, the staff detail,
the public tracking view (no personal data), and the monthly report figures.

Ageing is counted in working days (offices.calendar) from the clock's start (receipt, or the
last reopening) to today, Asia/Jakarta. An open complaint is overdue when today is past its
target date; it is past the legal limit when today is past its legal date.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from loket.complaints.models import Answer, Category, Complaint, Step
from loket.complaints.policy import (
    DEFAULT_ROUTING, NAME_STAFF_ACTION, can_see_contact_of, may_see_staff_named, routed_services,
)
from loket.core.db import snapshot
from loket.core import codes
from loket.offices.calendar import holidays_for_office, working_days_between, years_without_holidays
from loket.offices.models import Office, Staff
from loket.offices.roles import Role, staff_of

S = Complaint.State
OPEN = list(Complaint.OPEN_STATES)


def _base(office: Office) -> QuerySet[Complaint]:
    return Complaint.objects.filter(office=office).select_related("category__parent", "unit", "service", "register_entry__book")


@dataclass(frozen=True)
class Ageing:
    days: int          # working days since the clock started (open) or until answered (closed)
    due_date: dt.date
    legal_due_date: dt.date
    overdue: bool      # open and past the target date
    past_legal: bool   # open and past the legal limit
    days_left: int     # working days left to the target (negative when overdue)
    # SP4N-LAPOR! only (None otherwise): its own two clocks, beside the law's
    lapor_forward_due: dt.date | None = None
    lapor_followup_due: dt.date | None = None
    lapor_forward_late: bool = False    # still untouched at the front desk after the forwarding date
    lapor_followup_late: bool = False   # open after the follow-up date

    @property
    def late(self) -> bool:
        """Past any of its clocks: the target, or one of LAPOR!'s (the overdue list)."""
        return self.overdue or self.lapor_forward_late or self.lapor_followup_late


def ageing(c: Complaint, *, today: dt.date | None = None, holidays=None) -> Ageing:
    today = today or timezone.localdate()
    if holidays is None:
        holidays = holidays_for_office(c.office_id)
    start = timezone.localtime(c.clock_started_at).date()
    open_ = c.is_open
    end = today if open_ else timezone.localtime(c.first_answered_at or c.closed_at or c.updated_at).date()
    days = working_days_between(start, end, holidays)
    if today <= c.due_date:
        left = working_days_between(today, c.due_date, holidays)
    else:
        left = -working_days_between(c.due_date, today, holidays)
    lapor = {}
    if c.lapor_followup_due is not None:
        lapor = dict(
            lapor_forward_due=c.lapor_forward_due, lapor_followup_due=c.lapor_followup_due,
            lapor_forward_late=c.state == S.RECEIVED and today > c.lapor_forward_due,
            lapor_followup_late=open_ and today > c.lapor_followup_due,
        )
    return Ageing(days=days, due_date=c.due_date, legal_due_date=c.legal_due_date,
                  overdue=open_ and today > c.due_date, past_legal=open_ and today > c.legal_due_date,
                  days_left=left, **lapor)


def with_ageing(rows, *, office_id: int, today: dt.date | None = None, holidays=None) -> list[tuple[Complaint, Ageing]]:
    """Rows paired with their ageing, the holiday table read once for the whole list."""
    if holidays is None:
        holidays = holidays_for_office(office_id)
    return [(c, ageing(c, today=today, holidays=holidays)) for c in rows]


def _routed_to(staff, routed: dict, pick) -> Q | None:
    """The complaints whose routing (policy.Routing; the service's own, else the general one)
    puts this person's role on the side ``pick`` names; None when none does."""
    ids = [pk for pk, r in routed.items() if staff.role in pick(r)]
    cond = Q(service_id__in=ids) if ids else None
    if staff.role in pick(DEFAULT_ROUTING):
        general = Q(service__isnull=True) | ~Q(service_id__in=list(routed))
        cond = general if cond is None else cond | general
    return cond


def _waiting(states: list, directed_to_front: bool) -> Q:
    """In one of ``states``, or directed back to this side, or coordinating and coming back to it."""
    back_to = Q(coordinations__resume_state__in=states) | Q(coordinations__resume_state=S.DIRECTED,
                                                          direction_to_front=directed_to_front)
    return (Q(state__in=states) | Q(state=S.DIRECTED, direction_to_front=directed_to_front)
            | (Q(state=S.COORDINATING, coordinations__answered_at__isnull=True) & back_to))


def worklist(*, user, limit: int | None = 200) -> QuerySet[Complaint]:
    """What waits for this user, oldest target first: the front office holds received, reopened
    and answered ones (and those directed back to it); the back office the escalated and directed
    ones (a Kasi those of its unit); whoever gives direction those waiting for it. Front office,
    back office and direction are each complaint's routing (policy.Routing): the general
    flowchart's, or its service's own (the PPAT, the hall). Coordinating ones show with whoever
    asked for the coordination."""
    staff = staff_of(user)
    qs = _base(staff.office)
    routed = routed_services(staff.office_id)
    parts = []
    front = _routed_to(staff, routed, lambda r: r.front)
    if front is not None:
        parts.append(front & _waiting([S.RECEIVED, S.REOPENED, S.ANSWERED], True))
    back = _routed_to(staff, routed, lambda r: r.back)
    if back is not None:
        if staff.role == Role.KASI:
            back &= Q(unit_id=staff.unit_id)
        parts.append(back & _waiting([S.ESCALATED], False))
    leader = _routed_to(staff, routed, lambda r: r.direction)
    if leader is not None:
        parts.append(leader & Q(state=S.DIRECTION_REQUESTED))
    if not parts:
        return qs.none()
    cond = parts[0]
    for part in parts[1:]:
        cond |= part
    qs = qs.filter(cond).distinct().order_by("due_date", "received_at")
    return qs[:limit] if limit else qs


def waiting_count(*, user) -> int:
    """How many complaints wait for this user (the notice on each role's landing page)."""
    return worklist(user=user, limit=None).count()


def _late(today: dt.date) -> Q:
    """Open and past a clock: the target, LAPOR!'s follow-up, or LAPOR!'s forwarding (a LAPOR!
    complaint still untouched at the front desk: no act since intake)."""
    return Q(state__in=OPEN) & (Q(due_date__lt=today) | Q(lapor_followup_due__lt=today)
                                | Q(state=S.RECEIVED, lapor_forward_due__lt=today))


def overdue(*, office: Office, today: dt.date | None = None, limit: int = 500) -> QuerySet[Complaint]:
    """Every open complaint past one of its clocks (the target, or for a LAPOR! complaint its
    forwarding or follow-up date), the oldest target first (every role sees it)."""
    today = today or timezone.localdate()
    return _base(office).filter(_late(today)).order_by("due_date", "received_at")[:limit]


def open_and_overdue(*, office: Office, today: dt.date | None = None, unit=None) -> tuple[int, int]:
    """How many complaints are open, and how many of them are past a clock (``overdue``), of the
    office or of one unit (the leadership's desk); one query."""
    today = today or timezone.localdate()
    qs = Complaint.objects.filter(office=office)
    if unit is not None:
        qs = qs.filter(unit=unit)
    counts = qs.aggregate(open=Count("pk", filter=Q(state__in=OPEN)), overdue=Count("pk", filter=_late(today)))
    return counts["open"], counts["overdue"]


FILTERS = ("state", "kind", "channel", "category", "unit")
MAX_KEY = 2**31 - 1  # the largest primary key of an AutoField on PostgreSQL


def complaint_list(*, office: Office, filters: dict | None = None, query: str = "", limit: int = 200) -> QuerySet[Complaint]:
    """All complaints of the office, newest first, narrowed by the filters of the list screen
    (state, kind, channel, category id, unit code, overdue=1, open=1) and a search on code,
    subject or name."""
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = _base(office)
    for key in ("state", "kind", "channel"):
        if key in f:
            qs = qs.filter(**{key: f[key]})
    if "category" in f:
        cat = str(f["category"])
        # a key the database can hold (a bigger number matches nothing rather than overflowing)
        cat = int(cat) if cat.isdigit() and int(cat) <= MAX_KEY else 0
        qs = qs.filter(Q(category_id=cat) | Q(category__parent_id=cat))
    if "unit" in f:
        qs = qs.filter(unit__code=f["unit"])
    if str(f.get("overdue", "")) == "1":
        qs = qs.filter(_late(timezone.localdate()))
    if str(f.get("open", "")) == "1":
        qs = qs.filter(state__in=OPEN)
    query = (query or "").strip()[:100]
    if query:
        cond = Q(subject__icontains=query) | Q(name__icontains=query)
        code = codes.normalise(query)
        if code:
            cond |= Q(code=code)
        qs = qs.filter(cond)
    return qs.order_by("-received_at")[:limit]


def complaint_get(*, office: Office, code: str) -> Complaint | None:
    """One complaint with everything its page shows, read from one snapshot."""
    with snapshot():
        return (
            _base(office)
            .select_related("received_by", "staff_named__staff")
            .prefetch_related("steps__actor", "answers__sent_by", "coordinations__asked_by",
                              "coordinations__answered_by", "attachments")
            .filter(code=codes.normalise(code)).first()
        )


def steps_for(c: Complaint, user) -> list[Step]:
    """The complaint's history as this user may read it: the steps that name a staff member
    (NAME_STAFF_ACTION) only for the Camat and the Sekcam (policy.may_see_staff_named)."""
    steps = list(c.steps.all())
    if may_see_staff_named(user):
        return steps
    return [s for s in steps if s.action != NAME_STAFF_ACTION]


# --- the staff member a complaint names ---------------------------------------------------------

def staff_label(staff: Staff) -> str:
    """A staff member as the complaint screens and notes name them: name — position (or role)."""
    user = staff.user
    return f"{user.get_full_name() or user.username} — {staff.position or staff.get_role_display()}"


def staff_choices(*, office: Office) -> list[tuple[int, str]]:
    """(user id, name — position) of the office's active staff, by name: the choices of "Pegawai
    yang diadukan" (inputs.staff_named_clean accepts exactly these)."""
    rows = (Staff.objects.filter(office=office, user__is_active=True).select_related("user")
            .order_by("user__first_name", "user__last_name", "user__username"))
    return [(s.user_id, staff_label(s)) for s in rows]


def staff_named_of(c: Complaint, user) -> dict | None:
    """The staff member this complaint names ({id, name, position}: the user id, the name, the
    position or else the role), for a user who may read it (policy.may_see_staff_named); None
    otherwise, and when it names nobody. complaint_get reads the Staff row with the complaint."""
    if c.staff_named_id is None or not may_see_staff_named(user):
        return None
    u = c.staff_named
    staff = getattr(u, "staff", None)  # an account that is no office's staff any more: its name only
    return {"id": u.pk, "name": u.get_full_name() or u.username,
            "position": (staff.position or staff.get_role_display()) if staff is not None else ""}


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end] as local dates (Asia/Jakarta): from start's midnight to the midnight after end."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def naming_counts(*, office: Office, start: dt.date, end: dt.date) -> dict[int, int]:
    """User id → how many complaints (kind pengaduan) received in [start, end] (local dates)
    name that user as the staff member they are about: "complaints that name them", for the
    staff evaluation and oversight. Users named by none are absent. One query."""
    lo, hi = _bounds(start, end)
    rows = (Complaint.objects.filter(office=office, kind=Complaint.Kind.COMPLAINT, staff_named__isnull=False,
                                     received_at__gte=lo, received_at__lt=hi)
            .values("staff_named").annotate(n=Count("pk")).order_by())
    return {r["staff_named"]: r["n"] for r in rows}


def categories_for(*, office: Office) -> list[Category]:
    """Active categories in tree order (parents, each followed by its children)."""
    rows = list(Category.objects.filter(office=office, active=True).select_related("parent").order_by("order", "name"))
    parents = [c for c in rows if c.parent_id is None]
    out = []
    for p in parents:
        out.append(p)
        out.extend(c for c in rows if c.parent_id == p.pk)
    return out


# --- public ---------------------------------------------------------------------------------

PUBLIC_STEP_LABELS = {
    "intake": "Diterima dan dicatat di Buku Pengaduan",
    "escalate": "Diteruskan ke seksi yang menangani",
    "direction_request": "Dimintakan arahan pimpinan",
    "direction_give": "Arahan pimpinan diberikan",
    "coordinate": "Menunggu koordinasi dengan pihak terkait",
    "coordination_result": "Hasil koordinasi diterima",
    "answer": "Jawaban disampaikan",
    "correct": "Jawaban dikoreksi",
    "feedback": "Tanggapan pengadu dicatat",
    "close": "Ditutup",
}


def _public_label(step: Step) -> str:
    if step.action == "feedback":  # say what the complainant's word did
        return "Pengadu puas; pengaduan selesai" if step.to_state == S.CLOSED else "Pengadu belum puas; dibuka kembali"
    return PUBLIC_STEP_LABELS.get(step.action, step.action)


def tracking_public(*, code: str) -> dict | None:
    """What anyone holding the code may see: kind, category, state, the timeline's steps and
    the answers. No name, contact, complaint text, internal notes or staff names: the text and
    the notes may name the complainant or others (UU 27/2022 on personal data; UU 25/2009
    Pasal 43 on keeping the complainant's identity confidential)."""
    with snapshot():
        c = (
            Complaint.objects.select_related("office", "category__parent", "register_entry__book")
            .prefetch_related("steps", "answers").filter(code=codes.normalise(code)).first()
        )
    if c is None:
        return None
    return {
        "code": codes.display(c.code),
        "office": c.office.name,
        "office_slug": c.office.slug,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "category": str(c.category) if c.category_id else "",
        "channel_label": c.get_channel_display(),
        "state": c.state,
        "state_label": c.get_state_display(),
        "received_at": c.received_at,
        "register_number": c.register_entry.number_display,
        "due_date": c.due_date,
        "closed_at": c.closed_at,
        "can_give_feedback": c.state == S.ANSWERED,
        "satisfied": c.satisfied,
        "timeline": [
            {"at": s.at, "state": s.to_state, "state_label": str(Complaint.State(s.to_state).label),
             "label": _public_label(s)}
            # the naming of a staff member is internal (policy.NAME_STAFF_ACTION): not a step the public sees
            for s in c.steps.all() if s.action != NAME_STAFF_ACTION
        ],
        "answers": [
            {"at": a.sent_at, "text": a.text, "via": a.get_reply_via_display(), "correction": a.corrects_id is not None}
            for a in c.answers.all()
        ],
    }


# --- reports ------------------------------------------------------------------------------------

def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def report(*, office: Office, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """Figures for complaints received in [start, end] (local dates): counts by channel, kind,
    category (top level), unit and state; median working days to the first answer and to
    closing; open, overdue and past-legal counts today; and a row per month.

    The counts are grouped in the database; the medians need each complaint's two dates, which
    are read as two columns (a kecamatan receives hundreds a year, not millions)."""
    today = today or timezone.localdate()
    lo, hi = _bounds(start, end)
    qs = Complaint.objects.filter(office=office, received_at__gte=lo, received_at__lt=hi)

    def counts(field, choices=None):
        rows = {r[field]: r["n"] for r in qs.values(field).annotate(n=Count("pk")).order_by()}
        if choices is not None:
            return [(label, rows.get(value, 0)) for value, label in choices]
        return rows

    # Grouped by the top category's and the unit's id (two categories may share a name).
    cats = {c.pk: c for c in Category.objects.filter(office=office)}
    by_category: Counter = Counter()
    for cat_id, n in counts("category_id").items():
        cat = cats.get(cat_id)
        top = (cats.get(cat.parent_id) or cat) if cat else None
        by_category[(top.pk, top.name) if top else (0, gettext("Tanpa kategori"))] += n
    units = dict(office.units.values_list("pk", "name"))
    by_unit: Counter = Counter()
    for unit_id, n in counts("unit_id").items():
        by_unit[(unit_id or 0, units.get(unit_id) or gettext("Front office (tidak diteruskan)"))] += n

    holidays = holidays_for_office(office.pk)
    first, close = [], []
    monthly: dict[tuple[int, int], dict] = {}
    for received, answered, closed, state, due in qs.values_list(
        "received_at", "first_answered_at", "closed_at", "state", "due_date"
    ):
        day = timezone.localtime(received).date()
        m = monthly.setdefault((day.year, day.month), {"received": 0, "answered": 0, "closed": 0, "overdue": 0,
                                                       "first": [], "close": []})
        m["received"] += 1
        if answered:
            d = working_days_between(day, timezone.localtime(answered).date(), holidays)
            first.append(d)
            m["first"].append(d)
            m["answered"] += 1
        if closed:
            d = working_days_between(day, timezone.localtime(closed).date(), holidays)
            close.append(d)
            m["close"].append(d)
            m["closed"] += 1
        if state in OPEN and due < today:
            m["overdue"] += 1
    months = []
    y, mo = start.year, start.month
    while (y, mo) <= (end.year, end.month):
        m = monthly.get((y, mo), {"received": 0, "answered": 0, "closed": 0, "overdue": 0, "first": [], "close": []})
        months.append({"year": y, "month": mo, "received": m["received"], "answered": m["answered"],
                       "closed": m["closed"], "overdue": m["overdue"],
                       "median_first_answer": _median(m["first"]), "median_close": _median(m["close"])})
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    open_qs = qs.filter(state__in=OPEN)
    return {
        "start": start, "end": end, "total": qs.count(),
        "by_channel": counts("channel", Complaint.Channel.choices),
        "by_kind": counts("kind", Complaint.Kind.choices),
        "by_state": counts("state", Complaint.State.choices),
        "by_category": [(name, n) for (_, name), n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0][1]))],
        "by_unit": [(name, n) for (_, name), n in sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0][1]))],
        "median_first_answer": _median(first),
        "median_close": _median(close),
        "open": open_qs.count(),
        "overdue": open_qs.filter(due_date__lt=today).count(),
        "past_legal": open_qs.filter(legal_due_date__lt=today).count(),
        "satisfied": qs.filter(satisfied=True).count(),
        "not_satisfied": qs.filter(satisfied=False).count(),
        "months": months,
        # deadlines of the period's complaints run at most 60 days past its end
        "missing_holiday_years": years_without_holidays(range(start.year, (end + dt.timedelta(days=60)).year + 1)),
    }


def register_rows(*, office: Office, year: int):
    """The Buku Pengaduan of a year in number order, each line with its complaint and the
    latest answer (for the exports: No, tanggal, pengadu, saluran, jenis, kategori, pokok
    masalah, unit, tindak lanjut, status)."""
    from django.db.models import Prefetch

    return (
        Complaint.objects.filter(office=office, register_entry__book__year=year, register_entry__book__kind="pengaduan")
        .select_related("register_entry__book", "category__parent", "unit")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("sent_at", "pk")))
        .order_by("register_entry__number")
    )


def book_years(*, office: Office, today: dt.date | None = None) -> list[int]:
    """Years that have a Buku Pengaduan in this office, and the current year, newest first
    (the report's year chooser)."""
    from loket.registers.models import RegisterBook

    today = today or timezone.localdate()
    years = set(
        RegisterBook.objects.filter(office=office, kind=RegisterBook.Kind.PENGADUAN).values_list("year", flat=True)
    )
    years.add(today.year)
    return sorted(years, reverse=True)


# --- the complainant's contact details --------------------------------------------------------

# Who reads a complainant's name and contact in full: complaints/policy.py.
CONTACT_FIELDS = ("name", "phone", "email", "address", "account")


def _mask(field: str, value: str) -> str:
    from loket.dossiers.selectors import mask_name

    if not value:
        return ""
    if field == "name":
        return mask_name(value)
    if field == "phone":
        return value[:4] + "*" * max(len(value) - 7, 0) + value[-3:]
    if field == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    return "(disembunyikan)"


def contact_of(c: Complaint, user) -> dict:
    """The complainant's name and contact as this user may read them: in full, or masked."""
    full = can_see_contact_of(c, user)
    return {f: (getattr(c, f) if full else _mask(f, getattr(c, f))) for f in CONTACT_FIELDS} | {"masked": not full}


def code_in_office(*, office: Office, code: str) -> str | None:
    """The complaint's code when it belongs to this office (one narrow query), else None: what
    an act needs before it runs, so that another office's code is "not found"."""
    return Complaint.objects.filter(office=office, code=codes.normalise(code)).values_list("code", flat=True).first()


def attachment_get(*, office: Office, code: str, pk: int):
    """One attachment of a complaint of this office, or None."""
    from loket.complaints.models import Attachment

    return Attachment.objects.filter(complaint__office=office, complaint__code=codes.normalise(code), pk=pk).first()
