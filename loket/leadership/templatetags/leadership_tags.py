"""Figures of the leadership's pages: one decimal (or ``|decimal:2``) with the page's decimal mark, a dash for none."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def decimal(value, places=1):
    return "—" if value is None else number_format(value, int(places))


@register.filter
def percent(value):
    return "—" if value is None else f"{number_format(value, 1)} %"
