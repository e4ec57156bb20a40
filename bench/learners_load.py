"""Load test of signed-in learners (Locust), part of `make bench`: how many learners two cores serve.

Run as `.venv/bin/python bench/learners_load.py`. It writes the section "Signed-in learners under load
(Locust)" of bench/RESULTS.md (only that section), raw data and logs under bench/out/load/.

1. **Stack.** Database `oefenplein_bench_load` dropped and created, its own Redis db flushed, `migrate`,
   `collectstatic` (hashed names, compressed copies, as production), `load_demo --no-users`; gunicorn started
   with deploy/gunicorn.conf.py itself (what production runs; GUNICORN_BIND for the port), DEBUG off,
   production's per-learner rate limits on. No Celery worker: nothing a learner does here sends a task.
2. **Learners.** N learner accounts made by the project's own service (`accounts.services.learner_create`,
   as a coach makes them), all with the same PIN so the client knows it, hashed once with the site's
   PIN hasher (accounts/pin_hasher.py): each sign-in costs the server what a real one costs.
3. **Load.** bench/locust_learners.py, one Locust process, headless: steps of 100 more learners every 60 s up
   to 800 (4 new learners a second, so a step's learners have all signed in after 25 s), each signing in through the real form, then one action every 10 s:
   open a lesson, answer its questions, finish it, play a simulator; statements posted the way the browser
   queue does (see that file). Every request is stamped `X-Request-Start` as nginx stamps it.
4. **Figures.** Per step: requests, requests/s, p50/p95/p99 per request type and over all, errors, CPU per
   process (gunicorn master and each worker, PostgreSQL, Redis, Locust, the rest of the machine; from
   /proc, sampled every 2 s), connections per gunicorn worker halfway. The largest step with p95 <= 300 ms
   and no error. At the end: the statements the server acknowledged against the rows in progress_statement,
   and duplicate rows (0).

Knobs (environment): BENCH_LOAD_DB (oefenplein_bench_load), BENCH_LOAD_REDIS_URL (redis://127.0.0.1:6379/7),
BENCH_LOAD_STEPS (100,200,...,800), BENCH_LOAD_STEP_SECONDS (60), BENCH_LOAD_SPAWN_RATE (4),
BENCH_LOAD_PACING (10), BENCH_PG_URL as run.py; GUNICORN_* to try other gunicorn settings (see
deploy/gunicorn.conf.py), OVERLOAD_* for learn/overload.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from harness import inside_django, machine, stack
from harness.cpu import connections_per_worker, machine_cpu, postgres_is_ours, process_cpu
from harness.frame import BENCH_DIR, ROOT, BenchError, log
from harness.results import NOISY_REST_PCT, RESULTS_MD, percentile, verdict, write_section

STACK = stack.own_stack("LOAD", "oefenplein_bench_load", redis_db=7, out="load")
OUT_DIR = STACK.out_dir
SECTION_HEADING = "## Signed-in learners under load (Locust)"
LOCUST = stack.VENV_BIN / "locust"
LOCUSTFILE = BENCH_DIR / "locust_learners.py"

STEPS = [int(n) for n in os.environ.get("BENCH_LOAD_STEPS", "100,200,300,400,500,600,700,800").split(",")]
STEP_SECONDS = float(os.environ.get("BENCH_LOAD_STEP_SECONDS", "60"))
PIN = "4827"
TARGET_LEARNERS = 500
TARGET_P95_MS = 300


# --- Preparation (runs inside Django, in a subprocess with the bench environment) ---------------


def prepare(count: str) -> dict:
    """`count` learners, the Dutch lessons with their questions, the Dutch simulator pages."""
    from django.contrib.auth import get_user_model
    from django.test import override_settings
    from django.urls import reverse
    from django.utils import translation

    from accounts import services
    from accounts.models import LearnerSignIn
    from accounts.pin_hasher import pin_hash
    from lessons.activities import lesson_activity_id
    from sandboxes.models import Scenario

    coach = get_user_model().objects.create_user("bench-coach", display_name="Bench coach")
    started = time.perf_counter()
    # learner_create hashes a fresh secret per learner; made with a quick hasher, then every learner gets the
    # same PIN hashed once with the real one (so the client knows it).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        made = [
            services.learner_create(coach=coach, display_name=f"Leerder {n}", language="nl", kind="pin")
            for n in range(1, int(count) + 1)
        ]
    secret = pin_hash(PIN)
    LearnerSignIn.objects.filter(user__in=[new.learner for new in made]).update(secret=secret)
    learners = [{"code": new.learner.learner_sign_in.code, "pin": PIN} for new in made]

    lessons = [
        {"url": lesson.url, "id": lesson_activity_id(lesson), "questions": inside_django.question_activities(lesson)}
        for lesson in inside_django.dutch_lessons()
    ]
    with translation.override("nl"):
        simulators = [
            reverse("sandboxes:play", args=[scenario.slug])
            for scenario in Scenario.objects.filter(locale__language_code="nl").order_by("slug")
        ]
    if not lessons or not simulators:
        raise SystemExit("no Dutch lessons or simulators: did load_demo run?")
    return {
        "learners": learners,
        "lessons": lessons,
        "simulators": simulators,
        "hasher": secret.split("$", 2)[0] + "$" + secret.split("$", 2)[1],
        "seconds": round(time.perf_counter() - started, 1),
    }


# --- Processes and CPU -----------------------------------------------------------------------------


class CpuSampler(threading.Thread):
    """/proc every 2 s: (time, {pid: (name, parent, CPU seconds, start)}) and the machine's busy/total."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[tuple[float, dict, tuple[float, float]]] = []
        self.halt = threading.Event()
        self.spread: dict[int, list[int]] = {}  # step -> connections per worker, sampled halfway

    def run(self):
        while not self.halt.is_set():
            self.samples.append((time.time(), process_cpu(), machine_cpu()))
            self.halt.wait(2)

    def at(self, moment: float):
        return min(self.samples, key=lambda sample: abs(sample[0] - moment))


