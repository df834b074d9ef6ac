"""PLACEHOLDER: being written (issue 7)."""

from django.http import Http404



def retribution(request, *args, **kwargs):
    raise Http404("belum tersedia")


def retribution_xlsx(request, *args, **kwargs):
    raise Http404("belum tersedia")


def retribution_pdf(request, *args, **kwargs):
    raise Http404("belum tersedia")


def register_xlsx(request, *args, **kwargs):
    raise Http404("belum tersedia")


def register_pdf(request, *args, **kwargs):
    raise Http404("belum tersedia")
