"""Where training keeps its sheets of sign-in cards for staff (the cards themselves are `accounts.cards`).

A folder of its own under PRIVATE_MEDIA_ROOT, next to coaching's: never under MEDIA_ROOT, so no web
server serves it; `training.views.card_sheet_download` hands a sheet to the manager who asked for it.
"""

from pathlib import Path

from accounts import cards as shared

FOLDER = "staff-card-sheets"


def sheet_path(file_name: str) -> Path:
    return shared.sheet_path(FOLDER, file_name)
