"""PLACEHOLDER: being written (issue 7)."""

from django.http import Http404



def board(request, *args, **kwargs):
    raise Http404("belum tersedia")


def booking_new(request, *args, **kwargs):
    raise Http404("belum tersedia")


def detail(request, *args, **kwargs):
    raise Http404("belum tersedia")


def paper(request, *args, **kwargs):
    raise Http404("belum tersedia")


def act(request, *args, **kwargs):
    raise Http404("belum tersedia")
