"""A benchmark's services and processes: its own PostgreSQL database, Redis db and log folder (`Stack`), the
environment of its children, the production-like set-up, gunicorn, and Django children that report JSON.

Every bench names its own database and Redis db (with knobs to change them), so two benches, or a bench and
a developer's tests, never drop each other's data. Method: bench/README.md ("What it sets up").
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harness import machine
from harness.frame import OUT_ROOT, ROOT, BenchError, guarded, log
from harness.http_client import wait_answer

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
VENV_BIN = Path(sys.executable).parent
GUNICORN = VENV_BIN / "gunicorn"
SECRET_KEY = "oefenplein-bench-only-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"

WORKERS = 2
WORKER_CLASS = "gthread"
THREADS = 4
KEEP_ALIVE = 5
GUNICORN_ARGS = [
    "learn.wsgi:application",
    "--workers", str(WORKERS),
    "--worker-class", WORKER_CLASS,
    "--threads", str(THREADS),
    "--keep-alive", str(KEEP_ALIVE),
    "--worker-tmp-dir", "/dev/shm",
    "--no-control-socket",
    "--log-level", "warning",
    "--error-logfile", "-",
]  # fmt: skip


def inherited_env(drop_prefixes: tuple[str, ...], drop: frozenset[str] = frozenset()) -> dict[str, str]:
    """The caller's environment without the settings a bench sets itself (so a developer's shell can't leak in)."""
    return {k: v for k, v in os.environ.items() if k not in drop and not k.startswith(drop_prefixes)}


def run_logged(args: list[str], env: dict[str, str], log_path: Path, timeout: float) -> subprocess.CompletedProcess:
    """Run one step as a child in the project root; its command, stdout and stderr go to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    log_path.write_text(f"$ {' '.join(args)}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    return proc


def json_line(output: str, prefix: str) -> dict | list | None:
    """The JSON of the first `PREFIX=<json>` line a child printed, or None."""
    for line in output.splitlines():
        if line.startswith(prefix + "="):
            return json.loads(line.split("=", 1)[1])
    return None


# --- Processes in their own group --------------------------------------------------------------------


def free_port() -> int:
    """A free port: any, or the first free one of BENCH_PORT_RANGE ("8100-8199") on a shared machine."""
    first, _, last = os.environ.get("BENCH_PORT_RANGE", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise BenchError(f"no free port in BENCH_PORT_RANGE {os.environ['BENCH_PORT_RANGE']}")


def start_group(args: list[str], env: dict[str, str], log_path: Path, cleanup, *, cwd: Path = ROOT,
                stop_timeout: float = 15, name: str = "gunicorn") -> subprocess.Popen:  # fmt: skip
    """Start `args` in a process group of its own, output to `log_path`, the command beside it (`.cmd`).

    The whole group is stopped when the run ends (registered on `cleanup`), whatever happens.
    """
    log_file = cleanup.enter_context(log_path.open("w"))
    log_path.with_suffix(".cmd").write_text(" ".join(args) + "\n")
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    cleanup.callback(stop_group, proc, stop_timeout, name)
    return proc


def stop_group(proc: subprocess.Popen | None, timeout: float = 15, name: str = "gunicorn") -> None:
    """SIGTERM to the process group, SIGKILL after `timeout` s; nothing when it already ended."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass
    log(f"{name} stopped")


def gunicorn_command(application: str, port: int) -> list[str]:
    """gunicorn as every bench runs it (GUNICORN_ARGS), for `application`, BENCH_GUNICORN_EXTRA appended."""
    extra = os.environ.get("BENCH_GUNICORN_EXTRA", "").split()  # e.g. "--reuse-port", to try a change
    return [str(GUNICORN), application, *GUNICORN_ARGS[1:], *extra, "--bind", f"127.0.0.1:{port}"]


