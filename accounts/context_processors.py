"""The header's links to the pages of the signed-in person's roles, on every page."""

from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject

from .navigation import role_links_list


def _role_links(request) -> list:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    try:
        return role_links_list(user=user)
    except DatabaseError:  # error pages must render when the database is down
        return []


def role_links(request) -> dict:
    # Read (one query) only when a page shows them.
    return {"role_links": SimpleLazyObject(lambda: _role_links(request))}
