"""Reports and exports of complaints (being written in this session)."""
from django.http import HttpResponse


def _todo(*a, **k):
    return HttpResponse(status=501)


report = book_xlsx = book_pdf = _todo
