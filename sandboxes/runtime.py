"""The scenario as the browser engine receives it: the same structure, every text in one language.

What a text is ({language: str}) is decided here once; sandboxes/convert.py unites texts with `is_text`."""

from .validation import LANGUAGES

# Keys whose dictionaries hold variables and values, never texts in several languages.
_NOT_TEXT = {"set", "require", "state", "fares"}


def scenario_runtime(data: dict, language: str) -> dict:
    """`data` (a valid scenario) with each {"nl": ..., "fr": ...} text replaced by the `language` one.

    A missing translation falls back to Dutch, the source language, so a learner never sees a gap.
    """
    return _resolve(data, language)


def is_text(value) -> bool:
    """A text of the format: {language: str} in languages of the site, at least one."""
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= set(LANGUAGES)
        and all(isinstance(item, str) for item in value.values())
    )


def _resolve(value, language: str):
    if is_text(value):
        return value.get(language) or value.get("nl") or next(iter(value.values()))
    if isinstance(value, dict):
        return {key: (item if key in _NOT_TEXT else _resolve(item, language)) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, language) for item in value]
    return value
