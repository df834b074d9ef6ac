from django import template

from loket.core import codes, formats
from loket.core.nik import nik_mask

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def mask_digits(value):
    """NIK/KK for roles that may not read them in full (both start with the region code)."""
    return nik_mask(str(value or ""))


@register.filter
def mask_phone(value):
    """0812******90: enough to confirm with the applicant, not to call them."""
    digits = str(value or "")
    return digits[:4] + "*" * max(0, len(digits) - 6) + digits[-2:] if len(digits) > 6 else "*" * len(digits)


@register.filter
def code_display(code):
    """ABCD-EFGH, for reading a code aloud."""
    return codes.display(code or "")


@register.filter
def minutes(delta):
    """A timedelta as whole minutes and seconds, e.g. "6 mnt 05 dtk" ("6 min 05 s" in English)."""
    return formats.elapsed(delta)
