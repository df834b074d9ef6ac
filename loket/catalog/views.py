"""Public pages of the Standar Pelayanan. Views only translate requests into selector calls."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.web import file_response
from loket.catalog import selectors
from loket.core.cache import public_page
from loket.catalog.rules import PHOTO_RULE_SERVICES, own_maklumat, photo_background
from loket.catalog.models import ServiceType
from loket.offices.models import Office


def _office_and_edition(slug):
    office = selectors.office_get(slug)
    edition = selectors.edition_active(office=office)
    if edition is None:
        raise Http404("Kantor ini belum mempunyai standar pelayanan yang berlaku.")
    return office, edition


@require_GET
def index(request):
    default = selectors.office_default()
    offices = list(Office.objects.order_by("name")[:200])
    if default is not None and (len(offices) == 1 or request.GET.get("semua") is None):
        return redirect("catalog:home", office=default.slug)
    return render(request, "catalog/index.html", {"offices": offices})


@require_GET
@public_page
def home(request, office):
    office, edition = _office_and_edition(office)
    services = selectors.service_rows(edition=edition)
    # The bundled model maklumat is nobody's promise: shown as a model, without the Camat's name,
    # until the office enters its own (docs/standard-notes.md, item 11).
    return render(request, "catalog/home.html", {"office": office, "edition": edition, "services": services,
                                                  "own_maklumat": own_maklumat(office)})


@require_GET
@public_page
def service_list(request, office):
    office, edition = _office_and_edition(office)
    q = request.GET.get("q", "").strip()[:100]
    unit = request.GET.get("unit", "").strip()[:40]
    fee = request.GET.get("biaya", "").strip()[:20]
    services = selectors.service_rows(edition=edition, query=q, unit=unit, fee=fee)
    context = {
        "office": office, "edition": edition, "services": services, "q": q, "unit": unit, "fee": fee,
        "units": office.units.all(), "fee_kinds": ServiceType.FeeKind.choices,
    }
    if request.htmx:
        return render(request, "catalog/_service_rows.html", context)
    return render(request, "catalog/service_list.html", context)


@require_GET
@public_page
def service_detail(request, office, code):
    office, edition = _office_and_edition(office)
    service = selectors.service_get(edition=edition, code=code)
    context = {"office": office, "edition": edition, "service": service}
    if code in PHOTO_RULE_SERVICES:
        context["photo_rule"] = _photo_rule(request.GET.get("tahun_lahir", ""))
    return render(request, "catalog/service_detail.html", context)


def _photo_rule(value: str) -> dict:
    """The citizen types a birth year; the page answers with the background colour."""
    value = value.strip()
    if not value:
        return {"year": None}
    if not (value.isdigit() and len(value) == 4 and 1900 <= int(value) <= timezone.localdate().year):
        return {"year": value, "error": _("Tulis tahun lahir dengan empat angka, misalnya 1990.")}
    colour = photo_background(int(value))
    return {"year": int(value), "colour": colour, "colour_label": _("merah") if colour == "merah" else _("biru")}


@require_GET
def standard_pdf(request, office):
    from loket.catalog.pdf import standard_book_pdf

    office, edition = _office_and_edition(office)
    pdf = standard_book_pdf(edition=edition, services=list(selectors.services_of(edition=edition)))
    return file_response(pdf, filename=f'standar-pelayanan-{office.slug}-{edition.year}.pdf', inline=True)
