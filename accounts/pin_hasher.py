"""How a learner's PIN or picture secret is stored: PBKDF2 over an HMAC of the secret keyed with SECRET_KEY.

A learner's secret is 4 numbers or 3 pictures: at most 10,000 possibilities. However slow the hash, a copy of
the database lets anyone try them all (Django's 1,000,000 PBKDF2 iterations: about 40 minutes per learner on
one core), so slowness does not protect it. What does is a key that is not in the database: the secret is
first keyed with SECRET_KEY (a "pepper"), so a stolen copy of the database alone gives nothing to try against.
On the server the guesses are limited by the sign-in throttle (accounts/throttle.py), not by the hash.

That is why this hasher runs PBKDF2 with 100,000 iterations instead of 1,000,000: a sign-in costs about 25 ms
of CPU instead of 250 ms, which is what lets a class of 100 learners sign in at once on two cores (issue 15,
bench/RESULTS.md "Signed-in learners under load"). Staff passwords keep Django's default hasher.

SECRET_KEY_FALLBACKS are tried too, so rotating SECRET_KEY locks nobody out; the next sign-in stores the
secret again under the new key. Secrets stored before this hasher (Django's pbkdf2_sha256) are checked as
before and stored again with this hasher at the next sign-in.
"""

from django.conf import settings
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    check_password,
    get_hasher,
    get_hashers_by_algorithm,
    make_password,
)
from django.utils.crypto import constant_time_compare, salted_hmac

PIN_ALGORITHM = "pin_pbkdf2_sha256"
_PEPPER_SALT = "oefenplein.accounts.pin_hasher"


class PinHasher(PBKDF2PasswordHasher):
    algorithm = PIN_ALGORITHM
    iterations = 100_000

    @staticmethod
    def _keys() -> list[str]:
        return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]

    def encode(self, password, salt, iterations=None, *, key=None):
        self._check_encode_args(password, salt)
        peppered = salted_hmac(_PEPPER_SALT, password, secret=key or settings.SECRET_KEY, algorithm="sha256")
        return super().encode(peppered.hexdigest(), salt, iterations)

    def key_index(self, password, encoded) -> int | None:
        """Which key the secret was stored under (0: SECRET_KEY, 1 and on: the fallbacks), None if wrong."""
        decoded = self.decode(encoded)
        for index, key in enumerate(self._keys()):
            again = self.encode(password, decoded["salt"], decoded["iterations"], key=key)
            if constant_time_compare(encoded, again):
                return index
        return None

    def verify(self, password, encoded):
        return self.key_index(password, encoded) is not None


def _hasher_name() -> str:
    # The tests (tests/conftest.py) use a fast hasher list without this one: then the default is used.
    return PIN_ALGORITHM if PIN_ALGORITHM in get_hashers_by_algorithm() else "default"


def pin_hash(raw: str) -> str:
    return make_password(raw, hasher=_hasher_name())


def pin_check(raw: str, encoded: str, *, store_again) -> bool:
    """Is `raw` the secret? `store_again(raw)` is called when it should be stored again: made with an older
    hasher, other iterations, or an older SECRET_KEY."""
    name = _hasher_name()
    if not check_password(raw, encoded, setter=store_again, preferred=name):
        return False
    under_fallback = (
        name == PIN_ALGORITHM
        and settings.SECRET_KEY_FALLBACKS
        and encoded.startswith(PIN_ALGORITHM + "$")
        and get_hasher(PIN_ALGORITHM).key_index(raw, encoded) != 0
    )
    if under_fallback:  # right, but under an older SECRET_KEY
        store_again(raw)
    return True
