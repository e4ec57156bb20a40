"""Display preferences: text size, high contrast, reduced motion and extra spacing.

One small dictionary, the same shape everywhere:
``{"text": "normal" | "large" | "larger", "contrast": bool | "off", "motion": bool, "spacing": bool}``.

High contrast has three states: ``True`` (on), ``"off"`` (switched off on purpose) and ``False`` (no
choice: the site follows the computer's own setting, ``@media (prefers-contrast: more)`` in site.css).
An explicit "off" adds the class ``pref-contrast-off``, which beats that media query.

* A signed-in learner's preferences are kept on the user (`User.display_preferences`). The base
  template renders them as classes on ``<html>`` (`display_classes`), so the first paint is right.
* A guest's preferences live in the browser (localStorage, key ``oefenplein.display.v1``) and
  learn/static/learn/js/preferences.js adds the same classes from ``<head>``. Anonymous pages are cached
  (learn/middleware.py), so the server never renders a guest's preferences into a page.
* learn/static/learn/css/site.css turns each class into CSS custom properties and rules; lessons and
  simulators read the same variables.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

TEXT_SIZES = ("normal", "large", "larger")
TOGGLES = ("contrast", "motion", "spacing")
DEFAULTS = {"text": "normal", "contrast": False, "motion": False, "spacing": False}
# The class on <html> for each preference that is on; preferences.js has the same names.
CLASS_PREFIX = "pref-"
# High contrast switched off on purpose: stronger than the computer's "more contrast" setting.
CONTRAST_OFF = "off"


def display_preferences_clean(raw) -> dict:
    """Any stored or posted value as a complete, valid preferences dictionary (unknown keys are dropped)."""
    raw = raw if isinstance(raw, dict) else {}
    text = raw.get("text")
    clean = {"text": text if text in TEXT_SIZES else DEFAULTS["text"]}
    for name in TOGGLES:
        clean[name] = raw.get(name) is True
    if raw.get("contrast") == CONTRAST_OFF:
        clean["contrast"] = CONTRAST_OFF
    return clean


def display_classes(preferences) -> str:
    """The classes on <html> for these preferences, e.g. "pref-text-large pref-contrast"."""
    clean = display_preferences_clean(preferences)
    classes = [] if clean["text"] == "normal" else [f"{CLASS_PREFIX}text-{clean['text']}"]
    classes += [f"{CLASS_PREFIX}{name}" for name in TOGGLES if clean[name] is True]
    if clean["contrast"] == CONTRAST_OFF:
        classes.append(f"{CLASS_PREFIX}contrast-{CONTRAST_OFF}")
    return " ".join(classes)


def display_preferences_save(*, user, preferences: dict) -> dict:
    """Keep a signed-in person's preferences; returns what was stored."""
    clean = display_preferences_clean(preferences)
    user.display_preferences = clean
    user.save(update_fields=["display_preferences"])
    return clean


class DisplayPreferencesForm(forms.Form):
    """The preferences page. The same names are read by preferences.js for guests."""

    text = forms.ChoiceField(
        label=_("Text size"),
        choices=[("normal", _("Normal")), ("large", _("Large")), ("larger", _("Larger"))],
        widget=forms.RadioSelect,
        initial="normal",
    )
    contrast = forms.BooleanField(
        label=_("High contrast"),
        help_text=_("Black text on white, with strong lines."),
        required=False,
    )
    # "off" when the person switched high contrast off on purpose (set by preferences.js when the box
    # is unticked, kept from the stored choice otherwise); empty: the computer's setting decides.
    contrast_choice = forms.CharField(required=False, widget=forms.HiddenInput)
    motion = forms.BooleanField(
        label=_("Less movement"),
        help_text=_("Nothing slides, blinks or moves by itself."),
        required=False,
    )
    spacing = forms.BooleanField(
        label=_("More space between letters and lines"),
        help_text=_("Text takes more room, but is easier to read."),
        required=False,
    )

    def preferences(self) -> dict:
        chosen = {name: self.cleaned_data.get(name) for name in ("text", *TOGGLES)}
        if not chosen["contrast"] and self.cleaned_data.get("contrast_choice") == CONTRAST_OFF:
            chosen["contrast"] = CONTRAST_OFF
        return display_preferences_clean(chosen)


def display_form_initial(preferences: dict) -> dict:
    """The form's first values for stored preferences (the checkbox is ticked only when contrast is on)."""
    clean = display_preferences_clean(preferences)
    off = clean["contrast"] == CONTRAST_OFF
    return {**clean, "contrast": clean["contrast"] is True, "contrast_choice": CONTRAST_OFF if off else ""}
