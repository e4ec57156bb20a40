"""A sheet of sign-in cards is made by a real Celery worker that takes the task from Redis.

Like tests/h5p/test_celery_worker.py: the worker is another process with its own database connection,
so this needs PostgreSQL and committed rows (`transactional_db`). The worker gets the test database's
URL and this test's private folder. For learners made a moment ago the PINs travel through the cache
(Redis), never through the broker: this also proves the worker finds them there.
"""

import io

import pytest
from celery import Celery
from django.conf import settings
from pypdf import PdfReader

from accounts import services as account_services
from accounts.credentials import code_format
from accounts.models import SignInKind
from coaching import cards, services
from coaching.models import CardSheet, CardSheetStatus
from tests.celery_worker import celery_worker, postgres_or_skip, redis_url_or_skip, worker_database_url

from .conftest import make_learner


@pytest.fixture
def postgres_only():
    postgres_or_skip()


@pytest.fixture
def redis_url():
    url = redis_url_or_skip()
    if not settings.REDIS_URL:
        pytest.skip("Needs REDIS_URL in this process too: the PINs of new learners reach the worker via the cache.")
    return url


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def worker(postgres_only, redis_url, transactional_db, private_root, tmp_path):
    log_path = tmp_path / "worker.log"
    env = {
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
    }
    with celery_worker(redis_url=redis_url, log_path=log_path, env=env, prefix="test-cards") as queue:
        yield queue, log_path


def _run(client, queue, log_path, sheet) -> str:
    result = client.send_task("coaching.card_sheet_render", args=[sheet.pk], queue=queue)
    try:
        return result.get(timeout=120)
    except Exception:
        print(log_path.read_text())
        raise


def _text(sheet) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(cards.sheet_path(sheet.file_name).read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.worker
def test_a_real_worker_makes_the_sheet(worker, redis_url, coach, group, learners):
    queue, log_path = worker
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)

    # 20 existing learners (2 from the fixture), one reading Arabic with pictures: new secrets in the task.
    extra = [make_learner(coach, f"Leerling {number:02d}") for number in range(17)]
    extra.append(
        account_services.learner_create(
            coach=coach, display_name="Samira", language="ar", kind=SignInKind.PICTURES
        ).learner
    )
    services.group_learners_add(coach=coach, group=group, learners=extra)
    everyone = list(learners) + extra
    old = {learner.pk: learner.learner_sign_in.secret for learner in everyone}
    sheet = CardSheet.objects.create(group=group, coach=coach, secrets="new", card_count=len(everyone))
    sheet.learners.add(*everyone)  # made directly: services would also enqueue on the default queue

    assert _run(client, queue, log_path, sheet) == CardSheetStatus.READY
    sheet.refresh_from_db()
    text, pages = _text(sheet)
    assert pages == sheet.page_count == 3
    for learner in everyone:
        learner.learner_sign_in.refresh_from_db()
        assert learner.learner_sign_in.secret != old[learner.pk]
        assert learner.display_name in text
        assert code_format(code=learner.learner_sign_in.code) in text

    # Learners made a moment ago: the PINs the coach saw, handed over through the cache.
    made = services.group_learners_create(coach=coach, group=group, names=["Noor", "Piet"], language="nl")
    fresh = CardSheet.objects.create(group=group, coach=coach, secrets="just_made", card_count=2)
    fresh.learners.add(*(new.learner for new in made))
    cards.secrets_keep(sheet_id=fresh.pk, secrets={new.learner.pk: (new.kind, new.secret) for new in made})

    assert _run(client, queue, log_path, fresh) == CardSheetStatus.READY
    fresh.refresh_from_db()
    text, pages = _text(fresh)
    assert pages == 1
    for new in made:
        assert new.learner.display_name in text
        assert new.secret in text
        new.learner.learner_sign_in.refresh_from_db()
        assert new.learner.learner_sign_in.secret_check(new.secret)  # not reset a second time
    assert cards.secrets_take(sheet_id=fresh.pk) is None
    assert "coaching.card_sheet_render" in log_path.read_text()
