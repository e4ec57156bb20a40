"""Reading: which sentences a lesson or a scenario has, and which clips exist for sentences."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from lessons.blocks import READABLE_BLOCKS
from sandboxes.convert import scenario_runtime_for

from .models import SpeechClip
from .speech import SpeechUnavailable, clip_key, voice_settings
from .text import normalise, sentences_of_html, sentences_of_text

# The lesson's title and summary, with their own read-aloud button (lessons/templates/lessons/lesson_page.html).
INTRO_TEMPLATE = "lessons/includes/lesson_intro.html"
CACHE_SECONDS = 60 * 60
# Texts the engine shows in the coach panel (sandboxes/templates/sandboxes/includes/player.html).
SIMULATOR_STRINGS = (
    "What to do now",
    "Not right.",
    "That is not the right step here. Try again.",
    "Stop! This was not safe.",
    "Well done! You finished this exercise.",
    "This looks like a real national register number. Never type a real one here: this is only practice. "
    "We emptied the field and kept nothing. Use the details of the practice person.",
    "This looks like a real bank account number (IBAN). Never type a real one here: this is only practice. "
    "We emptied the field and kept nothing. Use the details of the practice person.",
    "This looks like a real bank card number. Never type a real one here: this is only practice. "
    "We emptied the field and kept nothing. Use the details of the practice person.",
)
SCENARIO_TEXT_KEYS = frozenset({"instruction", "hint", "feedback", "require_feedback", "weak_feedback", "safety"})


def _unique(sentences) -> list[str]:
    return list(dict.fromkeys(sentence for sentence in sentences if sentence))


def _block_html(block, page) -> str:
    context = {"page": page, "block_id": block.id, "quiz_feedback": {}, "request": None}
    return block.block.render(block.value, context=context)


def lesson_intro_sentences(*, page) -> list[str]:
    """The sentences of the lesson's title and summary, read by the button above the title.

    Rendered with the include the lesson page uses (lessons/includes/lesson_intro.html), so both
    sides cut the very same sentences.
    """
    with translation.override(page.locale.language_code):
        html = render_to_string(INTRO_TEMPLATE, {"page": page})
    return _unique(sentences_of_html(html))


def lesson_block_sentences(*, page) -> list[str]:
    """The sentences of the lesson's readable blocks, in both versions.

    Both versions count: the lesson and its easier (A2) version, when it has one. Blocks are
    rendered with their own templates, as on the page. A question's feedback appears only after
    answering, so each option's feedback and both verdicts are added.
    """
    language = page.locale.language_code
    found = []
    blocks = [*page.body, *(getattr(page, "simple_body", None) or [])]
    with translation.override(language):
        for block in blocks:
            if block.block_type not in READABLE_BLOCKS:
                continue
            if block.block_type == "image":
                found += sentences_of_text(block.value.get("caption") or "")
                continue
            found += sentences_of_html(_block_html(block, page))
            if block.block_type == "question":
                found += sentences_of_text(gettext("Right!")) + sentences_of_text(gettext("Not quite. Try again."))
                for option in block.value["options"]:
                    found += sentences_of_text(option["feedback"] or "")
    return _unique(found)


def lesson_sentences(*, page) -> list[str]:
    """Every sentence the read-aloud buttons of this lesson can read, in the lesson's language:
    the title and summary first, then the blocks."""
    return _unique([*lesson_intro_sentences(page=page), *lesson_block_sentences(page=page)])


def _scenario_texts(value, *, key=None):
    if isinstance(value, str):
        if key in SCENARIO_TEXT_KEYS:
            yield value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _scenario_texts(item, key=name)
    elif isinstance(value, list):
        for item in value:
            yield from _scenario_texts(item, key=key)


def scenario_sentences(*, scenario) -> list[str]:
    """Every instruction, hint and feedback of a scenario (in its language), and the engine's own messages."""
    language = scenario.locale.language_code
    runtime = scenario_runtime_for(scenario)
    found = []
    for text in _scenario_texts(runtime):
        found += sentences_of_text(text)
    with translation.override(language):
        for text in SIMULATOR_STRINGS:
            found += sentences_of_text(gettext(text))
        done = gettext("Done:")
        for goal in runtime.get("goals") or []:
            found += sentences_of_text(f"{done} {goal.get('label', '')}")
    return _unique(found)


def _cache_key(key: str) -> str:
    return f"readaloud:clip:{key}"


def clips_lookup(*, language: str, sentences: list[str]) -> list[dict | None]:
    """For each sentence, its clip ({"url", "duration"}) or None; found clips are cached for an hour.

    Missing clips are never cached, so a clip made a moment later is found at once.
    """
    try:
        voice = voice_settings(language)
    except SpeechUnavailable:
        return [None] * len(sentences)
    keys = [clip_key(text=normalise(sentence), language=language, voice=voice) for sentence in sentences]
    found = cache.get_many([_cache_key(key) for key in keys])
    missing = {key for key in keys if _cache_key(key) not in found}
    if missing:
        fresh = {}
        for clip in SpeechClip.objects.filter(key__in=missing):
            fresh[_cache_key(clip.key)] = {"url": clip.file.url, "duration": round(clip.duration, 2)}
        cache.set_many(fresh, CACHE_SECONDS)
        found.update(fresh)
    return [found.get(_cache_key(key)) for key in keys]
