"""Sign-in (learner code or user name) and a person's own account pages (a coach's learner accounts: coaching).

Views stay thin: the rules are in accounts.services (writes) and accounts.selectors (reads).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from . import roles, selectors, services, throttle
from .credentials import code_format, code_normalize
from .forms import (
    AccountDeleteForm,
    HandOverForm,
    LearnerCodeForm,
    OneTimeSignInForm,
    PicturesForm,
    PinForm,
    SignInForm,
)
from .middleware import idle_message
from .models import SignInKind, User
from .navigation import landing_url_get

# Between step 1 (code) and step 2 (PIN or pictures) the session remembers whose code was typed.
PENDING_KEY = "accounts_pending_learner"
PENDING_SECONDS = 10 * 60
LEARNER_BACKEND = "accounts.backends.LearnerCodeBackend"


def _problem_message(problem: str, *, kind: str = "", tries_left: int = 0, until=None) -> str:
    if problem == services.UNKNOWN_CODE:
        return _("We do not know this learner code. Check the code on your card, or ask your coach.")
    if problem == services.ADDRESS_LOCKED:
        return _(
            "There were too many wrong tries on the computers of this place. Signing in with a learner code "
            "is paused until %(time)s. Ask a coach for help."
        ) % {"time": throttle.lock_time_text(until)}
    if problem == services.CODE_LOCKED:
        return _(
            "There were too many wrong tries. To keep your account safe, signing in with this code is paused "
            "until %(time)s. Ask a coach to unlock it or to give you a one-time code, or try again later."
        ) % {"time": throttle.lock_time_text(until)}
    if problem == services.WRONG_ONE_TIME_CODE:
        return _(
            "This one-time code is not right, or it is used or too old. Check the numbers, or ask your coach "
            "for a new one."
        )
    if kind == SignInKind.PICTURES:
        return ngettext(
            "These pictures are not right, or not in the right order. You can try %(count)s more time.",
            "These pictures are not right, or not in the right order. You can try %(count)s more times.",
            tries_left,
        ) % {"count": tries_left}
    return ngettext(
        "This PIN is not right. You can try %(count)s more time.",
        "This PIN is not right. You can try %(count)s more times.",
        tries_left,
    ) % {"count": tries_left}


def _learner_login(request, user) -> None:
    """Sign a learner in on a shared computer: the session ends when the browser closes (or after the idle time)."""
    login(request, user, backend=LEARNER_BACKEND)
    request.session.pop(PENDING_KEY, None)
    request.session.set_expiry(0)


class SignInView(LoginView):
    """One sign-in page with two ways in: a learner code (step 1 of 2) or a user name and password.

    A GET always starts over: it forgets a code typed earlier, so the next person at a shared
    computer never sees the previous person's name. `?code=` (from the QR code on a sign-in card)
    only fills in the code field; the learner still presses "Next".
    """

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        request.session.pop(PENDING_KEY, None)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if "code_form" not in kwargs:
            typed = self.request.GET.get("code", "")[:40]
            normal = code_normalize(text=typed)
            kwargs["code_form"] = LearnerCodeForm(
                initial={"learner_code": code_format(code=normal) if normal else typed}
            )
        return super().get_context_data(**kwargs)

    def get_default_redirect_url(self):
        """Without ?next=, a person lands on the page of their role (see _after_sign_in_url)."""
        return _after_sign_in_url(self.request, self.request.user, "")

    def post(self, request, *args, **kwargs):
        if "learner_code" not in request.POST:
            return super().post(request, *args, **kwargs)
        code_form = LearnerCodeForm(request.POST)
        if code_form.is_valid():
            result = services.learner_code_lookup(
                text=code_form.cleaned_data["learner_code"], address=throttle.client_address(request=request)
            )
            if result.user is not None:
                request.session[PENDING_KEY] = {
                    "user": result.user.pk,
                    "at": int(time.time()),
                    "next": self.get_redirect_url(),
                }
                return redirect("accounts:login_learner")
            code_form.add_error("learner_code", _problem_message(result.problem, until=result.locked_until))
        context = self.get_context_data(form=self.get_form_class()(request), code_form=code_form)
        return self.render_to_response(context)


def _pending_learner(request):
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None, ""
    user = (
        User.objects.select_related("learner_sign_in")
        .filter(pk=pending.get("user"), is_active=True, learner_sign_in__isnull=False)
        .first()
    )
    return user, pending.get("next") or ""


def _after_sign_in_url(request, user, next_url: str) -> str:
    """An explicit, safe ?next= wins; otherwise the page of the person's role (accounts/navigation.py)."""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    languages = dict(settings.LANGUAGES)
    language = user.preferred_language if user.preferred_language in languages else translation.get_language()
    if language not in languages:
        language = settings.LANGUAGE_CODE
    return landing_url_get(user=user, language=language)


