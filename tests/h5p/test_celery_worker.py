"""The import runs in a real Celery worker process that takes the task from Redis.

The worker is another process with its own database connection, so it must see the rows this test
writes: that needs PostgreSQL (an in-memory SQLite test database cannot be shared) and committed data,
hence `transactional_db`. pytest-django runs transactional tests after all `db` tests, and flushes the
database after this one. The worker gets the test database's URL, this test's MEDIA_ROOT and H5P_ROOT.
"""

import pytest
from celery import Celery

from h5p.models import H5PContent, ImportStatus
from tests.celery_worker import celery_worker, postgres_or_skip, redis_url_or_skip, worker_database_url

from . import builders
from .conftest import stored_files, upload_file


@pytest.fixture
def postgres_only():
    postgres_or_skip()


@pytest.fixture
def redis_url():
    return redis_url_or_skip()


@pytest.fixture
def worker(postgres_only, redis_url, transactional_db, media_root, h5p_root, tmp_path):
    log_path = tmp_path / "worker.log"
    env = {
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(media_root),
        "H5P_ROOT": str(h5p_root),
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
    }
    with celery_worker(redis_url=redis_url, log_path=log_path, env=env, prefix="test-h5p") as queue:
        yield queue, log_path


@pytest.mark.worker
def test_a_real_worker_imports_a_package(worker, redis_url, h5p_root, django_user_model):
    queue, log_path = worker
    manager = django_user_model.objects.create_superuser(username="h5p-worker", password="oefen-h5p-2026")
    # Created directly (not with content_upload), so no task goes to the default queue of other workers.
    content = H5PContent(title="Via de worker", uploaded_by=manager)
    content.upload.save(f"{content.key}.h5p", upload_file(builders.minimal_package()), save=False)
    content.save()

    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    result = client.send_task("h5p.import", args=[content.pk], kwargs={"language": "en"}, queue=queue)
    try:
        assert result.get(timeout=90) == ImportStatus.READY
    except Exception:
        print(log_path.read_text())
        raise
    content.refresh_from_db()
    assert content.status == ImportStatus.READY, content.errors
    assert f"content/{content.key}/content/content.json" in stored_files(h5p_root)
    assert f"libraries/{builders.FOLDER}/oefenvraag.js" in stored_files(h5p_root)
