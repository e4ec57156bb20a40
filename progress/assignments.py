"""What a coach or training programme gave a learner to do, as "My learning" shows it.

Assignments are owned by the coaching and training apps, which import `progress`, never the other way
round. They register a provider at start-up; "My learning" asks every provider for the learner's items.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True)
class AssignedItem:
    translation_key: UUID  # the Wagtail translation key of the module or lesson
    due: date | None = None
    note: str = ""
    # Required staff training (training app) rather than a task from a coach: "My learning" lists them apart.
    required: bool = False


Provider = Callable[..., list[AssignedItem]]
_providers: list[Provider] = []


def assignment_provider_register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def assignment_provider_unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def assignments_for(*, user) -> list[AssignedItem]:
    items: list[AssignedItem] = []
    for provider in _providers:
        items.extend(provider(user=user))
    return items
