"""What the benchmark scripts in bench/ share; imported by each of them, never run on its own.

The scripts are run as `python bench/<name>.py`, so bench/ is on sys.path and `import common` finds this
file. It holds only logic that does not depend on one script's settings:

* `write_section` / `write_sections`: replace a `## heading` section of a results file (or append it), so
  each script owns its own sections of bench/RESULTS.md and leaves every other byte alone.
* `CdpRecorder`: what Chromium really transferred for a page load, from the DevTools protocol.
* `guarded`: the frame of a benchmark's main(): SIGTERM behaves as Ctrl+C, and everything the run started
  (gunicorn, log files, temp dirs) is stopped or removed also on error.
* `run_logged`, `reset_database`, `cpu_model`, `postgres_version`, `percentile`: the subprocess step
  runner, the database reset, the machine description, the nearest-rank percentile.
* Inside Django children: `django_setup`, and `add_modules`, `text_lesson`, `lesson_record` for the
  module and lesson pages and the learning records a bench builds.

bench/run.py keeps the settings each script overrides (database, Redis db, log folder) and the helpers that
read them (environment, gunicorn, HTTP, the production-like stack).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_TITLE = "# Benchmark results\n"  # the start of a results file that does not exist yet


class BenchError(RuntimeError):
    """A benchmark cannot go on; main() reports it in one line and exits 1."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Results files: one "## " section each ----------------------------------------------------------


def _section_pattern(heading: str) -> re.Pattern:
    """A section: its heading line up to the next "## " heading (not "### ") or the end of the file."""
    return re.compile(rf"^{re.escape(heading)}(?:\n|\Z).*?(?=^## |\Z)", re.S | re.M)


def _section_put(text: str, section: str, after: str | None = None) -> str:
    """`text` with `section` in place of the section of the same heading.

    A section not there yet goes right after the section headed `after` when that one is there (so one
    script's sections stay together), else at the end. Sections are kept one blank line apart.
    """
    body = section.strip("\n")
    match = _section_pattern(body.split("\n", 1)[0]).search(text)
    if match:
        start, end = match.span()
    else:
        previous = _section_pattern(after).search(text) if after else None
        start = end = previous.end() if previous else len(text)
    head, rest = text[:start], text[end:]
    if not rest:  # last in the file: one blank line after what comes before it
        head = head.rstrip("\n") + "\n\n" if head.strip() else ""
    return head + body + ("\n\n" + rest if rest else "\n")


