"""Which activity an xAPI object id points at.

Activities are owned by the apps that render them (lessons, later sandboxes and h5p). Each app
registers a resolver at start-up, so `progress` never imports them: imports run one way,
lessons -> progress.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings


@dataclass(frozen=True)
class Activity:
    """What a statement is about, resolved on the server from its object id."""

    kind: str  # "lesson", "question", "simulator", "h5p"
    object_id: str
    lesson_key: UUID | None = None
    module_key: UUID | None = None
    # For questions the server knows the right answer, so the browser's claim is never needed.
    correct_response: str | None = None
    extra: dict = field(default_factory=dict)


Resolver = Callable[[str], Activity | None]
_resolvers: list[Resolver] = []


def activity_resolver_register(resolver: Resolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def activity_resolve(object_id: str) -> Activity | None:
    for resolver in _resolvers:
        activity = resolver(object_id)
        if activity is not None:
            return activity
    return None


def activity_base() -> str:
    """The IRI namespace of our activities. It names things; nothing ever fetches it."""
    return settings.XAPI_ACTIVITY_BASE.rstrip("/")
