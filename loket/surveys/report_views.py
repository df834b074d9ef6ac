"""The staff SKM report (/staf/skm/): the IKM of a period with its elements, per service, per
unit, the trend, the respondents' profile and the suggestions; the same report as PDF and
XLSX (``surveys.exports``); the publication of a period's result and the office's weight.

Every staff role of the office may read the report; the acts check their own roles
(``services.PUBLISHERS``, ``services.SETTERS``). Bad query values are reported on the page and
replaced by the defaults, never a server error. Charts are inline SVG (``core.charts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from loket.catalog.models import Edition, ServiceType
from loket.core.charts import columns, hbars
from loket.core.formats import month_name
from loket.core.errors import InvalidInput, WrongState
from loket.core.web import file_response, staff_required
from loket.offices.models import Unit
from loket.offices.roles import staff_of
from loket.surveys import exports, selectors, services
from loket.surveys.exports import IKM_PLACES, NRR_PLACES, UNIT_PLACES, WEIGHTED_PLACES, decimal, percent
from loket.surveys.models import Setting
from loket.surveys.periods import KIND_LABELS, KINDS, ROMAN, Period, PeriodError, parse

PUBLICATIONS_SHOWN = 50
PERIOD_KEYS = ("jenis", "tahun", "ke")
FILTER_KEYS = ("layanan", "unit")


# --- what the query string asks for ----------------------------------------------------------

@dataclass
class Choice:
    """The report asked for, after checking the query string (bad values → ``errors``)."""
    period: Period
    service_code: str | None = None
    service_name: str = ""
    unit_code: str | None = None
    unit_name: str = ""
    weight: str | None = None  # a weight to preview; None: the office's
    errors: list[str] = field(default_factory=list)

    def query(self) -> str:
        """The query string of this report (for the downloads and the way back)."""
        params = {"jenis": self.period.kind, "tahun": self.period.year, "ke": self.period.number}
        if self.service_code:
            params["layanan"] = self.service_code
        if self.unit_code:
            params["unit"] = self.unit_code
        if self.weight:
            params["bobot"] = self.weight
        return urlencode(params)


def _service_names(office) -> dict[str, str]:
    """code → name of every service of the office's editions (a response may name one of an
    older edition); the active edition's name wins, then the newest."""
    rows = (ServiceType.objects.filter(edition__office=office)
            .values_list("code", "name", "edition__status", "edition__year").order_by("edition__year"))
    names, active = {}, set()
    for code, name, status, _year in rows:
        if code in active:
            continue
        names[code] = name
        if status == Edition.Status.ACTIVE:
            active.add(code)
    return dict(sorted(names.items(), key=lambda kv: kv[1]))


def _period(params, today, errors: list[str]) -> Period:
    try:
        return parse(params.get("jenis"), params.get("tahun"), params.get("ke"), today=today)
    except PeriodError as exc:
        errors.append(_("Periode tidak valid: %(reason)s Ditampilkan periode bawaan.") % {"reason": exc})
        return parse(None, None, None, today=today)


def _choice(params, *, office, today, services_by_code: dict[str, str], units: dict[str, str]) -> Choice:
    errors: list[str] = []
    choice = Choice(period=_period(params, today, errors), errors=errors)
    code = (params.get("layanan") or "").strip()
    if code:
        if code in services_by_code:
            choice.service_code, choice.service_name = code, services_by_code[code]
        else:
            errors.append(_("Layanan '%(code)s' tidak dikenal di kantor ini; ditampilkan semua layanan.")
                          % {"code": code[:40]})
    code = (params.get("unit") or "").strip()
    if code:
        if code in units:
            choice.unit_code, choice.unit_name = code, units[code]
        else:
            errors.append(_("Unit '%(code)s' tidak dikenal di kantor ini; ditampilkan semua unit.")
                          % {"code": code[:40]})
    weight = (params.get("bobot") or "").strip()
    if weight:
        if weight in Setting.Weight.values:
            choice.weight = weight
        else:
            errors.append(_("Bobot '%(value)s' tidak dikenal; dipakai bobot kantor.") % {"value": weight[:20]})
    return choice


