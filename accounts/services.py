"""Writes for accounts: learner sign-in on shared computers, coaches' learner accounts, deleting an account.

Secrets (PINs, picture sequences) are generated here, hashed at once, and handed back to the caller
exactly once in a `NewSecret`, so the coach can show or print them; they are never stored readable.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from . import roles, throttle
from .credentials import (
    code_generate,
    code_normalize,
    one_time_code_generate,
    one_time_code_normalize,
    pictures_generate,
    pictures_secret,
    pin_generate,
)
from .models import LearnerSignIn, SignInKind, User
from .privacy import privacy_providers

logger = logging.getLogger(__name__)

# What went wrong, for the view to turn into a message.
ADDRESS_LOCKED = "address_locked"
CODE_LOCKED = "code_locked"
UNKNOWN_CODE = "unknown_code"
WRONG_SECRET = "wrong_secret"
WRONG_ONE_TIME_CODE = "wrong_one_time_code"


@dataclass(frozen=True)
class LookupResult:
    user: User | None
    problem: str = ""
    locked_until: datetime | None = None


@dataclass(frozen=True)
class SignInOutcome:
    user: User | None
    problem: str = ""
    tries_left: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class NewSecret:
    """A secret as the learner types it: "2580", or "sun,house,tree". Show it once, then let it go."""

    learner: User
    kind: str
    secret: str


def learner_code_lookup(*, text: str, address: str) -> LookupResult:
    """Step 1 of learner sign-in: whose code is this? Unknown codes count as wrong tries of the address."""
    address_until = throttle.throttle_locked_until(scope=throttle.ADDRESS, value=address)
    if address_until is not None:
        return LookupResult(user=None, problem=ADDRESS_LOCKED, locked_until=address_until)
    code = code_normalize(text=text)
    sign_in = (
        LearnerSignIn.objects.select_related("user").filter(code=code, user__is_active=True).first() if code else None
    )
    if sign_in is None:
        failure = throttle.throttle_failure(scope=throttle.ADDRESS, value=address)
        if failure.locked:
            return LookupResult(user=None, problem=ADDRESS_LOCKED, locked_until=failure.locked_until)
        return LookupResult(user=None, problem=UNKNOWN_CODE)
    return LookupResult(user=sign_in.user)


def learner_sign_in_attempt(*, request, code: str, secret: str, address: str) -> SignInOutcome:
    """Step 2: check the PIN or pictures, counting wrong tries per code and per address.

    While the code or the address is locked the secret is not even checked, so guessing gains nothing.
    """
    address_until = throttle.throttle_locked_until(scope=throttle.ADDRESS, value=address)
    if address_until is not None:
        return SignInOutcome(user=None, problem=ADDRESS_LOCKED, locked_until=address_until)
    code_until = throttle.throttle_locked_until(scope=throttle.CODE, value=code)
    if code_until is not None:
        return SignInOutcome(user=None, problem=CODE_LOCKED, locked_until=code_until)
    user = authenticate(request, learner_code=code, learner_secret=secret)
    if user is not None:
        throttle.throttle_success(scope=throttle.CODE, value=code)
        return SignInOutcome(user=user)
    by_address = throttle.throttle_failure(scope=throttle.ADDRESS, value=address)
    by_code = throttle.throttle_failure(scope=throttle.CODE, value=code)
    if by_code.locked:
        return SignInOutcome(user=None, problem=CODE_LOCKED, locked_until=by_code.locked_until)
    if by_address.locked:
        return SignInOutcome(user=None, problem=ADDRESS_LOCKED, locked_until=by_address.locked_until)
    return SignInOutcome(user=None, problem=WRONG_SECRET, tries_left=min(by_code.tries_left, by_address.tries_left))


# --- One-time codes: a way in for a learner whose code is paused -----------------------------------
# The coach makes one on the learner's page. It is kept in the cache (it must vanish by itself after a
# short while anyway), only as a keyed hash, and works once. It ignores the pause of the learner code, so
# somebody who guesses PINs on purpose cannot keep a learner out; wrong one-time codes count for the
# address like wrong PINs, and the address pause still holds (a coach at the place can lift that).


@dataclass(frozen=True)
class OneTimeCode:
    """A one-time code as the learner types it ("48213905"), shown once to the coach; valid until `expires_at`."""

    learner: User
    code: str
    expires_at: datetime


def _one_time_key(user_pk: int) -> str:
    return f"signin:onetime:{user_pk}"


def _one_time_hash(user_pk: int, code: str) -> str:
    return salted_hmac("accounts.one-time-code", f"{user_pk}:{code}", algorithm="sha256").hexdigest()


def learner_one_time_code_create(*, learner: User) -> OneTimeCode:
    """A new one-time code for this learner; an older one stops working."""
    code = one_time_code_generate()
    seconds = settings.SIGN_IN_ONE_TIME_SECONDS
    cache.set(_one_time_key(learner.pk), _one_time_hash(learner.pk, code), seconds)
    return OneTimeCode(learner=learner, code=code, expires_at=timezone.now() + timedelta(seconds=seconds))


def learner_one_time_sign_in(*, code_text: str, one_time_text: str, address: str) -> SignInOutcome:
    """Sign in with the learner code and a one-time code from the coach; the code's pause does not matter."""
    address_until = throttle.throttle_locked_until(scope=throttle.ADDRESS, value=address)
    if address_until is not None:
        return SignInOutcome(user=None, problem=ADDRESS_LOCKED, locked_until=address_until)
    code = code_normalize(text=code_text)
    one_time = one_time_code_normalize(text=one_time_text)
    sign_in = (
        LearnerSignIn.objects.select_related("user").filter(code=code, user__is_active=True).first() if code else None
    )
    if sign_in is not None and one_time is not None:
        key = _one_time_key(sign_in.user_id)
        stored = cache.get(key)
        # delete() answers whether this request removed it: of two at the same moment, only one gets in.
        if stored and constant_time_compare(stored, _one_time_hash(sign_in.user_id, one_time)) and cache.delete(key):
            return SignInOutcome(user=sign_in.user)
    failure = throttle.throttle_failure(scope=throttle.ADDRESS, value=address)
    if failure.locked:
        return SignInOutcome(user=None, problem=ADDRESS_LOCKED, locked_until=failure.locked_until)
    return SignInOutcome(user=None, problem=WRONG_ONE_TIME_CODE, tries_left=failure.tries_left)


