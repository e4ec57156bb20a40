"""A team's sheet of sign-in cards is made by a real Celery worker that takes the task from Redis.

Like tests/coaching/test_card_sheets_worker.py: the worker is another process with its own database
connection (PostgreSQL, committed rows) and gets this test's private folder. The message holds the sheet
id only; the worker sets the new PINs and writes the PDF where the web process can hand it out.
"""

import io
import re
from datetime import timedelta

import pytest
from celery import Celery
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from pypdf import PdfReader

from accounts.credentials import code_format
from accounts.models import LearnerSignIn
from accounts.services import learner_codes_ensure
from learn import settings as project_settings
from tests.celery_worker import celery_worker, worker_database_url
from training import cards
from training.models import CardSheetStatus, Department, StaffCardSheet, StaffMember, Team

from .test_worker import postgres_only, redis_url  # noqa: F401 — fixtures

pytestmark = pytest.mark.worker
PEOPLE = 10


@pytest.fixture
def worker(postgres_only, redis_url, transactional_db, settings, tmp_path):  # noqa: F811
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    env = {
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
    }
    log_path = tmp_path / "worker.log"
    with celery_worker(redis_url=redis_url, log_path=log_path, env=env, prefix="test-staff-cards") as queue:
        yield queue, log_path


def test_a_real_worker_makes_the_teams_sheet(worker, redis_url, django_user_model, settings):  # noqa: F811
    queue, log_path = worker
    department = Department.objects.create(name="Groendienst")
    team = Team.objects.create(department=department, name="Ploeg Vrijbroekpark")
    manager = django_user_model.objects.create_user("els", display_name="Els")
    team.managers.add(manager)
    staff = []
    for n in range(PEOPLE):
        user = django_user_model.objects.create_user(f"staff-w{n}", display_name=f"Medewerker {n:02d}")
        staff.append(
            StaffMember.objects.create(
                user=user,
                employee_number=f"W-{n}",
                department=department,
                team=team,
                start_date=timezone.localdate() - timedelta(days=400),
            )
        )
    learner_codes_ensure(user_ids=[member.user_id for member in staff])
    sheet = StaffCardSheet.objects.create(team=team, manager=manager, card_count=PEOPLE)
    sheet.staff.add(*staff)  # made directly: the service would also enqueue on the default queue

    result = Celery(broker=redis_url, backend=redis_url, set_as_current=False).send_task(
        "training.card_sheet_render", args=[sheet.pk], queue=queue
    )
    try:
        assert result.get(timeout=120) == CardSheetStatus.READY
    except Exception:
        print(log_path.read_text())
        raise
    sheet.refresh_from_db()
    assert (sheet.status, sheet.card_count, sheet.page_count) == (CardSheetStatus.READY, PEOPLE, 2)
    reader = PdfReader(io.BytesIO(cards.sheet_path(sheet.file_name).read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    pins = re.findall(r"(?<!\d)\d{4}(?!\d)", text)
    # The worker hashed with the project's hashers (PINs: accounts.pin_hasher), not the fast one of the test process.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    for member in staff:
        sign_in = LearnerSignIn.objects.get(user_id=member.user_id)
        assert member.user.display_name in text and code_format(code=sign_in.code) in text
        assert any(check_password(pin, sign_in.secret) for pin in pins)  # the PIN on the card works
    assert "training.card_sheet_render" in log_path.read_text()
