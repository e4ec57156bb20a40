"""Clips of a lesson and a scenario, the lookup the browser uses, and when the tasks are enqueued."""

import json
import logging
import shutil

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from readaloud import selectors, services
from readaloud.models import SpeechClip
from readaloud.text import sentences_of_text


@pytest.fixture
def espeak():
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: apt-get install espeak-ng (CI installs it, see .ci/run)", pytrace=False)


@pytest.fixture
def short_lesson(lesson):
    """The lesson with only a tip and a question, so making its clips takes a moment."""
    body = [(block.block_type, block.value) for block in lesson.body if block.block_type in ("tip", "question")]
    lesson.body = body[:2]
    lesson.simple_body = body[:1]
    return lesson


def test_a_lesson_has_the_sentences_of_its_readable_blocks(lesson):
    sentences = selectors.lesson_sentences(page=lesson)
    assert len(sentences) == len(set(sentences)) > 3
    question = next(block for block in lesson.body if block.block_type == "question")
    assert sentences_of_text(question.value["question"])[-1] in sentences
    for option in question.value["options"]:
        for sentence in sentences_of_text(option["feedback"]):
            assert sentence in sentences  # shown only after answering, made beforehand


def test_page_clips_are_made_once_and_found_by_sentence(espeak, short_lesson):
    sentences = selectors.lesson_sentences(page=short_lesson)
    report = services.page_clips_make(page=short_lesson)
    assert len(report.made) == len(sentences) and report.failed == 0
    clip = report.made[0]
    assert clip.language == "nl" and clip.duration > 0 and clip.size > 0
    assert clip.file.name.startswith("readaloud/nl/") and default_storage.exists(clip.file.name)
    again = services.page_clips_make(page=short_lesson)
    assert not again.made and again.existing == len(sentences)
    found = selectors.clips_lookup(language="nl", sentences=[f"  {sentences[0]} ", "Dit staat nergens."])
    assert found[0]["url"] == SpeechClip.objects.get(text=sentences[0]).file.url
    assert found[1] is None


def test_the_browser_gets_clip_urls_for_its_sentences(espeak, client, db):
    clip, _made = services.clip_ensure(text="Druk op de knop.", language="nl")
    url = reverse("readaloud:clips")
    answer = client.post(
        url, json.dumps({"lang": "nl", "sentences": ["Druk op de knop.", "Onbekend."]}), content_type="application/json"
    )
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    clips = answer.json()["clips"]
    assert clips[0] == {"url": clip.file.url, "duration": round(clip.duration, 2)} and clips[1] is None
    assert client.get(url).status_code == 405
    for bad in [
        b"nee",
        json.dumps({"lang": "de", "sentences": []}),
        json.dumps({"lang": "nl", "sentences": ["x" * 3000]}),
    ]:
        assert client.post(url, bad, content_type="application/json").status_code == 400


def test_a_scenario_has_every_instruction_hint_and_feedback(db):
    from sandboxes.models import Scenario
    from sandboxes.services import scenarios_load

    scenarios_load()
    scenario = Scenario.objects.get(slug="train", locale__language_code="ar")
    sentences = selectors.scenario_sentences(scenario=scenario)
    from sandboxes.convert import scenario_runtime_for

    runtime = scenario_runtime_for(scenario)
    for screen in runtime["screens"]:
        for sentence in sentences_of_text(screen["instruction"]) + sentences_of_text(screen["hint"]):
            assert sentence in sentences
    with translation.override("ar"):
        from django.utils.translation import gettext

        assert sentences_of_text(gettext("Stop! This was not safe."))[0] in sentences


