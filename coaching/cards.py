"""Sign-in card sheets of coaching: where they are kept, and how fresh secrets reach the task.

The cards and the PDF are `accounts.cards` (shared with training's sheets for staff); this module adds
what only coaching has. Where the secrets are (the PINs and pictures are stored only hashed, see
`accounts.models.LearnerSignIn`):

- **Existing learners** get new secrets *inside the task*: `coaching.services.card_sheet_render` resets
  them (`accounts.cards.card_renew`), and `accounts.card_sheets.sheet_make` renders the PDF and writes
  it in the same transaction, so the plain
  secrets exist only in the worker's memory and in the PDF, and a failed render leaves every old card
  working. The broker message carries only the sheet's id.
- **Learners made a moment ago** already have secrets the coach sees once on the next page. A second
  reset would make that page wrong, so the secrets are handed to the task through the cache (Redis in
  production, the same store that already keeps the single card's secret in the session) under the
  sheet's id, for `SECRETS_SECONDS` at most, and the task deletes them as soon as it has read them.
  They are never in the broker message (which Redis keeps until a worker takes it, and which monitoring
  tools show) nor in the database, which is backed up.

The PDF is kept under `sheet_root()`, outside MEDIA_ROOT, so no web server serves it; only
`coaching.views.card_sheet_download` hands it out, to the coach who asked for it. In production the
web process and the worker must share that folder (PRIVATE_MEDIA_ROOT on a shared volume).
"""

from pathlib import Path

import segno  # noqa: F401 — the QR codes of accounts.cards; tests watch segno.make through this name
from django.core.cache import cache

from accounts import cards as shared
from accounts.cards import CARDS_PER_PAGE, Card, CardPicture, card_build, card_language, card_renew

__all__ = [
    "CARDS_PER_PAGE",
    "Card",
    "CardPicture",
    "card_build",
    "card_language",
    "card_renew",
]

FOLDER = "card-sheets"
SECRETS_SECONDS = 15 * 60


def sheet_root() -> Path:
    return shared.sheet_root(FOLDER)


def sheet_path(file_name: str) -> Path:
    return shared.sheet_path(FOLDER, file_name)


def _secrets_key(sheet_id: int) -> str:
    return f"coaching:card-sheet:{sheet_id}:secrets"


def secrets_keep(*, sheet_id: int, secrets: dict[int, tuple[str, str]]) -> None:
    """{learner id: (kind, secret)} for the task of this sheet, for a few minutes at most."""
    cache.set(_secrets_key(sheet_id), {str(pk): list(value) for pk, value in secrets.items()}, SECRETS_SECONDS)


def secrets_take(*, sheet_id: int) -> dict[int, tuple[str, str]] | None:
    key = _secrets_key(sheet_id)
    kept = cache.get(key)
    cache.delete(key)
    if kept is None:
        return None
    return {int(pk): (value[0], value[1]) for pk, value in kept.items()}


def secrets_forget(*, sheet_id: int) -> None:
    cache.delete(_secrets_key(sheet_id))
