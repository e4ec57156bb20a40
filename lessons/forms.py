"""Forms that parse query strings of lesson pages. Invalid input becomes a clear 400 message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Level, TargetGroup, Topic


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
