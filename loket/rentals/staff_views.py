"""Staff screens of the hall (sewa gedung pertemuan), under /staf/gedung/: the month board
(Papan Penyewa), taking an order, a booking with its acts, and its papers.

The views translate requests into calls of services and selectors, and their errors into
messages: every staff member of the office may look; taking orders and the acts are the
Bendahara Penerimaan's and the Kasubbag Umum dan Keuangan's (policy.may_handle), recording a
payment the Bendahara's alone; the services check it again."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from loket.catalog.models import Edition, Tariff
from loket.core import codes, flow
from loket.core.money import AmountError, rupiah, rupiah_parse
from loket.core.web import file_response, month_nav, month_parse, staff_required
from loket.offices.roles import staff_of
from loket.rentals import papers, policy, selectors, services
from loket.rentals.models import Booking, Session
from loket.core.errors import InvalidInput, WrongState
from loket.rentals.policy import date_check
from loket.privacy.models import Access
from loket.privacy.services import access_record

S = Booking.State

DAY_NAMES = [gettext_lazy("Senin"), gettext_lazy("Selasa"), gettext_lazy("Rabu"), gettext_lazy("Kamis"),
             gettext_lazy("Jumat"), gettext_lazy("Sabtu"), gettext_lazy("Minggu")]
MONTH_NAMES = [gettext_lazy("Januari"), gettext_lazy("Februari"), gettext_lazy("Maret"), gettext_lazy("April"),
               gettext_lazy("Mei"), gettext_lazy("Juni"), gettext_lazy("Juli"), gettext_lazy("Agustus"),
               gettext_lazy("September"), gettext_lazy("Oktober"), gettext_lazy("November"),
               gettext_lazy("Desember")]

# The fields of the order form, as services.booking_clean reads them.
FORM_FIELDS = ("venue", "date", "days", "session", "channel", "renter_type", "renter_name", "organisation",
               "phone", "event", "attendance", "cleaning", "security", "parking", "note")
STAFF_FIELDS = {"cleaning": "kebersihan", "security": "keamanan", "parking": "parkir"}
# What the submit buttons of the form ask for.
ORDER, INQUIRY, QUOTE = "pesan", "tanya", "hitung"


def _office(request):
    return staff_of(request.user).office


def _get_or_404(request, code) -> Booking:
    # Looked up within the user's own office: another office's code is "not found", not "forbidden".
    b = selectors.booking_get(office=_office(request), code=code)
    if b is None:
        raise Http404(_("Pesanan sewa gedung tidak ditemukan."))
    return b


# --- the board (Papan Penyewa) ------------------------------------------------------------------

def _month_of(request) -> tuple[int, int]:
    """The month asked for by ?bulan=YYYY-MM (loket.core.web.month_parse), or this month with the
    board's own message when it was bad."""
    today = timezone.localdate()
    raw = request.GET.get("bulan", "").strip()
    year, month, error = month_parse(raw, today, two_digits=True)
    if error:
        messages.warning(request, _("Bulan \"%(raw)s\" tidak dikenal; tulis TTTT-BB, misalnya %(example)s. "
                                    "Ditampilkan bulan ini.") % {"raw": raw[:20], "example": f"{today:%Y-%m}"})
    return year, month


def _weeks(days: list[selectors.Day]) -> list[list[tuple]]:
    """The month's days in rows of Monday … Sunday, each as (day name, Day), with None for the
    days of the months around (the name is shown where a phone lists the days one under another)."""
    cells: list[selectors.Day | None] = [None] * days[0].date.weekday() + list(days)
    cells += [None] * (-len(cells) % 7)
    return [list(zip(DAY_NAMES, cells[i:i + 7])) for i in range(0, len(cells), 7)]


@staff_required
@require_GET
def board(request):
    office = _office(request)
    year, month = _month_of(request)
    nav = month_nav(year, month)
    venues = list(selectors.venues(office=office))
    wanted = request.GET.get("gedung", "").strip()
    venue = next((v for v in venues if v.code == wanted), venues[0] if venues else None)
    first = dt.date(year, month, 1)
    last = first.replace(day=calendar.monthrange(year, month)[1])
    weeks, rows = [], []
    if venue is not None:
        weeks = _weeks(selectors.board(venue=venue, year=year, month=month))
        # Bookings of the month, also those that began in the month before and run into it.
        start = first - dt.timedelta(days=services.MAX_DAYS - 1)
        rows = [b for b in selectors.bookings(office=office, start=start, end=last).filter(venue=venue)
                if b.date + dt.timedelta(days=b.days - 1) >= first]
    return render(request, "rentals/board.html", {
        "office": office, "venues": venues, "venue": venue, "weeks": weeks, "rows": rows,
        "day_names": DAY_NAMES, "month_name": MONTH_NAMES[month - 1], "year": year, "month": month,
        "bulan": nav["value"], "prev": (nav["prev"] or nav)["value"], "next": (nav["next"] or nav)["value"],
        "this_month": f"{timezone.localdate():%Y-%m}", "today": timezone.localdate(),
        "can_handle": policy.may_handle(request.user),
    })


