"""The one formula rule of every export (learn/spreadsheets.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils.functional import lazy

from learn.spreadsheets import cell_neutralise, row_neutralise
from tests.formula_cases import FORMULA_CASES, FORMULA_IDS


@pytest.mark.parametrize("typed,exported", FORMULA_CASES, ids=FORMULA_IDS)
def test_text_never_starts_a_formula(typed, exported):
    assert cell_neutralise(value=typed) == exported


@pytest.mark.parametrize("number", [-5, -0.5, 0, 12, Decimal("-1.25")])
def test_real_numbers_stay_numbers(number):
    assert cell_neutralise(value=number) == number
    assert type(cell_neutralise(value=number)) is type(number)


def test_other_values():
    day = datetime.date(2026, 12, 7)
    lazy_text = lazy(str, str)("=lazy")  # as a lazily translated heading would be
    assert row_neutralise(row=[None, True, day, "", lazy_text]) == ["", True, day, "", "'=lazy"]
