"""Forms that parse query strings of lesson pages. Invalid input becomes a clear 400 message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DISTRICT_POSTCODES, District, Level, TargetGroup, Topic


class QueryStringForm(forms.Form):
    def error_message(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return str(_("We could not understand this address."))


class CatalogueFilterForm(QueryStringForm):
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        choices=[("", _("All topics"))] + Topic.choices,
        error_messages={"invalid_choice": _("This topic does not exist. Choose a topic from the list.")},
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels"))] + Level.choices,
        error_messages={"invalid_choice": _("This level does not exist. Choose a level from the list.")},
    )
    target_group = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[("", _("Everyone"))] + TargetGroup.choices,
        error_messages={"invalid_choice": _("This group does not exist. Choose a group from the list.")},
    )


def district_choices() -> list[tuple[str, str]]:
    """ "Heffen (2801)": the name and the postcode, so both ways of knowing where you live work."""
    districts = sorted(District.choices, key=lambda choice: (DISTRICT_POSTCODES[choice[0]], str(choice[1])))
    return [("", _("All areas"))] + [(value, f"{label} ({DISTRICT_POSTCODES[value]})") for value, label in districts]


class HelpPointFilterForm(QueryStringForm):
    """The help points page's GET form: one area, and the order of the list."""

    ORDER_CHOICES = [("", _("Usual order")), ("postcode", _("By postcode")), ("district", _("By area"))]

    district = forms.ChoiceField(
        label=_("Area"),
        required=False,
        choices=district_choices,
        error_messages={"invalid_choice": _("This area does not exist. Choose an area from the list.")},
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=ORDER_CHOICES,
        error_messages={"invalid_choice": _("This order does not exist. Choose one from the list.")},
    )


class QuizAnswerForm(QueryStringForm):
    """The answer to one multiple-choice question, sent as ?question=<block id>&answer=<number>."""

    question = forms.CharField(max_length=64, error_messages={"required": _("Choose a question.")})
    answer = forms.IntegerField(
        min_value=0,
        max_value=50,
        error_messages={
            "required": _("Choose an answer first."),
            "invalid": _("This answer does not exist. Choose one of the answers."),
            "min_value": _("This answer does not exist. Choose one of the answers."),
            "max_value": _("This answer does not exist. Choose one of the answers."),
        },
    )

    def __init__(self, *args, questions: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions

    def clean(self):
        cleaned = super().clean()
        question_id = cleaned.get("question")
        answer = cleaned.get("answer")
        if question_id is None or answer is None:
            return cleaned
        question = self.questions.get(question_id)
        if question is None:
            raise forms.ValidationError(_("This question is not on this page."))
        if answer >= len(question["options"]):
            raise forms.ValidationError(_("This answer does not exist. Choose one of the answers."))
        return cleaned

    def feedback(self) -> dict:
        question_id = self.cleaned_data["question"]
        answer = self.cleaned_data["answer"]
        option = self.questions[question_id]["options"][answer]
        return {question_id: {"chosen": answer, "correct": bool(option["correct"]), "feedback": option["feedback"]}}


class SearchForm(QueryStringForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)
