"""The service performance report (/staf/kinerja/): the page, its XLSX and its PDF. Bad query
values are reported on the page and replaced by the defaults (this month), never a server error."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from loket.core.charts import columns, hbars
from loket.core.formats import month_name
from loket.core.web import file_response, office_of, staff_required
from loket.core.errors import InvalidInput
from loket.leadership import dashboard, evaluation, exports, oversight, policy, selectors, services
from loket.leadership.models import Assessment, FollowUp
from loket.leadership.exports import number
from loket.leadership.selectors import STEP_LABELS
from loket.dossiers.measure import STEPS
from loket.surveys.periods import KIND_LABELS, KINDS, ROMAN, Period, PeriodError, parse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_of(params, today, errors: list[str]) -> Period:
    """jenis (bulan, triwulan, semester, tahun), tahun, ke: by default this month."""
    try:
        return parse(params.get("jenis") or "bulan", params.get("tahun"), params.get("ke"), today=today)
    except PeriodError as exc:
        errors.append(_("Periode tidak valid: %(reason)s Ditampilkan bulan ini.") % {"reason": exc})
        return parse("bulan", None, None, today=today)


def period_text(period: Period) -> str:
    """The period's name in the page's language ("Desember 2026", "December 2026", "Triwulan IV 2026")."""
    if period.kind == "bulan":
        return f"{month_name(period.number)} {period.year}"
    if period.kind == "tahun":
        return _("Tahun %(year)s") % {"year": period.year}
    return f"{_(KIND_LABELS[period.kind])} {ROMAN[period.number - 1]} {period.year}"


def _period_context(period) -> dict:
    return {"period": period, "period_text": period_text(period),
            "query": f"jenis={period.kind}&tahun={period.year}&ke={period.number}",
            "kinds": [(k, _(KIND_LABELS[k])) for k in KINDS], "numbers": range(1, 13)}


def _load(request):
    office = office_of(request)
    errors: list[str] = []
    period = period_of(request.GET, timezone.localdate(), errors)
    return office, period, errors, selectors.service_report(office=office, start=period.start, end=period.end)


def _pct(value) -> str:
    return f"{number(value)} %" if value is not None else "—"


@staff_required
@require_GET
def report(request):
    office, period, errors, data = _load(request)
    measured = [r for r in data.services if r.figures.completed]
    return render(request, "leadership/report.html", {
        "office": office, "errors": errors, "report": data, **_period_context(period),
        "offer_publish": policy.may_publish(request.user) and services.month_over(period, timezone.localdate()),
        "steps": [{"key": s, "label": _(STEP_LABELS[s]), "count": len(data.total.steps[s]),
                   "median": data.total.step_median(s), "p90": data.total.step_p90(s)} for s in STEPS],
        "on_time_chart": hbars([(r.label, r.figures.on_time_pct) for r in measured], high=100,
                               ticks=[(0, "0"), (50, "50 %"), (100, "100 %")], text=_pct),
        "kelurahan_chart": hbars([(r.label, r.figures.received) for r in data.kelurahan if r.figures.received]),
    })


@staff_required
@require_GET
def report_late(request):
    """The dossiers behind the report's "terlambat": handed over in the period beyond the
    standard time, with their working minutes per step (all services, or ``layanan``)."""
    office = office_of(request)
    errors: list[str] = []
    period = period_of(request.GET, timezone.localdate(), errors)
    code = (request.GET.get("layanan") or "").strip()[:40]
    rows = selectors.late_completed(office=office, start=period.start, end=period.end, service_code=code)
    return render(request, "leadership/report_late.html", {
        "office": office, "errors": errors, "rows": rows, "service_code": code, "limit": selectors.LATE_LIMIT,
        **_period_context(period),
    })


@staff_required
@require_GET
def report_xlsx(request):
    office, period, _errors, data = _load(request)
    out = exports.report_xlsx(data, office=office, label=period.label)
    return FileResponse(out, as_attachment=True, filename=f"laporan-kinerja-{period.slug}.xlsx", content_type=XLSX_TYPE)


@staff_required
@require_GET
def report_pdf(request):
    office, period, _errors, data = _load(request)
    return file_response(exports.report_pdf(data, office=office, label=period.label),
                         filename=f'laporan-kinerja-{period.slug}.pdf', inline=True)


# --- the desk ---------------------------------------------------------------------------------

def _scope(request):
    allowed, unit = policy.desk_scope(request.user)
    if not allowed:
        raise PermissionDenied(policy.DESK_REFUSED)
    return office_of(request), unit


def _trend_chart(months: list[dict], key: str) -> dict:
    items = []
    for i, m in enumerate(months):
        first = m["month"]
        if key == "on_time":
            value = 100 * m["on_time"] / m["completed"] if m["completed"] else None
            text = _pct(value)
        else:
            value = m[key]
            text = value
        items.append({"label": f"{month_name(first.month)} {first.year}", "value": value, "text": text,
                      "axis": month_name(first.month)[:3],
                      "sub": str(first.year) if i == 0 or first.month == 1 else ""})
    if key == "on_time":
        return columns(items, high=100, ticks=[(50, "50 %"), (100, "100 %")], left=44, show_values=False)
    return columns(items)


@staff_required
@require_GET
def desk(request):
    """The office at a glance (Camat, Sekcam) or one unit (Kasi); with htmx, only the panel (the
    page asks for it again every minute)."""
    office, unit = _scope(request)
    data = dashboard.desk(office=office, unit=unit)
    context = {
        "office": office, "desk": data, "unit": unit,
        "received_chart": _trend_chart(data.months, "received"),
        "on_time_chart": _trend_chart(data.months, "on_time"),
        "service_chart": hbars(data.by_service[:10]),
        "kelurahan_chart": hbars(data.by_kelurahan[:10]),
        "month_query": f"jenis=bulan&tahun={data.today.year}&ke={data.today.month}",
    }
    if request.htmx:
        return render(request, "leadership/_desk_panel.html", context)
    return render(request, "leadership/desk.html", context)


@staff_required
@require_GET
def late(request):
    """Open dossiers already past the standard time, the furthest past first."""
    office, unit = _scope(request)
    return render(request, "leadership/late.html", {
        "office": office, "unit": unit, "rows": dashboard.late_now(office=office, unit=unit)})


WAITING_STATES = ("received", "forwarded", "initialled", "signed")  # "signed": signed or registered


@staff_required
@require_GET
def waiting(request):
    """Open dossiers in one state (and unit), oldest first: the list behind the desk's "waiting"
    figures. A Kasi sees their own unit's only."""
    office, unit = _scope(request)
    errors = []
    state = request.GET.get("status", "forwarded")
    if state not in WAITING_STATES:
        errors.append(_("Status '%(value)s' tidak dikenal; ditampilkan yang menunggu paraf Kasi.") % {"value": state[:20]})
        state = "forwarded"
    chosen = unit
    raw_unit = request.GET.get("unit", "")
    if unit is None and raw_unit:
        chosen = dashboard.unit_of(office=office, pk=raw_unit)
        if chosen is None:
            errors.append(_("Unit tidak dikenal di kantor ini; ditampilkan semua unit."))
    rows = dashboard.waiting_list(office=office, state=state, unit=chosen)
    return render(request, "leadership/waiting.html", {
        "office": office, "unit": chosen, "state": state, "errors": errors, "rows": rows,
        "state_label": dashboard.state_label(state)})