def _load(request, *, every_suggestion: bool = False):
    """The office, the checked choice, the office's weight and the report (the page shows the
    latest suggestions, the files every one)."""
    office = staff_of(request.user).office
    today = timezone.localdate()
    services_by_code = _service_names(office)
    units = dict(Unit.objects.filter(office=office).values_list("code", "name"))
    choice = _choice(request.GET, office=office, today=today, services_by_code=services_by_code, units=units)
    office_weight = selectors.weight_of(office)
    rep = selectors.report(office=office, period=choice.period, weight=choice.weight or office_weight,
                           service_code=choice.service_code, unit_code=choice.unit_code,
                           suggestions_limit=None if every_suggestion else selectors.SUGGESTIONS_SHOWN)
    return office, choice, office_weight, rep, services_by_code, units


# --- what the page shows ----------------------------------------------------------------------

def _num(value, places: int) -> str:
    """A value for a chart's text, in the page's number format (Indonesian: a decimal comma)."""
    return number_format(decimal(value, places), decimal_pos=places)


def _group(g: selectors.Group) -> dict:
    r = g.result
    return {"key": g.key, "name": g.name, "respondents": g.respondents, "error": g.error,
            "unit": decimal(r.ikm_unit, UNIT_PLACES) if r else None, "grade": r.grade if r else "",
            "label": r.label if r else ""}


def _axis(p: Period, previous: Period | None) -> tuple[str, str]:
    """The label under a trend column and the year under it (when the year changes)."""
    sub = str(p.year) if previous is None or previous.year != p.year else ""
    if p.kind == "bulan":
        return month_name(p.number)[:3], sub
    if p.kind == "tahun":
        return str(p.year), ""
    return ("TW " if p.kind == "triwulan" else "Sem ") + ROMAN[p.number - 1], sub


def _trend(rep: selectors.Report) -> tuple[list[dict], dict]:
    rows, items, previous = [], [], None
    for p, g in zip(rep.period.trend(), rep.trend):
        row = {**_group(g), "period": p, "current": p == rep.period}
        rows.append(row)
        axis, sub = _axis(p, previous)
        previous = p
        items.append({"label": p.label, "value": float(row["unit"]) if row["unit"] is not None else None,
                      "text": _num(row["unit"], UNIT_PLACES) if row["unit"] is not None else exports.DASH,
                      "axis": axis, "sub": sub})
    chart = columns(items, low=0, high=100, ticks=[(v, str(v)) for v in (25, 50, 75, 100)], left=34)
    return rows, chart


def _profile(rep: selectors.Report) -> list[dict]:
    sections = [("jenis_kelamin", _("Jenis kelamin")), ("umur", _("Umur")), ("pendidikan", _("Pendidikan")),
                ("pekerjaan", _("Pekerjaan")), ("sumber", _("Cara mengisi"))]
    out = []
    for key, title in sections:
        counts = rep.sources if key == "sumber" else rep.profile.get(key, [])
        out.append({"key": key, "title": title,
                    "rows": [(label, n, percent(n, rep.respondents)) for label, n in counts]})
    return out