def learner_one_time_code_active(*, learner: User) -> bool:
    return cache.get(_one_time_key(learner.pk)) is not None


def _secret_generate(kind: str) -> str:
    return pin_generate() if kind == SignInKind.PIN else pictures_secret(keys=pictures_generate())


def learner_create(*, coach: User, display_name: str, language: str, kind: str) -> NewSecret:
    """A learner account that needs no e-mail and no password: a unique code plus a new PIN or pictures."""
    secret = _secret_generate(kind)
    learners, _created = Group.objects.get_or_create(name=roles.LEARNERS)
    for _attempt in range(20):
        code = code_generate()
        try:
            with transaction.atomic():
                user = User(
                    # Not derived from the code: the user name shows up in admin lists and exports.
                    username=f"learner-{secrets.token_hex(6)}",
                    display_name=display_name.strip(),
                    preferred_language=language,
                    created_by=coach,
                )
                user.set_unusable_password()
                user.save()
                user.groups.add(learners)
                sign_in = LearnerSignIn(user=user, code=code, kind=kind)
                sign_in.secret_set(secret)
                sign_in.save()
        except IntegrityError:  # the code (or the user name) is taken: draw again
            continue
        return NewSecret(learner=user, kind=kind, secret=secret)
    raise RuntimeError("No free learner code found; the code space is nearly full.")


def learner_secret_reset(*, learner: User, kind: str) -> NewSecret:
    """A new PIN or new pictures; the code (and the printed QR code) stays. Also lifts a pause."""
    sign_in = learner.learner_sign_in
    secret = _secret_generate(kind)
    sign_in.kind = kind
    sign_in.secret_set(secret)
    sign_in.secret_changed_at = timezone.now()
    sign_in.save(update_fields=["kind", "secret", "secret_changed_at"])
    throttle.throttle_clear(scope=throttle.CODE, value=sign_in.code)
    return NewSecret(learner=learner, kind=kind, secret=secret)