def write_section(path: Path, section: str) -> None:
    """Replace the section of `path` headed by the first line of `section`, or append it.

    Every other section, and the title and introduction before the first "## ", stay as they were.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else RESULTS_TITLE
    path.write_text(_section_put(text, section), encoding="utf-8")


def sections_split(document: str) -> tuple[str, list[str]]:
    """A markdown document as (what comes before the first "## " heading, its "## " sections)."""
    parts = re.split(r"^(?=## )", document, flags=re.M)
    return parts[0], parts[1:]


def write_sections(path: Path, document: str) -> None:
    """Put every "## " section of `document` into `path` as `write_section` does, in their order.

    The title and introduction of `document` (before its first "## ") are written only when `path` has none:
    an existing introduction stays as it is.
    """
    preamble, sections = sections_split(document)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not sections_split(text)[0].strip():
        text = preamble.rstrip("\n") + "\n\n" + text.lstrip("\n") if text.strip() else preamble
    previous = None
    for section in sections:
        text = _section_put(text, section, after=previous)
        previous = section.split("\n", 1)[0]
    path.write_text(text, encoding="utf-8")


# --- Chromium: bytes as transferred -------------------------------------------------------------------


class CdpRecorder:
    """Every network request of one page, from the DevTools protocol (all frames the page's renderer runs).

    Per request id: url, type, frame, status, mime, encoding (Content-Encoding), cache_control, encoded
    (`encodedDataLength` of Network.loadingFinished: the body as received, still compressed, plus the
    response headers), failed, accept_encoding (as sent), memory_cache. The HTTP cache is disabled first, so
    every load starts empty.
    """

    def __init__(self, context, page):
        self.requests: dict[str, dict] = {}
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.on("Network.requestWillBeSent", self._on_request)
        cdp.on("Network.responseReceived", self._on_response)
        cdp.on("Network.loadingFinished", self._on_finished)
        cdp.on("Network.loadingFailed", self._on_failed)
        cdp.on("Network.requestServedFromCache", self._on_cached)
        cdp.on("Network.requestWillBeSentExtraInfo", self._on_extra)

    def _entry(self, event: dict) -> dict:
        return self.requests.setdefault(event["requestId"], {})

    def _on_request(self, event: dict) -> None:
        self._entry(event).update(
            url=event["request"]["url"], type=event.get("type", "Other"), frame=event.get("frameId")
        )

    def _on_response(self, event: dict) -> None:
        entry = self._entry(event)
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        entry.update(
            type=event.get("type", entry.get("type", "Other")),
            status=event["response"]["status"],
            mime=event["response"].get("mimeType", ""),
            encoding=headers.get("content-encoding", "identity"),
            cache_control=headers.get("cache-control", ""),
        )

    def _on_finished(self, event: dict) -> None:
        self._entry(event)["encoded"] = int(event["encodedDataLength"])

    def _on_failed(self, event: dict) -> None:
        self._entry(event)["failed"] = event.get("errorText", "failed")

    def _on_extra(self, event: dict) -> None:  # the headers as sent, Accept-Encoding included
        headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
        self._entry(event)["accept_encoding"] = headers.get("accept-encoding", "")

    def _on_cached(self, event: dict) -> None:  # answered from Blink's memory cache, which setCacheDisabled leaves on
        self._entry(event)["memory_cache"] = True

    @staticmethod
    def response(entry: dict) -> dict:
        """The response facts of one recorded request, as the reports list them."""
        return {
            "type": entry.get("type", "Other"),
            "mime": entry.get("mime", ""),
            "status": entry.get("status", entry.get("failed", "?")),
            "encoding": entry.get("encoding", ""),
            "cache_control": entry.get("cache_control", ""),
            "encoded": entry.get("encoded", 0),
        }

    def http(self) -> list[dict]:
        """The requests over http(s), in the order they were sent (data: URLs and the like left out)."""
        return [entry for entry in self.requests.values() if entry.get("url", "").startswith("http")]

    def accept_encoding(self, default: str) -> str:
        """The Accept-Encoding Chromium sent (the first request that shows it), or `default`."""
        return next((r["accept_encoding"] for r in self.requests.values() if r.get("accept_encoding")), default)


# --- Running a benchmark ------------------------------------------------------------------------------


def interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def guarded(body: Callable[[contextlib.ExitStack], int], *, one_line_unexpected: bool = False) -> int:
    """Run a benchmark's main body and return its exit code.

    `body` registers on the ExitStack what must be undone whatever happens (gunicorn, log files, temp dirs).
    SIGTERM stops the run like Ctrl+C (exit 130), so `kill` of a bench still stops its gunicorn. A
    BenchError is one line and exit 1; other exceptions too with `one_line_unexpected` (a browser or a
    child's timeout), else they propagate with their traceback.
    """
    signal.signal(signal.SIGTERM, interrupted)
    try:
        with contextlib.ExitStack() as cleanup:
            return body(cleanup)
    except BenchError as error:
        log(f"FAILED: {error}")
        return 1
    except KeyboardInterrupt as interrupt:
        log(f"interrupted ({interrupt or 'Ctrl+C'}); stopping")
        return 130
    except Exception as error:
        if not one_line_unexpected:
            raise
        log(f"FAILED: {error.__class__.__name__}: {str(error).splitlines()[0][:300] if str(error) else ''}")
        return 1


def run_logged(args: list[str], env: dict[str, str], log_path: Path, timeout: float) -> subprocess.CompletedProcess:
    """Run one step as a child in the project root; its command, stdout and stderr go to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    log_path.write_text(f"$ {' '.join(args)}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    return proc


def reset_database(pg_url: str, name: str) -> None:
    """Drop the database `name` (closing its connections) and create it empty."""
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- The machine ----------------------------------------------------------------------------------------


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"


def postgres_version(database_url: str) -> str:
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


# --- Inside a Django child --------------------------------------------------------------------------------


def django_setup() -> None:
    """Start Django in a bench child process (its environment comes from the parent bench)."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learn.settings")
    import django

    django.setup()


def add_modules(
    parent, count: int, lessons_per_module: int, module_fields: Callable[[int], dict], lesson_fields: Callable
) -> list[tuple]:
    """`count` real ModulePages under `parent`, each with `lessons_per_module` LessonPages, in one transaction.

    Wagtail's `add_child`, as an editor's pages are made. `module_fields(number)` and
    `lesson_fields(number, lesson)` (both counting from 1; see `text_lesson`) give each page's fields. Returns
    [(module, [lesson, ...]), ...].
    """
    from django.db import transaction

    from lessons.models import LessonPage, ModulePage

    modules = []
    with transaction.atomic():
        for number in range(1, count + 1):
            module = parent.add_child(instance=ModulePage(**module_fields(number)))
            lessons = [
                module.add_child(instance=LessonPage(**lesson_fields(number, lesson)))
                for lesson in range(1, lessons_per_module + 1)
            ]
            modules.append((module, lessons))
    return modules


def lesson_record(user, module, lesson, *, done: bool, moment, **figures):
    """An unsaved LessonProgress of `user` in a lesson page: finished at `moment`, or busy with it then.

    `figures` are the scores, hints, answers and the like each bench chooses (and `started_at`, else `moment`).
    """
    from progress.models import LessonProgress, LessonStatus

    return LessonProgress(
        user=user,
        lesson_key=lesson.translation_key,
        module_key=module.translation_key,
        status=LessonStatus.COMPLETED if done else LessonStatus.IN_PROGRESS,
        attempts=1 if done else 0,
        completed_at=moment if done else None,
        checked_completed_at=moment if done else None,  # finished on answers the server scored
        last_activity_at=moment,
        **{"started_at": moment, **figures},
    )


def text_lesson(title: str, slug: str, text: str) -> dict:
    """The fields of a LessonPage whose summary and only block are one paragraph of `text`."""
    from wagtail.rich_text import RichText

    return {"title": title, "slug": slug, "summary": text, "body": [("text", RichText(f"<p>{text}</p>"))]}
