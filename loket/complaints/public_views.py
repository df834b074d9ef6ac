"""Public pages of complaints (being written in this session)."""
from django.http import HttpResponse


def _todo(*a, **k):
    return HttpResponse(status=501)


form = track = track_detail = feedback = _todo
