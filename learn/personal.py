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
from django.middleware.csrf import get_token
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


def _learner(request, _arg) -> str:
    user = _user(request)
    return str(user.public_id) if user.is_authenticated else ""


def _csrf(request, _arg) -> str:
    return get_token(request)


# name -> function(request, arg) returning HTML that is safe as it is. The parts of the apps above this one
# (the person's header, messages and display classes from accounts, the simulators' "tried" marks) are
# registered by those apps, so this module imports none of them.
PARTS: dict[str, Callable] = {
    "learner": _learner,
    "csrf": _csrf,
}


def personal_part_register(name: str, function: Callable) -> None:
    """Register a part from an app's AppConfig.ready(): function(request, arg) -> safe HTML."""
    PARTS[name] = function


def personal_user(request):
    """The request's user, also on error pages rendered before the authentication middleware ran."""
    return _user(request)


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
