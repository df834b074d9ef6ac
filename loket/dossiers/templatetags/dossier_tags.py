from django import template

from loket.dossiers import codes

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def code_display(code):
    """ABCD-EFGH, for reading a code aloud."""
    return codes.display(code or "")


@register.filter
def minutes(delta):
    """A timedelta as whole minutes and seconds, e.g. "6 mnt 05 dtk"."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    if seconds >= 86400:
        return f"{seconds // 86400} hari {seconds % 86400 // 3600} jam"
    return f"{seconds // 60} mnt {seconds % 60:02d} dtk"
