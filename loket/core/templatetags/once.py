"""``{% once_token %}``: the hidden field that makes a form single-use (loket.core.once).

Put it in every form that changes something, next to ``{% csrf_token %}``::

    {% load once %}
    <form method="post">{% csrf_token %}{% once_token %} … </form>
"""

from django import template
from django.utils.html import format_html

from loket.core import once

register = template.Library()


@register.simple_tag
def once_token():
    """A fresh token for each rendering: a form shown again after an error gets a new one too."""
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.token_new())
