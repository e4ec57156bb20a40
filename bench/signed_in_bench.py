"""Signed-in pages against a bare Wagtail page, part of `make bench` (issue 15).

bench/run.py calls `measure_signed_in()` after its anonymous page figures, against the same gunicorn. The
yardstick is the home page of a site made by `wagtail start` with the venv's own (pinned) Wagtail: migrated
on SQLite, static files collected, DEBUG off, served by gunicorn with the very same options as Oefenplein
(GUNICORN_ARGS of bench/harness/stack.py, only the WSGI application differs). Same load generator, same connections, same
run: what counts is the ratio, since the machine is shared. The yardstick is measured before and after
Oefenplein's pages and its mean is the denominator, so a drift in the machine's load shows.

Oefenplein's pages are measured with a learner's session cookie (a learner signed in server-side with
Django's `login()`, as progress_bench does): a lesson, the practice list, a simulator page and My learning.
Anonymous pages are measured without cookies (served by the anonymous page cache).

This file has two halves: `prepare` (run as a script inside Django: `python bench/signed_in_bench.py
prepare`, prints one `BENCH_SIGNED_IN=<json>` line) and the measurement (imported by run.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from harness import inside_django, load
from harness.frame import BenchError, log
from harness.http_client import BROWSER_HEADERS, decode_body, http_get, wait_answer
from harness.results import cpu_row, verdict
from harness.stack import VENV_BIN, command_shown, free_port, gunicorn_command, inherited_env, start_group, stop_group

TARGET_SIGNED_IN_RATIO = 1.0
TARGET_ANONYMOUS_RATIO = 3.0
DURATION = float(os.environ.get("BENCH_SIGNED_IN_DURATION", "10"))
WARMUP = float(os.environ.get("BENCH_SIGNED_IN_WARMUP", "2"))


# --- Preparation (inside Django, bench environment) ---------------------------------------------------


def prepare() -> dict:
    """A learner with display preferences and a server-side session; the simulator page to measure."""
    from django.urls import reverse
    from django.utils import translation

    from sandboxes.models import Scenario

    user = inside_django.learner("bench-signed-in", "Lotte")
    user.display_preferences = {"text": "large"}  # a personal part each page must fill in
    user.save(update_fields=["display_preferences"])
    scenario = Scenario.objects.filter(locale__language_code="nl").order_by("pk").first()
    with translation.override("nl"):
        paths = {
            "practice": reverse("sandboxes:practice"),
            "simulator": reverse("sandboxes:play", args=[scenario.slug]),
            "my_learning": reverse("progress:my_learning"),
        }
    return {"session": inside_django.session_for(user), "paths": paths, **inside_django.cookie_names()}


# --- The yardstick: a bare `wagtail start` site ------------------------------------------------------------

YARDSTICK_LOCAL = """
DEBUG = False
SECRET_KEY = "yardstick-bench-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
"""


def yardstick_setup(stack, cleanup) -> tuple[Path, dict[str, str]]:
    """`wagtail start yardstick` in a temp dir, SQLite, migrate, collectstatic; returns (dir, env)."""
    temp = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="oef-yardstick-", ignore_cleanup_errors=True)))
    project = temp / "yardstick"
    project.mkdir()
    env = inherited_env(("DJANGO_", "DATABASE_"))
    env.update({"DJANGO_SETTINGS_MODULE": "yardstick.settings.production", "PYTHONUNBUFFERED": "1"})
    wagtail = str(VENV_BIN / "wagtail")
    run = [
        ("yardstick-start", [wagtail, "start", "yardstick", str(project)]),
        ("yardstick-migrate", [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]),
        ("yardstick-collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]),
    ]
    for number, (name, args) in enumerate(run):
        if number == 1:
            (project / "yardstick" / "settings" / "local.py").write_text(YARDSTICK_LOCAL)
        log_path = stack.out_dir / f"{name}.log"
        proc = _run_in(args, env, log_path, project if number else temp)
        if proc.returncode != 0:
            raise BenchError(f"{name} failed (exit {proc.returncode}); log {log_path}")
    return project, env


def _run_in(args: list[str], env: dict[str, str], log_path: Path, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    log_path.write_text(proc.stdout + proc.stderr)
    return proc


def yardstick_start(stack, cleanup, project: Path, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """gunicorn with Oefenplein's own options, only the application is the yardstick's."""
    port = free_port()
    log_path = stack.out_dir / "yardstick-gunicorn.log"
    proc = start_group(gunicorn_command("yardstick.wsgi:application", port), env, log_path, cleanup, cwd=project)
    wait_answer(proc, port, "/", f"the yardstick's gunicorn (log {log_path})")
    return proc, port


# --- Measurement (`stack` is run.py's harness.stack.Stack) -------------------------------------------------


def measure_signed_in(
    stack, env, cleanup, port: int, server_pid: int, tool: str, lesson_url: str, connections: int
) -> dict:
    started = time.perf_counter()
    project, yard_env = yardstick_setup(stack, cleanup)
    setup_seconds = time.perf_counter() - started
    yard, yard_port = yardstick_start(stack, cleanup, project, yard_env)
    setup = stack.child_json(
        "signed-in-prepare", [sys.executable, str(Path(__file__).resolve()), "prepare"], env, "BENCH_SIGNED_IN"
    )
    headers = dict(BROWSER_HEADERS)
    signed_in = {**headers, "Cookie": f"{setup['session_cookie']}={setup['session']}"}
    pages = [
        ("lesson", "lesson (nl), signed in", lesson_url, signed_in),
        ("practice", "practice list, signed in", setup["paths"]["practice"], signed_in),
        ("simulator", "simulator page, signed in", setup["paths"]["simulator"], signed_in),
        ("my_learning", "My learning, signed in", setup["paths"]["my_learning"], signed_in),
        ("lesson_anonymous", "lesson (nl), anonymous", lesson_url, headers),
    ]
    for _key, label, path, page_headers in pages:
        status, response, body = http_get(port, path, page_headers)
        body = decode_body(body, response.getheader("Content-Encoding"))
        if status != 200 or (page_headers is signed_in and b"data-learner=" not in body):
            raise BenchError(f"{label}: {path} answered {status} or not as the signed-in learner")
    window = {"tool": tool, "duration": DURATION, "warmup": WARMUP, "connections": connections}
    yard_pid = yard.pid

    def yardstick(label: str):
        return load.measure(stack, label, port=yard_port, server_pid=yard_pid, path="/", headers=headers, **window)

    loads = {"yardstick_before": yardstick("bare wagtail start home page (before)")}
    for key, label, path, page_headers in pages:
        loads[key] = load.measure(
            stack, label, port=port, server_pid=server_pid, path=path, headers=page_headers, **window
        )
    loads["yardstick_after"] = yardstick("bare wagtail start home page (after)")
    stop_group(yard)

    loads = {key: asdict(result) for key, result in loads.items()}
    yardstick_rps = (loads["yardstick_before"]["rps"] + loads["yardstick_after"]["rps"]) / 2
    ratios = {key: round(loads[key]["rps"] / yardstick_rps, 2) if yardstick_rps else 0.0 for key, *_ in pages}
    for key, ratio in ratios.items():
        log(f"signed-in comparison: {key} {ratio} x the yardstick ({yardstick_rps:.0f} req/s)")
    import wagtail

    return {
        "wagtail": wagtail.__version__,
        "yardstick_setup_s": round(setup_seconds, 1),
        "yardstick_cmd": command_shown(stack.out_dir / "yardstick-gunicorn.cmd"),
        "yardstick_rps": round(yardstick_rps, 1),
        "loads": loads,
        "ratios": ratios,
        "paths": {key: path for key, _label, path, _h in pages},
    }


def results_section(data: dict) -> list[str]:
    loads, ratios = data["loads"], data["ratios"]
    lines = [
        "## Signed-in pages against a bare Wagtail page",
        "",
        f"The yardstick: the home page of a bare `wagtail start` site (Wagtail {data['wagtail']}, the venv's), "
        "SQLite, DEBUG off, static files collected, served by gunicorn with the same options as Oefenplein "
        f"(`{data['yardstick_cmd']}`), measured with the same load generator and connections right "
        "before and after Oefenplein's pages in the same run; the ratio is to the mean of both "
        f"({data['yardstick_rps']:.0f} req/s). Signed-in pages carry a learner's session cookie (Django's `login()` "
        "into the Redis session store; the learner has a display preference, which each page fills in).",
        "",
        "| page | path | req/s | p50 ms | p95 ms | errors | ratio to the yardstick | target | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key in ("yardstick_before", "yardstick_after"):
        r = loads[key]
        lines.append(
            f"| {r['label']} | `/` | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['errors']} "
            "| 1.00 (by definition) | | |"
        )
    for key, ratio in ratios.items():
        r = loads[key]
        target = TARGET_ANONYMOUS_RATIO if key.endswith("anonymous") else TARGET_SIGNED_IN_RATIO
        ok = ratio >= target and r["errors"] == 0
        lines.append(
            f"| {r['label']} | `{data['paths'][key]}` | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['errors']} | {ratio:.2f} | >= {target:.1f} | {verdict(ok)} |"
        )
    lines += [
        "",
        "Where the CPU went, in % of one core:",
        "",
        "| page | gunicorn | PostgreSQL | Redis | load generator | rest of the machine | machine busy |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in loads.values():
        lines.append(cpu_row(result["label"], result["cpu"]))
    lines += [
        "",
        'How signed-in pages get there: README "What is cached" (a body shared by all learners with the '
        "personal parts filled in per request; My learning and module pages per learner until their next "
        "statement).",
        "",
    ]
    return lines


if __name__ == "__main__":
    sys.exit(inside_django.child_main(sys.argv, {"prepare": prepare}, "BENCH_SIGNED_IN"))
