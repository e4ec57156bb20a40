"""Authentication backends: user name + password (throttled per user name and per address) and learner code + secret.

Both are listed in settings.AUTHENTICATION_BACKENDS. Throttling sits here, not in a form, so it also
covers the Wagtail admin sign-in and `client.login()`: a locked user name or address is refused with
PermissionDenied, which makes Django stop trying other backends and report a failed sign-in.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle
from .credentials import code_normalize
from .models import LearnerSignIn


class ThrottledPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        # No request (a management command, a test's client.login()): only the user name is counted.
        address = throttle.client_address(request=request) if request is not None else ""
        if throttle.throttle_locked(scope=throttle.USERNAME, value=username) or throttle.throttle_locked(
            scope=throttle.PASSWORD_ADDRESS, value=address
        ):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.throttle_failure(scope=throttle.USERNAME, value=username)
            throttle.throttle_failure(scope=throttle.PASSWORD_ADDRESS, value=address)
        else:
            throttle.throttle_success(scope=throttle.USERNAME, value=username)
        return user


class LearnerCodeBackend(BaseBackend):
    """Checks a learner code and its PIN or picture secret. Throttling is done by the caller
    (accounts.services.learner_sign_in_attempt), which also counts per client address."""

    def authenticate(self, request, learner_code=None, learner_secret=None, **kwargs):
        if learner_code is None or learner_secret is None:
            return None
        code = code_normalize(text=learner_code)
        if code is None:
            return None
        sign_in = LearnerSignIn.objects.select_related("user").filter(code=code).first()
        if sign_in is None or not sign_in.user.is_active:
            return None
        return sign_in.user if sign_in.secret_check(learner_secret) else None

    def get_user(self, user_id):
        user = get_user_model()._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None
