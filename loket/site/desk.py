"""The staff desk across apps: the home that sends each role to its work list, and the one search
box of the staff menu (dossiers and complaints). Routed from loket/urls.py inside the "dossiers"
namespace, so the URL names dossiers:home and dossiers:search stay as they were."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from loket.complaints import selectors as complaint_selectors
from loket.core.web import office_of, staff_required
from loket.dossiers import selectors
from loket.offices.roles import Role, can_see_full_nik, staff_of


@staff_required
def home(request):
    """Each role lands on its own work list."""
    role = staff_of(request.user).role
    target = {
        Role.KASI: "dossiers:kasi", Role.SEKCAM: "dossiers:signature", Role.CAMAT: "dossiers:signature",
    }.get(role, "dossiers:today")
    return redirect(target)


@staff_required
@require_GET
def search(request):
    q = request.GET.get("q", "").strip()[:100]
    office = office_of(request)
    full_nik = can_see_full_nik(request.user)
    rows = [(d, selectors.dossier_clock(d)) for d in selectors.dossier_search(office=office, query=q, full_nik=full_nik)] if q else []
    if selectors.nik_search_refused(query=q, full_nik=full_nik):
        messages.warning(request, "Pencarian dengan NIK hanya untuk petugas yang berhak melihat NIK lengkap. "
                                  "Cari dengan kode berkas atau nama pemohon.")
    # The one search box of the staff menu finds complaints too (by code, subject or name).
    complaints = list(complaint_selectors.complaint_list(office=office, query=q, limit=20)) if q else []
    return render(request, "dossiers/search.html", {"rows": rows, "q": q, "complaints": complaints})


# Put before the dossiers' own patterns ("berkas/cari/" before "berkas/<code>/").
urlpatterns = [
    path("", home, name="home"),
    path("berkas/cari/", search, name="search"),
]
