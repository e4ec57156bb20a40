"""Learner codes, PINs and picture passwords: how they look, how typing is forgiven, how new ones are made.

A learner code is 6 characters from an alphabet without look-alikes (no 0/O, 1/I), shown in two groups
("K7M-4PX") and typed any way: small letters, spaces and dashes are fine, and so are Arabic-Indic
digits. A PIN is 4 digits. A picture password is 3 of the 12 pictures below, in order; the pictures
are self-hosted SVG files in accounts/static/accounts/pictures/.
"""

import secrets
import unicodedata
from dataclasses import dataclass

from django.templatetags.static import static
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from learn.digits import digits_normalise

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
PIN_LENGTH = 4
PICTURE_COUNT = 3
# A one-time code from the coach: 8 digits (100 million possibilities), shown as "4821 3905".
ONE_TIME_LENGTH = 8


@dataclass(frozen=True)
class Picture:
    key: str
    label: Promise

    @property
    def src(self) -> str:
        return static(f"accounts/pictures/{self.key}.svg")


PICTURES = [
    Picture("sun", pgettext_lazy("sign-in picture", "Sun")),
    Picture("house", pgettext_lazy("sign-in picture", "House")),
    Picture("tree", pgettext_lazy("sign-in picture", "Tree")),
    Picture("cat", pgettext_lazy("sign-in picture", "Cat")),
    Picture("car", pgettext_lazy("sign-in picture", "Car")),
    Picture("apple", pgettext_lazy("sign-in picture", "Apple")),
    Picture("bicycle", pgettext_lazy("sign-in picture", "Bicycle")),
    Picture("flower", pgettext_lazy("sign-in picture", "Flower")),
    Picture("fish", pgettext_lazy("sign-in picture", "Fish")),
    Picture("key", pgettext_lazy("sign-in picture", "Key")),
    Picture("umbrella", pgettext_lazy("sign-in picture", "Umbrella")),
    Picture("cup", pgettext_lazy("sign-in picture", "Cup")),
]
PICTURES_BY_KEY = {picture.key: picture for picture in PICTURES}


def _ascii_digits(text: str) -> str:
    """Any Unicode decimal digit (Arabic-Indic, full-width, ...) becomes 0-9; other characters stay."""
    return digits_normalise(text)


def code_normalize(*, text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one."""
    cleaned = unicodedata.normalize("NFKC", _ascii_digits(text or ""))
    cleaned = "".join(char for char in cleaned if not char.isspace() and char not in "-‐‑‒–—_.").upper()
    if len(cleaned) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in cleaned):
        return None
    return cleaned


def code_format(*, code: str) -> str:
    """K7M4PX -> K7M-4PX: two short groups are easier to read aloud and to copy."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if code else ""


def code_generate() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def pin_normalize(*, text: str) -> str | None:
    cleaned = "".join(_ascii_digits(text or "").split())
    if len(cleaned) != PIN_LENGTH or not all(char in "0123456789" for char in cleaned):
        return None
    return cleaned


def _pin_is_easy(pin: str) -> bool:
    """1111, 1234, 4321: the first PINs anyone tries."""
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def pin_generate() -> str:
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))
        if not _pin_is_easy(pin):
            return pin


def one_time_code_generate() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(ONE_TIME_LENGTH))


def one_time_code_normalize(*, text: str) -> str | None:
    """Digits in any script; spaces and dashes are forgiven."""
    cleaned = "".join(char for char in _ascii_digits(text or "") if not char.isspace() and char not in "-‐‑‒–—_.")
    if len(cleaned) != ONE_TIME_LENGTH or not all(char in "0123456789" for char in cleaned):
        return None
    return cleaned


def one_time_code_format(*, code: str) -> str:
    """48213905 -> 4821 3905: two groups of four are easier to read aloud and to type."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}" if code else ""


def pictures_generate() -> list[str]:
    """Three different pictures: repeats are allowed when signing in, but different ones are easier to remember."""
    keys = [picture.key for picture in PICTURES]
    chosen = []
    while len(chosen) < PICTURE_COUNT:
        key = secrets.choice(keys)
        if key not in chosen:
            chosen.append(key)
    return chosen


def pictures_secret(*, keys: list[str]) -> str:
    """The string that is hashed for a picture password."""
    return ",".join(keys)


def pictures_from_secret(*, secret: str) -> list[Picture]:
    return [PICTURES_BY_KEY[key] for key in secret.split(",") if key in PICTURES_BY_KEY]
