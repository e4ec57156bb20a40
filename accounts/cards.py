"""Printed sign-in cards (name, learner code, QR code, PIN or pictures) and the private PDF sheets of them.

Coaching prints them for a coach's group, training for a manager's team; both call these functions, in
their own Celery task, and keep their own sheet rows and folder (the life of a sheet, the same for both,
is `accounts.card_sheets`). The PINs and pictures are stored only hashed (`accounts.models.LearnerSignIn`),
so a card can be printed only with a secret made a moment ago: `card_renew` sets a new one (slow on
purpose: it is hashed) and builds the card with it. Call it inside the transaction that also writes the
PDF, in a worker, so the plain secrets exist only in that worker's memory and in the PDF, and a failed
render leaves every old card working.

The PDF holds readable secrets, so it is written under PRIVATE_MEDIA_ROOT (never MEDIA_ROOT, which a web
server may serve), readable by the owner only; the app's view hands it out to the person who asked, and
the app's hourly clean-up (`accounts.card_sheets.sheets_clean`) removes it after a day. The web process
and the worker must share that folder.
"""

import base64
import os
import secrets as token_source
from dataclasses import dataclass
from functools import cache as memoize
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .credentials import code_format, pictures_from_secret
from .models import SignInKind
from .services import learner_secret_reset

CARDS_PER_PAGE = 8  # 2 columns x 4 rows on A4


# --- Private sheet files ------------------------------------------------------------------------------


def sheet_root(folder: str) -> Path:
    private = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or Path(settings.VAR_DIR) / "private"
    return Path(private) / folder


def sheet_path(folder: str, file_name: str) -> Path:
    # Names are made by `sheet_write` only; the check keeps a bad row from pointing elsewhere.
    if not file_name or "/" in file_name or "\\" in file_name or file_name.startswith("."):
        raise ValueError("not a card sheet file name")
    return sheet_root(folder) / file_name


def sheet_write(folder: str, *, sheet_id: int, pdf: bytes) -> str:
    """Write the PDF (mode 0600, folder 0700) under an unguessable name; answer that name."""
    root = sheet_root(folder)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"cards-{sheet_id}-{token_source.token_hex(8)}.pdf"
    temporary = root / f".{name}.part"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as output:
        output.write(pdf)
    os.replace(temporary, root / name)
    return name


def sheet_remove(folder: str, file_name: str) -> None:
    if file_name:
        sheet_path(folder, file_name).unlink(missing_ok=True)


# --- Cards ----------------------------------------------------------------------------------------------


@memoize
def _picture_uri(key: str) -> str:
    path = finders.find(f"accounts/pictures/{key}.svg")
    data = Path(path).read_bytes() if path else b""
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class CardPicture:
    label: str
    uri: str


@dataclass(frozen=True)
class Card:
    name: str
    code: str
    kind: str
    pin: str
    pictures: list
    qr_uri: str
    sign_in_url: str
    language: str
    direction: str


def _direction(language: str) -> str:
    return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"


def card_language(learner) -> str:
    languages = dict(settings.LANGUAGES)
    return learner.preferred_language if learner.preferred_language in languages else settings.LANGUAGE_CODE


def card_build(*, learner, kind: str, secret: str) -> Card:
    """One card in the learner's language; the QR code opens the sign-in page with the code filled in."""
    language = card_language(learner)
    code = learner.learner_sign_in.code
    with translation.override(language):
        sign_in_url = settings.SITE_ORIGIN + reverse("accounts:login")
        pictures = [
            CardPicture(label=str(picture.label), uri=_picture_uri(picture.key))
            for picture in (pictures_from_secret(secret=secret) if kind == SignInKind.PICTURES else [])
        ]
    qr = segno.make(f"{sign_in_url}?code={code}", error="m")
    return Card(
        name=str(learner),
        code=code_format(code=code),
        kind=kind,
        pin=secret if kind == SignInKind.PIN else "",
        pictures=pictures,
        qr_uri=qr.svg_data_uri(border=2, dark="#000", light="#fff"),
        sign_in_url=sign_in_url,
        language=language,
        direction=_direction(language),
    )


def card_renew(*, learner, kind: str | None = None) -> Card:
    """A new PIN or new pictures for a learner who has a learner code, and the card that shows them.

    The old secret stops working. Hashing makes this slow: call it in a Celery task, never in a request
    for a whole group, and in the same transaction as the PDF write (see the module docstring).
    """
    new = learner_secret_reset(learner=learner, kind=kind or learner.learner_sign_in.kind)
    return card_build(learner=learner, kind=new.kind, secret=new.secret)


def sheet_render(*, cards: list[Card], language: str, title: str) -> tuple[bytes, int]:
    """The A4 PDF and its number of pages. Pages are cut here, so a card never breaks across two pages."""
    from weasyprint import HTML, URLFetcher

    pages = [cards[start : start + CARDS_PER_PAGE] for start in range(0, len(cards), CARDS_PER_PAGE)]
    with translation.override(language):
        html = render_to_string(
            "accounts/card_sheet_pdf.html",
            {"pages": pages, "title": title, "language": language, "direction": _direction(language)},
        )
    # Only data: URIs in the page, and the fetcher refuses anything else: rendering never fetches.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
    return document.write_pdf(), len(document.pages)
