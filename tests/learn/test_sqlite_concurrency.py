"""The embedded default (a SQLite file) does not fail when many people write at the same moment.

A small site without PostgreSQL runs on var/oefenplein.sqlite3. With SQLite's defaults, two processes that
write at once get "database is locked" at once, and a learner's answer is lost or an editor's upload fails.
learn/settings.py turns on WAL, a busy timeout and immediate transactions for SQLite; this test runs the real
thing: gunicorn with deploy/gunicorn.conf.py (2 worker processes with 4 threads each, as in production) on a
SQLite file in a temp folder, 20 signed-in learners posting statements as the browser queue does, and an editor
uploading documents through the Wagtail admin at the same time. The main suite runs on PostgreSQL, so the
server here is a separate process with DATABASE_URL and REDIS_URL unset.
"""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
LEARNERS = 20
BATCHES = 4  # per learner, each followed by nothing: the learners post as fast as the server answers
UPLOADS = 4

# Runs inside the server's environment (manage.py shell): learners made by the project's own service, an
# editor, one signed-in session each (Django's login() into the configured session store, the database here).
SETUP = r"""
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.http import HttpRequest
from wagtail.models import Collection
from django.contrib.auth.models import Group
from accounts import roles
from lessons.activities import lesson_activity_id, question_activity_id
from lessons.models import LessonPage

def session(user):
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session.save()
    return request.session.session_key

User = get_user_model()
editor = User.objects.create_superuser("editor", "editor@example.org", "not-used-here")
# Learners as a coach makes them, without the PIN: this test is about writes, not PBKDF2's cost.
learners_group = Group.objects.get_or_create(name=roles.LEARNERS)[0]
learners = [User.objects.create_user(f"learner-{n}", display_name=f"Learner {n}") for n in range(%(learners)d)]
for user in learners:
    user.groups.add(learners_group)
lesson = LessonPage.objects.live().filter(locale__language_code="nl").order_by("path").first()
question = next(block for block in lesson.body if block.block_type == "question")
print("SETUP=" + json.dumps({
    "learners": [session(user) for user in learners],
    "editor": session(editor),
    "lesson": lesson_activity_id(lesson),
    "question": question_activity_id(lesson, question.id),
    "collection": Collection.get_first_root_node().pk,
    "session_cookie": settings.SESSION_COOKIE_NAME,
    "csrf_cookie": settings.CSRF_COOKIE_NAME,
}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    """A migrated SQLite site with the demo lessons, served by gunicorn as in production; yields its facts."""
    var = tmp_path_factory.mktemp("sqlite-site")
    drop = ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "H5P_ROOT", "STATIC_ROOT", "DJANGO_ENV")
    env = {key: value for key, value in os.environ.items() if key not in drop and not key.startswith("GUNICORN_")}
    port = _free_port()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "learn.settings",
            "OEFENPLEIN_VAR_DIR": str(var),
            "DJANGO_SECRET_KEY": "sqlite-concurrency-test-only-" + uuid.uuid4().hex,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_LOGLEVEL": "warning",
        }
    )

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    manage("load_demo", "--no-users")
    output = manage("shell", "-c", SETUP % {"learners": LEARNERS})
    facts = json.loads(next(line for line in output.splitlines() if line.startswith("SETUP="))[6:])
    log = (var / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "learn.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (var / "gunicorn.log").read_text()
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or too busy to answer in 2 s
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz"
            time.sleep(0.2)
        yield {**facts, "base": base, "database": var / "oefenplein.sqlite3", "log": var / "gunicorn.log"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _session(site: dict, key: str) -> requests.Session:
    """A browser of a signed-in person: session cookie, CSRF cookie and the same value in X-CSRFToken."""
    token = uuid.uuid4().hex  # 32 characters of the CSRF alphabet
    browser = requests.Session()
    browser.headers["Cookie"] = f"{site['session_cookie']}={key}; {site['csrf_cookie']}={token}"
    browser.headers["X-CSRFToken"] = token
    return browser


def _statements(site: dict) -> list[dict]:
    """One lesson as lesson.js records it: opened, one question answered, finished; fresh ids."""
    verbs = [("experienced", site["lesson"], None), ("answered", site["question"], {"response": "0"})]
    verbs.append(("completed", site["lesson"], {"completion": True, "duration": "PT90S"}))
    statements = []
    for verb, object_id, result in verbs:
        statement = {
            "id": str(uuid.uuid4()),
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": object_id},
        }
        if result:
            statement["result"] = result
        statements.append(statement)
    return statements


def _learner(site: dict, key: str) -> dict:
    """Posts batches like progress/static/progress/js/progress.js: JSON, X-CSRFToken, and on 429/503 waits for
    Retry-After, then sends the same batch (same ids) again. Returns what the server acknowledged."""
    browser = _session(site, key)
    acknowledged, statuses = [], []
    batches = [_statements(site) for _ in range(BATCHES)]
    for batch in [*batches, batches[0]]:  # the last one: a resend after a lost answer, stored once
        while True:
            response = browser.post(site["base"] + "/api/progress/statements", json=batch, timeout=60)
            statuses.append(response.status_code)
            if response.status_code in (429, 503) and response.headers.get("Retry-After"):
                time.sleep(float(response.headers["Retry-After"]))
                continue
            break
        if response.status_code == 200:
            answer = response.json()
            acknowledged += [statement["id"] for statement in batch]
            statuses.append(("stored", answer["stored"], answer["duplicates"]))
    return {"acknowledged": acknowledged, "statuses": statuses}


def _editor(site: dict) -> list[int]:
    """The editor uploads documents through the Wagtail admin's own form while the learners write."""
    browser = _session(site, site["editor"])
    statuses = []
    for number in range(UPLOADS):
        response = browser.post(
            site["base"] + "/admin/documents/add/",
            data={"title": f"Handout {number}", "collection": site["collection"]},
            files={"file": (f"handout-{number}.txt", f"Handout number {number}\n" * 200, "text/plain")},
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(response.status_code)
    return statuses


def test_learners_and_an_editor_write_at_once_on_sqlite_without_errors(sqlite_site):
    with ThreadPoolExecutor(max_workers=LEARNERS + 1) as pool:
        editor = pool.submit(_editor, sqlite_site)
        learners = [pool.submit(_learner, sqlite_site, key) for key in sqlite_site["learners"]]
        results = [future.result() for future in learners]
        uploads = editor.result()

    log = sqlite_site["log"].read_text()
    assert "database is locked" not in log
    # Every post was answered 200: nothing was refused, nothing failed.
    codes = [status for result in results for status in result["statuses"] if isinstance(status, int)]
    assert codes == [200] * (LEARNERS * (BATCHES + 1)), (codes, log[-3000:])
    # The resent batch counted as duplicates, everything else as stored.
    answers = [status for result in results for status in result["statuses"] if isinstance(status, tuple)]
    assert sum(answer[1] for answer in answers) == LEARNERS * BATCHES * 3
    assert sum(answer[2] for answer in answers) == LEARNERS * 3
    # Every upload went through: the admin redirects to the document list after a successful save.
    assert uploads == [302] * UPLOADS, log[-3000:]

    ids = {uuid.UUID(sid).hex for result in results for sid in result["acknowledged"]}
    with sqlite3.connect(sqlite_site["database"]) as database:
        stored = [row[0] for row in database.execute("SELECT id FROM progress_statement")]
        documents = database.execute("SELECT title FROM wagtaildocs_document ORDER BY title").fetchall()
        journal = database.execute("PRAGMA journal_mode").fetchone()[0]
    # Every acknowledged statement is stored, once; there are no others.
    assert sorted(stored) == sorted(ids)
    assert len(ids) == LEARNERS * BATCHES * 3
    assert [row[0] for row in documents] == [f"Handout {n}" for n in range(UPLOADS)]
    assert journal == "wal"