def command_shown(path: Path) -> str:
    """A command written by `start_group`, with the virtualenv's path shortened as the reports show it."""
    return path.read_text().strip().replace(str(VENV_BIN) + "/", ".venv/bin/")


# --- A bench's services --------------------------------------------------------------------------------


@dataclass
class Stack:
    """One benchmark's PostgreSQL database (dropped and made anew), Redis db (flushed) and log folder."""

    db_name: str
    redis_url: str
    out_dir: Path
    pg_url: str = PG_URL

    @property
    def database_url(self) -> str:
        return f"{self.pg_url}/{self.db_name}"

    def env(self) -> dict[str, str]:
        """The environment of every subprocess: this machine's services, production-like settings."""
        drop = frozenset({"REDIS_URL", "PAGE_CACHE_SECONDS", "CACHE_KEY_PREFIX", "SERVE_MEDIA", "MEDIA_ROOT",
                          "OEFENPLEIN_VAR_DIR", "LOG_LEVEL", "WAGTAILADMIN_BASE_URL"})  # fmt: skip
        env = inherited_env(("DJANGO_", "DATABASE_", "STATIC_", "CELERY_"), drop)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "learn.settings",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "DJANGO_SECRET_KEY": SECRET_KEY,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                # Production's static setup (hashed names, compressed copies) without DJANGO_ENV=production,
                # which would redirect plain HTTP to HTTPS.
                "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
                "STATIC_MANIFEST": "true",
                "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
                "OEFENPLEIN_VAR_DIR": str(ROOT / "var" / "bench"),
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
                # 10 bench learners stand for a whole site's load: the per-learner rate limit is off.
                "PROGRESS_RATE_BATCHES": "0",
                "PROGRESS_RATE_STATEMENTS": "0",
            }
        )
        return env

    def temp_env(self, cleanup, prefix: str) -> tuple[dict[str, str], Path]:
        """env() with static and media files in a temp dir of this run, removed when the run ends."""
        temp = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True)))
        return {**self.env(), "STATIC_ROOT": str(temp / "static"), "MEDIA_ROOT": str(temp / "media")}, temp

    def reset_database(self) -> None:
        """Drop the database (closing its connections) and create it empty."""
        import psycopg

        with psycopg.connect(f"{self.pg_url}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        log(f"PostgreSQL database {self.db_name}: dropped and created")

    def reset_redis(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=3)
        client.flushdb()
        client.close()
        log(f"Redis {self.redis_url}: flushed")

    def run_step(self, name: str, args: list[str], env: dict[str, str], timeout: float = 300) -> str:
        """One child to its end (log in out_dir/<name>.log); its stdout, or a BenchError with its tail."""
        started = time.perf_counter()
        log_path = self.out_dir / f"{name}.log"
        proc = run_logged(args, env, log_path, timeout)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
            raise BenchError(f"{name} failed (exit {proc.returncode}); log {log_path}\n{tail}")
        log(f"{name}: ok in {time.perf_counter() - started:.1f} s")
        return proc.stdout

    def child_json(self, name: str, args: list[str], env: dict[str, str], prefix: str, timeout: float = 300):
        """run_step, and the JSON of the `PREFIX=<json>` line the child printed (a BenchError when none)."""
        result = json_line(self.run_step(name, args, env, timeout), prefix)
        if result is None:
            raise BenchError(f"{name} printed no result; see {self.out_dir / (name + '.log')}")
        return result

    def manage_json(self, name: str, code: str, env: dict[str, str], prefix: str):
        """child_json of `manage.py shell -c code`."""
        return self.child_json(name, [sys.executable, "manage.py", "shell", "-c", code], env, prefix)

    def migrate(self, env: dict[str, str]) -> None:
        self.run_step("migrate", [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)

    def setup(self, env: dict[str, str]) -> None:
        """Database and Redis db made anew, empty static and media dirs, migrate, collectstatic, demo content."""
        self.reset_database()
        self.reset_redis()
        for directory in (Path(env["STATIC_ROOT"]), Path(env["MEDIA_ROOT"])):
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
        self.migrate(env)
        self.run_step("collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        self.run_step("load_demo", [sys.executable, "manage.py", "load_demo", "--no-users"], env)

    def start_server(
        self, env: dict[str, str], port: int, cleanup, args: list[str] | None = None
    ) -> tuple[subprocess.Popen, dict]:
        """gunicorn on 127.0.0.1:port once /healthz answers 200; stopped when the run ends, whatever happens.

        `args`: another gunicorn command than gunicorn_command's (bound to `port` by its own means). Returns the
        process and the /healthz answer. Its output goes to out_dir/gunicorn.log.
        """
        log_path = self.out_dir / "gunicorn.log"
        args = args or gunicorn_command("learn.wsgi:application", port)
        server = start_group(args, env, log_path, cleanup)
        health = json.loads(wait_answer(server, port, "/healthz", f"gunicorn (log {log_path})"))
        log(f"gunicorn pid {server.pid} on 127.0.0.1:{port}: /healthz {health['status']}")
        return server, health

    def stop_server(self, server: subprocess.Popen) -> None:
        """Stop gunicorn once the measurements are done; if it died during them, the figures do not count."""
        if server.poll() is not None:
            raise BenchError(f"gunicorn died during the run; see {self.out_dir / 'gunicorn.log'}")
        stop_group(server)

    def machine_facts(self, health: dict | None) -> dict:
        return machine.machine_facts(health, self.database_url, self.redis_url)

    def main(self, body, *, one_line_unexpected: bool = False) -> int:
        """A bench's main(): its log folder made, then `body(cleanup)` in harness.frame.guarded."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        return guarded(body, one_line_unexpected=one_line_unexpected)


def own_stack(name: str, db_name: str, redis_db: int | None, out: str) -> Stack:
    """The Stack of a bench with services of its own: database `db_name` (knob BENCH_<name>_DB), Redis db
    `redis_db` on 127.0.0.1:6379 (knob BENCH_<name>_REDIS_URL; None: the bench uses no Redis), logs in
    bench/out/<out>/."""
    redis_url = "" if redis_db is None else f"redis://127.0.0.1:6379/{redis_db}"
    return Stack(
        db_name=os.environ.get(f"BENCH_{name}_DB", db_name),
        redis_url=os.environ.get(f"BENCH_{name}_REDIS_URL", redis_url),
        out_dir=OUT_ROOT / out,
    )


# --- The pages run.py measures (lighthouse_bench.py measures the same lesson) ---------------------------

FIND_TARGETS = r"""
import json
from wagtail.models import Locale
from lessons.models import LessonPage, ModuleIndexPage
nl = Locale.objects.get(language_code="nl")
lessons = list(LessonPage.objects.live().filter(locale=nl).order_by("path"))
def media_blocks(page):
    return sum(1 for block in page.body if block.block_type in ("figure", "video"))
text_lessons = [page for page in lessons if media_blocks(page) == 0]
lesson = (text_lessons or sorted(lessons, key=media_blocks))[0]
catalogue = ModuleIndexPage.objects.live().filter(locale=nl).first()
print("BENCH_TARGETS=" + json.dumps({
    "lesson_url": lesson.get_url(), "lesson_title": lesson.title,
    "lesson_blocks": [block.block_type for block in lesson.body],
    "lesson_is_text_only": media_blocks(lesson) == 0,
    "lessons_nl": len(lessons), "text_lessons_nl": len(text_lessons),
    "catalogue_url": catalogue.get_url(), "catalogue_title": catalogue.title,
}))
"""


def find_targets(stack: Stack, env: dict[str, str]) -> dict:
    """The Dutch text lesson (first in tree order without figure or video blocks) and the Dutch catalogue."""
    return stack.manage_json("find-targets", FIND_TARGETS, env, "BENCH_TARGETS")
