"""PLACEHOLDER: being written (issue 7)."""

from django.http import Http404



def availability(request, *args, **kwargs):
    raise Http404("belum tersedia")
