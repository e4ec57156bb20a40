"""One rule for every cell of every export (CSV and Excel): text from the site never becomes a formula.

Spreadsheet programs run a cell that starts with = + - or @ as a formula (and tab or carriage return,
which some of them skip first). Names, titles and codes are typed by people, so every export passes
its cells through `cell_neutralise`: coaching's group progress, training's compliance lists, the
coordinator's figures and the editors' easy-language report.

A Belgian spreadsheet program opens a CSV file split on ";" (the list separator here), and some split
on tabs, so text after a ";" or a tab starts a cell of its own: a formula character there is
neutralised too. Neutralised means a ' is put in front of it, so the text shows as it is.

Only text is changed: numbers, dates and booleans stay what they are, so a real negative number stays
a number in Excel, while the text "-5" typed by somebody becomes '-5.
"""

import re
from collections.abc import Iterable

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# At the start of the text, or right after a ";" or a tab: a formula character gets a ' in front.
_FORMULA_CHARS = "".join(re.escape(char) for char in FORMULA_STARTS)
_FORMULA_AT_CELL_START = re.compile(rf"(^|[;\t])(?=[{_FORMULA_CHARS}])")


def cell_neutralise(*, value):
    """The value safe for a spreadsheet cell: text never starts a formula; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Promise):  # a lazily translated text
        value = str(value)
    if not isinstance(value, str):
        return value
    return _FORMULA_AT_CELL_START.sub(lambda match: match.group(1) + "'", value)


def row_neutralise(*, row: Iterable) -> list:
    return [cell_neutralise(value=value) for value in row]
