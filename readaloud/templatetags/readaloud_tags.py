"""The read-aloud button of a lesson block (readaloud.js does the reading)."""

from django import template

from ..selectors import READABLE_BLOCKS

register = template.Library()


@register.filter
def read_aloud_able(block_type: str) -> bool:
    return block_type in READABLE_BLOCKS


@register.inclusion_tag("readaloud/button.html")
def read_aloud_button(target_id: str):
    return {"target_id": target_id}
