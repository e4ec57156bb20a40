"""Writing: making the clips of a lesson or a scenario (run by readaloud/tasks.py)."""

import logging
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError

from . import selectors
from .models import SpeechClip
from .speech import SpeechUnavailable, clip_key, espeak_available, speech_render, voice_settings
from .text import normalise

logger = logging.getLogger(__name__)


@dataclass
class ClipReport:
    made: list = field(default_factory=list)
    existing: int = 0
    failed: int = 0
    skipped: str = ""


def _clip_store(*, text: str, language: str, voice: str, key: str, speech) -> tuple[SpeechClip, bool]:
    name = f"readaloud/{language}/{key[:2]}/{key}.{speech.extension}"
    if default_storage.exists(name):
        default_storage.delete(name)  # left by a run that failed before saving the row
    stored = default_storage.save(name, ContentFile(speech.data))
    try:
        clip = SpeechClip.objects.create(
            key=key,
            language=language,
            voice=voice,
            text=text,
            file=stored,
            content_type=speech.content_type,
            duration=speech.duration,
            size=len(speech.data),
        )
    except IntegrityError:  # another worker made the same sentence at the same moment
        return SpeechClip.objects.get(key=key), False
    return clip, True


def clip_ensure(*, text: str, language: str) -> tuple[SpeechClip, bool]:
    """The clip of one sentence, made now if there is none yet; returns (clip, made)."""
    text = normalise(text)
    voice = voice_settings(language)
    key = clip_key(text=text, language=language, voice=voice)
    clip = SpeechClip.objects.filter(key=key).first()
    if clip is not None:
        return clip, False
    return _clip_store(
        text=text, language=language, voice=voice, key=key, speech=speech_render(text=text, language=language)
    )


def _render(text: str, language: str):
    """speech_render in a pool thread: the error is handed back rather than raised, to be logged in order."""
    try:
        return speech_render(text=text, language=language)
    except (SpeechUnavailable, subprocess.SubprocessError, OSError, EOFError) as error:
        return error


def clips_make(*, sentences: list[str], language: str, label: str, workers: int = 1) -> ClipReport:
    """Clips for these sentences; skips (with a log line) when espeak-ng is missing.

    Existing clips are found with one query, so a second run is quick. With `workers` > 1 the sound
    is made by that many espeak-ng/opusenc runs at once (threads only wait for the programs); the
    files and rows are written here, one after the other, so SQLite never sees two writers.
    """
    report = ClipReport()
    if not espeak_available():
        report.skipped = "espeak-ng is not installed"
        logger.warning("Read-aloud: espeak-ng is not installed, no audio made for %s", label)
        return report
    try:
        voice = voice_settings(language)
    except SpeechUnavailable as error:
        report.skipped = str(error)
        logger.warning("Read-aloud: %s (%s)", error, label)
        return report
    wanted = {}
    for sentence in sentences:
        text = normalise(sentence)
        if text:
            wanted.setdefault(clip_key(text=text, language=language, voice=voice), text)
    existing = set(SpeechClip.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    report.existing = len(existing)
    missing = [(key, text) for key, text in wanted.items() if key not in existing]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        rendered = pool.map(lambda item: _render(item[1], language), missing)
        for (key, text), speech in zip(missing, rendered, strict=True):
            if isinstance(speech, SpeechUnavailable):
                report.skipped = str(speech)
                logger.warning("Read-aloud: %s (%s)", speech, label)
                break
            if isinstance(speech, Exception):
                report.failed += 1
                logger.error("Read-aloud: no audio for a sentence of %s: %s", label, speech)
                continue
            clip, made = _clip_store(text=text, language=language, voice=voice, key=key, speech=speech)
            if made:
                report.made.append(clip)
            else:
                report.existing += 1
    logger.info("Read-aloud: %s: %s clips made, %s existed", label, len(report.made), report.existing)
    return report


def default_workers() -> int:
    """How many clips to make at once: one per processor, at most eight."""
    return max(1, min(8, os.cpu_count() or 1))


def page_clips_make(*, page) -> ClipReport:
    return clips_make(
        sentences=selectors.lesson_sentences(page=page),
        language=page.locale.language_code,
        label=f"page {page.pk} ({page.locale.language_code})",
    )


def scenario_clips_make(*, scenario) -> ClipReport:
    return clips_make(
        sentences=selectors.scenario_sentences(scenario=scenario),
        language=scenario.locale.language_code,
        label=f"scenario {scenario.slug} ({scenario.locale.language_code})",
    )