# --- taking an order ---------------------------------------------------------------------------

def _tariffs(office, venue) -> dict[str, Tariff]:
    """The tariff lines of the venue's service in the edition in force, by code (one query)."""
    code = venue.service_code if venue else "sewa-gedung"
    return {t.code: t for t in Tariff.objects.filter(service__edition__office=office, service__code=code,
                                                     service__edition__status=Edition.Status.ACTIVE)}


def _form_context(office, values, *, errors=None, quote=None) -> dict:
    venues = list(selectors.venues(office=office))
    venue = next((v for v in venues if v.code == values.get("venue")), venues[0] if venues else None)
    tariffs = _tariffs(office, venue)
    sessions = []
    for value, label in Session.choices:
        t = tariffs.get(value)
        sessions.append((value, f"{t.label} — {rupiah(t.unit_price)}" if t else label))
    staff_labels = {}
    for field, code in STAFF_FIELDS.items():
        t = tariffs.get(code)
        staff_labels[field] = (_("%(label)s (%(n)s %(unit)s × %(price)s per hari)") % {
            "label": t.label, "n": t.quantity, "unit": t.unit or "orang", "price": rupiah(t.unit_price)}
            if t else code.title())
    errors = errors or {}
    return {
        "v": values, "errors": errors, "quote": quote, "venues": venues, "venue": venue,
        "other_errors": [m for k, ms in errors.items() if k not in FORM_FIELDS for m in ms],
        "sessions": sessions, "channels": Booking.Channel.choices, "renter_types": Booking.RenterType.choices,
        "staff_fields": [(f, staff_labels[f], bool(values.get(f)), errors.get(f, [])) for f in STAFF_FIELDS], "max_days": services.MAX_DAYS,
        "min_date": timezone.localdate().isoformat(),
    }


def _initial(request) -> dict:
    g = request.GET
    values = {"days": "1", "channel": Booking.Channel.LETTER, "venue": g.get("gedung", "")[:40]}
    day, why = date_check(g.get("tanggal", ""), today=timezone.localdate())
    if day and not why:
        values["date"] = day.isoformat()
    if g.get("sesi") in Session.values:
        values["session"] = g["sesi"]
    return values


def _posted(post) -> dict:
    # A field the form did not send is left out, so that the service's default applies (days: 1).
    data = {k: post[k].strip() for k in FORM_FIELDS if k in post}
    for field in STAFF_FIELDS:
        data[field] = "1" if post.get(field) else ""
    return data


@staff_required
@require_http_methods(["GET", "POST"])
def booking_new(request):
    """An order that came by letter, telephone or at the desk (Buku Register Penyewa), or a
    question only (inquiry: noted, holds nothing). "Hitung harga" shows the quote, saves nothing."""
    if not policy.may_handle(request.user):
        raise PermissionDenied(_("Pesanan sewa gedung dicatat oleh Bendahara Penerimaan atau Kasubbag Umum "
                                 "dan Keuangan."))
    office = _office(request)
    if request.method != "POST":
        return render(request, "rentals/booking_form.html", _form_context(office, _initial(request)))
    data = _posted(request.POST)
    action = request.POST.get("aksi", ORDER)
    try:
        if action == QUOTE:
            c = services.booking_clean(office=office, data=data)
            quote = services.quote_for(office=office, venue=c["venue"], session=c["session"], days=c["days"],
                                       government=c["government"], cleaning=c["cleaning"],
                                       security=c["security"], parking=c["parking"])
            return render(request, "rentals/booking_form.html",
                          _form_context(office, data, quote=quote.as_json()))
        b = services.booking_create(office=office, actor=request.user, data=data, inquiry=action == INQUIRY)
    except InvalidInput as exc:
        messages.error(request, _("Data belum benar; periksa isian yang ditandai. Tidak ada yang disimpan."))
        return render(request, "rentals/booking_form.html",
                      _form_context(office, data, errors=exc.errors), status=400)
    except services.Taken as exc:
        messages.error(request, _("Sesi yang diminta sudah dipesan. Tidak ada yang disimpan."))
        return render(request, "rentals/booking_form.html",
                      _form_context(office, data, errors={"session": [str(exc)]}), status=409)
    if b.state == S.INQUIRY:
        messages.success(request, _("Pertanyaan %(code)s dicatat; sesi belum dipesan.") % {
            "code": codes.display(b.code)})
    else:
        messages.success(request, _("Pesanan %(code)s dicatat di Buku Register Penyewa nomor %(number)s.") % {
            "code": codes.display(b.code), "number": b.register_entry.number_display})
    return redirect("rentals:detail", code=b.code)