# --- publishing the month, and internal oversight ----------------------------------------------

@staff_required
@require_POST
def publish(request):
    """Publish a month that has ended for the public page /<office>/kinerja/ (Camat, Sekcam)."""
    office = office_of(request)
    year, month = request.POST.get("tahun", ""), request.POST.get("ke", "")
    back = reverse("leadership:report") + f"?jenis=bulan&tahun={year[:4]}&ke={month[:2]}"
    try:
        pub = services.performance_publish(office=office, actor=request.user, year=year, month=month)
    except InvalidInput as exc:
        for problems in exc.errors.values():
            for p in problems:
                messages.error(request, p)
        return redirect(back)
    messages.success(request, _("Kinerja pelayanan %(period)s dipublikasikan di halaman publik.") % {"period": pub.period_label})
    return redirect(back)


def _leader(request):
    if not policy.is_leader(request.user):
        raise PermissionDenied(policy.OVERSIGHT_TEXT)
    return office_of(request)


@staff_required
@require_GET
def oversight_list(request):
    """What needs a look (komponen 9), with each item's follow-up notes and a form to add one."""
    office = _leader(request)
    every = request.GET.get("semua") == "1"
    rows = oversight.items(office=office, closed=every)
    return render(request, "leadership/oversight.html", {
        "office": office, "rows": rows, "every": every, "kinds": oversight.KINDS,
        "statuses": FollowUp.Status.choices, "window": oversight.WINDOW_DAYS,
    })


@staff_required
@require_POST
def oversight_note(request):
    office = _leader(request)
    key = request.POST.get("key", "")
    try:
        services.follow_up_record(office=office, actor=request.user, key=key, status=request.POST.get("status", ""),
                                  note=request.POST.get("note", ""))
    except InvalidInput as exc:
        for problems in exc.errors.values():
            for p in problems:
                messages.error(request, p)
    else:
        messages.success(request, _("Tindak lanjut dicatat."))
    return redirect(reverse("leadership:oversight") + (f"#{key.replace(':', '-')}" if key else ""))


# --- evaluasi kinerja pelaksana (komponen 14) ----------------------------------------------------

def _evaluator(request):
    if not policy.is_leader(request.user):
        raise PermissionDenied(policy.EVALUATION_TEXT)
    return office_of(request)


