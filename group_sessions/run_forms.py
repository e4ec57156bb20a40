"""Forms of the run page. Walk-ins reuse coaching's form for making learner accounts (same rules, same words)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import FocusFirstErrorMixin
from coaching.forms import LearnersCreateForm

NOT_ON_THE_LIST = _("Someone on this list did not sign up for this date. Open the page again and tick once more.")


class AttendanceForm(FocusFirstErrorMixin, forms.Form):
    """One checkbox per confirmed booking of this date; nothing ticked means nobody came."""

    present = forms.TypedMultipleChoiceField(
        label=_("Who came?"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_ON_THE_LIST, "invalid_pk_value": NOT_ON_THE_LIST},
    )

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(booking.pk, str(booking.pk)) for booking in bookings]


class WalkInForm(LearnersCreateForm):
    """Coaching's bulk form, with a help text for the room: the people are here now."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["names"].label = _("Who came without signing up? First names or nicknames, one on each line")
        self.fields["names"].widget.attrs["rows"] = 3
