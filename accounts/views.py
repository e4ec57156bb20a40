"""Sign-in (learner code or user name), coach pages for learner accounts, and a person's own account pages.

Views stay thin: the rules are in accounts.services (writes) and accounts.selectors (reads).
"""

import time
from functools import wraps
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
from .credentials import code_format, code_normalize, pictures_from_secret
from .forms import (
    AccountDeleteForm,
    LearnerCodeForm,
    LearnerCreateForm,
    LearnerResetForm,
    PicturesForm,
    PinForm,
    SignInForm,
    minutes,
)
from .middleware import idle_message
from .models import SignInKind, User
from .navigation import landing_url_get

# Between step 1 (code) and step 2 (PIN or pictures) the session remembers whose code was typed.
PENDING_KEY = "accounts_pending_learner"
PENDING_SECONDS = 10 * 60
# A new secret travels from the coach's POST to the card page in the session, and is removed there.
NEW_SECRET_KEY = "accounts_new_secret"
LEARNER_BACKEND = "accounts.backends.LearnerCodeBackend"


def _problem_message(problem: str, *, kind: str = "", tries_left: int = 0) -> str:
    lock = minutes(settings.SIGN_IN_LOCK_SECONDS)
    if problem == services.UNKNOWN_CODE:
        return _("We do not know this learner code. Check the code on your card, or ask your coach.")
    if problem == services.ADDRESS_LOCKED:
        return ngettext(
            "There were too many wrong tries on the computers of this place. Signing in with a learner code "
            "is paused for %(count)s minute. Ask a coach for help.",
            "There were too many wrong tries on the computers of this place. Signing in with a learner code "
            "is paused for %(count)s minutes. Ask a coach for help.",
            lock,
        ) % {"count": lock}
    if problem == services.CODE_LOCKED:
        return ngettext(
            "There were too many wrong tries. To keep your account safe, signing in with this code is paused "
            "for %(count)s minute. Ask a coach to unlock it, or try again later.",
            "There were too many wrong tries. To keep your account safe, signing in with this code is paused "
            "for %(count)s minutes. Ask a coach to unlock it, or try again later.",
            lock,
        ) % {"count": lock}
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
            code_form.add_error("learner_code", _problem_message(result.problem))
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
                login(request, outcome.user, backend=LEARNER_BACKEND)
                request.session.pop(PENDING_KEY, None)
                return redirect(_after_sign_in_url(request, outcome.user, next_url))
            error = _problem_message(outcome.problem, kind=sign_in.kind, tries_left=outcome.tries_left)
            form = form_class()  # never show the wrong secret again
    if not error:
        if throttle.throttle_locked(scope=throttle.ADDRESS, value=address):
            error = _problem_message(services.ADDRESS_LOCKED)
        elif throttle.throttle_locked(scope=throttle.CODE, value=sign_in.code):
            error = _problem_message(services.CODE_LOCKED)
    not_me_url = reverse("accounts:login")
    if next_url:
        not_me_url += "?" + urlencode({"next": next_url})
    return render(
        request,
        "accounts/login_learner.html",
        {"learner": learner, "kind": sign_in.kind, "form": form, "error": error, "not_me_url": not_me_url},
    )


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
    """The "Stay signed in" button: the request itself renews the idle clock (accounts.middleware)."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"signed_in": False, "login_url": reverse("accounts:login")}, status=401)
        return redirect("accounts:login")
    if wants_json:
        return JsonResponse({"signed_in": True, "idle_seconds": settings.SESSION_IDLE_SECONDS})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    return redirect(next_url)


# --- Coach pages ---------------------------------------------------------------------------------


def coach_required(view):
    """Anonymous people go to the sign-in page; signed-in people who are not coaches get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.user_is_coach(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _own_learner(request, pk: int):
    """Another coach's learner (or no learner) answers 404: a coach cannot even tell it exists."""
    return get_object_or_404(selectors.coach_learners(coach=request.user), pk=pk)


def _new_secret_remember(request, new: services.NewSecret) -> None:
    request.session[NEW_SECRET_KEY] = {"user": new.learner.pk, "kind": new.kind, "secret": new.secret}


@coach_required
def coach_learners(request):
    learners = list(selectors.coach_learners(coach=request.user))
    locked = selectors.learner_locked_codes(learners=learners)
    rows = [
        {
            "learner": learner,
            "code": code_format(code=learner.learner_sign_in.code),
            "kind": learner.learner_sign_in.get_kind_display(),
            "kind_value": learner.learner_sign_in.kind,
            "locked": learner.learner_sign_in.code in locked,
        }
        for learner in learners
    ]
    address_locked = throttle.throttle_locked(scope=throttle.ADDRESS, value=throttle.client_address(request=request))
    return render(request, "accounts/coach/learners.html", {"rows": rows, "address_locked": address_locked})


@coach_required
@require_http_methods(["GET", "POST"])
def coach_learner_create(request):
    form = LearnerCreateForm(request.POST or None, initial={"preferred_language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        new = services.learner_create(
            coach=request.user,
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["preferred_language"],
            kind=form.cleaned_data["kind"],
        )
        _new_secret_remember(request, new)
        return redirect("accounts:coach_learner_card", pk=new.learner.pk)
    return render(request, "accounts/coach/learner_create.html", {"form": form})


@coach_required
@require_http_methods(["GET", "POST"])
def coach_learner_reset(request, pk: int):
    learner = _own_learner(request, pk)
    form = LearnerResetForm(request.POST or None, initial={"kind": learner.learner_sign_in.kind})
    if request.method == "POST" and form.is_valid():
        new = services.learner_secret_reset(learner=learner, kind=form.cleaned_data["kind"])
        _new_secret_remember(request, new)
        return redirect("accounts:coach_learner_card", pk=learner.pk)
    return render(request, "accounts/coach/learner_reset.html", {"form": form, "learner": learner})


@coach_required
@require_POST
def coach_learner_unlock(request, pk: int):
    learner = _own_learner(request, pk)
    services.learner_unlock(learner=learner)
    messages.success(request, _("%(name)s can sign in again.") % {"name": learner})
    return redirect("accounts:coach_learners")


@coach_required
@require_POST
def coach_unlock_here(request):
    services.sign_in_address_unlock(address=throttle.client_address(request=request))
    messages.success(request, _("Signing in with a learner code works again on the computers of this place."))
    return redirect("accounts:coach_learners")


@coach_required
@require_http_methods(["GET", "POST"])
def coach_learner_delete(request, pk: int):
    learner = _own_learner(request, pk)
    if request.method == "POST":
        name = str(learner)
        services.account_delete(user=learner)
        messages.success(
            request, _("The account of %(name)s and all their learning records are deleted.") % {"name": name}
        )
        return redirect("accounts:coach_learners")
    return render(request, "accounts/coach/learner_delete.html", {"learner": learner})


def _qr_svg(url: str) -> str:
    """The QR code as inline SVG markup (no script, no style attribute, so it passes the CSP)."""
    qr = segno.make(url, error="m")
    # omitsize: a viewBox instead of a fixed size, so the stylesheet decides how big it prints.
    return qr.svg_inline(border=4, dark="#000", light="#fff", omitsize=True)


@coach_required
def coach_learner_card(request, pk: int):
    """The sign-in card. Right after making a learner or a new secret, it shows the secret once."""
    learner = _own_learner(request, pk)
    sign_in = learner.learner_sign_in
    new = request.session.get(NEW_SECRET_KEY)
    if isinstance(new, dict) and new.get("user") == learner.pk:
        del request.session[NEW_SECRET_KEY]
    else:
        new = None
    languages = dict(settings.LANGUAGES)
    card_language = learner.preferred_language if learner.preferred_language in languages else None
    card_language = card_language or translation.get_language()
    with translation.override(card_language):
        sign_in_path = reverse("accounts:login")
    sign_in_url = request.build_absolute_uri(sign_in_path)
    context = {
        "learner": learner,
        "code": code_format(code=sign_in.code),
        "kind": sign_in.kind,
        "sign_in_url": sign_in_url,
        "qr_svg": _qr_svg(f"{sign_in_url}?code={sign_in.code}"),
        "card_language": card_language,
        "card_direction": "rtl" if translation.get_language_info(card_language)["bidi"] else "ltr",
        "new_secret": bool(new),
        "pin": new["secret"] if new and new["kind"] == SignInKind.PIN else "",
        "pictures": pictures_from_secret(secret=new["secret"]) if new and new["kind"] == SignInKind.PICTURES else [],
    }
    return render(request, "accounts/coach/learner_card.html", context)


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


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """With a password: confirm with it, and the account is gone. Without (code and PIN): ask the coach."""
    user = request.user
    has_password = user.has_usable_password()
    form = AccountDeleteForm(request.POST or None, user=user) if has_password else None
    if request.method == "POST":
        if has_password:
            if form.is_valid():
                logout(request)
                services.account_delete(user=user)
                messages.success(request, _("Your account and all your learning records are deleted."))
                return redirect("accounts:login")
        elif request.POST.get("action") == "cancel":
            services.account_deletion_cancel(user=user)
            messages.success(request, _("You no longer ask to delete your account."))
            return redirect("accounts:delete")
        else:
            services.account_deletion_request(user=user)
            messages.success(request, _("Your coach will delete your account and all your learning records."))
            return redirect("accounts:delete")
    return render(request, "accounts/account_delete.html", {"form": form, "has_password": has_password})


@never_cache
@login_required
def account_data_download(request):
    """All a person's data as one JSON file: their profile (no secrets) and every learning record."""
    now = timezone.now()
    response = StreamingHttpResponse(
        selectors.account_data_export_chunks(user=request.user, exported_at=now.isoformat()),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="oefenplein-my-data-{now:%Y-%m-%d}.json"'
    return response
