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
def demo_lessons(transactional_db):
    """The demo site, back if an earlier transactional test flushed it. Loaded before the worker
    starts (tasks still run in-process here, where read-aloud skips making clips), so the worker's
    queue holds only what this test publishes."""
    from lessons.demo.loader import demo_content_load
    from lessons.models import LessonPage

    if not LessonPage.objects.live().filter(locale__language_code="fr").exists():
        from wagtail.models import Collection, Locale, Page

        # A flush also removed what Wagtail's migrations made: the page tree's and collections' roots.
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        if Page.get_first_root_node() is None:
            nl = Locale.objects.get_or_create(language_code="nl")[0]
            Page.add_root(instance=Page(title="Root", slug="root", locale=nl))
        demo_content_load()


@pytest.mark.worker
def test_publishing_a_lesson_makes_real_audio_in_the_worker(demo_lessons, worker):
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
