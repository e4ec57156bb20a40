from datetime import date

import pytest

from sandboxes import guard


@pytest.mark.parametrize(
    "born, serial",
    [(date(1956, 3, 4), 123), (date(1987, 12, 31), 2), (date(2004, 7, 15), 998), (date(2010, 1, 1), 45)],
)
def test_a_national_register_number_with_valid_check_digits_is_recognised(born, serial):
    number = guard.national_number_example(born, serial)
    assert guard.is_national_number(number)
    dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    assert guard.sensitive_kind(f"Mijn nummer is {dotted}, klopt dat?") == guard.NATIONAL_NUMBER


@pytest.mark.parametrize("born", [date(1956, 3, 4), date(2004, 7, 15)])
def test_wrong_check_digits_are_not_a_national_register_number(born):
    number = guard.national_number_example(born, 123)
    wrong = number[:9] + f"{(int(number[9:]) + 1) % 100:02d}"
    assert not guard.is_national_number(wrong)
    assert guard.sensitive_kind(wrong) is None


def test_a_month_that_cannot_exist_is_not_a_national_register_number():
    body = "561304123"  # month 13
    number = body + f"{97 - int(body) % 97:02d}"
    assert not guard.is_national_number(number)


@pytest.mark.parametrize(
    "iban", ["BE71 0961 2345 6769", "be71096123456769", "NL91ABNA0417164300", "DE89 3704 0044 0532 0130 00"]
)
def test_an_iban_with_a_valid_mod_97_check_is_recognised(iban):
    assert guard.is_iban(iban)
    assert guard.sensitive_kind(f"Stort op {iban} aub") == guard.IBAN


@pytest.mark.parametrize(
    "iban", ["BE71 0961 2345 6768", "BE00 0000 0000 0000", "NL91ABNA0417164301", "BE71 0961 2345 676"]
)
def test_an_iban_with_a_wrong_check_is_not_recognised(iban):
    assert not guard.is_iban(iban)


@pytest.mark.parametrize(
    "card", ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "6703 4444 4444 4449"]
)
def test_a_card_number_that_passes_luhn_is_recognised(card):
    assert guard.is_card_number(card)
    assert guard.sensitive_kind(f"kaart {card}") == guard.CARD


@pytest.mark.parametrize("card", ["4111 1111 1111 1112", "1234 5678 9012 3456", "0000 0000 0000 0000", "4111 1111"])
def test_a_card_number_that_fails_luhn_is_not_recognised(card):
    assert not guard.is_card_number(card)


@pytest.mark.parametrize(
    "text", ["0470 12 34 56", "12345", "Mechelen 2800", "Ticket 2026-11-26", "", "Code 48213", "+32 470 00 00 01"]
)
def test_ordinary_practice_values_pass(text):
    assert guard.sensitive_kind(text) is None
