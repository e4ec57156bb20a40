from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.forms import CardSheetFormBase, FocusFirstErrorMixin


class StaffImportForm(FocusFirstErrorMixin, forms.Form):
    file = forms.FileField(
        label=_("List of staff (CSV file)"),
        help_text=_(
            "One person on each line. Columns: employee_number, name, department, team, start_date, "
            "and if known email, phone, language. A person who is already known is updated."
        ),
        error_messages={
            "required": _("Choose a CSV file."),
            "empty": _("The file is empty."),
            "invalid": _("Choose a CSV file."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    complete = forms.BooleanField(
        label=_("This file lists everyone in my teams"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = settings.PRIVACY_STAFF_LEFT_DAYS
        self.fields["complete"].help_text = ngettext(
            "People of your teams who are not in the file have left. Their staff record and certificates are "
            "deleted %(count)s day later.",
            "People of your teams who are not in the file have left. Their staff record and certificates are "
            "deleted %(count)s days later.",
            days,
        ) % {"count": days}


class CardSheetForm(CardSheetFormBase):
    people_field = "staff"
    people_label = _("People on the sheet")
    people_required = _("Choose at least one person.")
    confirm_label = _("Yes, give these people a new PIN. Their old PIN stops working.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].label_from_instance = lambda member: f"{member.user} ({member.employee_number})"
