"""Learning-record benchmarks, part of `make bench`: statement ingest and the "My learning" page.

bench/run.py calls `measure_progress()` once its own page measurements are done, against the same
gunicorn, PostgreSQL database and Redis db. This file has two halves:

  * **Preparation**, run by run.py as a script with the bench environment
    (`python bench/progress_bench.py ingest-setup|my-learning-setup`): it starts Django, writes what
    a measurement needs into the bench database (learners signed in through Django's own `login()`
    into server-side sessions, activity ids of the demo lessons, pages and learning records) and
    prints one `BENCH_PROGRESS=<json>` line.
  * **Measurement**, imported by run.py: a threaded keep-alive HTTP client that posts statement
    batches, and the harness's load generator (bench/harness/load.py) for the "My learning" page.

Method and targets: bench/README.md ("Learning records"). Knobs (environment): BENCH_INGEST_DURATION
(s, 15), BENCH_INGEST_WARMUP (s, 2), BENCH_MY_LEARNING_DURATION (s, 10), BENCH_MY_LEARNING_WARMUP (s, 2).
"""

from __future__ import annotations

import gc
import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness import inside_django, load
from harness.cpu import Window
from harness.frame import BenchError, log
from harness.http_client import BROWSER_HEADERS, http_get
from harness.results import cpu_row, percentile, shared_machine_warning, verdict

INGEST_PATH = "/api/progress/statements"
MY_LEARNING_PATH = "/nl/my-learning/"
VERB = "http://adlnet.gov/expapi/verbs/"

INGEST_CLIENTS = 10
INGEST_BATCH = 20
INGEST_DURATION = float(os.environ.get("BENCH_INGEST_DURATION", "15"))
INGEST_WARMUP = float(os.environ.get("BENCH_INGEST_WARMUP", "2"))
MY_LEARNING_DURATION = float(os.environ.get("BENCH_MY_LEARNING_DURATION", "10"))
MY_LEARNING_WARMUP = float(os.environ.get("BENCH_MY_LEARNING_WARMUP", "2"))
MY_LEARNING_CONNECTIONS = (1, 10)
# The p95 target is judged at 1 connection, the latency one learner gets; 10 closed-loop connections saturate the
# 2 cores, where latency is connections / throughput, and are reported beside it (see README).

# The heavy learner: records in 50 modules of 10 lessons each. The light one: the first 2 of those modules.
MODULES = 50
LESSONS_PER_MODULE = 10
FEW_MODULES = 2
QUESTIONS_PER_LESSON = 3

TARGET_STATEMENTS_PER_S = 1000
TARGET_MY_LEARNING_P95_MS = 100


# --- Preparation (runs inside Django, in a subprocess with the bench environment) ---------------


def ingest_setup() -> dict:
    """Activity ids of every live Dutch demo lesson and its questions, and 10 signed-in learners.

    The CSRF value is any well-formed secret (32 characters of the allowed alphabet): the client sends
    it both as the csrftoken cookie and in the X-CSRFToken header, which is Django's double-submit
    check. CSRF_COOKIE_HTTPONLY only hides the cookie from page scripts; it does not stop a client
    from sending one.
    """
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from lessons.activities import lesson_activity_id

    lessons = [
        {
            "id": lesson_activity_id(lesson),
            "title": lesson.title,
            "questions": inside_django.question_activities(lesson),
        }
        for lesson in inside_django.dutch_lessons()
    ]
    if not lessons:
        raise SystemExit("no live Dutch lessons: did load_demo run?")
    learners = []
    for number in range(1, INGEST_CLIENTS + 1):
        user = inside_django.learner(f"bench-ingest-{number:02d}", f"Bench {number}")
        learners.append(
            {
                "username": user.username,
                "session": inside_django.session_for(user),
                "csrf": get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS),
            }
        )
    probe = _ingest_probe(lessons)
    return {"lessons": lessons, "learners": learners, "probe": probe, **inside_django.cookie_names()}