@sensitive_post_parameters("pin", "picture_1", "picture_2", "picture_3")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def learner_sign_in(request):
    """Step 2: "Hello <name>", then the PIN or the three pictures."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    learner, next_url = _pending_learner(request)
    if learner is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    sign_in = learner.learner_sign_in
    form_class = PicturesForm if sign_in.kind == SignInKind.PICTURES else PinForm
    address = throttle.client_address(request=request)
    error = ""
    form = form_class()
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            outcome = services.learner_sign_in_attempt(
                request=request, code=sign_in.code, secret=form.secret, address=address
            )
            if outcome.user is not None:
                _learner_login(request, outcome.user)
                return redirect(_after_sign_in_url(request, outcome.user, next_url))
            error = _problem_message(
                outcome.problem, kind=sign_in.kind, tries_left=outcome.tries_left, until=outcome.locked_until
            )
            form = form_class()  # never show the wrong secret again
    if not error:
        address_until = throttle.throttle_locked_until(scope=throttle.ADDRESS, value=address)
        code_until = throttle.throttle_locked_until(scope=throttle.CODE, value=sign_in.code)
        if address_until is not None:
            error = _problem_message(services.ADDRESS_LOCKED, until=address_until)
        elif code_until is not None:
            error = _problem_message(services.CODE_LOCKED, until=code_until)
    not_me_url = reverse("accounts:login")
    if next_url:
        not_me_url += "?" + urlencode({"next": next_url})
    return render(
        request,
        "accounts/login_learner.html",
        {"learner": learner, "kind": sign_in.kind, "form": form, "error": error, "not_me_url": not_me_url},
    )


@sensitive_post_parameters("one_time_code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def one_time_sign_in(request):
    """The learner code and a one-time code from the coach: a way in while the code is paused."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    pending, next_url = _pending_learner(request)
    form = OneTimeSignInForm(request.POST or None)
    if request.method == "GET":
        typed = code_normalize(text=request.GET.get("code", "")[:40])
        code = pending.learner_sign_in.code if pending is not None else typed
        form = OneTimeSignInForm(initial={"learner_code": code_format(code=code) if code else ""})
    elif form.is_valid():
        outcome = services.learner_one_time_sign_in(
            code_text=form.cleaned_data["learner_code"],
            one_time_text=form.cleaned_data["one_time_code"],
            address=throttle.client_address(request=request),
        )
        if outcome.user is not None:
            _learner_login(request, outcome.user)
            return redirect(_after_sign_in_url(request, outcome.user, next_url))
        # The one-time code field never shows what was typed (SecretTextInput).
        form.add_error(None, _problem_message(outcome.problem, until=outcome.locked_until))
    return render(request, "accounts/login_one_time.html", {"form": form})


