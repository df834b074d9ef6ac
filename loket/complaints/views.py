"""Staff screens of complaints (being written in this session)."""
from django.http import HttpResponse


def _todo(*a, **k):
    return HttpResponse(status=501)


worklist = complaint_list = overdue_list = record = detail = attachment = act = _todo
