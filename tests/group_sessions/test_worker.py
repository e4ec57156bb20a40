"""The reminder the day before, at most once per person, proven with two real Celery workers on Redis.

As tests/training/test_worker.py (whose worker process this reuses): committed rows in PostgreSQL, two
workers each running the daily task at the same moment, e-mails counted as files.
"""

from collections import Counter
from datetime import time, timedelta

import pytest
from django.utils import timezone

from group_sessions.models import GroupSession, SeatBooking, SessionNotice
from group_sessions.occurrences import local_datetime
from tests.training.test_worker import postgres_only, redis_url, run_on_two_workers_at_once  # noqa: F401

pytestmark = pytest.mark.worker
PEOPLE = 20


@pytest.fixture
def seats_tomorrow(postgres_only, transactional_db, django_user_model):  # noqa: F811
    tomorrow = timezone.localdate() + timedelta(days=1)
    session = GroupSession.objects.create(
        kind="webinar",
        title="Privacyvriendelijke apps",
        online_link="https://meet.example/w",
        first_date=tomorrow,
        starts_at=time(19, 0),
        ends_at=time(20, 0),
        seats=PEOPLE,
        languages=["nl"],
    )
    occurrence = session.occurrences.create(
        starts=local_datetime(tomorrow, time(19, 0)), ends=local_datetime(tomorrow, time(20, 0))
    )
    for n in range(PEOPLE):
        user = django_user_model.objects.create_user(f"deelnemer-{n}", email=f"deelnemer{n}@example.org")
        SeatBooking.objects.create(occurrence=occurrence, learner=user)
    return occurrence


def test_two_workers_running_the_reminders_at_once_send_one_each(seats_tomorrow, redis_url, tmp_path):  # noqa: F811
    answers, mail_dir = run_on_two_workers_at_once(
        "group_sessions.reminders_run", redis_url=redis_url, tmp_path=tmp_path
    )
    assert sum(answer["claimed"] for answer in answers) == PEOPLE
    assert SessionNotice.objects.filter(reason="reminder", channel="email").count() == PEOPLE
    sent = Counter(path.read_text().splitlines()[0] for path in mail_dir.glob("*.txt"))
    assert len(sent) == PEOPLE and set(sent.values()) == {1}, sent