def _ingest_probe(lessons: list[dict]) -> dict:
    """The service alone, in this process: `statements_ingest` for 40 batches of one more learner (after 5
    that warm the activity cache), timed one by one, then 20 more under cProfile. It explains the HTTP
    figures and does not depend on how the gunicorn workers share the load."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from progress.services import statements_ingest

    user = inside_django.learner("bench-ingest-probe", "Bench probe")
    script = _LearnerScript(lessons, seed=99)
    for _ in range(5):
        statements_ingest(user=user, statements=script.batch())
    timings = []
    for _ in range(40):
        batch = script.batch()
        started = time.perf_counter()
        statements_ingest(user=user, statements=batch)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    with CaptureQueriesContext(connection) as captured:
        statements_ingest(user=user, statements=script.batch())
    queries = len(captured.captured_queries)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        statements_ingest(user=user, statements=script.batch())
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    return {
        "batches": len(timings),
        "median_ms": round(timings[len(timings) // 2], 1),
        "queries": queries,
        "profile": out.getvalue(),
    }


def _records_for(user, modules: list) -> int:
    """Learning records in `modules` ([(module page, [lesson pages])], oldest first), written straight
    to the aggregates the page reads, as the ingest service leaves them.

    Even-numbered modules are finished (10 of 10 lessons); odd ones have 6 lessons finished and 4
    started. Every lesson has 3 answered questions, time spent and, for every third one, a hint, so
    every line of the page's template is rendered. Activity times rise module by module.
    """
    from django.utils import timezone

    from progress.models import LessonProgress, ModuleProgress

    start = timezone.now() - timedelta(days=60)
    module_rows, lesson_rows = [], []
    for module_number, (module, lessons) in enumerate(modules):
        finished = len(lessons) if module_number % 2 == 0 else 6
        last = None
        for lesson_number, lesson in enumerate(lessons):
            moment = start + timedelta(hours=module_number, minutes=lesson_number)
            done = lesson_number < finished
            answers = {f"q{n}": {"first": n != 2, "last": True} for n in range(QUESTIONS_PER_LESSON)}
            lesson_rows.append(
                inside_django.lesson_record(
                    user,
                    module,
                    lesson,
                    done=done,
                    moment=moment,
                    first_score=2 / 3,
                    best_score=1.0,
                    last_score=1.0,
                    hints=1 if lesson_number % 3 == 0 else 0,
                    wrong_answers=1,
                    time_spent_seconds=240,
                    question_count=QUESTIONS_PER_LESSON,
                    answers=answers,
                )
            )
            last = (lesson.translation_key, moment)
        module_rows.append(
            ModuleProgress(
                user=user,
                module_key=module.translation_key,
                lessons_completed=finished,
                lessons_total=len(lessons),
                last_lesson_key=last[0],
                started_at=start + timedelta(hours=module_number),
                completed_at=last[1] if finished == len(lessons) else None,
                checked_completed_at=last[1] if finished == len(lessons) else None,
                last_activity_at=last[1],
            )
        )
    ModuleProgress.objects.bulk_create(module_rows)
    LessonProgress.objects.bulk_create(lesson_rows)
    return len(lesson_rows)


def _page_queries(user) -> dict:
    """SQL queries of one "My learning" request through the whole middleware stack (django.test.Client:
    session, authentication, the view, its template), after one warm-up request that fills the
    caches every later request shares (site root paths)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    warm = client.get(MY_LEARNING_PATH)
    if warm.status_code != 200:
        raise SystemExit(f"{MY_LEARNING_PATH} answered {warm.status_code} for {user.username}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(MY_LEARNING_PATH)
    # Read now: `captured_queries` slices the connection's log, which the next request empties.
    queries = list(captured.captured_queries)
    html = response.content.decode()
    timings, full_collections = [], []
    collection_started = [0.0]

    def on_collection(phase: str, info: dict) -> None:  # how long each full (generation 2) collection takes
        if phase == "start":
            collection_started[0] = time.perf_counter()
        elif info["generation"] == 2:
            full_collections.append(round((time.perf_counter() - collection_started[0]) * 1000, 1))

    gc.callbacks.append(on_collection)
    try:
        for _ in range(15):
            started = time.perf_counter()
            client.get(MY_LEARNING_PATH)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        gc.callbacks.remove(on_collection)
    timings.sort()
    return {
        "status": response.status_code,
        "queries": len(queries),
        "sql": [query["sql"][:300] for query in queries],
        "learning_items": html.count('class="learning-item"'),
        "has_resume_link": "resume-link" in html,
        "html_bytes": len(response.content),
        "in_process_median_ms": round(timings[len(timings) // 2], 1),
        "in_process_max_ms": round(timings[-1], 1),
        "full_gc_ms": full_collections,
    }


def _profile_page(user) -> str:
    """cProfile of 10 in-process requests of the heavy learner's page: where its time goes."""
    import cProfile
    import io
    import pstats

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(MY_LEARNING_PATH)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(MY_LEARNING_PATH)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    return out.getvalue()


def my_learning_setup() -> dict:
    """50 real modules of 10 real lessons under the Dutch catalogue, records for 2 learners, query counts.

    Pages are made with Wagtail's `add_child` (treebeard inserts, live, no revision and no publish
    signal), the way tests/progress/test_my_learning.py makes them; see README for why real pages.
    """
    from wagtail.models import Locale

    from lessons import selectors as lesson_selectors

    def module_fields(number: int) -> dict:
        return {
            "title": f"Benchmodule {number:02d}",
            "slug": f"benchmodule-{number:02d}",
            "intro": "Een module om te meten.",
            "topic": "smartphone",
            "sort_order": 900,
        }

    def lesson_fields(number: int, lesson: int) -> dict:
        return inside_django.text_lesson(
            f"Benchles {number:02d}.{lesson:02d}", f"benchles-{lesson:02d}", "Een les om te meten."
        )

    started = time.perf_counter()
    catalogue = lesson_selectors.catalogue_page(locale=Locale.objects.get(language_code="nl"))
    modules = inside_django.add_modules(catalogue, MODULES, LESSONS_PER_MODULE, module_fields, lesson_fields)
    pages_seconds = time.perf_counter() - started

    many = inside_django.learner("bench-many", "Veel modules")
    few = inside_django.learner("bench-few", "Twee modules")
    many_records = _records_for(many, modules)
    few_records = _records_for(few, modules[:FEW_MODULES])
    many_queries = _page_queries(many)
    few_queries = _page_queries(few)
    profile = _profile_page(many)
    return {
        "pages_created": len(modules) * (1 + LESSONS_PER_MODULE),
        "pages_seconds": round(pages_seconds, 1),
        "many": {"username": many.username, "modules": len(modules), "lesson_records": many_records, **many_queries},
        "few": {"username": few.username, "modules": FEW_MODULES, "lesson_records": few_records, **few_queries},
        "session": inside_django.session_for(many),
        "profile": profile,
        **inside_django.cookie_names(),
    }


# --- Measurement (imported by bench/run.py; `stack` is its harness.stack.Stack) --------------------------


def _prepare(stack, step: str, env: dict[str, str]) -> dict:
    return stack.child_json(step, [sys.executable, str(Path(__file__).resolve()), step], env, "BENCH_PROGRESS")


def _statement_count(stack) -> int:
    import psycopg

    with psycopg.connect(stack.database_url, connect_timeout=5) as conn:
        return conn.execute("SELECT count(*) FROM progress_statement").fetchone()[0]


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _LearnerScript:
    """What one learner's browser sends, lesson after lesson: "experienced" on opening, "answered"
    per question (3 in 4 right), "completed" with the time spent, exactly as learn/static/learn/js
    builds them; cut into batches of 20 as the queue flushes them. Every statement has a fresh id."""

    def __init__(self, lessons: list[dict], seed: int):
        self.lessons = lessons
        self.rng = random.Random(seed)
        self.position = seed % len(lessons)
        self.pending: list[tuple[str, str, dict | None]] = []

    def _next_lesson(self) -> None:
        lesson = self.lessons[self.position % len(self.lessons)]
        self.position += 1
        self.pending.append(("experienced", lesson["id"], None))
        for question in lesson["questions"]:
            right = self.rng.random() < 0.75
            answer = question["correct"] if right else (question["correct"] + 1) % max(question["options"], 2)
            self.pending.append(("answered", question["id"], {"response": str(answer)}))
        seconds = self.rng.randint(60, 600)
        self.pending.append(("completed", lesson["id"], {"completion": True, "duration": f"PT{seconds}S"}))

    def batch(self) -> list[dict]:
        while len(self.pending) < INGEST_BATCH:
            self._next_lesson()
        chosen, self.pending = self.pending[:INGEST_BATCH], self.pending[INGEST_BATCH:]
        now = datetime.now(UTC)
        statements = []
        for offset, (verb, object_id, result) in enumerate(chosen):
            statement = {
                "id": str(uuid.uuid4()),
                "timestamp": _iso(now - timedelta(seconds=INGEST_BATCH - offset)),
                "verb": {"id": VERB + verb, "display": {"en-US": verb}},
                "object": {"objectType": "Activity", "id": object_id},
            }
            if result:
                statement["result"] = result
            statements.append(statement)
        return statements


class _ClientLog:
    """One client thread's record: (finished at, seconds, stored, duplicates) per answered batch."""

    def __init__(self):
        self.batches: list[tuple[float, float, int, int]] = []
        self.errors: dict[str, int] = {}
        self.error_samples: dict[str, str] = {}
        self.verbs: dict[str, int] = {}

    def error(self, kind: str, sample: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.error_samples.setdefault(kind, sample[:300])


def _ingest_client(port: int, setup: dict, learner: dict, seed: int, stop_at: float, record: _ClientLog) -> None:
    script = _LearnerScript(setup["lessons"], seed)
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Accept-Language": "nl",
        "Cookie": f"{setup['session_cookie']}={learner['session']}; {setup['csrf_cookie']}={learner['csrf']}",
        setup["csrf_header"]: learner["csrf"],
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        while time.perf_counter() < stop_at:
            statements = script.batch()
            for statement in statements:
                verb = statement["verb"]["id"].rsplit("/", 1)[-1]
                record.verbs[verb] = record.verbs.get(verb, 0) + 1
            body = json.dumps(statements).encode()
            started = time.perf_counter()
            try:
                conn.request("POST", INGEST_PATH, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                record.error(type(error).__name__, str(error))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                time.sleep(0.01)
                continue
            finished = time.perf_counter()
            if response.status != 200:
                record.error(f"status {response.status}", payload.decode("utf-8", "replace"))
                continue
            answer = json.loads(payload)
            record.batches.append((finished, finished - started, int(answer["stored"]), int(answer["duplicates"])))
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    finally:
        conn.close()


def measure_ingest(stack, port: int, server_pid: int, setup: dict) -> dict:
    """10 learners, each on its own keep-alive connection in its own thread, post batches of 20 as fast as
    the server answers (closed loop) for warm-up + duration; figures from the batches answered inside the
    measured window; then COUNT(*) of progress_statement against what the clients were told was stored."""
    before = _statement_count(stack)
    log(
        f"statement ingest: {INGEST_CLIENTS} learners x batches of {INGEST_BATCH}, warm-up {INGEST_WARMUP:.0f} s, "
        f"then {INGEST_DURATION:.0f} s ({len(setup['lessons'])} lessons' activity ids)"
    )
    begin = time.perf_counter()
    window_start = begin + INGEST_WARMUP
    stop_at = window_start + INGEST_DURATION
    logs = [_ClientLog() for _ in setup["learners"]]
    threads = [
        threading.Thread(target=_ingest_client, args=(port, setup, learner, number, stop_at, logs[number]), daemon=True)
        for number, learner in enumerate(setup["learners"])
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window_start - time.perf_counter()))
    with Window(server_pid, port, stack.db_name, INGEST_DURATION) as measured:
        time.sleep(max(0.0, stop_at - time.perf_counter()))
    cpu, spread = measured.cpu, measured.spread
    for thread in threads:
        thread.join(timeout=30)
    if any(thread.is_alive() for thread in threads):
        raise BenchError("an ingest client did not finish within 30 s of the end of the window")
    after = _statement_count(stack)

    all_batches = [batch for client in logs for batch in client.batches]
    window = [batch for batch in all_batches if window_start <= batch[0] <= stop_at]
    latencies = sorted(batch[1] for batch in window)
    errors: dict[str, int] = {}
    samples: dict[str, str] = {}
    verbs: dict[str, int] = {}
    for client in logs:
        for kind, count in client.errors.items():
            errors[kind] = errors.get(kind, 0) + count
            samples.setdefault(kind, client.error_samples[kind])
        for verb, count in client.verbs.items():
            verbs[verb] = verbs.get(verb, 0) + count
    stored_window = sum(batch[2] for batch in window)
    stored_total = sum(batch[2] for batch in all_batches)
    duplicates = sum(batch[3] for batch in all_batches)
    per_client = [sum(1 for batch in client.batches if window_start <= batch[0] <= stop_at) for client in logs]

    def ms(fraction: float) -> float:
        return round(percentile(latencies, fraction) * 1000, 2)

    result = {
        "clients": INGEST_CLIENTS,
        "batch_size": INGEST_BATCH,
        "warmup_s": INGEST_WARMUP,
        "duration_s": INGEST_DURATION,
        "lessons": len(setup["lessons"]),
        "questions": sum(len(lesson["questions"]) for lesson in setup["lessons"]),
        "batches": len(window),
        "statements_stored": stored_window,
        "statements_per_s": round(stored_window / INGEST_DURATION, 1),
        "batches_per_s": round(len(window) / INGEST_DURATION, 1),
        "p50_ms": ms(0.50),
        "p95_ms": ms(0.95),
        "p99_ms": ms(0.99),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else float("nan"),
        "errors": sum(errors.values()),
        "error_detail": errors,
        "error_samples": samples,
        "duplicates": duplicates,
        "verbs_sent": verbs,
        "batches_per_client": per_client,
        "stored_total_by_clients": stored_total,
        "count_before": before,
        "count_after": after,
        "count_verified": after - before == stored_total,
        "cpu": cpu,
        # gunicorn's CPU time per stored statement: what a statement costs, whatever else ran on the machine.
        "gunicorn_cpu_ms_per_statement": round(cpu["gunicorn"] / 100 * INGEST_DURATION / stored_window * 1000, 2)
        if stored_window
        else float("nan"),
        "connections_per_worker": spread,
        "probe": setup["probe"],
    }
    log(
        f"statement ingest: {result['statements_per_s']} statements/s ({result['batches_per_s']} batches/s), batch "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, errors {result['errors']} {errors or ''}; COUNT(*) "
        f"{after - before} new rows vs {stored_total} stored per the clients; CPU % of a core: gunicorn "
        f"{cpu['gunicorn']}, PostgreSQL {cpu['postgresql']}, Redis {cpu['redis']}, client {cpu['loadgen']}, rest "
        f"{cpu['rest']}; connections per worker {spread}"
    )
    return result


def measure_progress(stack, env: dict[str, str], port: int, server_pid: int, tool: str, timings) -> dict:
    """Both learning-record measurements against the running gunicorn; returns the figures for RESULTS.md.

    `timings` is the run's harness.frame.Timings: each step adds its seconds.
    """
    with timings.step("progress: ingest setup (10 learners, sessions, activity ids)"):
        setup = _prepare(stack, "ingest-setup", env)
        (stack.out_dir / "ingest_profile.txt").write_text(setup["probe"].pop("profile"))

    with timings.step("progress: statement ingest"):
        ingest = measure_ingest(stack, port, server_pid, setup)

    with timings.step("progress: my-learning setup (550 pages, records, query counts)"):
        learning = _prepare(stack, "my-learning-setup", env)
        (stack.out_dir / "my_learning_profile.txt").write_text(learning.pop("profile"))
        many, few = learning["many"], learning["few"]
        log(
            f"my learning: {learning['pages_created']} pages in {learning['pages_seconds']} s; SQL queries per "
            f"request: {many['queries']} ({many['modules']} modules, {many['lesson_records']} lesson records) vs "
            f"{few['queries']} ({few['modules']} modules); in-process median {many['in_process_median_ms']} ms"
        )

    with timings.step("progress: my-learning load"):
        headers = {**BROWSER_HEADERS, "Cookie": f"{learning['session_cookie']}={learning['session']}"}
        status, _response, _body = http_get(port, MY_LEARNING_PATH, headers)
        if status != 200:
            raise BenchError(f"{MY_LEARNING_PATH} answered {status} to the heavy learner's session")
        loads = {}
        for connections in MY_LEARNING_CONNECTIONS:
            loads[str(connections)] = asdict(
                load.measure(
                    stack,
                    f"my learning, {many['modules']} modules x {LESSONS_PER_MODULE} lessons",
                    port=port,
                    server_pid=server_pid,
                    path=MY_LEARNING_PATH,
                    headers=headers,
                    tool=tool,
                    duration=MY_LEARNING_DURATION,
                    warmup=MY_LEARNING_WARMUP,
                    connections=connections,
                )
            )
    return {"date": datetime.now(UTC).strftime("%a %b %d %H:%M:%S UTC %Y"), "ingest": ingest,
            "my_learning": {**learning, "load": loads}}  # fmt: skip


# --- Report ---------------------------------------------------------------------------------------


def results_section(progress: dict) -> list[str]:
    """The "Learning records" section of RESULTS.md."""
    ingest = progress["ingest"]
    learning = progress["my_learning"]
    many, few = learning["many"], learning["few"]
    loads = learning["load"]
    single, busy = loads[str(MY_LEARNING_CONNECTIONS[0])], loads[str(MY_LEARNING_CONNECTIONS[-1])]
    ingest_ok = ingest["statements_per_s"] >= TARGET_STATEMENTS_PER_S
    clean = ingest["errors"] == 0 and ingest["duplicates"] == 0 and ingest["count_verified"]
    lines = [
        '## Learning records: statement ingest and "My learning"',
        "",
        f"Measured by `make bench` (bench/progress_bench.py, called by bench/run.py) on {progress['date']}, on the "
        "same stack as above, right after the page measurements. Method: [README.md](README.md#learning-records).",
        "",
        "| measure | target | result | verdict |",
        "| --- | --- | --- | --- |",
        f"| statement ingest, {ingest['clients']} learners at once, batches of {ingest['batch_size']} "
        f"| >= {TARGET_STATEMENTS_PER_S} statements/s | {ingest['statements_per_s']:.0f} statements/s "
        f"({ingest['batches_per_s']:.1f} batches/s; batch p50 {ingest['p50_ms']:.1f} ms, p95 {ingest['p95_ms']:.1f} ms) "
        f"| {verdict(ingest_ok and clean)} |",
        f"| ingest errors, duplicates; COUNT(*) of progress_statement = statements the clients were told were stored "
        f"| 0, 0, equal | {ingest['errors']}, {ingest['duplicates']}, {ingest['count_after'] - ingest['count_before']} "
        f"rows = {ingest['stored_total_by_clients']} | {verdict(clean)} |",
        f'| "My learning" p95, {single["connections"]} connection (judged here: what one learner waits) '
        f"| <= {TARGET_MY_LEARNING_P95_MS} ms | {single['p95_ms']:.1f} ms (p50 {single['p50_ms']:.1f} ms) "
        f"| {verdict(single['p95_ms'] <= TARGET_MY_LEARNING_P95_MS and single['errors'] == 0)} |",
        f'| "My learning" p95, {busy["connections"]} connections back to back (saturation, reported) '
        f"| <= {TARGET_MY_LEARNING_P95_MS} ms | {busy['p95_ms']:.1f} ms (p50 {busy['p50_ms']:.1f} ms, "
        f"{busy['rps']:.0f} req/s) | {verdict(busy['p95_ms'] <= TARGET_MY_LEARNING_P95_MS and busy['errors'] == 0)} |",
        f'| "My learning" SQL queries per request, {many["modules"]} modules x {LESSONS_PER_MODULE} lessons '
        f"| same as for {few['modules']} modules | {many['queries']} ({few['queries']} for {few['modules']} modules) "
        f"| {verdict(many['queries'] == few['queries'])} |",
        "",
        "### Statement ingest",
        "",
        f"- {ingest['clients']} threads, each one learner with its own server-side session (Django's `login()` "
        "into the Redis session store), its own keep-alive connection and a CSRF token sent as cookie and "
        f"`X-CSRFToken` header; each posts {ingest['batch_size']} statements per request to `{INGEST_PATH}` and the "
        f"next batch when the answer arrived (closed loop); {ingest['warmup_s']:.0f} s warm-up, then "
        f"{ingest['duration_s']:.0f} s measured.",
        f"- Statements as the lesson page's script builds them, lesson after lesson over the "
        f"{ingest['lessons']} Dutch demo lessons ({ingest['questions']} questions): "
        + ", ".join(f"{count} {verb}" for verb, count in sorted(ingest["verbs_sent"].items()))
        + " sent in all; a fresh UUID per statement, so nothing is a duplicate.",
        f"- Measured window: {ingest['batches']} batches answered, {ingest['statements_stored']} statements stored; "
        f"batch latency p50 {ingest['p50_ms']:.1f} ms, p95 {ingest['p95_ms']:.1f} ms, p99 {ingest['p99_ms']:.1f} ms, "
        f"max {ingest['max_ms']:.1f} ms; batches per client "
        + " / ".join(map(str, ingest["batches_per_client"]))
        + ".",
        f"- Check: `SELECT count(*) FROM progress_statement` went from {ingest['count_before']} to "
        f"{ingest['count_after']}; the clients (warm-up and the batches still under way at the end included) were "
        f"told {ingest['stored_total_by_clients']} were stored: "
        + ("equal." if ingest["count_verified"] else "**not equal**.")
        + (f" Errors: {ingest['error_detail']}, e.g. {ingest['error_samples']}." if ingest["errors"] else ""),
        f"- Connections per gunicorn worker halfway: {' / '.join(map(str, ingest['connections_per_worker'])) or '?'}. "
        f"gunicorn used {ingest['gunicorn_cpu_ms_per_statement']:.2f} ms of CPU per stored statement "
        f"({ingest['cpu']['gunicorn']:.0f}% of a core over the window), a figure that does not depend on how the "
        "workers shared the connections or on what else ran.",
        f"- The service alone, in one process without HTTP (`statements_ingest`, {ingest['probe']['batches']} batches "
        f"of {ingest['batch_size']} of one more learner, activity cache warm): median "
        f"{ingest['probe']['median_ms']:.1f} ms per batch, {ingest['probe']['queries']} SQL queries per batch; "
        "cProfile of 20 batches in `bench/out/ingest_profile.txt`.",
        "",
        '### "My learning"',
        "",
        f"- Data: {learning['pages_created']} real pages ({many['modules']} modules of {LESSONS_PER_MODULE} lessons "
        f"under the Dutch catalogue, made with `add_child` in {learning['pages_seconds']:.0f} s) and, for learner "
        f"`{many['username']}`, {many['modules']} module records and {many['lesson_records']} lesson records (every "
        f"other module finished, the rest 6 of 10 lessons finished and 4 started). The page lists "
        f"{many['learning_items']} items ({many['modules']} modules + finished lessons) and a resume link; "
        f"{many['html_bytes'] / 1000:.0f} kB of HTML.",
        f"- SQL queries, counted with `CaptureQueriesContext` around one request through `django.test.Client` "
        f"(all middleware, the session in Redis, after one warm-up request): {many['queries']} for "
        f"`{many['username']}`, {few['queries']} for `{few['username']}` ({few['modules']} modules, "
        f"{few['lesson_records']} lesson records, {few['learning_items']} items). In that process one request of "
        f"the heavy learner takes {many['in_process_median_ms']:.0f} ms (median of 15, slowest "
        f"{many['in_process_max_ms']:.0f} ms; cProfile of 10 in `bench/out/my_learning_profile.txt`); during those 15 "
        f"requests Python ran {len(many['full_gc_ms'])} full garbage collection(s)"
        + (f", of {' / '.join(f'{pause:.0f}' for pause in many['full_gc_ms'])} ms" if many["full_gc_ms"] else "")
        + ". The queries:",
        "",
    ]
    lines += [f"  {number}. `{sql[:160]}{'…' if len(sql) > 160 else ''}`" for number, sql in enumerate(many["sql"], 1)]
    lines += [
        "",
        "Load on the heavy learner's page, with its session cookie (the page cache steps aside), "
        f"{MY_LEARNING_WARMUP:.0f} s warm-up then {MY_LEARNING_DURATION:.0f} s, browser headers "
        "(`Accept-Encoding: gzip, br`):",
        "",
        "| conn. | tool | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | bytes/resp. | conn. per worker |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in loads.values():
        lines.append(
            f"| {result['connections']} | {result['tool']} | {result['requests']} | {result['rps']:.0f} | "
            f"{result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {result['p99_ms']:.1f} | {result['max_ms']:.1f} | "
            f"{result['errors']} | {result['bytes_per_response']} | "
            f"{' / '.join(map(str, result['connections_per_worker'])) or '?'} |"
        )
    if busy["p95_ms"] > TARGET_MY_LEARNING_P95_MS or single["p95_ms"] > TARGET_MY_LEARNING_P95_MS:
        lines += [
            "",
            f"Why the latency target is missed: the page renders {many['learning_items']} items for this learner, so one "
            f"request takes about {many['in_process_median_ms']:.0f} ms even alone in one process (above), the floor "
            "of the latency at 1 connection, and the requests during which Python runs a full garbage collection "
            f"(above) make the p95. At {busy['connections']} connections the requests queue for the cores (for one, "
            "when one worker holds every connection, and its threads then slow each other down). The query count "
            "does not grow with the records. Where the time goes and what would fix it: "
            "[README.md](README.md#findings-and-changes).",
        ]
    lines += [
        "",
        "Where the CPU went during these windows, in % of one core:",
        "",
        "| window | gunicorn | PostgreSQL | Redis | load generator | rest of the machine | machine busy |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        cpu_row("statement ingest", ingest["cpu"]),
    ]
    for result in loads.values():
        lines.append(cpu_row(f"my learning, {result['connections']} conn.", result["cpu"]))
    windows = {"statement ingest": ingest["cpu"]}
    windows.update(
        {f"my learning at {result['connections']} connection(s)": result["cpu"] for result in loads.values()}
    )
    lines += shared_machine_warning(
        windows, "the CPU per statement and the in-process figures above depend less on it."
    )
    lines.append("")
    return lines


if __name__ == "__main__":
    sys.exit(
        inside_django.child_main(
            sys.argv, {"ingest-setup": ingest_setup, "my-learning-setup": my_learning_setup}, "BENCH_PROGRESS"
        )
    )
