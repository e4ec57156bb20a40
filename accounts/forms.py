from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import throttle
from .credentials import (
    PICTURE_COUNT,
    PICTURES,
    code_normalize,
    one_time_code_normalize,
    pictures_secret,
    pin_normalize,
)


class FocusFirstErrorMixin:
    """After a failed post, the first wrong field gets the focus, so a screen reader reads its error at once."""

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields and not any(f.widget.attrs.get("autofocus") for f in self.fields.values()):
            self.fields[field].widget.attrs["autofocus"] = True


def form_errors_add(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: each message at its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


def locked_user_name_message(until=None) -> str:
    return gettext(
        "There were too many wrong tries with this user name. Signing in is paused until %(time)s. "
        "Try again later, or ask a coach or a help point."
    ) % {"time": throttle.lock_time_text(until)}


def locked_password_address_message(until=None) -> str:
    return gettext(
        "There were too many wrong passwords on the computers of this place. Signing in with a password is "
        "paused until %(time)s. Try again later, or ask a help point."
    ) % {"time": throttle.lock_time_text(until)}


class SignInForm(AuthenticationForm):
    """User name and password, for staff, coaches, managers, editors (and learners who have a password)."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("The user name or the password is not right. Try again, or ask your coach."),
        "inactive": _("This account is switched off. Ask your coach."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        self._raise_when_paused(username)
        try:
            return super().clean()
        except ValidationError:
            # The backend counted this wrong try; say so plainly when it was the last one allowed.
            self._raise_when_paused(username)
            raise

    def _raise_when_paused(self, username) -> None:
        if username:
            until = throttle.throttle_locked_until(scope=throttle.USERNAME, value=username)
            if until is not None:
                raise ValidationError(locked_user_name_message(until), code="locked")
        if self.request is not None:
            address = throttle.client_address(request=self.request)
            until = throttle.throttle_locked_until(scope=throttle.PASSWORD_ADDRESS, value=address)
            if until is not None:
                raise ValidationError(locked_password_address_message(until), code="locked")


class LearnerCodeForm(FocusFirstErrorMixin, forms.Form):
    learner_code = forms.CharField(
        label=_("Learner code"),
        help_text=_("It is on your sign-in card, for example K7M-4PX."),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
        error_messages={"required": _("Type the learner code from your card.")},
    )

    def clean_learner_code(self):
        code = code_normalize(text=self.cleaned_data["learner_code"])
        if code is None:
            raise ValidationError(
                _("A learner code has 6 letters and numbers, like K7M-4PX. Check your card and try again."),
                code="format",
            )
        return code


class SecretTextInput(forms.TextInput):
    """A text field that never sends its value back to the page, so a PIN is not shown again after an error."""

    def format_value(self, value):
        return None


class PinForm(forms.Form):
    # Not type="password": browsers would offer to save the PIN, and on a shared computer the next
    # person would get it filled in. type="text" with autocomplete="off" is not offered for saving;
    # inputmode="numeric" gives a number keyboard on phones, and the CSS rule for .pin-input
    # (-webkit-text-security: disc) shows dots instead of the numbers, so nobody reads along.
    pin = forms.CharField(
        label=_("Your PIN"),
        help_text=_("4 numbers. You see dots instead of the numbers, so nobody can read along."),
        max_length=20,
        widget=SecretTextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "autocorrect": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "pin-input",
                "autofocus": True,  # the only thing to do on this page
            }
        ),
        error_messages={"required": _("Type the 4 numbers of your PIN.")},
    )

    def clean_pin(self):
        pin = pin_normalize(text=self.cleaned_data["pin"])
        if pin is None:
            raise ValidationError(_("Type the 4 numbers of your PIN."), code="format")
        return pin

    @property
    def secret(self) -> str:
        return self.cleaned_data["pin"]


class OneTimeSignInForm(LearnerCodeForm):
    """The learner code and the one-time code a coach gave, for a learner whose code is paused."""

    one_time_code = forms.CharField(
        label=_("One-time code"),
        help_text=_("8 numbers from your coach, for example 4821 3905. It works only once."),
        max_length=40,
        widget=SecretTextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autocorrect": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
        error_messages={"required": _("Type the 8 numbers of the one-time code.")},
    )

    def clean_one_time_code(self):
        code = one_time_code_normalize(text=self.cleaned_data["one_time_code"])
        if code is None:
            raise ValidationError(_("A one-time code has 8 numbers. Check the numbers and try again."), code="format")
        return code


PICTURE_LEGENDS = [_("First picture"), _("Second picture"), _("Third picture")]


class PicturesForm(forms.Form):
    """Three groups of the same 12 pictures; the learner picks one in each, in order. Works without JavaScript."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(picture.key, picture.label) for picture in PICTURES]
        for position in range(1, PICTURE_COUNT + 1):
            self.fields[f"picture_{position}"] = forms.ChoiceField(
                label=PICTURE_LEGENDS[position - 1],
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a picture here."), "invalid_choice": _("Choose a picture here.")},
            )

    @property
    def secret(self) -> str:
        return pictures_secret(keys=[self.cleaned_data[f"picture_{n}"] for n in range(1, PICTURE_COUNT + 1)])

    def picture_groups(self) -> list[dict]:
        """What the template draws: per position a legend, its error and the 12 pictures.

        The view passes a fresh, unbound form after a wrong try, so a choice is only shown again when
        the form was incomplete (a group left empty), never after a wrong sequence.
        """
        groups = []
        for position in range(1, PICTURE_COUNT + 1):
            name = f"picture_{position}"
            groups.append(
                {
                    "name": name,
                    "legend": self.fields[name].label,
                    "error": self.errors.get(name, [""])[0] if self.is_bound else "",
                    "options": [
                        {
                            "id": f"id_{name}_{picture.key}",
                            "value": picture.key,
                            "label": picture.label,
                            "src": picture.src,
                            "checked": self.is_bound and self.data.get(name) == picture.key,
                        }
                        for picture in PICTURES
                    ],
                }
            )
        return groups


def language_choices():
    return [(code, settings.LANGUAGE_SELF_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES]


class AccountDeleteForm(FocusFirstErrorMixin, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This password is not right. Nothing was deleted."), code="wrong")
        return password


class HandOverForm(FocusFirstErrorMixin, forms.Form):
    """Before a coach's account goes: the coach who takes over their learners and groups."""

    username = forms.CharField(
        label=_("User name of the coach who takes over"),
        max_length=150,
        help_text=_("They become the coach of your learners and of your groups."),
        error_messages={"required": _("Write the user name of the other coach.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )


class CardSheetFormBase(FocusFirstErrorMixin, forms.Form):
    """Asking for a sheet of sign-in cards (coaching, training): who is on it, and a tick to confirm.

    The subclass names the field of who is on the sheet in `people_field` (with `people_label` and
    `people_required`, the message when nobody is chosen; everyone there is ticked at first) and words the
    tick in `confirm_label`: the people on a sheet always get a new secret.
    """

    people_field = ""
    people_label = ""
    people_required = ""
    confirm_label = ""

    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the box to say you understand that the old PINs stop working.")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.people_field] = forms.ModelMultipleChoiceField(
            label=self.people_label,
            queryset=people,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": self.people_required},
            initial=list(people.values_list("pk", flat=True)),
        )
        self.order_fields([self.people_field])  # as on the page, so the first error gets the focus
        self.fields["confirm"].label = self.confirm_label
