"""The one access check of the role pages (coaches, training managers, coordinators, organisers).

Every such page answers the same way: anonymous visitors go to the sign-in page (and come back after),
signed-in people who may not see it get 403, and the answer is never cached, because it shows one
person's learners, staff or figures.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache

from . import roles


def access_required(allowed: Callable[..., bool]):
    """A view decorator: only signed-in people for whom `allowed(user)` holds see the view."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorator


def role_required(*names: str):
    """A view decorator: only active people with one of these roles (`accounts.roles`) see the view."""
    return access_required(lambda user: roles.user_has_role(user, *names))


coach_required = role_required(roles.COACHES)
