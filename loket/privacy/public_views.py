"""/<office>/privasi/: the privacy notice (pemberitahuan pelindungan data pribadi) rendered from
the office's register of processing and its officer (UU 27/2022: the data subject's right to
information about the processing). No login; cached for visitors like the other public pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from loket.core.cache import public_page
from loket.offices.models import Office
from loket.privacy import selectors
from loket.privacy.models import Processing


@require_GET
@public_page
def notice(request, office):
    found = Office.objects.filter(slug=office).first()
    if found is None:
        raise Http404("Kantor tidak ditemukan.")
    return render(request, "privacy/notice.html", {
        "office": found, "notice": selectors.notice(office=found), "bases": dict(Processing.Basis.choices)})
