"""The staff desk across apps: the home that sends each role to its work list, and the one search
box of the staff menu (dossiers and complaints). Routed from loket/urls.py inside the "dossiers"
namespace, so the URL names dossiers:home and dossiers:search stay as they were."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from loket.complaints import selectors as complaint_selectors
from loket.core.web import office_of, staff_required
from loket.dossiers import selectors
from loket.offices.roles import Role, can_see_full_nik, staff_of


# Where each role lands (the staff home, and the page after logging in): its own work. One
# table, so no view compares roles. Anyone else with a staff record lands on the counter's list.
LANDING = {
    Role.FRONT_OFFICE: "dossiers:today",      # today's dossiers at the counter
    Role.KASI: "dossiers:kasi",               # dossiers of the unit waiting for the paraf
    Role.SEKCAM: "leadership:desk",           # the office at a glance; signatures waiting is one figure
    Role.CAMAT: "leadership:desk",
    Role.BENDAHARA: "rentals:board",          # the hall's board: orders, payments, use
    Role.PPAT_OFFICER: "deeds:list",          # the deed cases
    Role.ADMIN: "admin:index",                # the office's data: catalog, units, staff (admin_scope)
}
LANDING_DEFAULT = "dossiers:today"


def landing(user) -> str:
    """The URL name of ``user``'s own work list (LANDING)."""
    staff = staff_of(user)
    return LANDING.get(getattr(staff, "role", None), LANDING_DEFAULT)


@staff_required
def home(request):
    """Each role lands on its own work list."""
    return redirect(landing(request.user))


@staff_required
@require_GET
def search(request):
    q = request.GET.get("q", "").strip()[:100]
    office = office_of(request)
    # An exact tracking or verification code opens its dossier (the paper or the citizen's
    # receipt in hand: no one-row list to click through).
    exact = selectors.dossier_code_exact(office=office, query=q) if q else None
    if exact:
        return redirect("dossiers:detail", code=exact)
    full_nik = can_see_full_nik(request.user)
    rows = [(d, selectors.dossier_clock(d)) for d in selectors.dossier_search(office=office, query=q, full_nik=full_nik)] if q else []
    if selectors.nik_search_refused(query=q, full_nik=full_nik):
        messages.warning(request, _("Pencarian dengan NIK hanya untuk petugas yang berhak melihat NIK lengkap. "
                                    "Cari dengan kode berkas atau nama pemohon."))
    # The one search box of the staff menu finds complaints too (by code, subject or name).
    complaints = list(complaint_selectors.complaint_list(office=office, query=q, limit=20)) if q else []
    return render(request, "dossiers/search.html", {"rows": rows, "q": q, "complaints": complaints})


# Put before the dossiers' own patterns ("berkas/cari/" before "berkas/<code>/").
urlpatterns = [
    path("", home, name="home"),
    path("berkas/cari/", search, name="search"),
]
