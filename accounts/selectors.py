"""Reads for accounts: a coach's learners, their sign-in state, and a user's own data for download."""

import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import roles, throttle
from .models import User
from .privacy import DataSection, privacy_providers


def user_is_coach(*, user) -> bool:
    return roles.user_has_role(user, roles.COACHES)


def coach_learners(*, coach: User) -> QuerySet:
    """The learners this coach made; a coach never sees anyone else's."""
    return (
        User.objects.filter(created_by=coach, learner_sign_in__isnull=False)
        .select_related("learner_sign_in")
        .order_by(Lower("display_name"), "pk")
    )


def learner_locked_codes(*, learners) -> dict[str, datetime]:
    """{code: end of its pause} for the paused codes of these learners."""
    codes = [learner.learner_sign_in.code for learner in learners]
    return throttle.throttle_locked_values(scope=throttle.CODE, values=codes)


def learners_locked(*, users: QuerySet) -> list[tuple[User, datetime]]:
    """The people of `users` whose learner code is paused now, with the end of the pause, by name.

    Reads only the codes of the whole set, asks the cache once, and loads just the paused people, so a
    large group costs one small query, one cache round trip and one query for the few who are paused.
    """
    codes = dict(users.filter(learner_sign_in__isnull=False).values_list("learner_sign_in__code", "pk"))
    locked = throttle.throttle_locked_values(scope=throttle.CODE, values=list(codes))
    if not locked:
        return []
    people = User.objects.in_bulk([codes[code] for code in locked])
    rows = [(people[codes[code]], until) for code, until in locked.items() if codes[code] in people]
    return sorted(rows, key=lambda row: (str(row[0]).lower(), row[0].pk))


def account_profile_export(*, user: User) -> dict:
    """What the platform knows about a person, without secrets (no password, PIN, pictures or code)."""
    sign_in = getattr(user, "learner_sign_in", None)
    return {
        "user_name": user.username,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "display_preferences": user.display_preferences,
        "learner_id": str(user.public_id),
        "roles": sorted(group.name for group in user.groups.all()),
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "made_by_coach": str(user.created_by) if user.created_by_id else None,
        "signs_in_with": sign_in.kind if sign_in else "password",
        "deletion_requested_at": user.deletion_requested_at.isoformat() if user.deletion_requested_at else None,
        "inactivity_notice_at": user.inactivity_notice_at.isoformat() if user.inactivity_notice_at else None,
    }


EXPORT_FORMAT = "oefenplein-my-data/2"


def account_data_sections(*, user: User) -> list[DataSection]:
    """Every app's part of "everything we keep about you" (accounts.privacy), the profile first."""
    return [section for provider in privacy_providers() for section in provider.data_sections(user=user)]


def _json_chunks(*, sections: list[DataSection], exported_at: str) -> Iterator[str]:
    """The JSON file in pieces, so a long learning history is never all in memory."""
    yield "{\n" + f'  "format": {json.dumps(EXPORT_FORMAT)},\n  "exported_at": {json.dumps(exported_at)}'
    for section in sections:
        yield f",\n  {json.dumps(section.key)}: "
        if section.single:
            rows = list(section.row_iter())
            yield json.dumps(rows[0] if rows else None, ensure_ascii=False)
            continue
        yield "["
        first = True
        for row in section.row_iter():
            yield ("\n    " if first else ",\n    ") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "]" if first else "\n  ]"
    yield "\n}\n"


# An ISO date-time as the providers write them ("2026-12-07T09:54:56.364000+00:00"); the page shows it
# in the person's language and the site's time zone, the JSON file keeps it exactly.
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


def _readable_datetime(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "DATETIME_FORMAT")


def _cell(value) -> str:
    """A value as a person reads it on the page (the JSON file keeps it exactly)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return _readable_datetime(value)
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_cell(item)}" for key, item in value.items()) or "–"
    return str(value)


def _page_sections(sections: list[DataSection]) -> Iterator[dict]:
    for section in sections:
        columns = [(key, label) for key, label in section.labels.items()]
        rows = (
            [
                _cell(section.readable[key](row.get(key)) if key in section.readable else row.get(key))
                for key, _label in columns
            ]
            for row in section.row_iter()
        )
        yield {
            "title": section.title,
            "single": section.single,
            "note": section.note,
            "headers": [label for _key, label in columns],
            "facts": list(zip([label for _key, label in columns], next(rows, []), strict=False))
            if section.single
            else [],
            "rows": [] if section.single else list(rows),
            "file_names": {file.name for file in section.files},
        }


def account_data_archive(*, user: User, exported_at: str):
    """ "Download my data": a zip with a readable page (my-data.html, in the person's language), the same
    data as JSON (my-data.json) and the files kept about them (certificates). Answers an open temporary
    file at its start; it spills to disk when big and is gone once closed."""
    sections = account_data_sections(user=user)
    output = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the response, which closes it
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("my-data.json", "w") as handle:
            for chunk in _json_chunks(sections=sections, exported_at=exported_at):
                handle.write(chunk.encode("utf-8"))
        language = translation.get_language() or settings.LANGUAGE_CODE
        page = render_to_string(
            "accounts/my_data_export.html",
            {
                "person": user,
                "exported_at": _cell(exported_at),
                "sections": _page_sections(sections),
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
            },
        )
        archive.writestr("my-data.html", page)
        for section in sections:
            for file in section.files:
                if file.path.is_file():
                    archive.write(file.path, file.name)
    output.seek(0)
    return output
