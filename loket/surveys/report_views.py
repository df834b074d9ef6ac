"""PLACEHOLDER: being written (issue 6)."""

from django.http import Http404



def report(request, *args, **kwargs):
    raise Http404("belum tersedia")


def report_pdf(request, *args, **kwargs):
    raise Http404("belum tersedia")


def report_xlsx(request, *args, **kwargs):
    raise Http404("belum tersedia")


def publish(request, *args, **kwargs):
    raise Http404("belum tersedia")


def weight(request, *args, **kwargs):
    raise Http404("belum tersedia")
