"""Forms of group sessions: the list's filter, a guest's request, and the organiser's forms.

The forms check what a person can correct on the spot (end before start, a bad phone number); the
services check the same rules again, and who may do what, so no page can skip them.
"""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import FocusFirstErrorMixin, language_choices
from coaching.selectors import assignment_targets
from learn.digits import DigitsDateField
from lessons.choices import TargetGroup, Topic
from lessons.forms import QueryStringForm, district_choices
from lessons.models import HelpPoint

from . import permissions
from .booking import phone_normalise
from .models import CoveredKind, Recurrence, SessionItem, SessionKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_INVALID = _("Write the date like this: 2026-12-31.")


def target_choices(*, language: str) -> list[tuple[str, str]]:
    """Modules, lessons and simulators as "kind:key" choices, from coaching's list of what can be given."""
    choices = []
    kinds = dict(CoveredKind.choices)
    for target in assignment_targets(language=language):
        title = f"{target.module_title} › {target.title}" if target.module_title else target.title
        choices.append((f"{target.kind}:{target.key}", f"{kinds.get(str(target.kind), '')}: {title}"))
    return choices


def _parse_targets(values) -> list[tuple[str, uuid.UUID]]:
    parsed = []
    for value in values:
        kind, _sep, key = value.partition(":")
        if kind not in CoveredKind.values:
            raise ValidationError(_("Choose a module, a lesson or a simulator."))
        try:
            parsed.append((kind, uuid.UUID(key)))
        except ValueError as error:
            raise ValidationError(_("Choose a module, a lesson or a simulator.")) from error
    return parsed


class SessionFilterForm(QueryStringForm):
    help_point = forms.ChoiceField(
        label=_("Where"),
        required=False,
        error_messages={"invalid_choice": _("This help point does not exist. Choose one from the list.")},
    )
    district = forms.ChoiceField(
        label=_("Area"),
        required=False,
        choices=district_choices,
        error_messages={"invalid_choice": _("This area does not exist. Choose an area from the list.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        error_messages={"invalid_choice": _("This language does not exist. Choose one from the list.")},
    )
    target_group = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[("", _("Everyone"))] + TargetGroup.choices,
        error_messages={"invalid_choice": _("This group does not exist. Choose a group from the list.")},
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        choices=[("", _("All topics"))] + Topic.choices,
        error_messages={"invalid_choice": _("This topic does not exist. Choose a topic from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds"))] + SessionKind.choices,
        error_messages={"invalid_choice": _("This kind does not exist. Choose one from the list.")},
    )

    def __init__(self, *args, help_points, **kwargs):
        super().__init__(*args, **kwargs)
        self.help_points = {str(point.pk): point for point in help_points}
        self.fields["help_point"].choices = [("", _("Everywhere")), ("online", _("Online"))] + [
            (pk, point.name) for pk, point in self.help_points.items()
        ]
        self.fields["language"].choices = [("", _("Any language"))] + language_choices()

    def clean_help_point(self):
        value = self.cleaned_data["help_point"]
        return self.help_points.get(value, value)


