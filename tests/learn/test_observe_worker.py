"""Logs and metrics across processes: a real Celery worker (tests/celery_worker.py) reads tasks from Redis.

* A task sent during a request carries that request's id; the worker's JSON log lines of the task show
  it, with the task's name and id.
* A task that fails is counted, and /metrics of the web process shows it (the count lives in Redis).
"""

import json
import time

import pytest
from celery import Celery
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from prometheus_client.parser import text_string_to_metric_families

from coaching import services as coaching_services
from coaching.models import CardSheet, CardSheetStatus
from learn.celery import app
from tests.celery_worker import celery_worker, redis_url_or_skip, worker_database_url
from tests.coaching.conftest import make_coach, make_learner

REQUEST_ID = "fedcba9876543210fedcba9876543210"


@pytest.fixture
def redis_url():
    url = redis_url_or_skip()
    if not settings.REDIS_URL:
        pytest.skip("Needs REDIS_URL in this process too: the request sends the task through Redis.")
    return url


def wait_until(probe, log_path, what: str, seconds: float = 120):
    """Poll until `probe()` is true; a generous deadline only, so a slow machine never fails the test."""
    deadline = time.monotonic() + seconds
    while not probe():
        if time.monotonic() > deadline:
            print(log_path.read_text())
            pytest.fail(f"Waited {seconds} s for {what}.")
        time.sleep(0.5)


def json_lines(log_path) -> list[dict]:
    return [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]


def failed_count(client, task_name: str) -> float:
    response = client.get("/metrics")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            if sample.name == "oefenplein_celery_tasks_total" and sample.labels == {
                "task": task_name,
                "outcome": "failed",
            }:
                return sample.value
    return 0


@pytest.mark.worker
def test_a_task_sent_during_a_request_logs_the_request_s_id_in_the_worker(
    redis_url, transactional_db, client, django_user_model, settings, tmp_path
):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): the worker reads the sheet the request stored.")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    coach = make_coach(django_user_model, "coach-an", "An")
    learners = [make_learner(coach, "Marie"), make_learner(coach, "Yusuf")]
    group = coaching_services.group_create(coach=coach, name="Digibank Nekkerspoel, dinsdag")
    coaching_services.group_learners_add(coach=coach, group=group, learners=learners)
    log_path = tmp_path / "worker.log"
    env = {
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
        "LOG_FORMAT": "json",
    }
    with celery_worker(redis_url=redis_url, log_path=log_path, env=env, prefix="test-observe") as queue:
        client.force_login(coach)
        with translation.override("nl"):
            url = reverse("coaching:group_card_sheets", kwargs={"pk": group.pk})
        data = {"learners": [learner.pk for learner in learners], "confirm": "on"}
        # The view sends to the default queue; here that is this test's own worker's queue.
        default_queue, app.conf.task_default_queue = app.conf.task_default_queue, queue
        try:
            response = client.post(url, data, HTTP_X_REQUEST_ID=REQUEST_ID)
        finally:
            app.conf.task_default_queue = default_queue
        assert response.status_code == 302, response.content
        assert response["X-Request-ID"] == REQUEST_ID
        sheet = CardSheet.objects.get(group=group)

        def finished():
            sheet.refresh_from_db()
            done = [line for line in json_lines(log_path) if "succeeded" in line["message"]]
            return sheet.status == CardSheetStatus.READY and done

        wait_until(finished, log_path, "the sheet and the worker's success line")

    task_lines = [line for line in json_lines(log_path) if line["task_name"] == "coaching.card_sheet_render"]
    assert task_lines, log_path.read_text()
    assert {line["request_id"] for line in task_lines} == {REQUEST_ID}
    assert all(line["task_id"] for line in task_lines)
    assert any("succeeded" in line["message"] for line in task_lines)
    # The worker logs no names or PINs of the learners on the sheet.
    text = log_path.read_text()
    assert all(learner.display_name not in text for learner in learners)


@pytest.mark.worker
def test_a_failing_task_is_counted_on_metrics(redis_url, client, tmp_path):
    log_path = tmp_path / "worker.log"
    before = failed_count(client, "learn.ping")
    with celery_worker(redis_url=redis_url, log_path=log_path, env={"OEFENPLEIN_VAR_DIR": str(tmp_path)}) as queue:
        sender = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
        result = sender.send_task("learn.ping", kwargs={}, queue=queue)  # no token: the task raises TypeError
        with pytest.raises(TypeError):
            result.get(timeout=120, propagate=True)
        # The count is written right after the result: wait for it.
        wait_until(lambda: failed_count(client, "learn.ping") > before, log_path, "the failure on /metrics")

    assert failed_count(client, "learn.ping") == before + 1
