"""Writing: making the clips of a lesson or a scenario (run by readaloud/tasks.py)."""

import logging
import subprocess
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


def clip_ensure(*, text: str, language: str) -> tuple[SpeechClip, bool]:
    """The clip of one sentence, made now if there is none yet; returns (clip, made)."""
    text = normalise(text)
    voice = voice_settings(language)
    key = clip_key(text=text, language=language, voice=voice)
    clip = SpeechClip.objects.filter(key=key).first()
    if clip is not None:
        return clip, False
    speech = speech_render(text=text, language=language)
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


def clips_make(*, sentences: list[str], language: str, label: str) -> ClipReport:
    """Clips for these sentences; skips (with a log line) when espeak-ng is missing."""
    report = ClipReport()
    if not espeak_available():
        report.skipped = "espeak-ng is not installed"
        logger.warning("Read-aloud: espeak-ng is not installed, no audio made for %s", label)
        return report
    for sentence in sentences:
        try:
            clip, made = clip_ensure(text=sentence, language=language)
        except SpeechUnavailable as error:
            report.skipped = str(error)
            logger.warning("Read-aloud: %s (%s)", error, label)
            return report
        except (subprocess.SubprocessError, OSError, EOFError) as error:
            report.failed += 1
            logger.exception("Read-aloud: no audio for a sentence of %s: %s", label, error)
            continue
        if made:
            report.made.append(clip)
        else:
            report.existing += 1
    logger.info("Read-aloud: %s: %s clips made, %s existed", label, len(report.made), report.existing)
    return report


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
