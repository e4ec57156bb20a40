"""PostgreSQL restarted: a running application server recovers without a restart of its own.

The shared PostgreSQL must not be restarted, so the test does what a restart does to the application: every
connection the server holds is cut (`pg_terminate_backend`). The server is a real gunicorn with persistent
connections (`DATABASE_CONN_MAX_AGE`) on the test database; the next requests must find their connection
dead and open a new one (`CONN_HEALTH_CHECKS`), not answer 500. Needs PostgreSQL and committed rows, hence
`transactional_db` (pytest-django runs it after the `db` tests).
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.celery_worker import ROOT, stop_process_group
from tests.learn.test_worker_lost import wait_for


def _free_port() -> int:
    for port in range(8380, 8400):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8380-8399")


def _database_url() -> str:
    db = connection.settings_dict
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or "5432"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def request(url: str, *, cookies: dict, data: bytes | None = None, headers: dict | None = None) -> int:
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    req = urllib.request.Request(url, data=data, headers={"Cookie": cookie, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def cut_every_other_connection() -> int:
    """What a PostgreSQL restart does to the application: all its connections to this database are gone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_pages_and_statement_posts_recover_after_the_connections_are_cut(
    client, transactional_db, django_user_model, tmp_path
):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL).")
    learner = django_user_model.objects.create_user("lina", password="een-goed-wachtwoord", display_name="Lina")
    client.force_login(learner)
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked token for cookie and header alike
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value, "csrftoken": csrf}

    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "600",  # connections live across requests, as in production
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "learn.settings",
    }
    command = [sys.executable, "-m", "gunicorn", "learn.wsgi:application", "-k", "gthread", "-w", "1"]
    command += ["--threads", "2", "-b", f"127.0.0.1:{port}"]
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base = f"http://127.0.0.1:{port}"
        page = f"{base}/en/account/"
        wait_for(lambda: _answers(page, cookies), seconds=90, what="gunicorn to start")

        def post_statement() -> int:
            body = [{"id": str(uuid.uuid4()), "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}}]
            headers = {"Content-Type": "application/json", "X-CSRFToken": csrf}
            return request(
                f"{base}/api/progress/statements", cookies=cookies, data=json.dumps(body).encode(), headers=headers
            )

        before = [request(page, cookies=cookies) for _ in range(4)]
        statement_before = post_statement()
        assert before == [200] * 4
        assert statement_before != 500

        assert cut_every_other_connection() >= 1  # gunicorn held at least one connection open

        after = [request(page, cookies=cookies) for _ in range(4)]
        assert after == [200] * 4, log_path.read_text()[-3000:]
        assert post_statement() == statement_before  # the same answer as before the cut, not a 500
    finally:
        stop_process_group(server)


def _answers(url: str, cookies: dict) -> bool:
    try:
        return request(url, cookies=cookies) == 200
    except OSError:
        time.sleep(0.3)
        return False
