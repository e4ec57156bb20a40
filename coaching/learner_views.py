"""Coach pages for the learner accounts a coach made: the list, a new account, sign-in cards, a new PIN or
new pictures, unlocking, one-time codes and deleting an account.

They are served at /<language>/account/coach/ (learn/urls.py), where they have always been. The rules of
sign-in (codes, secrets, pauses) are `accounts`'; these views only ask them for the coach's own learners.
"""

import segno
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts import throttle
from accounts.credentials import code_format, one_time_code_format, pictures_from_secret
from accounts.decorators import coach_required
from accounts.models import SignInKind
from accounts.retention import inactive_deadline

from .forms import LearnerCreateForm, LearnerResetForm

# A new secret travels from the coach's POST to the card page in the session, and is removed there.
NEW_SECRET_KEY = "accounts_new_secret"


def _own_learner(request, pk: int):
    """Another coach's learner (or no learner) answers 404: a coach cannot even tell it exists."""
    return get_object_or_404(account_selectors.coach_learners(coach=request.user), pk=pk)


def _new_secret_remember(request, new: account_services.NewSecret) -> None:
    request.session[NEW_SECRET_KEY] = {"user": new.learner.pk, "kind": new.kind, "secret": new.secret}


@coach_required
def coach_learners(request):
    learners = list(account_selectors.coach_learners(coach=request.user))
    locked = account_selectors.learner_locked_codes(learners=learners)
    rows = [
        {
            "learner": learner,
            "code": code_format(code=learner.learner_sign_in.code),
            "kind": learner.learner_sign_in.get_kind_display(),
            "kind_value": learner.learner_sign_in.kind,
            "locked": learner.learner_sign_in.code in locked,
            "locked_until": locked.get(learner.learner_sign_in.code),
            "deleted_on": inactive_deadline(notice_at=learner.inactivity_notice_at)
            if learner.inactivity_notice_at
            else None,
        }
        for learner in learners
    ]
    address = throttle.client_address(request=request)
    address_locked = any(
        throttle.throttle_locked(scope=scope, value=address) for scope in (throttle.ADDRESS, throttle.PASSWORD_ADDRESS)
    )
    context = {
        "rows": rows,
        "address_locked": address_locked,
        "unused_count": sum(1 for row in rows if row["deleted_on"]),
    }
    return render(request, "coaching/learners/learners.html", context)


@coach_required
@require_http_methods(["GET", "POST"])
def coach_learner_create(request):
    form = LearnerCreateForm(request.POST or None, initial={"preferred_language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        new = account_services.learner_create(
            coach=request.user,
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["preferred_language"],
            kind=form.cleaned_data["kind"],
        )
        _new_secret_remember(request, new)
        return redirect("coach_learners:card", pk=new.learner.pk)
    return render(request, "coaching/learners/learner_create.html", {"form": form})


@coach_required
@require_http_methods(["GET", "POST"])
def coach_learner_reset(request, pk: int):
    learner = _own_learner(request, pk)
    form = LearnerResetForm(request.POST or None, initial={"kind": learner.learner_sign_in.kind})
    if request.method == "POST" and form.is_valid():
        new = account_services.learner_secret_reset(learner=learner, kind=form.cleaned_data["kind"])
        _new_secret_remember(request, new)
        return redirect("coach_learners:card", pk=learner.pk)
    return render(request, "coaching/learners/learner_reset.html", {"form": form, "learner": learner})


@coach_required
@require_POST
def coach_learner_unlock(request, pk: int):
    learner = _own_learner(request, pk)
    account_services.learner_unlock(learner=learner)
    messages.success(request, _("%(name)s can sign in again.") % {"name": learner})
    if request.POST.get("back") == "one-time":
        return redirect("coach_learners:one_time", pk=learner.pk)
    return redirect("coach_learners:list")


@coach_required
@require_http_methods(["GET", "POST"])
def coach_learner_one_time(request, pk: int):
    """A one-time code for a learner who cannot sign in now (paused code, lost card): shown once, right here.

    The answer to the POST shows it (no redirect), so it is never stored anywhere readable; the page is
    never cached (coach_required).
    """
    learner = _own_learner(request, pk)
    made = account_services.learner_one_time_code_create(learner=learner) if request.method == "POST" else None
    context = {
        "learner": learner,
        "code": code_format(code=learner.learner_sign_in.code),
        "locked_until": throttle.throttle_locked_until(scope=throttle.CODE, value=learner.learner_sign_in.code),
        "one_time_code": one_time_code_format(code=made.code) if made else "",
        "expires_at": made.expires_at if made else None,
        "active": made is None and account_services.learner_one_time_code_active(learner=learner),
    }
    return render(request, "coaching/learners/learner_one_time.html", context)


@coach_required
@require_POST
def coach_unlock_here(request):
    account_services.sign_in_address_unlock(address=throttle.client_address(request=request))
    messages.success(request, _("Signing in with a learner code works again on the computers of this place."))
    return redirect("coach_learners:list")


@coach_required
@require_http_methods(["GET", "POST"])
def coach_learner_delete(request, pk: int):
    learner = _own_learner(request, pk)
    if request.method == "POST":
        name = str(learner)
        try:
            account_services.account_delete(user=learner)
        except account_services.OrphansLeft:  # a learner who is also the only coach of others: an administrator decides
            messages.error(
                request,
                _("%(name)s is also the only coach of other learners. Ask an administrator to delete this account.")
                % {"name": name},
            )
            return redirect("coach_learners:list")
        messages.success(
            request, _("The account of %(name)s and all their learning records are deleted.") % {"name": name}
        )
        return redirect("coach_learners:list")
    return render(request, "coaching/learners/learner_delete.html", {"learner": learner})


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
        "locked_until": throttle.throttle_locked_until(scope=throttle.CODE, value=sign_in.code),
        "pin": new["secret"] if new and new["kind"] == SignInKind.PIN else "",
        "pictures": pictures_from_secret(secret=new["secret"]) if new and new["kind"] == SignInKind.PICTURES else [],
    }
    return render(request, "coaching/learners/learner_card.html", context)
