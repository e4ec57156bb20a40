"""A multiple-choice model field that works the same on SQLite and PostgreSQL."""

from django import forms
from django.db import models


class MultipleChoiceField(models.JSONField):
    """Stores a list of choice values as JSON and edits it as checkboxes.

    An ArrayField would tie the project to PostgreSQL; the embedded default runs on SQLite.
    """

    def __init__(self, *args, choices=None, **kwargs):
        self.multiple_choices = list(choices or [])
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices"] = self.multiple_choices
        if kwargs.get("default") is list:
            del kwargs["default"]
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.multiple_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.multiple_choices}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError("Unknown choice(s): %(items)s", params={"items": ", ".join(map(str, unknown))})