@staff_required
@require_GET
def report(request):
    """The SKM report of a period (default: this semester), for every staff role of the office."""
    office, choice, office_weight, rep, services_by_code, units = _load(request)
    r = rep.result
    elements = []
    nrr_chart = None
    if r is not None:
        elements = [{"n": i, "key": e.key, "name": e.name, "answered": e.answered, "total": e.total,
                     "nrr": decimal(e.nrr, NRR_PLACES), "weighted": decimal(e.weighted, WEIGHTED_PLACES)}
                    for i, e in enumerate(r.elements, 1)]
        # Exact NRRs: the text is rounded from the fraction, as in the table.
        nrr_chart = hbars([(e.name, e.nrr) for e in r.elements], low=1, high=4,
                          ticks=[(v, str(v)) for v in (1, 2, 3, 4)], text=lambda v: _num(v, NRR_PLACES))
    trend_rows, trend_chart = _trend(rep)
    weights = dict(Setting.Weight.choices)
    query = choice.query()
    return render(request, "surveys/report.html", {
        "office": office, "choice": choice, "period": choice.period, "report": rep, "result": r,
        "summary": {"ikm": decimal(r.ikm, IKM_PLACES), "unit": decimal(r.ikm_unit, UNIT_PLACES)} if r else None,
        "elements": elements, "nrr_chart": nrr_chart,
        "by_service": [_group(g) for g in rep.by_service], "by_unit": [_group(g) for g in rep.by_unit],
        "trend": trend_rows, "trend_chart": trend_chart, "profile": _profile(rep),
        "suggestions_more": rep.suggestions_total - len(rep.suggestions),
        "kinds": [(k, _(KIND_LABELS[k])) for k in KINDS], "numbers": range(1, 13),
        "services": services_by_code, "units": units,
        "weights": Setting.Weight.choices, "office_weight": office_weight,
        "office_weight_label": weights.get(office_weight, office_weight),
        "weight_label": weights.get(rep.weight, rep.weight), "previewing": rep.weight != office_weight,
        "query": query, "filtered": bool(choice.service_code or choice.unit_code),
        "can_publish": services.may_publish(request.user), "can_set_weight": services.may_set_weight(request.user),
        "publications": list(selectors.publications(office=office)[:PUBLICATIONS_SHOWN]),
        "collector_roles": services.COLLECTORS,
    })


# --- the files ------------------------------------------------------------------------------

@staff_required
@require_GET
def report_pdf(request):
    """The report as an A4 PDF, laid out as the office publishes it (every suggestion)."""
    _office, choice, _w, rep, _s, _u = _load(request, every_suggestion=True)
    pdf = exports.report_pdf(rep, service_name=choice.service_name, unit_name=choice.unit_name)
    return file_response(pdf, filename=exports.filename(rep, "pdf"))


@staff_required
@require_GET
def report_xlsx(request):
    """The report as an XLSX workbook (sheets IKM, Per layanan, Per unit, Tren, Profil, Saran)."""
    _office, choice, _w, rep, _s, _u = _load(request, every_suggestion=True)
    out = exports.report_xlsx(rep, service_name=choice.service_name, unit_name=choice.unit_name)
    return FileResponse(out, as_attachment=True, filename=exports.filename(rep, "xlsx"),
                        content_type=exports.XLSX_TYPE)


# --- the acts ---------------------------------------------------------------------------------

def _back(post) -> str:
    """The report the form was sent from (its period and filters, as posted)."""
    params = {k: post.get(k, "").strip()[:40] for k in PERIOD_KEYS + FILTER_KEYS if post.get(k, "").strip()}
    url = reverse("surveys_staff:report")
    return f"{url}?{urlencode(params)}" if params else url


@staff_required
@require_POST
def publish(request):
    """Publish the IKM of the posted period (Camat, Sekcam): the public board shows it."""
    office = staff_of(request.user).office
    p = request.POST
    try:
        period = parse(p.get("jenis"), p.get("tahun"), p.get("ke"), today=timezone.localdate())
        # PermissionDenied goes through: 403.
        pub = services.publication_publish(office=office, actor=request.user, period=period)
    except PeriodError as exc:
        messages.error(request, _("Periode tidak valid: %(reason)s Tidak ada yang dipublikasikan.") % {"reason": exc})
    except WrongState as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Hasil IKM %(period)s dipublikasikan: %(unit)s (mutu %(grade)s, %(label)s).") % {
            "period": pub.period_label, "unit": number_format(pub.ikm_unit, decimal_pos=UNIT_PLACES),
            "grade": pub.grade, "label": pub.grade_label})
    return redirect(_back(p))


@staff_required
@require_POST
def weight(request):
    """Set the office's weight of each element (Camat, Sekcam, Admin)."""
    office = staff_of(request.user).office
    try:
        setting = services.weight_set(office=office, actor=request.user, weight=request.POST.get("bobot", "").strip())
    except InvalidInput as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, _("Bobot IKM kantor diubah menjadi %(weight)s.") % {
            "weight": setting.get_weight_display()})
    return redirect(_back(request.POST))
