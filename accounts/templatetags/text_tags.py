"""Text typed by people (names, group names, notes) keeps its own direction inside a page.

A Dutch note "Oefen dit thuis." on an Arabic page would otherwise show its full stop on the wrong
side, and an Arabic name in a Dutch sentence could pull the words around it out of order. `<bdi>`
isolates the text and lets the browser pick its direction from its first strong letter.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value):
    """{{ group.name|bdi }} -> <bdi>Groep één</bdi>, escaped; usable inside {% blocktranslate with %}."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)