def category(pid: int, comm: str, ppid: int, roles: dict) -> str:
    if pid == roles["master"]:
        return "gunicorn master"
    if ppid == roles["master"]:
        # Numbered in the order they started (pid), so the columns keep their names from run to run.
        return (
            f"gunicorn worker {roles['workers'].index(pid) + 1}" if pid in roles["workers"] else "gunicorn worker (new)"
        )
    if pid == roles["locust"] or ppid == roles["locust"]:
        return "locust"
    if comm.startswith("postgres"):
        return "postgresql" if postgres_is_ours(pid, STACK.db_name) else "other"
    if comm.startswith("redis-server"):
        return "redis"
    return "other"


def cpu_between(sampler: CpuSampler, start: float, end: float, roles: dict) -> dict:
    """% of one core per process group between two moments (nearest samples)."""
    (t0, before, machine0), (t1, after, machine1) = sampler.at(start), sampler.at(end)
    wall = max(t1 - t0, 0.001)
    used: dict[str, float] = {}
    for pid, (comm, ppid, cpu, started) in after.items():
        previous = before.get(pid)
        delta = cpu - (previous[2] if previous and previous[3] == started else 0.0)
        if delta <= 0:
            continue
        name = category(pid, comm, ppid, roles)
        used[name] = used.get(name, 0.0) + delta
    busy = machine1[0] - machine0[0]
    figures = {name: round(100 * seconds / wall, 1) for name, seconds in sorted(used.items()) if name != "other"}
    figures["machine busy"] = round(100 * busy / wall, 1)
    # Everything else: the machine's busy time minus the processes above. Read so, it includes processes that
    # started and ended between two samples (another helper's test run) and kernel work no process is charged.
    figures["other"] = round(
        max(0.0, figures["machine busy"] - sum(v for k, v in figures.items() if k != "machine busy")), 1
    )
    return figures


# --- Figures ---------------------------------------------------------------------------------------


