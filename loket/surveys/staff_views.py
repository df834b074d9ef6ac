"""PLACEHOLDER: being written (issue 6)."""

from django.http import Http404



def kiosk(request, *args, **kwargs):
    raise Http404("belum tersedia")


def import_forms(request, *args, **kwargs):
    raise Http404("belum tersedia")


def import_template(request, *args, **kwargs):
    raise Http404("belum tersedia")
