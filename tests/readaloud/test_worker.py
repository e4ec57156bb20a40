"""Publishing a lesson makes its read-aloud clips in a real Celery worker that takes the task from Redis.

Like the other worker tests (tests/celery_worker.py): the worker is another process, so this needs
PostgreSQL and committed rows (`transactional_db`). The worker gets the test database's URL and this
session's MEDIA_ROOT; the test process publishes, and its signal sends the task to the worker's queue.
"""

import time
from pathlib import Path

import pytest
from django.conf import settings

from readaloud import selectors
from readaloud.models import SpeechClip
from tests.celery_worker import celery_worker, postgres_or_skip, redis_url_or_skip, worker_database_url

from .test_speech import ogg_opus_duration


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    postgres_or_skip()
    redis_url = redis_url_or_skip()
    if not settings.REDIS_URL:
        pytest.skip("Needs REDIS_URL in this process too: publishing sends the task through it.")
    log_path = tmp_path / "worker.log"
    env = {
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
    }
    with celery_worker(redis_url=redis_url, log_path=log_path, env=env, prefix="test-readaloud") as queue:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.READALOUD_QUEUE = queue
        yield log_path


@pytest.fixture
def french_lesson(transactional_db):
    """A lesson in Dutch and French with a tip and a warning, made (and committed) before the worker starts:
    tasks still run in-process here, where read-aloud skips making clips, so the worker's queue holds
    only what this test publishes."""
    from tests.factories import module_with_lessons, question, site_tree, tip, translated_module, warning

    tree = site_tree("nl", "fr")
    module, lessons = module_with_lessons(
        tree.catalogue["nl"], [tip("Kies een sterk wachtwoord."), warning("Deel je code met niemand."), question()]
    )
    translated_module(module, lessons, ["fr"])


@pytest.mark.worker
def test_publishing_a_lesson_makes_real_audio_in_the_worker(french_lesson, worker):
    from lessons.models import LessonPage

    lesson = LessonPage.objects.live().filter(locale__language_code="fr").order_by("path").first()
    body = [(block.block_type, block.value) for block in lesson.body if block.block_type in ("tip", "warning")]
    lesson.body = body[:2]
    lesson.simple_body = []
    lesson.save_revision().publish()
    wanted = selectors.lesson_sentences(page=lesson)
    assert wanted

    deadline = time.monotonic() + 120
    while SpeechClip.objects.filter(language="fr", text__in=wanted).count() < len(wanted):
        if time.monotonic() > deadline:
            print(worker.read_text())
            pytest.fail("The worker did not make every clip within two minutes")
        time.sleep(0.5)

    assert "readaloud.generate_for_page" in worker.read_text()
    for clip in SpeechClip.objects.filter(language="fr", text__in=wanted):
        data = (Path(settings.MEDIA_ROOT) / clip.file.name).read_bytes()
        assert clip.size == len(data) > 0 and clip.duration > 0.2
        if clip.content_type == "audio/ogg":
            assert abs(ogg_opus_duration(data) - clip.duration) < 0.2
        else:
            assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