def step_figures(data: dict, steps: list[int]) -> list[dict]:
    starts = {int(step): moment for step, moment in data["step_starts"].items()}
    ends = {step: starts.get(step + 1, max(r[0] for r in data["requests"]) + 0.001) for step in starts}
    rows = []
    for step in sorted(starts):
        window = [r for r in data["requests"] if starts[step] <= r[0] < ends[step]]
        by_type: dict[str, list] = {}
        for request in window:
            by_type.setdefault(request[1], []).append(request)

        def summary(requests: list) -> dict:
            times = sorted(r[2] for r in requests)
            failed = [r for r in requests if r[4] or not (200 <= r[3] < 400)]
            shed = [r for r in failed if r[3] == 503]
            return {
                "shed": len(shed),
                "requests": len(requests),
                "p50_ms": round(percentile(times, 0.50), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "p99_ms": round(percentile(times, 0.99), 1),
                "max_ms": round(times[-1], 1) if times else float("nan"),
                "errors": len(failed),
                "statuses": {str(s): sum(1 for r in failed if r[3] == s) for s in sorted({r[3] for r in failed})},
            }

        seconds = ends[step] - starts[step]
        rows.append(
            {
                "step": step,
                "learners": steps[step],
                "seconds": round(seconds, 1),
                "start": starts[step],
                "end": ends[step],
                "rps": round(len(window) / seconds, 1) if seconds else 0.0,
                "all": summary(window),
                "types": {name: summary(requests) for name, requests in sorted(by_type.items())},
            }
        )
    return rows


def statement_rows(pg_url: str, acknowledged: list[str], queued: set[str]) -> dict:
    import psycopg

    with psycopg.connect(pg_url, connect_timeout=5) as conn:
        stored = {str(row[0]) for row in conn.execute("SELECT id FROM progress_statement")}
        duplicate_rows = conn.execute(
            "SELECT count(*) FROM (SELECT id FROM progress_statement GROUP BY id HAVING count(*) > 1) AS d"
        ).fetchone()[0]
    told = set(acknowledged)
    unanswered = stored - told
    return {
        "rows": len(stored),
        "acknowledged": len(told),
        "acknowledged_not_stored": len(told - stored),
        # Stored, but the answer never reached the client (a timeout, or the test stopped): the statement is
        # still in the learner's queue and is sent again from the next page, where it counts as a duplicate.
        "stored_answer_lost_still_queued": len(unanswered & queued),
        "stored_not_acknowledged": len(unanswered - queued),
        "duplicate_rows": duplicate_rows,
    }


# --- The run ---------------------------------------------------------------------------------------


def start_gunicorn(env: dict, port: int, cleanup) -> subprocess.Popen:
    """gunicorn as production runs it: deploy/gunicorn.conf.py, the port through GUNICORN_BIND."""
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_LOGLEVEL": env.get("GUNICORN_LOGLEVEL", "warning")}
    args = [str(stack.GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "learn.wsgi:application"]
    server, _health = STACK.start_server(env, port, cleanup, args)
    return server


def run_locust(env: dict, port: int, data_path: Path, out_path: Path, sampler: CpuSampler, server_pid: int) -> int:
    env = {**env, "BENCH_LOAD_DATA": str(data_path), "BENCH_LOAD_OUT": str(out_path)}
    args = [str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--host", f"http://127.0.0.1:{port}"]
    args += ["--only-summary", "--loglevel", "WARNING", "--stop-timeout", "15", "--exit-code-on-error", "0"]
    with (OUT_DIR / "locust.log").open("w") as log_file:
        locust = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        started = time.time()
        step = -1
        while locust.poll() is None:
            now_step = int((time.time() - started) // STEP_SECONDS)
            if now_step != step and time.time() - started >= now_step * STEP_SECONDS + STEP_SECONDS / 2:
                step = now_step
                sampler.spread[step] = list(connections_per_worker(server_pid, port).values())
                log(f"step {step + 1}/{len(STEPS)}: {STEPS[min(step, len(STEPS) - 1)]} learners; "
                    f"connections per worker {sampler.spread[step]}")  # fmt: skip
            time.sleep(1)
    return locust.pid


def body(cleanup) -> int:
    env, _temp = STACK.temp_env(cleanup, "oefenplein-load-")
    for key in ("PROGRESS_RATE_BATCHES", "PROGRESS_RATE_STATEMENTS"):
        env.pop(key)  # production's per-learner limits: real learners at one action every 10 s stay far below
    STACK.setup(env)
    prepared = STACK.child_json(
        "prepare-learners", [sys.executable, __file__, "prepare", str(max(STEPS))], env, "BENCH_LOAD"
    )
    data_path = OUT_DIR / "learners.json"
    data_path.write_text(json.dumps(prepared))
    log(f"{len(prepared['learners'])} learners made in {prepared['seconds']} s; {len(prepared['lessons'])} lessons, "
        f"{len(prepared['simulators'])} simulators")  # fmt: skip

    port = int(os.environ.get("BENCH_LOAD_PORT") or stack.free_port())
    server = start_gunicorn(env, port, cleanup)
    sampler = CpuSampler()
    sampler.start()
    cleanup.callback(sampler.halt.set)
    out_path = OUT_DIR / "locust-result.json"
    log(f"locust: steps {STEPS} learners, {STEP_SECONDS:.0f} s each (about {len(STEPS) * STEP_SECONDS / 60:.0f} min)")
    locust_pid = run_locust(env, port, data_path, out_path, sampler, server.pid)
    time.sleep(2)
    sampler.halt.set()
    if not out_path.exists():
        raise BenchError(f"locust wrote no result; see {OUT_DIR / 'locust.log'}")
    data = json.loads(out_path.read_text())
    STACK.stop_server(server)

    workers = sorted({pid for _t, procs, _m in sampler.samples for pid, proc in procs.items() if proc[1] == server.pid})
    roles = {"master": server.pid, "locust": locust_pid, "workers": workers}
    rows = step_figures(data, STEPS)
    for row in rows:
        row["cpu"] = cpu_between(sampler, row["start"], row["end"], roles)
        row["connections_per_worker"] = sampler.spread.get(row["step"], [])
        # CPU the site spent per request (gunicorn, PostgreSQL, Redis): what a request costs whatever else ran.
        site = sum(v for k, v in row["cpu"].items() if k.startswith(("gunicorn", "postgresql", "redis")))
        requests = row["all"]["requests"] - row["all"]["shed"]  # a shed request costs next to nothing
        row["site_cpu_ms_per_request"] = round(site / 100 * row["seconds"] * 1000 / requests, 1) if requests else 0.0
    queued = {sid for ids in data["left"].values() for sid in ids}
    accounting = statement_rows(STACK.database_url, data["acknowledged"], queued)
    result = {
        "date": datetime.now(UTC).strftime("%a %b %d %H:%M:%S UTC %Y"),
        "machine": {
            "cpu": machine.cpu_model(),
            "cores": os.cpu_count(),
            "postgresql": machine.postgres_version(STACK.database_url),
        },  # fmt: skip
        "gunicorn": gunicorn_settings(env),
        "steps": rows,
        "told": data["told"],
        "left_in_queues": len(queued),
        "learners_with_left": sum(1 for ids in data["left"].values() if ids),
        "lost_after": sorted(data.get("lost_after", [])),
        "accounting": accounting,
        "prepared": {k: prepared[k] for k in ("hasher", "seconds")},
        "lessons": [len(lesson["questions"]) for lesson in prepared["lessons"]],
        "pacing": float(os.environ.get("BENCH_LOAD_PACING", "10")),
    }
    (OUT_DIR / "result.json").write_text(json.dumps(result, indent=1))
    write_section(RESULTS_MD, "\n".join(section(result)))
    for row in rows:
        log(f"{row['learners']} learners: {row['rps']} req/s, p50 {row['all']['p50_ms']} ms, p95 {row['all']['p95_ms']} "
            f"ms, p99 {row['all']['p99_ms']} ms, errors {row['all']['errors']}; CPU {row['cpu']}")  # fmt: skip
    log(f"statements: {accounting}; still queued at the end {result['left_in_queues']}")
    log(f"wrote {RESULTS_MD.relative_to(ROOT)} ({SECTION_HEADING[3:]}); raw data in {OUT_DIR.relative_to(ROOT)}")
    return 0


def gunicorn_settings(env: dict) -> dict:
    """The values deploy/gunicorn.conf.py gave this run (read the way gunicorn reads the file)."""
    code = (
        "import json, runpy; c = runpy.run_path('deploy/gunicorn.conf.py'); print(json.dumps({k: c[k] for k in "
        "('workers', 'threads', 'worker_connections', 'keepalive', 'reuse_port', 'backlog', 'timeout')}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


# --- Report ----------------------------------------------------------------------------------------


def knee(rows: list[dict]) -> dict | None:
    good = [r for r in rows if r["all"]["p95_ms"] <= TARGET_P95_MS and r["all"]["errors"] == 0]
    return max(good, key=lambda r: r["learners"]) if good else None


def section(result: dict) -> list[str]:
    rows = result["steps"]
    best = knee(rows)
    target = next((r for r in rows if r["learners"] == TARGET_LEARNERS), None)
    target_ok = bool(target and target["all"]["p95_ms"] <= TARGET_P95_MS and target["all"]["errors"] == 0)
    peak = max(rows, key=lambda r: r["rps"]) if rows else None
    acc = result["accounting"]
    clean = acc["acknowledged_not_stored"] == 0 and acc["stored_not_acknowledged"] == 0 and acc["duplicate_rows"] == 0
    told = result["told"]
    g = result["gunicorn"]
    lines = [
        SECTION_HEADING,
        "",
        f"Measured by `make bench` (bench/learners_load.py with bench/locust_learners.py) on {result['date']}: "
        f"{result['machine']['cores']} cores ({result['machine']['cpu']}), PostgreSQL {result['machine']['postgresql']}, "
        f"Redis; gunicorn with deploy/gunicorn.conf.py: {g['workers']} gthread workers x {g['threads']} threads, "
        f"worker_connections {g['worker_connections']}, keepalive {g['keepalive']} s, reuse_port {g['reuse_port']}, "
        f"backlog {g['backlog']}. Method: the docstrings of those two files and [README.md](README.md).",
        "",
        "| measure | target | result | verdict |",
        "| --- | --- | --- | --- |",
        f"| {TARGET_LEARNERS} signed-in learners, p95 of all requests, errors | <= {TARGET_P95_MS} ms, 0 | "
        + (f"{target['all']['p95_ms']:.0f} ms, {target['all']['errors']}" if target else "not measured")
        + f" | {verdict(target_ok)} |",
        f"| largest step with p95 <= {TARGET_P95_MS} ms and 0 errors | >= {TARGET_LEARNERS} | "
        + (f"{best['learners']} learners" if best else "none")
        + f" | {verdict(bool(best and best['learners'] >= TARGET_LEARNERS))} |",
        f"| statements acknowledged = rows stored; duplicate rows | equal, 0 | {acc['acknowledged']} acknowledged, "
        f"{acc['rows']} rows ({acc['acknowledged_not_stored']} acknowledged but missing; "
        f"{acc['stored_answer_lost_still_queued']} stored whose answer the client never got, still in its queue to be "
        f"sent again; {acc['stored_not_acknowledged']} stored otherwise unaccounted); {acc['duplicate_rows']} "
        f"| {verdict(clean)} |",
        "",
        f"Peak throughput: {peak['rps']:.0f} requests/s at {peak['learners']} learners." if peak else "",
        f"Statement posts: {result['told']['stored']} stored and {result['told']['duplicates']} duplicates as the "
        f"server told the clients; {result['told']['resent']} batches sent again after a failed try, "
        f"{result['told']['retry_after']} answers with Retry-After (429/503), {result['told']['refused']} refused (400); "
        f"{result['left_in_queues']} statements still in {result['learners_with_left']} learners' queues when the "
        "test stopped (they would be sent from the next page). "
        f"Sign-in started again {told.get('sign_in_retries', 0)} times (after a 503 the learner waits for "
        f"Retry-After, then starts from the form); {told.get('sessions_lost', 0)} times a signed-in learner found "
        "the session gone (401 or a page without the CSRF meta tag) and signed in again"
        + (f", after {result['lost_after'][0]:.0f} to {result['lost_after'][-1]:.0f} s" if result["lost_after"] else "")
        + ".",
        "",
        "Per step (all request types together; an error is a failed request or a status other than 2xx/3xx; "
        "the 503s of learn/overload.py are errors too, and counted apart as 'shed'):",
        "",
        "| learners | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | of which shed (503) | conn. per worker |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        a = r["all"]
        errors = f"{a['errors']}" + (
            f" ({', '.join(f'{s}: {n}' for s, n in a['statuses'].items())})" if a["errors"] else ""
        )
        lines.append(
            f"| {r['learners']} | {r['rps']:.1f} | {a['p50_ms']:.0f} | {a['p95_ms']:.0f} | {a['p99_ms']:.0f} | "
            f"{a['max_ms']:.0f} | {errors} | {a['shed']} | {' / '.join(map(str, r['connections_per_worker'])) or '?'} |"
        )
    if not result["gunicorn"].get("keepalive"):
        lines += [
            "",
            "'conn. per worker' is a snapshot of open connections halfway through the step: with keepalive 0 a "
            "connection lives for one request, so it is mostly 0; the CPU table below shows how evenly the "
            "workers were busy.",
        ]
    names = sorted({name for r in rows for name in r["types"]})
    lines += ["", "p50 / p95 / p99 in ms per request type (requests in the step):", ""]
    lines.append("| request | " + " | ".join(str(r["learners"]) for r in rows) + " |")
    lines.append("| --- |" + " --- |" * len(rows))
    for name in names:
        cells = []
        for r in rows:
            t = r["types"].get(name)
            cells.append(
                f"{t['p50_ms']:.0f} / {t['p95_ms']:.0f} / {t['p99_ms']:.0f} ({t['requests']}"
                + (f", {t['errors']} err." if t["errors"] else "")
                + ")"
                if t
                else "–"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    costs = [r["site_cpu_ms_per_request"] for r in rows if r["site_cpu_ms_per_request"]]
    if costs:
        cost = sorted(costs)[len(costs) // 2]
        # The rate a learner would make if every answer came at once: per lesson, the page and its statement,
        # one post per question, the "completed" post, the simulator page and its statement, in (questions + 3)
        # actions 10 s apart. (Measured rates are lower once answers are slow: a learner waits for them.)
        lessons = result["lessons"]
        per_learner = sum((q + 5) / (q + 3) for q in lessons) / len(lessons) / result["pacing"]
        lines += [
            "",
            f"What a request costs, whatever else ran on the machine: the site (gunicorn, PostgreSQL, Redis) used "
            f"{' / '.join(f'{c:.0f}' for c in costs)} ms of CPU per request served (503s left out) in the steps (median {cost:.0f} ms). "
            f"A learner makes {per_learner:.2f} requests/s when answers come at once. On {result['machine']['cores']} cores free for the site "
            f"that is at most about {result['machine']['cores'] * 1000 / cost:.0f} requests/s, or about "
            f"{result['machine']['cores'] * 1000 / cost / per_learner:.0f} learners at 100% CPU (an estimate from "
            "CPU time, not a measurement of latency).",
        ]
    groups = sorted({name for r in rows for name in r["cpu"]}, key=lambda n: (n == "machine busy", n == "other", n))
    lines += ["", "CPU per process in % of one core (the machine has "
              f"{result['machine']['cores'] * 100}%; 'other' is everything else on the machine):", ""]  # fmt: skip
    lines.append("| learners | " + " | ".join(groups) + " |")
    lines.append("| --- |" + " --- |" * len(groups))
    for r in rows:
        lines.append(f"| {r['learners']} | " + " | ".join(f"{r['cpu'].get(g, 0.0):.0f}" for g in groups) + " |")
    shares = [sum(v for k, v in r["cpu"].items() if k.startswith(("gunicorn", "postgresql", "redis"))) for r in rows]
    if shares and max(shares) < 100 * result["machine"]["cores"] * 0.75:
        lines += [
            "",
            f"**The site never had the machine**: gunicorn, PostgreSQL and Redis together got at most {max(shares):.0f}% "
            f"of the {result['machine']['cores'] * 100}% in any step while the machine was busy all the time; the "
            "latencies above measure that contention. Requests that wait in the listen backlog are not yet seen by "
            "any worker, so learn/overload.py can only refuse them once a worker reads them; a client that gives up "
            "first (Locust after 60 s) shows as status 0.",
        ]
    busy = [r for r in rows if r["cpu"].get("other", 0) > NOISY_REST_PCT]
    if busy:
        lines += [
            "",
            f"**The machine was shared**: other processes used more than {NOISY_REST_PCT}% of a core during the "
            f"steps of {', '.join(str(r['learners']) for r in busy)} learners; the figures understate what a quiet "
            "machine does.",
        ]
    lines += [
        "",
        f"Sign-in checks the PIN with {result['prepared']['hasher']} (as for every learner); all learners of the run "
        "share one PIN so the client knows it.",
        "",
    ]
    return lines


def main() -> int:
    if len(sys.argv) > 1:
        return inside_django.child_main(sys.argv, {"prepare": prepare}, "BENCH_LOAD")
    return STACK.main(body, one_line_unexpected=True)


if __name__ == "__main__":
    sys.exit(main())
