"""Sessions live in the database with a copy in Redis in front (learn/settings.py, cached_db)."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import sessions_clear_task
from learn.celery import app


def test_expired_sessions_leave_the_database_each_night(db, settings):
    """Sessions live in the database now (cached_db); the nightly task removes the expired ones only."""
    assert any(entry["task"] == "accounts.sessions_clear" for entry in settings.CELERY_BEAT_SCHEDULE.values())
    app.loader.import_default_modules()
    assert "accounts.sessions_clear" in app.tasks
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=timezone.now() + timedelta(days=1))
    sessions_clear_task()
    assert not Session.objects.filter(session_key="a" * 32).exists()
    assert Session.objects.filter(session_key="b" * 32).exists()