def test_publishing_enqueues_after_commit_when_a_worker_runs(
    settings, lesson, monkeypatch, django_capture_on_commit_callbacks
):
    from readaloud import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.READALOUD_QUEUE = "readaloud-test"
    sent = []
    monkeypatch.setattr(
        tasks.generate_for_page, "apply_async", lambda args, kwargs, queue: sent.append((list(args), queue))
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lesson.save_revision().publish()
    assert not sent  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sent == [([lesson.pk], "readaloud-test")]


def test_in_process_celery_skips_with_a_log_line(settings, lesson, caplog, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with caplog.at_level(logging.INFO, logger="readaloud"), django_capture_on_commit_callbacks(execute=True):
        lesson.save_revision().publish()
    assert "readaloud_generate" in caplog.text
    assert not SpeechClip.objects.exists()


def test_the_command_makes_the_clips_of_every_live_lesson_and_scenario(course, monkeypatch):
    from django.core.management import call_command

    from lessons.models import LessonPage
    from sandboxes.models import Scenario
    from sandboxes.services import scenarios_load

    scenarios_load()
    asked = {}

    def fake_clips_make(*, sentences, language, label, workers):
        asked.setdefault(language, set()).update(sentences)
        assert workers >= 1
        return services.ClipReport()

    monkeypatch.setattr(services, "clips_make", fake_clips_make)
    call_command("readaloud_generate", language="ar", stdout=None)
    assert list(asked) == ["ar"]
    for lesson in LessonPage.objects.live().filter(locale__language_code="ar"):
        assert set(selectors.lesson_sentences(page=lesson)) <= asked["ar"]
    for scenario in Scenario.objects.filter(locale__language_code="ar"):
        assert set(selectors.scenario_sentences(scenario=scenario)) <= asked["ar"]


def test_make_setup_makes_the_clips_because_tasks_run_in_process_there():
    from pathlib import Path

    from django.conf import settings

    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    setup = makefile.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    assert setup.index("load_demo_training") < setup.index("readaloud_generate")


def test_clips_made_several_at_once_are_each_stored_once(espeak, db):
    sentences = ["اضغط على الزر.", "اختر تاريخا.", "اضغط على الزر.", "انتظر قليلا."]
    report = services.clips_make(sentences=sentences, language="ar", label="test", workers=3)
    assert len(report.made) == 3 and report.failed == 0
    assert SpeechClip.objects.count() == 3
    again = services.clips_make(sentences=sentences, language="ar", label="test", workers=3)
    assert not again.made and again.existing == 3


def test_the_easier_version_of_a_lesson_is_read_too(lesson):
    tip = next((block.block_type, block.value) for block in lesson.body if block.block_type == "tip")
    lesson.body = []
    lesson.simple_body = [tip]
    tip_sentences = sentences_of_text(tip[1]["title"]) + sentences_of_text(tip[1]["text"])
    assert selectors.lesson_block_sentences(page=lesson) == tip_sentences
    assert selectors.lesson_sentences(page=lesson) == selectors.lesson_intro_sentences(page=lesson) + tip_sentences


def test_a_lesson_has_the_sentences_of_its_title_and_summary_first(lesson):
    lesson.title = "Bellen met je gsm"
    lesson.summary = "Je leert iemand bellen. Het is niet moeilijk!\nEcht niet."
    intro = selectors.lesson_intro_sentences(page=lesson)
    # The title and the summary are apart (a heading and a paragraph); a line break is only a space.
    assert intro == ["Bellen met je gsm", "Je leert iemand bellen.", "Het is niet moeilijk!", "Echt niet."]
    assert selectors.lesson_sentences(page=lesson)[: len(intro)] == intro


def test_the_page_reads_the_same_title_and_summary_as_the_server(client, lesson):
    """The element the browser reads (marked data-read-aloud, with its button) has the server's sentences."""
    import re

    from readaloud.text import sentences_of_html

    html = client.get(lesson.url).content.decode()
    found = re.search(r'<div class="lesson-intro" id="lesson-intro" data-read-aloud>(.*?)</div>', html, re.S)
    assert found, "the lesson page has no read-aloud title and summary"
    inner = found.group(1)
    assert 'data-read-aloud-button aria-controls="lesson-intro"' in inner and 'id="lesson-title"' in inner
    assert sentences_of_html(inner) == selectors.lesson_intro_sentences(page=lesson)
    assert sentences_of_text(lesson.title)[0] == selectors.lesson_intro_sentences(page=lesson)[0]
