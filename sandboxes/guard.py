"""The safe-input guard: recognise real-looking personal numbers so they are never typed in a simulator.

The same three checks run in the browser (static/sandboxes/js/guard.js) before anything is evaluated; here
they keep made-up persona data honest (the validator refuses a scenario that ships a number that passes a
real checksum) and give the tests a reference implementation.
"""

import re
from datetime import date

from learn.digits import digits_normalise

NATIONAL_NUMBER = "national_number"
IBAN = "iban"
CARD = "card"

# ASCII digits only, as in guard.js: other digits (٠-٩, ۰-۹) are made 0-9 first by digits_normalise.
_SEPARATORS = re.compile(r"[\s.\-/]")
_DIGIT_RUNS = re.compile(r"[0-9](?:[\s.\-/]?[0-9]){10,18}")
_IBAN_RUNS = re.compile(r"\b[A-Za-z]{2}[0-9]{2}(?:\s?[A-Za-z0-9]){11,30}")


def is_national_number(value: str) -> bool:
    """A Belgian national register number (rijksregisternummer): YYMMDD + 3-digit serial + 2 check digits.

    The check is 97 - (first nine digits mod 97); for people born in 2000 or later a 2 is put in front
    first. Bis numbers add 20 or 40 to the month, and an unknown birth date may use month 00.
    """
    digits = _SEPARATORS.sub("", digits_normalise(value))
    if not re.fullmatch(r"[0-9]{11}", digits):
        return False
    month = int(digits[2:4])
    if month % 20 > 12 or month > 52:
        return False
    body, check = int(digits[:9]), int(digits[9:])
    return check in (97 - body % 97, 97 - int("2" + digits[:9]) % 97)


def is_iban(value: str) -> bool:
    """An IBAN whose mod-97 check holds (ISO 13616): move the first four characters to the end, letters
    become 10..35, and the number mod 97 must be 1."""
    compact = _SEPARATORS.sub("", digits_normalise(value)).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", compact):
        return False
    if compact.startswith("BE") and len(compact) != 16:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def is_card_number(value: str) -> bool:
    """A payment card number: 13 to 19 digits that pass the Luhn check (and are not all the same digit)."""
    digits = _SEPARATORS.sub("", digits_normalise(value))
    if not re.fullmatch(r"[0-9]{13,19}", digits) or len(set(digits)) == 1:
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char)
        if position % 2 == 1:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0


def sensitive_kind(text: str) -> str | None:
    """Which kind of real-looking number `text` contains anywhere, or None."""
    if not text:
        return None
    text = digits_normalise(text)
    for match in _IBAN_RUNS.finditer(text):
        run = match.group()
        # The run may swallow a following word ("... 6769 aub"): try it shorter, down to 15 characters.
        if any(is_iban(run[:end]) for end in range(len(run), 14, -1)):
            return IBAN
    for match in _DIGIT_RUNS.finditer(text):
        run = match.group()
        digits = _SEPARATORS.sub("", run)
        if len(digits) == 11 and is_national_number(digits):
            return NATIONAL_NUMBER
        if is_card_number(digits):
            return CARD
    return None


def national_number_example(born: date, serial: int) -> str:
    """A checksum-valid number for tests: never a real person's, but the guard must catch it."""
    body = f"{born:%y%m%d}{serial:03d}"
    prefix = "2" if born.year >= 2000 else ""
    return body + f"{97 - int(prefix + body) % 97:02d}"
