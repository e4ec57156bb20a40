"""Digits typed on an Arabic keyboard (٠-٩, ۰-۹) are read as 0-9 wherever digits are asked."""

import datetime

import pytest
from django import forms

from accounts.credentials import code_normalize, pin_normalize
from accounts.forms import PinForm
from accounts.models import User
from coaching.forms import AssignmentForm
from learn.digits import DigitsCharField, digits_normalise
from sandboxes.guard import national_number_example, sensitive_kind
from training import services as training_services

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_digits_normalise_changes_only_digits():
    assert digits_normalise("٢٥٨٠") == "2580"
    assert digits_normalise("۰۴۷۰ ۱۲") == "0470 12"
    assert digits_normalise("K٧M-٤PX") == "K7M-4PX"
    assert digits_normalise("مرحبا 12") == "مرحبا 12"
    assert digits_normalise("") == ""


def test_pin_form_accepts_arabic_indic_digits():
    form = PinForm(data={"pin": "٢٥٨٠"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pin"] == "2580"
    assert pin_normalize(text="۲۵۸۰") == "2580"
    assert PinForm(data={"pin": "٢٥٨"}).is_valid() is False


def test_learner_code_accepts_arabic_indic_digits():
    assert code_normalize(text="k٧m-٤px") == "K7M4PX"


def test_a_digits_field_reads_arabic_digits():
    class PhoneForm(forms.Form):
        phone = DigitsCharField(max_length=20)

    form = PhoneForm(data={"phone": "٠٤٧٠ ١١ ٢٢ ٣٣"})
    assert form.is_valid() and form.cleaned_data["phone"] == "0470 11 22 33"


@pytest.mark.parametrize("table", [ARABIC_INDIC, PERSIAN])
def test_staff_import_phone_and_date_accept_arabic_digits(table):
    assert training_services._phone_normalise("0470 11 22 33".translate(table)) == "+32470112233"
    assert training_services._phone_normalise("0032 470 11 22 33".translate(table)) == "+32470112233"
    assert training_services._date_parse("01/12/2026".translate(table)) == datetime.date(2026, 12, 1)
    assert training_services._phone_normalise("٠٤٧") is None


def test_assignment_due_date_accepts_arabic_digits(db):
    form = AssignmentForm(data={"due": "2999-12-31".translate(ARABIC_INDIC)}, targets=[], learners=User.objects.none())
    form.is_valid()
    assert "due" not in form.errors
    assert form.cleaned_data["due"] == datetime.date(2999, 12, 31)


@pytest.mark.parametrize("table", [ARABIC_INDIC, PERSIAN])
def test_the_guard_recognises_numbers_in_arabic_digits(table):
    number = national_number_example(datetime.date(1956, 3, 14), 123)
    assert sensitive_kind(number.translate(table)) == "national_number"
    dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    assert sensitive_kind(f"رقمي {dotted.translate(table)}") == "national_number"
    assert sensitive_kind("BE71 0961 2345 6769".translate(table)) == "iban"
    assert sensitive_kind("4111 1111 1111 1111".translate(table)) == "card"
    assert sensitive_kind("4111 1111 1111 1112".translate(table)) is None
    assert sensitive_kind("0470 00 12 34".translate(table)) is None
