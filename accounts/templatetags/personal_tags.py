"""{% personal "name" %}: a personal part of a page (learn/personal.py says why and how)."""

from django import template

from learn.personal import part

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name: str, arg="") -> str:
    return part(context["request"], name, str(arg))
