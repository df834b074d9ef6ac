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
    """{{ date|tanggal }} → 1 Agustus 2018 (1 August 2018 when the page is in English)"""
    return formats.date_text(value)


@register.filter
def tanggal_jam(value):
    """{{ moment|tanggal_jam }} → 1 Agustus 2018 14:05 WIB (1 August 2018, 14:05 WIB in English)"""
    return formats.date_text(value, with_time=True)


@register.filter
def duration(service):
    """{{ service|duration }}: the standard's wording ("5 - 10 menit") in Indonesian, the time from
    its numbers in English ("5–10 minutes"); anything without numbers keeps its wording."""
    low, high = getattr(service, "duration_min", None), getattr(service, "duration_max", None)
    if not formats.english() or low is None or high is None:
        return getattr(service, "duration_text", "")
    return formats.duration(low, high, service.duration_unit)


@register.filter
def phone_href(value: str) -> str:
    """A tel:/wa.me target from an Indonesian number as printed, e.g. 0822… → 62822…"""
    digits = "".join(c for c in str(value) if c.isdigit())
    return "62" + digits[1:] if digits.startswith("0") else digits
