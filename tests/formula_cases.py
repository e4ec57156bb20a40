"""Text that a spreadsheet program would run as a formula, and what every export must make of it.

Used by the export tests of every app (coaching, training, lessons) and by tests/learn/test_spreadsheets.py,
so that all exports are held to the one rule of learn/spreadsheets.py.
"""

# (typed by somebody, the cell in the exported file)
FORMULA_CASES = [
    ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
    ("+32 470 12 34 56", "'+32 470 12 34 56"),
    ("-5", "'-5"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t'=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Jan;=1+1", "Jan;'=1+1"),  # a Belgian spreadsheet splits a CSV line on ";"
    ("Jan;-5", "Jan;'-5"),
    ("Jan\t@SUM(A1)", "Jan\t'@SUM(A1)"),
    ("Jan; Peeters", "Jan; Peeters"),
    ("Marie-Claire", "Marie-Claire"),
]
FORMULA_IDS = ["equals", "plus", "minus", "at", "tab", "carriage-return", "semicolon-equals", "semicolon-minus",
               "tab-at", "semicolon-text", "hyphen-inside"]  # fmt: skip
