"""Reads for accounts: a coach's learners, their sign-in state, and a user's own data for download."""

import json
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.db.models.functions import Lower

from progress.selectors import learner_statements_export

from . import roles, throttle
from .models import User


def user_is_coach(*, user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(roles.COACHES))


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
    }


def account_data_export_chunks(*, user: User, exported_at: str) -> Iterator[str]:
    """The data download as JSON text in pieces, so a long learning history is never all in memory."""
    head = {"format": "oefenplein-my-data/1", "exported_at": exported_at, "profile": account_profile_export(user=user)}
    yield json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "statements": ['
    first = True
    for statement in learner_statements_export(user=user):
        yield ("\n    " if first else ",\n    ") + json.dumps(statement, ensure_ascii=False)
        first = False
    yield "\n  ]\n}\n"