class GuestRequestForm(FocusFirstErrorMixin, forms.Form):
    first_name = forms.CharField(
        label=_("Your first name"),
        max_length=60,
        error_messages={"required": _("Write your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        help_text=_("The coach calls or texts you to confirm. We erase the number the day after the session."),
        error_messages={"required": _("Write your phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        return phone_normalise(self.cleaned_data["phone"])


class CancelForm(FocusFirstErrorMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=300,
        help_text=_("Everyone who signed up gets this message once."),
        error_messages={"required": _("Say why the session is cancelled. The people signed up read it.")},
    )


class CoachSignUpForm(FocusFirstErrorMixin, forms.Form):
    learner = forms.ModelChoiceField(
        label=_("Sign up one of your learners"),
        queryset=None,
        error_messages={"required": _("Choose a learner."), "invalid_choice": _("Choose one of your learners.")},
    )

    def __init__(self, *args, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners


class SessionForm(FocusFirstErrorMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of session"), error_messages={"required": _("Choose a kind.")})
    title = forms.CharField(label=_("Title"), max_length=160, error_messages={"required": _("Give it a title.")})
    description = forms.CharField(
        label=_("What you do there"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    help_point = forms.ModelChoiceField(
        label=_("Help point"),
        queryset=None,
        required=False,
        empty_label=_("None: it is online"),
        error_messages={"invalid_choice": _("Choose a help point from the list.")},
    )
    online_link = forms.URLField(
        assume_scheme="https",
        label=_("Link to the online session"),
        required=False,
        help_text=_("Only for a session online, for example a webinar."),
        error_messages={"invalid": _("Write a full web address, starting with https://")},
    )
    first_date = DigitsDateField(
        label=_("First date"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Choose the first date."), "invalid": DATE_INVALID},
    )
    starts_at = forms.TimeField(
        label=_("Starts at (Brussels time)"),
        widget=TIME_WIDGET,
        error_messages={"required": _("Choose the start time."), "invalid": _("Write the time like this: 14:00.")},
    )
    ends_at = forms.TimeField(
        label=_("Ends at (Brussels time)"),
        widget=TIME_WIDGET,
        error_messages={"required": _("Choose the end time."), "invalid": _("Write the time like this: 16:00.")},
    )
    recurrence = forms.ChoiceField(
        label=_("Repeats"), choices=Recurrence.choices, initial=Recurrence.ONCE, widget=forms.RadioSelect
    )
    repeat_until = DigitsDateField(
        label=_("Repeat until (if it repeats)"),
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": DATE_INVALID},
    )
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": _("How many people can come?"),
            "min_value": _("There must be at least one seat."),
            "max_value": _("At most 500 seats."),
            "invalid": _("Write a number."),
        },
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Who it is for (if for someone in particular)"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items_before = forms.MultipleChoiceField(
        label=_("Practise before the session"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    items_after = forms.MultipleChoiceField(
        label=_("Practise after the session"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    coach_group = forms.ModelChoiceField(
        label=_("Group that follows up (if any)"),
        queryset=None,
        required=False,
        empty_label=_("No group"),
        error_messages={"invalid_choice": _("Choose one of your own groups.")},
    )

    def __init__(self, *args, user, language: str, help_points, groups, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        kinds = permissions.kinds_for(user)
        self.fields["kind"].choices = [(value, label) for value, label in SessionKind.choices if value in kinds]
        self.fields["help_point"].queryset = help_points
        self.fields["coach_group"].queryset = groups
        self.fields["languages"].choices = language_choices()
        self.fields["languages"].initial = [language if language in dict(settings.LANGUAGES) else "nl"]
        targets = target_choices(language=language)
        self.fields["items_before"].choices = targets
        self.fields["items_after"].choices = targets

    def clean_items_before(self):
        return _parse_targets(self.cleaned_data["items_before"])

    def clean_items_after(self):
        return _parse_targets(self.cleaned_data["items_after"])

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end time must be after the start time."))
        first = data.get("first_date")
        if first and first < timezone.localdate() and (self.session is None or self.session.first_date != first):
            self.add_error("first_date", _("The first date cannot be in the past."))
        until = data.get("repeat_until")
        if first and until and until < first:
            self.add_error("repeat_until", _("Repeat until must be on or after the first date."))
        if data.get("recurrence", Recurrence.ONCE) != Recurrence.ONCE and first and not until:
            self.add_error("repeat_until", _("Say until when it repeats."))
        if "help_point" in data and "online_link" in data and not data["help_point"] and not data["online_link"]:
            self.add_error("help_point", _("Choose a help point, or give the link to the online session."))
        return data

    def items(self) -> list[tuple[str, uuid.UUID, str]]:
        before = [(kind, key, SessionItem.When.BEFORE) for kind, key in self.cleaned_data.get("items_before", [])]
        after = [(kind, key, SessionItem.When.AFTER) for kind, key in self.cleaned_data.get("items_after", [])]
        return before + after

    @staticmethod
    def initial_for(session, *, language: str) -> dict:
        """The form filled from a session; the help point as the organiser's language has it in the list."""
        items = list(session.items.all())
        point = session.help_point_id
        if session.help_point_id:
            translated = HelpPoint.objects.filter(
                translation_key=session.help_point.translation_key, locale__language_code=language
            ).first()
            point = translated.pk if translated else point
        return {
            **{name: getattr(session, name) for name in ("kind", "title", "description", "online_link", "seats")},
            "help_point": point,
            "first_date": session.first_date,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "recurrence": session.recurrence,
            "repeat_until": session.repeat_until,
            "languages": session.languages,
            "target_groups": session.target_groups,
            "coach_group": session.coach_group_id,
            "items_before": [f"{i.kind}:{i.target_key}" for i in items if i.when == SessionItem.When.BEFORE],
            "items_after": [f"{i.kind}:{i.target_key}" for i in items if i.when == SessionItem.When.AFTER],
        }
