from django import template

from loket.core import formats, money

register = template.Library()


@register.filter
def rupiah(value):
    """{{ 1000000|rupiah }} → Rp 1.000.000"""
    if value in (None, ""):
        return ""
    return money.rupiah(value)


@register.filter
def tanggal(value):
    """{{ date|tanggal }} → 1 Agustus 2018"""
    return formats.tanggal(value)


@register.filter
def phone_href(value: str) -> str:
    """A tel:/wa.me target from an Indonesian number as printed, e.g. 0822… → 62822…"""
    digits = "".join(c for c in str(value) if c.isdigit())
    return "62" + digits[1:] if digits.startswith("0") else digits
