from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.models import Locale

from learn.page_cache import page_cache_generation
from lessons import selectors
from lessons.activities import h5p_activity_id, lesson_activity_id, question_activity_id, simulator_activity_id
from lessons.blocks import READABLE_BLOCKS

register = template.Library()


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def activity_id(page, block_id=None):
    """The xAPI activity id of a lesson, or of one question in it, for the browser's learning records.

    Empty where there is no page (block previews in the admin), so nothing is recorded there.
    """
    if page is None or not getattr(page, "translation_key", None):
        return ""
    return question_activity_id(page, block_id) if block_id else lesson_activity_id(page)


@register.filter
def read_aloud_able(block_type: str) -> bool:
    """Whether a lesson block gets a read-aloud button (learn/js/readaloud.js does the reading)."""
    return block_type in READABLE_BLOCKS


@register.inclusion_tag("lessons/includes/read_aloud_button.html")
def read_aloud_button(target_id: str):
    return {"target_id": target_id}


@register.simple_tag
def simulator_block_activity_id(page, block_id):
    """The xAPI activity id of a simulator block of a lesson; empty in the admin's block preview (no page),
    so nothing is recorded there. The lesson names its blocks: the simulator player (sandboxes) takes it."""
    if page is None or not getattr(page, "translation_key", None) or not block_id:
        return ""
    return simulator_activity_id(page, block_id)


@register.simple_tag
def h5p_player(page, block_id, content):
    """Where the lesson frames one H5P block: the player origin's URL and the block's activity id.

    None while the exercise is not ready (or in the admin's block preview, which has no page).
    """
    if content is None or not content.is_ready or page is None or not getattr(page, "translation_key", None):
        return None
    activity = h5p_activity_id(page, block_id)
    query = urlencode({"activity": activity})
    return {
        "src": f"{settings.H5P_PLAYER_ORIGIN}/h5p/play/{content.key}/?{query}",
        "activity": activity,
        "origin": settings.H5P_PLAYER_ORIGIN,
    }


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language that keeps the learner on the same page.

    A page links to its own translations; a language without one falls back to that language's
    home page. Views that are not Wagtail pages (search, sign-in) translate their URL.
    """
    page = context.get("page")
    fallback = context.get("fallback_language_links", [])
    if page is None or not getattr(page, "pk", None):
        return fallback
    translations = {
        translation.locale.language_code: translation.url
        for translation in page.get_translations(inclusive=True).live().select_related("locale")
    }
    return [{**link, "url": translations.get(link["code"]) or f"/{link['code']}/"} for link in fallback]


@register.simple_tag(takes_context=True)
def site_links(context):
    """URLs of the catalogue, help page and search in the active language, cached per content generation."""
    language = context.get("current_language") or settings.LANGUAGE_CODE
    home = f"/{language}/"
    links = {"home": home, "catalogue": home, "help": home, "search": f"/{language}/search/"}
    try:
        key = f"site-links:{page_cache_generation()}:{language}"
        cached = cache.get(key)
        if cached is None:
            cached = _lookup_site_links(language)
            cache.set(key, cached, 3600)
        links.update(cached)
        links["search"] = reverse("search")
    except Exception:  # noqa: BLE001 — error pages must render when the database is down
        pass
    return links


def _lookup_site_links(language: str) -> dict:
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return {}
    links = {}
    catalogue = selectors.catalogue_page(locale=locale)
    help_page = selectors.help_page(locale=locale)
    if catalogue:
        links["catalogue"] = catalogue.url
    if help_page:
        links["help"] = help_page.url
    return links