def learner_codes_ensure(*, user_ids) -> int:
    """A learner code for each of these people who has none yet (staff imported from a list, say).

    Fast on purpose (no hashing): the secret is left unusable, so the code alone opens nothing; the
    person can sign in once a coach or manager prints their card with a new PIN (`accounts.cards`).
    Answers how many codes were made.
    """
    missing = list(
        User.objects.filter(pk__in=list(user_ids), learner_sign_in__isnull=True).values_list("pk", flat=True)
    )
    for _attempt in range(20):
        if not missing:
            return 0
        codes: set[str] = set()
        while len(codes) < len(missing):
            codes.add(code_generate())
        taken = set(LearnerSignIn.objects.filter(code__in=codes).values_list("code", flat=True))
        codes -= taken
        if len(codes) < len(missing):
            continue
        rows = [
            LearnerSignIn(user_id=pk, code=code, kind=SignInKind.PIN, secret=make_password(None))
            for pk, code in zip(missing, sorted(codes), strict=True)
        ]
        try:
            with transaction.atomic():
                LearnerSignIn.objects.bulk_create(rows, batch_size=1000)
        except IntegrityError:  # a code taken at the same moment, or the person got one meanwhile: again
            missing = list(
                User.objects.filter(pk__in=missing, learner_sign_in__isnull=True).values_list("pk", flat=True)
            )
            continue
        return len(rows)
    raise RuntimeError("No free learner codes found; the code space is nearly full.")


def learner_unlock(*, learner: User) -> None:
    """Lift the pause of this learner's code, and forget the wrong tries that led to it."""
    throttle.throttle_clear(scope=throttle.CODE, value=learner.learner_sign_in.code)


def sign_in_address_unlock(*, address: str) -> None:
    """Lift the pauses of a whole place (all computers behind one address), for codes and for passwords."""
    throttle.throttle_clear(scope=throttle.ADDRESS, value=address)
    throttle.throttle_clear(scope=throttle.PASSWORD_ADDRESS, value=address)


def account_deletion_request(*, user: User) -> None:
    if user.deletion_requested_at is None:
        user.deletion_requested_at = timezone.now()
        user.save(update_fields=["deletion_requested_at"])


def account_deletion_cancel(*, user: User) -> None:
    if user.deletion_requested_at is not None:
        user.deletion_requested_at = None
        user.save(update_fields=["deletion_requested_at"])


def account_delete(*, user: User) -> None:
    """Delete the account: the same erasure, whoever asks (the person, their coach or an administrator)."""
    person_erase(user=user)


class OrphansLeft(ValidationError):
    """The person still looks after learners who have no other coach: hand them over first."""


def person_orphans(*, user: User) -> set[int]:
    """The people who would have nobody to look after them if `user` were deleted now."""
    found: set[int] = set()
    for provider in privacy_providers():
        found |= provider.orphans(user=user)
    return found


def person_erase(*, user: User) -> None:
    """Erase a person: every app removes its files and loose copies, then the account goes (and cascades).

    Refused while the person is the only coach of some learners (`OrphansLeft`): nobody could reach
    those learners any more. The files (certificates, sheets of sign-in cards) are removed in the same
    request, once the rows are gone.
    """
    with transaction.atomic():
        # Lock the row so a hand-over or a second erasure at the same time waits for this one.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if person_orphans(user=user):
            raise OrphansLeft(
                _("First give your learners to another coach, so they keep a coach. Then you can delete the account.")
            )
        removals = []
        for provider in privacy_providers():
            removals += provider.erase(user=user)
        user.delete()
    for removal in removals:
        try:
            removal()
        except OSError:  # a file already gone, or a disk problem: the rest must still go
            logger.exception("A file of an erased person could not be removed")


def learners_hand_over(*, coach: User, username: str) -> User:
    """Give everyone `coach` looks after (learners they made, their groups) to another coach, by user name.

    An unknown name and a person who is not a coach get the same answer (like adding a fellow coach to
    a group), so this cannot be used to find out who has an account.
    """
    from .selectors import user_is_coach

    other = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if other is None or not user_is_coach(user=other):
        raise ValidationError({"username": _("There is no coach with this user name. Check the spelling.")})
    if other.pk == coach.pk:
        raise ValidationError({"username": _("Write the user name of another coach, not your own.")})
    with transaction.atomic():
        for provider in privacy_providers():
            provider.hand_over(from_user=coach, to_user=other)
    return other
