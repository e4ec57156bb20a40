"""A learner's PIN is stored keyed with SECRET_KEY and hashed (accounts/pin_hasher.py), with the site's real
hasher list (the other tests use a fast one)."""

import pytest
from django.contrib.auth.hashers import make_password

from accounts.models import LearnerSignIn
from accounts.pin_hasher import PIN_ALGORITHM
from learn import settings as site_settings

from .support import SIGN_IN, STEP_TWO, code_of, wrong_pin


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = site_settings.PASSWORD_HASHERS


def stored(learner) -> str:
    return LearnerSignIn.objects.get(user=learner).secret


def signs_in(client, new, pin: str) -> bool:
    client.logout()
    client.post(SIGN_IN, {"learner_code": code_of(new)})
    return client.post(STEP_TWO, {"pin": pin}).status_code == 302


def test_a_new_pin_is_keyed_and_signs_in(client, real_hashers, pin_learner):
    learner = pin_learner.learner
    secret = stored(learner)
    assert secret.startswith(f"{PIN_ALGORITHM}$100000$")
    assert pin_learner.secret not in secret
    assert not signs_in(client, pin_learner, wrong_pin(pin_learner.secret))
    assert signs_in(client, pin_learner, pin_learner.secret)
    assert stored(learner) == secret  # nothing to store again


def test_a_copy_of_the_database_without_the_key_gives_nothing_to_try(settings, real_hashers, pin_learner):
    sign_in = LearnerSignIn.objects.get(user=pin_learner.learner)
    assert sign_in.secret_check(pin_learner.secret)
    settings.SECRET_KEY = "another key, as an attacker with only the database would have to guess"
    assert not LearnerSignIn.objects.get(user=pin_learner.learner).secret_check(pin_learner.secret)


def test_after_rotating_the_key_the_old_one_still_signs_in_and_the_pin_is_stored_again(
    client, settings, real_hashers, pin_learner
):
    learner = pin_learner.learner
    before = stored(learner)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the new key after a rotation, long enough to be a real one 0123456789"
    assert signs_in(client, pin_learner, pin_learner.secret)
    after = stored(learner)
    assert after != before and after.startswith(f"{PIN_ALGORITHM}$")
    settings.SECRET_KEY_FALLBACKS = []  # the old key retired: the PIN stored again still works
    assert signs_in(client, pin_learner, pin_learner.secret)


def test_a_pin_stored_with_the_former_hasher_still_signs_in_and_is_stored_again(client, real_hashers, pin_learner):
    learner = pin_learner.learner
    LearnerSignIn.objects.filter(user=learner).update(secret=make_password(pin_learner.secret, hasher="default"))
    assert stored(learner).startswith("pbkdf2_sha256$")
    assert signs_in(client, pin_learner, pin_learner.secret)
    assert stored(learner).startswith(f"{PIN_ALGORITHM}$")
    assert signs_in(client, pin_learner, pin_learner.secret)


def test_pictures_are_stored_the_same_way(real_hashers, picture_learner):
    sign_in = LearnerSignIn.objects.get(user=picture_learner.learner)
    assert sign_in.secret.startswith(f"{PIN_ALGORITHM}$")
    assert sign_in.secret_check(picture_learner.secret)
    first, second, third = picture_learner.secret.split(",")
    assert not sign_in.secret_check(f"{third},{second},{first}")


def test_staff_passwords_keep_djangos_default_hasher(real_hashers, django_user_model):
    user = django_user_model.objects.create_user("editor-eva", password="a long editor password 2026")
    assert user.password.startswith("pbkdf2_sha256$1000000$")