def _evaluated(request, office, user_id):
    staff = evaluation.staff_get(office=office, user_id=user_id)
    if staff is None:
        raise Http404(_("Pegawai tidak ditemukan."))
    if not policy.may_evaluate(request.user, staff):
        raise PermissionDenied(policy.EVALUATION_PERSON_TEXT)
    return staff


def _sheet_of(request, user_id, params):
    """(office, the staff member, the period, its errors) of a sheet the caller may open."""
    office = _evaluator(request)
    staff = _evaluated(request, office, user_id)
    errors: list[str] = []
    return office, staff, _quarter(params, timezone.localdate(), errors), errors


def _quarter(params, today, errors):
    """By default the quarter that holds today (the evaluation is usually quarterly)."""
    if not params.get("jenis"):
        params = {"jenis": "triwulan", "tahun": str(today.year), "ke": str((today.month - 1) // 3 + 1)}
    return period_of(params, today, errors)


@staff_required
@require_GET
def evaluation_list(request):
    """The staff the evaluator may assess, with their main figures for the period (in the order
    of role and name: a list to open sheets from, not a ranking)."""
    office = _evaluator(request)
    errors: list[str] = []
    period = _quarter(request.GET, timezone.localdate(), errors)
    data, people = evaluation.evaluation_for(office=office, user=request.user, start=period.start, end=period.end)
    return render(request, "leadership/evaluation_list.html", {
        "office": office, "errors": errors, "data": data, "people": people, **_period_context(period)})


@staff_required
@require_GET
def evaluation_sheet(request, user_id: int):
    office, staff, period, errors = _sheet_of(request, user_id, request.GET)
    data = evaluation.staff_evaluation(office=office, start=period.start, end=period.end, include_user_id=staff.user_id)
    person = data.person(staff.user_id)
    return render(request, "leadership/evaluation_sheet.html", {
        "office": office, "errors": errors, "staff": staff, "person": person, "data": data,
        "lines": evaluation.sheet_lines(data, person, translate=_),
        "role_size": data.role_size(person.role),
        "aspects": evaluation.aspects_for(office), "ratings": [(value, _(label)) for value, label in Assessment.Rating.choices],
        "assessments": evaluation.assessments_of(office=office, user_id=staff.user_id, period=period),
        **_period_context(period)})


@staff_required
@require_GET
def evaluation_trail(request, user_id: int):
    """The records behind one figure of the sheet (``angka``)."""
    office, staff, period, errors = _sheet_of(request, user_id, request.GET)
    figure = request.GET.get("angka", "")
    if figure not in evaluation.TRAILS:
        errors.append(_("Angka '%(value)s' tidak dikenal; ditampilkan berkas yang diterima.") % {"value": figure[:20]})
        figure = "diterima"
    rows = evaluation.trail(office=office, user_id=staff.user_id, start=period.start, end=period.end, figure=figure)
    return render(request, "leadership/evaluation_trail.html", {
        "office": office, "errors": errors, "staff": staff, "figure": figure,
        "figure_label": _(evaluation.TRAILS[figure]), "rows": rows, "limit": evaluation.TRAIL_LIMIT,
        **_period_context(period)})


@staff_required
@require_GET
def evaluation_pdf(request, user_id: int):
    """The printable evaluation sheet: the figures, the aspects as rated in the newest assessment
    of the period, the assessment and follow-up, and the two signatures."""
    office, staff, period, errors = _sheet_of(request, user_id, request.GET)
    data = evaluation.staff_evaluation(office=office, start=period.start, end=period.end, include_user_id=staff.user_id)
    latest = evaluation.assessments_of(office=office, user_id=staff.user_id, period=period)
    pdf = exports.evaluation_pdf(data, data.person(staff.user_id), office=office, staff=staff, label=period.label,
                                 aspects=evaluation.aspects_for(office), assessment=latest[0] if latest else None,
                                 evaluator=request.user)
    return file_response(pdf, filename=f'evaluasi-{staff.user.username}-{period.slug}.pdf', inline=True)


@staff_required
@require_POST
def evaluation_assess(request, user_id: int):
    office, staff, period, errors = _sheet_of(request, user_id, request.POST)
    back = reverse("leadership:evaluation_sheet", args=[staff.user_id]) + \
        f"?jenis={period.kind}&tahun={period.year}&ke={period.number}"
    if errors:
        for e in errors:
            messages.error(request, e)
        return redirect(back)
    aspects = {text: request.POST.get(f"aspek-{i}", "") for i, text in enumerate(evaluation.aspects_for(office))}
    try:
        services.assessment_record(office=office, actor=request.user, staff=staff, period=period, aspects=aspects,
                                   assessment=request.POST.get("penilaian", ""),
                                   follow_up=request.POST.get("tindak_lanjut", ""))
    except InvalidInput as exc:
        for problems in exc.errors.values():
            for p in problems:
                messages.error(request, p)
    else:
        messages.success(request, _("Penilaian %(period)s dicatat.") % {"period": period_text(period)})
    return redirect(back + "#penilaian")