# --- a booking ----------------------------------------------------------------------------------

@staff_required
@require_GET
def detail(request, code):
    b = _get_or_404(request, code)
    if b.code != code:
        return redirect("rentals:detail", code=b.code)
    if b.phone:  # the renter's telephone, in full to the office's staff
        access_record(actor=request.user, office_id=b.office_id, kind=Access.Kind.BOOKING, record=b.code,
                      purpose="Halaman sewa aula", fields="telepon")
    return render(request, "rentals/detail.html", {
        "b": b, "display_code": codes.display(b.code), "quote": b.quote, "acts": policy.acts_allowed(b, request.user),
        "transitions": list(b.transitions.all()), "last_day": b.date + dt.timedelta(days=b.days - 1),
        "used_from": b.date,
        "use_later": "use" in policy.acts_waiting(b, request.user), "bulan": f"{b.date:%Y-%m}",
        "paid": papers.has_receipt(b), "may_deposit": policy.deposit_allowed(b, request.user),
    })


def _run(action, code, user, p):
    """Run the act (services.RUN) with what the form holds. The amount is what the Bendahara typed:
    1350000, 1.350.000 or Rp 1.350.000 (loket.core.money). Anything else ("1.5" is no 15 rupiah) is
    refused with why, next to the service's own refusal, which comes first so that the wrong role
    is still a 403 and a wrong state still a message about the state."""
    data = {"reason": p.get("reason", ""), "amount": None}
    if action == "pay":
        try:
            data["amount"] = rupiah_parse(p.get("amount", ""))
        except AmountError as why:
            try:
                return flow.perform(services.RUN, action, code=code, actor=user, data=data)
            except InvalidInput as exc:
                raise InvalidInput({"amount": [str(why), *exc.errors.get("amount", [])]}) from None
    return flow.perform(services.RUN, action, code=code, actor=user, data=data)


@staff_required
@require_POST
def act(request, code, action):
    if action not in services.RUN:
        raise Http404(_("Tindakan tidak dikenal."))
    code = _get_or_404(request, code).code
    try:
        b = _run(action, code, request.user, request.POST)
    except InvalidInput as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except (WrongState, services.Taken) as exc:
        messages.error(request, str(exc))
    except Booking.DoesNotExist:
        raise Http404(_("Pesanan sewa gedung tidak ditemukan.")) from None
    else:
        text = _("Pesanan %(code)s: %(state)s.") % {"code": codes.display(b.code), "state": b.get_state_display()}
        if action == "confirm":
            text += " " + _("Buku Register Penyewa nomor %(number)s.") % {"number": b.register_entry.number_display}
        elif action == "pay":
            text += " " + _("Kuitansi nomor %(number)s.") % {"number": b.receipt_entry.number_display}
        messages.success(request, text)
    return redirect("rentals:detail", code=code)


@staff_required
@require_GET
def paper(request, code, paper):
    from loket.papers.models import Document
    from loket.papers.services import document_pdf

    b = _get_or_404(request, code)
    kind = {"penawaran": Document.Kind.QUOTE, "kuitansi": Document.Kind.RECEIPT, "skrd": Document.Kind.SKRD}.get(paper)
    if kind is None:
        raise Http404(_("Kertas tidak dikenal."))
    if kind == Document.Kind.RECEIPT and not papers.has_receipt(b):  # not paid, or refunded on cancellation
        raise Http404(_("Pesanan ini belum dibayar; kuitansi belum ada."))
    # the paper as issued (numbered, stored); an inquiry not yet booked gets an unnumbered draft quote
    issued = Document.objects.filter(office=b.office, reference=b.code, kind=kind).order_by("-issued_at", "-pk").first()
    if issued is not None:
        pdf = document_pdf(issued)
    elif paper == "penawaran":
        pdf = papers.quote_pdf(booking=b)
    elif paper == "skrd":
        if not b.skrd_entry_id:
            raise Http404(_("Pesanan ini belum mempunyai SKRD."))
        pdf = papers.skrd_pdf(booking=b)
    else:
        pdf = papers.receipt_pdf(booking=b)
    return file_response(pdf, filename=f'{paper}-{b.code}.pdf', inline=True)
