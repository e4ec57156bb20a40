"""Digits typed in another script count as the same digits.

An Arabic phone or tablet keyboard types Arabic-Indic (٠-٩) or Eastern Arabic/Persian (۰-۹) digits; a
learner who types ٢٥٨٠ means the PIN 2580. Every field that asks for digits reads them through
`digits_normalise` (or the `DigitsNormaliseMixin` form field mixin) before checking them, so such a
learner is not told "this number is not right". sandboxes/static/sandboxes/js/guard.js and engine.js do
the same in the browser.
"""

import unicodedata

from django import forms


def digits_normalise(text: str) -> str:
    """Any Unicode decimal digit (Arabic-Indic, Persian, full-width, ...) becomes 0-9; other characters stay."""
    if not text or text.isascii():
        return text or ""
    return "".join(str(unicodedata.digit(char)) if char.isdecimal() else char for char in text)


class DigitsNormaliseMixin:
    """A form field that reads Arabic-Indic and other digits as 0-9 before its own checks run."""

    def to_python(self, value):
        if isinstance(value, str):
            value = digits_normalise(value)
        return super().to_python(value)


class DigitsDateField(DigitsNormaliseMixin, forms.DateField):
    """A date typed as text (when the browser has no date picker) may use Arabic-Indic digits."""


class DigitsCharField(DigitsNormaliseMixin, forms.CharField):
    """A text field for numbers (a phone, a PIN, a code)."""
