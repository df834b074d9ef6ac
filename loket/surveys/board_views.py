"""PLACEHOLDER: being written (issue 6)."""

from django.http import Http404



def board(request, *args, **kwargs):
    raise Http404("belum tersedia")
