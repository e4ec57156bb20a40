"""At most one reminder per person, programme cycle and stage, proven with real Celery workers on Redis.

The workers are other processes with their own database connections, so they must see the rows this
test writes: that needs PostgreSQL (an in-memory SQLite test database cannot be shared) and committed
data, hence `transactional_db` (pytest-django runs these after the `db` tests). Each worker sends its
e-mails through `mail_backends.FileMailBackend`: one file per message, counted here.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.utils import timezone

from tests.celery_worker import ROOT, postgres_or_skip, redis_url_or_skip, worker_database_url
from training.models import (
    Department,
    ItemKind,
    Programme,
    ProgrammeAssignment,
    ProgrammeItem,
    ReminderDelivery,
    ReminderStage,
    StaffMember,
    Team,
)

pytestmark = pytest.mark.worker
PEOPLE = 30


@pytest.fixture
def postgres_only():
    postgres_or_skip()


@pytest.fixture
def redis_url():
    return redis_url_or_skip()


@contextlib.contextmanager
def worker_process(*, redis_url: str, tmp_path: Path, mail_dir: Path, delay: float = 0.0):
    """A `celery worker` (solo pool) on a queue of its own; yields (queue, process) so a test can kill it."""
    queue = f"test-training-{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "learn.settings",
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "tests.training.mail_backends.FileMailBackend",
        "TRAINING_TEST_MAIL_DIR": str(mail_dir),
        "TRAINING_TEST_MAIL_DELAY": str(delay),
    }
    command = [sys.executable, "-m", "celery", "-A", "learn", "worker", "--pool=solo"]
    command += ["-Q", queue, "--loglevel=INFO", "-n", f"{queue}@%h"]
    log_path = tmp_path / f"{queue}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield queue, process, log_path
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def staff_due_in_two_days(postgres_only, transactional_db, django_user_model):
    """30 staff with an e-mail address and a programme due in 2 days: each is owed one "3 days" reminder."""
    department = Department.objects.create(name="Groendienst")
    team = Team.objects.create(department=department, name="Ploeg Vrijbroekpark")
    programme = Programme.objects.create(title="Digitaal veilig op het werk")
    ProgrammeItem.objects.create(programme=programme, sort_order=1, kind=ItemKind.LESSON, target_key=uuid.uuid4())
    ProgrammeAssignment.objects.create(
        programme=programme, department=department, deadline=timezone.localdate() + timedelta(days=2)
    )
    for n in range(PEOPLE):
        user = django_user_model.objects.create_user(f"staff-w{n}", display_name=f"Medewerker {n}")
        StaffMember.objects.create(
            user=user,
            employee_number=f"W-{n}",
            department=department,
            team=team,
            start_date=timezone.localdate() - timedelta(days=400),
            email=f"medewerker{n}@example.org",
        )
    return PEOPLE


def sent_per_person(mail_dir: Path) -> Counter:
    return Counter(path.read_text().splitlines()[0] for path in mail_dir.glob("*.txt"))


def wait_for(result, log_path: Path, timeout: float = 120):
    try:
        return result.get(timeout=timeout)
    except Exception:
        print(log_path.read_text())
        raise


def run_on_two_workers_at_once(task_name: str, *, redis_url: str, tmp_path: Path) -> tuple[list, Path]:
    """Send `task_name` to two real workers at the same moment; their answers and the folder of e-mails sent."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    with (
        worker_process(redis_url=redis_url, tmp_path=tmp_path, mail_dir=mail_dir, delay=0.02) as (queue_a, _a, log_a),
        worker_process(redis_url=redis_url, tmp_path=tmp_path, mail_dir=mail_dir, delay=0.02) as (queue_b, _b, log_b),
    ):
        first = client.send_task(task_name, queue=queue_a)
        second = client.send_task(task_name, queue=queue_b)
        return [wait_for(first, log_a), wait_for(second, log_b)], mail_dir


def test_the_task_enqueued_twice_at_once_sends_one_reminder_each(staff_due_in_two_days, redis_url, tmp_path):
    answers, mail_dir = run_on_two_workers_at_once("training.reminders_run", redis_url=redis_url, tmp_path=tmp_path)
    assert sum(answer["claimed"] for answer in answers) == PEOPLE
    assert ReminderDelivery.objects.count() == PEOPLE
    assert set(ReminderDelivery.objects.values_list("stage", flat=True)) == {ReminderStage.DAYS_3}
    sent = sent_per_person(mail_dir)
    assert len(sent) == PEOPLE and set(sent.values()) == {1}, sent


def test_a_worker_killed_mid_run_never_causes_a_second_reminder(staff_due_in_two_days, redis_url, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    with worker_process(redis_url=redis_url, tmp_path=tmp_path, mail_dir=mail_dir, delay=0.3) as (queue, process, log):
        client.send_task("training.reminders_run", queue=queue)
        deadline = time.monotonic() + 120
        while len(list(mail_dir.glob("*.txt"))) < 3:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)  # mid-run: some e-mails sent, the rest claimed and not sent
        process.wait(timeout=20)
    sent_before = sent_per_person(mail_dir)
    assert 3 <= sum(sent_before.values()) < PEOPLE

    with worker_process(redis_url=redis_url, tmp_path=tmp_path, mail_dir=mail_dir) as (queue, _process, log):
        answer = wait_for(client.send_task("training.reminders_run", queue=queue), log)
    assert answer["claimed"] == 0
    sent = sent_per_person(mail_dir)
    assert set(sent.values()) == {1}, sent  # nobody got two
    assert sent == sent_before
    assert ReminderDelivery.objects.count() == PEOPLE
    # What the killed worker claimed without confirming it was sent keeps sent_at empty, and is not resent.
    assert ReminderDelivery.objects.filter(sent_at__isnull=True).count() >= PEOPLE - sum(sent.values())
