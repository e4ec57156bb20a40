"""The privacy registry: every app says what it keeps about a person, and how to erase it.

Like Moodle's Privacy API: `accounts` knows people but none of the apps above it (progress, coaching,
training...). Each app that stores anything linked to a person registers a provider in its
`AppConfig.ready()`; the data download (`accounts.selectors.account_data_archive`), the erasure
(`accounts.services.person_erase`), handing learners to another coach and the retention rules ask every
provider. A test walks Django's app registry and fails when a model with a link to the user model is
answered for by no provider (`PrivacyProvider.models`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable


def iso_or_none(value) -> str | None:
    """A date or time in a download row: ISO text, or None when there is none."""
    return value.isoformat() if value else None


@dataclass(frozen=True)
class DataFile:
    """A file in the download: `name` inside the zip (e.g. "certificates/first-aid-2026-03-01.pdf")."""

    name: str
    path: Path


@dataclass
class DataSection:
    """One part of the download: a JSON key, a title and column labels for the readable page, and rows.

    `rows` is a list, or a function answering a fresh iterator (statements are streamed twice: once
    for the JSON file and once for the page). Values are JSON types; dates as ISO text.
    `single` sections (a profile, a staff record) hold one row and read as a list of facts.
    """

    key: str
    title: str
    labels: dict[str, str]
    rows: list[dict] | Callable[[], Iterable[dict]]
    single: bool = False
    files: list[DataFile] = field(default_factory=list)
    note: str = ""
    # For the readable page only: a column's value in words (e.g. a role's name in the person's language);
    # the JSON file keeps the stored value.
    readable: dict[str, Callable[[object], str]] = field(default_factory=dict)

    def row_iter(self) -> Iterable[dict]:
        return self.rows() if callable(self.rows) else iter(self.rows)


@runtime_checkable
class PrivacyProvider(Protocol):
    """What an app tells the registry. Subclass `ProviderBase` for the optional parts."""

    # A unique name, e.g. "training".
    name: str
    # "app_label.ModelName" of every model of the app with a link to a person (FK, one-to-one or
    # many-to-many to the user model); a test checks that no such model is missing.
    models: tuple[str, ...]

    def data_sections(self, *, user) -> list[DataSection]:
        """Everything the app keeps about `user`, for the download. Never another person's data."""

    def erase(self, *, user) -> list[Callable[[], None]]:
        """Called in the erasure's transaction, before the user row is deleted (which cascades).

        Remove what a cascade would not (files, copies of the name, rows with a loose link) and
        answer the file removals to run once the rows are gone.
        """

    def hand_over(self, *, from_user, to_user) -> None:
        """`from_user` leaves: give what they look after (groups, learners) to `to_user` as well."""

    def orphans(self, *, user) -> set[int]:
        """The people who would have nobody to look after them if `user` were deleted now."""

    def looked_after(self, *, user_ids: set[int]) -> set[int]:
        """The people among `user_ids` the app's own staff reach anyway (staff and their managers)."""

    def retention_holds(self, *, user_ids: set[int]) -> set[int]:
        """The people among `user_ids` the app still needs (an active staff member, say)."""


class ProviderBase:
    """Defaults for the optional parts of `PrivacyProvider`."""

    name = ""
    models: tuple[str, ...] = ()

    def data_sections(self, *, user) -> list[DataSection]:
        return []

    def erase(self, *, user) -> list[Callable[[], None]]:
        return []

    def hand_over(self, *, from_user, to_user) -> None:
        return None

    def orphans(self, *, user) -> set[int]:
        return set()

    def looked_after(self, *, user_ids: set[int]) -> set[int]:
        return set()

    def retention_holds(self, *, user_ids: set[int]) -> set[int]:
        return set()


_providers: dict[str, PrivacyProvider] = {}


def privacy_provider_register(provider: PrivacyProvider) -> None:
    """Register (or replace, by name) an app's provider; call it from `AppConfig.ready()`."""
    if not provider.name:
        raise ValueError("A privacy provider needs a name.")
    _providers[provider.name] = provider


def privacy_providers() -> list[PrivacyProvider]:
    # accounts first (the profile opens the download), then in the order the apps registered.
    return sorted(_providers.values(), key=lambda provider: provider.name != "accounts")


def privacy_models_covered() -> set[str]:
    return {label for provider in _providers.values() for label in provider.models}
