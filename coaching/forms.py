import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import CardSheetFormBase, FocusFirstErrorMixin, language_choices
from accounts.models import SignInKind
from learn.digits import DigitsDateField

from .selectors import STATUSES, status_label


class GroupForm(FocusFirstErrorMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=120,
        help_text=_("For example: Digibank Nekkerspoel, Tuesday"),
        error_messages={"required": _("Give the group a name.")},
    )
    help_point = forms.ModelChoiceField(
        label=_("Help point (if any)"), queryset=None, required=False, empty_label=_("No help point")
    )

    def __init__(self, *args, help_points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["help_point"].queryset = help_points


class CoachAddForm(FocusFirstErrorMixin, forms.Form):
    username = forms.CharField(
        label=_("User name of the other coach"),
        max_length=150,
        help_text=_("They see this group, its learners and their progress, as you do."),
        error_messages={"required": _("Write the user name of the other coach.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )


class LearnersAddForm(FocusFirstErrorMixin, forms.Form):
    learners = forms.ModelMultipleChoiceField(
        label=_("Your learners who are not in this group yet"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one learner.")},
    )

    def __init__(self, *args, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].queryset = learners


class LearnerCreateForm(FocusFirstErrorMixin, forms.Form):
    display_name = forms.CharField(
        label=_("First name or nickname"),
        max_length=80,
        help_text=_("Only a first name or a nickname, no family name. The learner sees it on the site."),
        error_messages={"required": _("Type a first name or a nickname.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    kind = forms.ChoiceField(
        label=_("Sign in with"),
        choices=SignInKind.choices,
        initial=SignInKind.PIN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a PIN or pictures.")},
    )

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError(_("Type a first name or a nickname."), code="required")
        return name


class LearnerResetForm(FocusFirstErrorMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Sign in with"),
        choices=SignInKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a PIN or pictures.")},
    )


class LearnersCreateForm(FocusFirstErrorMixin, forms.Form):
    names = forms.CharField(
        label=_("First names or nicknames, one on each line"),
        help_text=_("No family names. Each learner gets a learner code and a PIN."),
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
        error_messages={"required": _("Write at least one name.")},
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    card_sheet = forms.BooleanField(
        label=_("Also make a PDF with the sign-in cards, to print"),
        help_text=_("With the name, learner code, QR code and PIN of each learner."),
        required=False,
    )

    def clean_names(self):
        names = [" ".join(line.split()) for line in self.cleaned_data["names"].splitlines()]
        return [name for name in names if name]


class CardSheetForm(CardSheetFormBase):
    people_field = "learners"
    people_label = _("Learners on the sheet")
    people_required = _("Choose at least one learner.")
    confirm_label = _("Yes, give these learners a new PIN or new pictures. Their old PIN or pictures stop working.")


class AssignmentForm(FocusFirstErrorMixin, forms.Form):
    target = forms.ChoiceField(
        label=_("Module or lesson"), error_messages={"required": _("Choose a module or a lesson.")}
    )
    learners = forms.ModelMultipleChoiceField(
        label=_("For whom? Choose nobody for the whole group."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due = DigitsDateField(
        label=_("Finish by (if any)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date like this: 2026-12-31.")},
    )
    note = forms.CharField(label=_("Note for the learners (if any)"), max_length=300, required=False)

    def __init__(self, *args, targets, learners, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose…"))]
        for target in targets:
            title = f"{target.module_title} › {target.title}" if target.module_title else target.title
            kind = {"lesson": _("Lesson"), "simulator": _("Simulator")}.get(target.kind, _("Module"))
            choices.append((f"{target.kind}:{target.key}", f"{kind}: {title}"))
        self.fields["target"].choices = choices
        self.fields["learners"].queryset = learners

    def clean_target(self):
        kind, _sep, key = self.cleaned_data["target"].partition(":")
        try:
            return kind, uuid.UUID(key)
        except ValueError as error:
            raise ValidationError(_("Choose a module, a lesson or a simulator.")) from error

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due and due < timezone.localdate():
            raise ValidationError(_("The date to finish by cannot be in the past."))
        return due


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Show learners with"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status"))] + [
            (status, status_label(status)) for status in STATUSES
        ]
