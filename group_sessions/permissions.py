"""Who may organise which session, and where. Every organiser view and service asks here.

- Editors (and administrators) organise any session, anywhere.
- Coaches organise workshops, digidokter hours and webinars at the help points of their own coach
  groups, or online.
- Training managers organise staff training moments, at any help point or online.
"""

from django.db.models import QuerySet

from accounts import roles
from lessons.models import HelpPoint

from .models import GroupSession, SessionKind

LEARNER_KINDS = (SessionKind.WORKSHOP, SessionKind.DIGIDOKTER, SessionKind.WEBINAR)


def _roles(user) -> set[str]:
    if not (user.is_authenticated and user.is_active):
        return set()
    cached = getattr(user, "_group_sessions_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._group_sessions_roles = cached
    return cached


def is_editor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or roles.EDITORS in _roles(user)))


def may_organise(user) -> bool:
    return is_editor(user) or bool(_roles(user) & {roles.COACHES, roles.TRAINING_MANAGERS})


def kinds_for(user) -> list[str]:
    if is_editor(user):
        return list(SessionKind.values)
    kinds = []
    if roles.COACHES in _roles(user):
        kinds += [str(kind) for kind in LEARNER_KINDS]
    if roles.TRAINING_MANAGERS in _roles(user):
        kinds.append(str(SessionKind.STAFF_TRAINING))
    return kinds


def help_point_keys_for(user, kind: str | None = None) -> set | None:
    """Translation keys of the help points this person may use; None means every help point."""
    if is_editor(user) or (kind == SessionKind.STAFF_TRAINING and roles.TRAINING_MANAGERS in _roles(user)):
        return None
    if kind is None and roles.TRAINING_MANAGERS in _roles(user):
        return None
    from coaching.models import CoachGroup

    return set(
        HelpPoint.objects.filter(
            pk__in=CoachGroup.objects.filter(coaches=user, help_point__isnull=False).values("help_point")
        ).values_list("translation_key", flat=True)
    )


def help_point_allowed(user, *, kind: str, help_point) -> bool:
    keys = help_point_keys_for(user, kind)
    return help_point is None or keys is None or help_point.translation_key in keys


def managed_sessions(user) -> QuerySet:
    """The sessions this person organises (editors: all of them)."""
    sessions = GroupSession.objects.all()
    if not is_editor(user):
        sessions = sessions.filter(organisers=user)
    return sessions


def may_manage(user, session: GroupSession) -> bool:
    return may_organise(user) and managed_sessions(user).filter(pk=session.pk).exists()
