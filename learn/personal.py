"""The personal parts of a page that is otherwise the same for every signed-in learner.

A page rendered for the shared page cache (learn/signed_in_cache.py) holds a marker where a personal
part goes: the CSRF token, the learner's name and menu, their display preferences, their messages,
whether they tried a simulator. The marker is filled for each request from the learner's own data,
so one cached body serves every learner and no learner's part ever lands in it. Outside the shared
cache the same functions render the parts in place, so both ways show exactly the same.

Markers carry a nonce derived from SECRET_KEY, so text an editor types can never be taken for one.
"""

import functools
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

# Set on the request while a page is rendered for the shared cache.
SHARED_RENDER_ATTR = "shared_page_render"


def _nonce() -> str:
    return hashlib.sha256(f"personal-marker:{settings.SECRET_KEY}".encode()).hexdigest()[:16]


_NONCE = SimpleLazyObject(_nonce)
# Characters HTML escaping leaves alone, so a marker survives {% csrf_token %} and attribute values.
_ARG = re.compile(r"^[A-Za-z0-9_-]*$")


def marker(name: str, arg: str = "") -> SafeString:
    if not _ARG.match(arg):
        raise ValueError(f"personal part argument {arg!r} may hold only letters, digits, - and _")
    return mark_safe(f"%%oefp:{_NONCE}:{name}:{arg}%%")


def shared_render(request) -> bool:
    return bool(getattr(request, SHARED_RENDER_ATTR, False))


def _user(request):
    # Error pages can be rendered before the authentication middleware ran.
    from django.contrib.auth.models import AnonymousUser

    return getattr(request, "user", None) or AnonymousUser()


def _context(request) -> dict:
    from accounts.navigation import role_links_list

    user = _user(request)
    return {
        "request": request,
        "user": user,
        # Lazy: asking for the token sets the CSRF cookie, which only pages that use it should do.
        "csrf_token": SimpleLazyObject(lambda: get_token(request)),
        "messages": get_messages(request),
        "role_links": SimpleLazyObject(lambda: role_links_list(user=user)),
    }


def _template(name: str) -> Callable:
    return lambda request, _arg: render_to_string(f"accounts/personal/{name}.html", _context(request))


def _html_class(request, _arg) -> str:
    from accounts.templatetags.display_tags import display_class_attribute

    return display_class_attribute(_user(request))


def _learner(request, _arg) -> str:
    user = _user(request)
    return str(user.public_id) if user.is_authenticated else ""


def _csrf(request, _arg) -> str:
    return get_token(request)


# name -> function(request, arg) returning HTML that is safe as it is.
PARTS: dict[str, Callable] = {
    "html_class": _html_class,
    "learner": _learner,
    "csrf": _csrf,
    "nav": _template("nav"),
    "account": _template("account"),
    "messages": _template("messages"),
    # The idle warning counts down from the time this request found in the session.
    "idle": _template("idle"),
}


def personal_part_register(name: str, function: Callable) -> None:
    """A part owned by a higher app (e.g. sandboxes' "tried" mark), registered from its AppConfig.ready(),
    so this module never imports the apps that use it: function(user, arg) -> safe HTML."""
    PARTS[name] = lambda request, arg: function(_user(request), arg)


def part(request, name: str, arg: str = "") -> SafeString:
    """A personal part: a marker while the page is rendered for the shared cache, else the part itself."""
    if name not in PARTS:
        raise KeyError(f"no personal part {name!r}")
    if shared_render(request):
        return marker(name, arg)
    return mark_safe(PARTS[name](request, arg))


@functools.cache
def _pattern() -> re.Pattern:
    return re.compile(rf"%%oefp:{_NONCE}:([a-z_]+):([A-Za-z0-9_-]*)%%")


def fill(request, content: str) -> str:
    """Replace every marker in a shared body with this request's own parts (each rendered once)."""
    pattern = _pattern()
    done: dict[tuple, str] = {}

    def replace(match) -> str:
        key = match.groups()
        if key not in done:
            done[key] = str(PARTS[key[0]](request, key[1]))
        return done[key]

    return pattern.sub(replace, content)
