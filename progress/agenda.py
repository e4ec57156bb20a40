"""Dates a learner joined (a workshop, a digidokter hour...), as "My learning" shows them.

Like assignments.py: the app that owns the dates (group_sessions) imports progress, never the other way
round, and registers a provider at start-up. "My learning" shows the next date and what to practise for it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class AgendaItem:
    title: str
    starts: datetime
    ends: datetime
    place: str  # a help point's name and address, or "Online"
    url: str = ""  # the page about the date, if any
    online_link: str = ""
    # Translation keys of modules, lessons or simulator scenarios to practise before the date.
    prepare: tuple[UUID, ...] = field(default_factory=tuple)


Provider = Callable[..., list[AgendaItem]]
_providers: list[Provider] = []


def agenda_provider_register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def agenda_provider_unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def agenda_for(*, user, language: str) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    for provider in _providers:
        items.extend(provider(user=user, language=language))
    return sorted(items, key=lambda item: item.starts)
