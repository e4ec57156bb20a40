from django import template
from django.utils.html import format_html

from learn.personal import part

from ..display import display_classes

register = template.Library()


@register.simple_tag(takes_context=True)
def display_attributes(context):
    """The class attribute of <html> with a signed-in person's display preferences (accounts/display.py).

    Rendered on the server, so the first paint is right. A guest's page gets nothing here, since it
    may be cached and shown to anyone: learn/js/preferences.js adds the guest's classes from the
    browser's storage (base.html tells it with a meta tag whether the account decides instead).
    """
    request = context.get("request")
    if request is not None:
        # Through learn/personal.py: a page shared by all signed-in learners gets each one's own classes.
        return part(request, "html_class")
    return display_class_attribute(context.get("user"))


def display_class_attribute(user) -> str:
    if user is not None and user.is_authenticated:
        classes = display_classes(user.display_preferences)
        if classes:
            return format_html(' class="{}"', classes)
    return ""