class SignOutView(LogoutView):
    """Sign out; when the idle warning ran out (reason=idle), say why on the sign-in page."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if request.POST.get("reason") == "idle":
            if was_signed_in:  # otherwise the idle middleware has said it already
                messages.info(request, idle_message(settings.SESSION_IDLE_SECONDS))
            return redirect("accounts:login")
        return response


@require_POST
def keep_alive(request):
    """The "Stay signed in" button: it renews the idle clock to the second (accounts.middleware keeps it
    to the minute otherwise), so the full idle time the browser counts from now holds on the server too."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"signed_in": False, "login_url": reverse("accounts:login")}, status=401)
        return redirect("accounts:login")
    from .middleware import LAST_ACTIVITY_KEY

    request.session[LAST_ACTIVITY_KEY] = int(time.time())
    if wants_json:
        return JsonResponse({"signed_in": True, "idle_seconds": settings.SESSION_IDLE_SECONDS})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    return redirect(next_url)


# --- A person's own account ----------------------------------------------------------------------


@never_cache
@login_required
def account_overview(request):
    return render(
        request,
        "accounts/account.html",
        {
            "is_coach": selectors.user_is_coach(user=request.user),
            "is_training_manager": request.user.has_role(roles.TRAINING_MANAGERS),
            "has_password": request.user.has_usable_password(),
        },
    )


def _hand_over(request, person, form) -> bool:
    """The hand-over form of a delete page: True when the learners and groups went to the other coach."""
    if not form.is_valid():
        return False
    try:
        other = services.learners_hand_over(coach=person, username=form.cleaned_data["username"])
    except ValidationError as error:
        for message in error.message_dict.get("username", error.messages):
            form.add_error("username", message)
        return False
    messages.success(request, _("%(name)s now coaches your learners and your groups.") % {"name": other})
    return True


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """With a password: confirm with it, and the account is gone. Without (code and PIN): ask the coach.

    A coach who is the only coach of some learners first hands them (and their groups) to another coach.
    """
    user = request.user
    has_password = user.has_usable_password()
    orphans = services.person_orphans(user=user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    hand_over_form = HandOverForm(request.POST if action == "hand_over" else None) if orphans else None
    form = AccountDeleteForm(request.POST or None, user=user) if has_password and action != "hand_over" else None
    if request.method == "POST":
        if action == "hand_over" and orphans:
            if _hand_over(request, user, hand_over_form):
                return redirect("accounts:delete")
        elif has_password and not orphans:
            if form.is_valid():
                try:
                    services.person_erase(user=user)
                except services.OrphansLeft as error:  # someone made a learner meanwhile
                    messages.error(request, error.messages[0])
                    return redirect("accounts:delete")
                logout(request)
                messages.success(request, _("Your account and all your learning records are deleted."))
                return redirect("accounts:login")
        elif has_password:
            form = AccountDeleteForm(user=user)
        elif action == "cancel":
            services.account_deletion_cancel(user=user)
            messages.success(request, _("You no longer ask to delete your account."))
            return redirect("accounts:delete")
        else:
            services.account_deletion_request(user=user)
            messages.success(request, _("Your coach will delete your account and all your learning records."))
            return redirect("accounts:delete")
    context = {
        "form": form,
        "has_password": has_password,
        "orphan_count": len(orphans),
        "hand_over_form": hand_over_form,
    }
    return render(request, "accounts/account_delete.html", context)


@never_cache
@login_required
def account_data_download(request):
    """Everything kept about the person, as a zip: a readable page in their language, JSON, and their files."""
    now = timezone.now()
    archive = selectors.account_data_archive(user=request.user, exported_at=now.isoformat(timespec="seconds"))
    name = f"oefenplein-my-data-{now:%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "no-store, private"
    return response


def _months(days: int) -> int:
    return max(1, round(days / 30.44))


def privacy_page(request):
    """What Oefenplein keeps, why, for how long and whom to ask, in plain words (linked from every footer)."""
    context = {
        "inactive_months": _months(settings.PRIVACY_INACTIVE_DAYS),
        "notice_months": _months(settings.PRIVACY_INACTIVE_NOTICE_DAYS),
        "statement_years": max(1, round(settings.PRIVACY_STATEMENT_DAYS / 365.25)),
        "staff_months": _months(settings.PRIVACY_STAFF_LEFT_DAYS),
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
    }
    return render(request, "accounts/privacy.html", context)
