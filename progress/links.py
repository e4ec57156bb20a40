"""Titles and links for activities that are not Wagtail pages (simulator scenarios).

The apps that own them register a provider at start-up, so `progress` never imports them.
A provider gets translation keys and returns {key: PageLink} for the ones it knows.
"""

from collections.abc import Callable

LinkProvider = Callable[..., dict]
_providers: list[LinkProvider] = []


def activity_link_provider_register(provider: LinkProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def activity_links_for(*, keys, language: str, request=None) -> dict:
    keys = {key for key in keys if key}
    links: dict = {}
    for provider in _providers:
        if not keys:
            break
        found = provider(keys=keys, language=language, request=request)
        links.update(found)
        keys -= set(found)
    return links
