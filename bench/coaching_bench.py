"""Coach dashboard and exports benchmark, part of `make bench` (after bench/run.py).

`python bench/coaching_bench.py` drops and creates its own PostgreSQL database (`oefenplein_bench_coaching`
at BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432), migrates it, and runs each step below as a
fresh Django process with the bench environment (DEBUG off, no REDIS_URL needed: the dashboard and the
exports read PostgreSQL only; the cache is local memory). It writes bench/out/coaching/coaching.json (logs
beside it) and puts its
section "Coach dashboard and exports" into bench/RESULTS.md (replacing an earlier one, nothing else).

Steps (`python bench/coaching_bench.py setup|dashboard|export-csv|export-xlsx`):

* **setup**: 5 real modules x 10 real lessons (Wagtail `add_child`, as bench/progress_bench.py does, under
  a home page of their own), 2,000 learners with a learner code, made by one coach, and the aggregates
  the dashboard reads: every learner has records in 2 of 3 lessons (a third finished, the rest busy,
  some with wrong answers a moment ago so "needs help now" has rows) and in the 5 modules. Three groups:
  "big" (2,000 learners x 30 tasks: 3 modules and 27 lessons, some given to single learners), "small"
  (20 learners x 3 tasks, to compare query counts) and "export" (2,000 learners x 50 lessons = 100,000
  export rows).
* **dashboard**: the process starts up as gunicorn's workers do (`learn.wsgi`, which freezes the start-up
  objects out of the garbage collector's view), then the whole request goes through `django.test.Client`
  (middleware, session, the view, the template) as the coach: SQL queries for "small" and "big"
  (`CaptureQueriesContext`, the session's own left out; they must be equal), then 3 warm-up and 15 timed
  requests of "big": server time per request (p50, p95, max), 5 requests filtered on a status, and the
  selector alone.
* **export-csv / export-xlsx** (xlsx only with BENCH_COACHING_XLSX=1): one export of "export" (100,000 rows) in a fresh process, the streamed
  body written to /dev/null: rows, time, peak memory. Peak memory is reported two ways: the process's
  resident set high-water mark (`ru_maxrss`) minus what it was just before the export (the cost of the
  export itself; the imported Django + Wagtail stack is the baseline of every process), and the
  Python heap peak from `tracemalloc` in a second, separate run (tracemalloc slows the code down, so its
  run is not timed).

Targets: dashboard p95 <= 300 ms server time and queries constant in learners and items; export peak
memory <= 100 MB.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from harness import inside_django, machine, stack
from harness.frame import ROOT, log
from harness.results import RESULTS_MD, percentile, verdict, write_section

# No Redis: the dashboard and the exports read PostgreSQL only (see env()).
STACK = stack.own_stack("COACHING", "oefenplein_bench_coaching", redis_db=None, out="coaching")
SECTION = "## Coach dashboard and exports"

LEARNERS = 2000
BIG_ITEMS = 30
SMALL_LEARNERS, SMALL_ITEMS = 20, 3
MODULES, LESSONS_PER_MODULE = 5, 10
DASHBOARD_REQUESTS = 15
TARGET_DASHBOARD_MS = 300
TARGET_EXPORT_MB = 100
# The Excel export is slow to write (openpyxl, one cell at a time) and to read back: only on request.
EXPORT_KINDS = ("csv", "xlsx") if os.environ.get("BENCH_COACHING_XLSX") else ("csv",)
MISSED = "**missed**"  # how this section has always spelled a missed target


def env() -> dict[str, str]:
    """Not Stack.env(): DEBUG off without Redis (local-memory cache), no static files to serve."""
    return {
        **stack.inherited_env(("DJANGO_", "DATABASE_", "STATIC_", "REDIS", "CACHE")),
        "DATABASE_URL": STACK.database_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "DJANGO_SECRET_KEY": "bench-only-coaching-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_DEBUG": "false",
        "OEFENPLEIN_VAR_DIR": str(ROOT / "var" / "bench-coaching"),
        "PYTHONHASHSEED": "0",
    }


# --- Steps (run inside Django) -----------------------------------------------------------------


def setup() -> dict:
    import random
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from wagtail.models import Locale, Page, Site

    from accounts import roles
    from accounts.credentials import CODE_ALPHABET
    from accounts.models import LearnerSignIn, SignInKind, User
    from coaching.models import Assignment, AssignmentKind, CoachGroup
    from progress.models import LessonProgress, ModuleProgress

    random.seed(7)
    started = time.perf_counter()
    locale, _ = Locale.objects.get_or_create(language_code="nl")
    root = Page.get_first_root_node()
    home = root.add_child(instance=Page(title="Bench", slug="bench-coaching", locale=locale))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "testserver"})

    def module_fields(number: int) -> dict:
        return {"title": f"Benchmodule {number}", "slug": f"module-{number}", "intro": "Meten.", "topic": "smartphone"}

    def lesson_fields(number: int, lesson: int) -> dict:
        return inside_django.text_lesson(f"Benchles {number}.{lesson:02d}", f"les-{lesson:02d}", "Meten.")

    modules = inside_django.add_modules(home, MODULES, LESSONS_PER_MODULE, module_fields, lesson_fields)
    pages_seconds = time.perf_counter() - started

    coaches = Group.objects.get_or_create(name=roles.COACHES)[0]
    coach = User.objects.create_user("bench-coach", password="bench-coach-2026", display_name="Bench coach")
    coach.groups.add(coaches)
    secret = make_password("2580")
    users = User.objects.bulk_create(
        [
            User(username=f"bench-learner-{n:05d}", display_name=f"Leerling {n:05d}", created_by=coach, password="!")
            for n in range(LEARNERS)
        ],
        batch_size=1000,
    )

    def code(n: int) -> str:
        chars = []
        for _ in range(6):
            n, index = divmod(n, len(CODE_ALPHABET))
            chars.append(CODE_ALPHABET[index])
        return "".join(chars)

    LearnerSignIn.objects.bulk_create(
        [
            LearnerSignIn(user=user, code=code(n + 1000), kind=SignInKind.PIN, secret=secret)
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )
    learners_group = Group.objects.get_or_create(name=roles.LEARNERS)[0]
    learners_group.user_set.add(*users)

    now = timezone.now()
    lesson_rows, module_rows = [], []
    for index, user in enumerate(users):
        for module_number, (module, lessons) in enumerate(modules):
            finished = 0
            for lesson_number, lesson in enumerate(lessons):
                if (index + lesson_number) % 3 == 2:
                    continue  # not started
                done = (index + lesson_number + module_number) % 3 == 0
                finished += done
                recent = index % 97 == 0 and lesson_number == 0
                moment = now - timedelta(minutes=2 if recent else 60 * 24 + index % 500)
                lesson_rows.append(
                    inside_django.lesson_record(
                        user,
                        module,
                        lesson,
                        done=done,
                        moment=moment,
                        first_score=0.5,
                        best_score=1.0 if done else 0.5,
                        last_score=1.0 if done else 0.5,
                        hints=lesson_number % 2,
                        wrong_answers=4 if recent else 1,
                        time_spent_seconds=300,
                        question_count=3,
                        answers={"q0": {"first": True, "last": True}, "q1": {"first": False, "last": True}},
                        started_at=moment - timedelta(minutes=5),
                    )
                )
            module_rows.append(
                ModuleProgress(
                    user=user,
                    module_key=module.translation_key,
                    lessons_completed=finished,
                    lessons_total=LESSONS_PER_MODULE,
                    started_at=now - timedelta(days=3),
                    completed_at=None,
                    last_activity_at=now - timedelta(days=1),
                )
            )
    LessonProgress.objects.bulk_create(lesson_rows, batch_size=2000)
    ModuleProgress.objects.bulk_create(module_rows, batch_size=2000)

    all_lessons = [lesson for _module, lessons in modules for lesson in lessons]

    def group(name: str, people: list, targets: list[tuple[str, object]], personal_every: int = 0):
        made = CoachGroup.objects.create(name=name)
        made.coaches.add(coach)
        made.learners.add(*people)
        for number, (kind, key) in enumerate(targets):
            assignment = Assignment.objects.create(group=made, kind=kind, target_key=key, created_by=coach)
            if personal_every and number % personal_every == personal_every - 1:
                assignment.learners.add(*people[: len(people) // 2])
        return made

    big_targets = [(AssignmentKind.MODULE, module.translation_key) for module, _lessons in modules[:3]]
    big_targets += [(AssignmentKind.LESSON, lesson.translation_key) for lesson in all_lessons[: BIG_ITEMS - 3]]
    big = group("big", users, big_targets, personal_every=10)
    # One task of each kind, like "big" (each kind is one query of group_progress, whatever the count).
    small = group("small", users[:SMALL_LEARNERS], [big_targets[0], *big_targets[3 : 3 + SMALL_ITEMS - 1]])
    export = group("export", users, [(AssignmentKind.LESSON, lesson.translation_key) for lesson in all_lessons])
    return {
        "pages": MODULES * (1 + LESSONS_PER_MODULE),
        "pages_seconds": round(pages_seconds, 1),
        "learners": len(users),
        "lesson_progress_rows": len(lesson_rows),
        "module_progress_rows": len(module_rows),
        "groups": {"big": big.pk, "small": small.pk, "export": export.pk},
        "setup_seconds": round(time.perf_counter() - started, 1),
    }


def _groups() -> dict:
    return json.loads((STACK.out_dir / "setup.json").read_text())["groups"]


def _coach_client():
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-coach"))
    return client


def dashboard() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    import learn.wsgi  # noqa: F401 - start up as gunicorn does, including learn/wsgi.py's gc.freeze()
    from coaching import selectors
    from coaching.models import CoachGroup

    groups = _groups()
    client = _coach_client()
    with translation.override("nl"):
        urls = {name: reverse("coaching:group_dashboard", kwargs={"pk": pk}) for name, pk in groups.items()}
    client.get(urls["small"])  # fills what every request shares (site root paths)
    queries = {}
    for name in ("small", "big"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(urls[name])
        assert response.status_code == 200, response.status_code
        # Without the session's own queries: the idle time-out writes it now and then.
        queries[name] = [q["sql"][:160] for q in captured.captured_queries if "django_session" not in q["sql"]]
    html_bytes = len(response.content)
    rows = response.content.decode().count('<th scope="row">')
    for _ in range(3):
        client.get(urls["big"])
    timings = []
    for _ in range(DASHBOARD_REQUESTS):
        started = time.perf_counter()
        response = client.get(urls["big"])
        assert response.status_code == 200
        timings.append((time.perf_counter() - started) * 1000)
    filtered = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(urls["big"] + "?status=busy")
        assert response.status_code == 200
        filtered.append((time.perf_counter() - started) * 1000)
    big = CoachGroup.objects.get(pk=groups["big"])
    selector_timings = []
    for _ in range(DASHBOARD_REQUESTS):
        started = time.perf_counter()
        with translation.override("nl"):
            selectors.group_dashboard(group=big, language="nl")
        selector_timings.append((time.perf_counter() - started) * 1000)
    return {
        "queries_small": len(queries["small"]),
        "queries_big": len(queries["big"]),
        "queries": queries["big"],
        "queries_small_list": queries["small"],
        "rows_rendered": rows,
        "html_bytes": html_bytes,
        "request_ms": _summary(timings),
        "filtered_ms": _summary(filtered),
        "selector_ms": _summary(selector_timings),
    }


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = percentile(ordered, 0.95)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(p95, 1),
        "max": round(ordered[-1], 1),
        "n": len(ordered),
    }


def export(kind: str, *, trace: bool = False) -> dict:
    import tracemalloc

    from django.urls import reverse
    from django.utils import translation

    groups = _groups()
    client = _coach_client()
    with translation.override("nl"):
        url = reverse(f"coaching:group_export_{kind}", kwargs={"pk": groups["export"]})
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url)
    size = 0
    lines = 0
    with open(os.devnull, "wb") as sink:
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            chunk = chunk.encode() if isinstance(chunk, str) else chunk
            size += len(chunk)
            lines += chunk.count(b"\n")
            sink.write(chunk)
    seconds = time.perf_counter() - started
    result = {"kind": kind, "status": response.status_code, "bytes": size}
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["tracemalloc_peak_mb"] = round(peak / 1024 / 1024, 1)
        return result
    after_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.update(
        {
            "seconds": round(seconds, 1),
            "rss_before_mb": round(before_kb / 1024, 1),
            "rss_peak_mb": round(after_kb / 1024, 1),
            "rss_growth_mb": round((after_kb - before_kb) / 1024, 1),
        }
    )
    if kind == "csv":
        result["rows"] = lines - 1  # minus the header
    else:
        from openpyxl import load_workbook  # read back to count rows (read-only mode, after measuring)

        body = b"".join(client.get(url).streaming_content)
        import io

        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        # A streamed write-only workbook records no dimensions, so count the rows rather than ask max_row.
        result["rows"] = sum(1 for _row in sheet.iter_rows(values_only=True)) - 1
    return result


STEPS = {
    "setup": setup,
    "dashboard": dashboard,
    "export-csv": lambda: export("csv"),
    "export-csv-trace": lambda: export("csv", trace=True),
    "export-xlsx": lambda: export("xlsx"),
    "export-xlsx-trace": lambda: export("xlsx", trace=True),
}


# --- Driver ------------------------------------------------------------------------------------


def run_django_step(name: str) -> dict:
    return STACK.child_json(name, [sys.executable, str(Path(__file__).resolve()), name], env(), "BENCH_COACHING", 900)


def versions() -> dict:
    return {
        "python": sys.version.split()[0],
        "postgresql": machine.postgres_version(f"{STACK.pg_url}/postgres"),
        "cpu": machine.cpu_model(),
        "cores": os.cpu_count(),
    }


def main() -> int:
    return STACK.main(bench_run)


def bench_run(_cleanup) -> int:
    started = time.perf_counter()
    STACK.reset_database()
    STACK.migrate(env())
    log(f"setup: {LEARNERS} learners, {MODULES * LESSONS_PER_MODULE} lessons, groups")
    results: dict = {"setup": run_django_step("setup")}
    (STACK.out_dir / "setup.json").write_text(json.dumps(results["setup"]))
    log("dashboard")
    results["dashboard"] = run_django_step("dashboard")
    for kind in EXPORT_KINDS:
        log(f"export {kind}")
        results[f"export_{kind}"] = run_django_step(f"export-{kind}")
        results[f"export_{kind}"].update(run_django_step(f"export-{kind}-trace"))
    results["machine"] = versions()
    results["date"] = time.strftime("%Y-%m-%d %H:%M %Z")
    results["seconds"] = round(time.perf_counter() - started)
    (STACK.out_dir / "coaching.json").write_text(json.dumps(results, indent=2))
    section = report(results)
    write_section(RESULTS_MD, section)
    print(section)
    return 0


def report(r: dict) -> str:
    d, s = r["dashboard"], r["setup"]
    m = r["machine"]
    lines = [
        SECTION,
        "",
        f"Measured {r['date']} by `bench/coaching_bench.py` (part of `make bench`; method in its docstring) on "
        f"{m['cores']} cores ({m['cpu']}), Python {m['python']}, PostgreSQL {m['postgresql']}, database "
        f"`{STACK.db_name}` made anew. Data: {s['learners']:,} learners, {s['lesson_progress_rows']:,} lesson and "
        f"{s['module_progress_rows']:,} module aggregates, {s['pages']} real pages. Server time is the whole "
        "request through Django's test client in one process (middleware, session, view, template), without "
        "the network; the machine is shared with other work, so compare on a quiet machine.",
        "",
        "| measure | target | measured | verdict |",
        "| --- | --- | --- | --- |",
        f"| group dashboard, {LEARNERS:,} learners x {BIG_ITEMS} tasks: server time per request "
        f"({d['request_ms']['n']} requests) | p95 <= {TARGET_DASHBOARD_MS} ms | p50 {d['request_ms']['p50']} ms, "
        f"p95 {d['request_ms']['p95']} ms, max {d['request_ms']['max']} ms | "
        f"{verdict(d['request_ms']['p95'] <= TARGET_DASHBOARD_MS, MISSED)} |",
        f"| its SQL queries, against {SMALL_LEARNERS} learners x {SMALL_ITEMS} tasks | the same number | "
        f"{d['queries_big']} and {d['queries_small']} | {verdict(d['queries_big'] == d['queries_small'], MISSED)} |",
    ]
    for kind in EXPORT_KINDS:
        e = r[f"export_{kind}"]
        peak = max(e["rss_growth_mb"], e["tracemalloc_peak_mb"])
        lines.append(
            f"| {kind.upper()} export of {e['rows']:,} rows: peak memory | <= {TARGET_EXPORT_MB} MB | "
            f"resident set +{e['rss_growth_mb']} MB (from {e['rss_before_mb']} to {e['rss_peak_mb']} MB), "
            f"Python heap peak {e['tracemalloc_peak_mb']} MB; {e['seconds']} s, {e['bytes'] / 1e6:.1f} MB | "
            f"{verdict(peak <= TARGET_EXPORT_MB, MISSED)} |"
        )
    lines += [
        "",
        f"- The selector alone (`coaching.selectors.group_dashboard`): p50 {d['selector_ms']['p50']} ms, "
        f"p95 {d['selector_ms']['p95']} ms. The page shows {d['rows_rendered']} learners (one page of "
        f'`DASHBOARD_PAGE_SIZE`) x {BIG_ITEMS} tasks, {d["html_bytes"] / 1e3:.0f} kB of HTML; "needs help now" '
        "covers all 2,000 learners.",
        f"- Filtered on a status (`?status=busy`), which looks at the status of every learner's tasks: p50 "
        f"{d['filtered_ms']['p50']} ms, max {d['filtered_ms']['max']} ms over {d['filtered_ms']['n']} requests.",
        "- Memory: the resident set before the export is the process with Django, Wagtail and the app loaded "
        "(every web worker pays it anyway); the growth is what the export adds. The heap peak comes from a "
        "second run under `tracemalloc`.",
        f"- The {d['queries_big']} queries of the dashboard request (the user included, the session left out):",
        "",
    ]
    lines += [f"  {n}. `{sql.replace('`', '')}`" for n, sql in enumerate(d["queries"], 1)]
    lines += ["", *FINDINGS]
    return "\n".join(lines) + "\n"


FINDINGS = [
    "Findings and changes:",
    "",
    "- **26 November 2026, before**: the dashboard rendered every learner. For 2,000 x 30 one request did not",
    "  finish in 10 minutes here (60,000 cells in the template); the selector alone took 3.8 s, most of it building",
    "  66,000 `LessonProgress` objects. It now shows one page of `DASHBOARD_PAGE_SIZE` (25) learners with links to",
    '  the next, reads progress only for them, and keeps "needs help now" over the whole group (one query with the',
    "  group as a subquery: `learners_needing_help` accepts a queryset, because 2,000 ids as parameters cost 0.8 s",
    "  in psycopg's client-side query building). Who a task is for is read as plain tuples from the through table",
    "  instead of prefetching 1,000 user objects per personal task. That gave p50 about 260 ms, p95 320-440 ms.",
    "- **27 November 2026, cells**: a profile showed most of the remaining time in the 750 cells of a page: a",
    "  template loop per cell, `format_html` per fact and `date_format` per date. The cell's few sentences, status",
    "  labels and month names are now translated and escaped once per language (`_cell_words`), a row's cells are",
    "  one string, and a cell holds only those words and numbers. p50 went from about 260 ms to about 70 ms.",
    '- **27 November 2026, queries**: "needs help now" is read first, so the titles of its lessons come in the',
    "  same lookup as the tasks' titles. Before, a stuck learner working on a lesson that was not a task of the",
    "  group cost two more queries, which is why an earlier run counted 17 and 19.",
    "- **27 November 2026, status filter**: `?status=` read and classified the full progress of all 2,000 x 30",
    "  cells (about 2 s). It now reads only (learner, task, status) tuples for the whole group",
    "  (`progress.selectors.group_statuses`), keeps the learners with a task in that status, and builds cells for",
    "  the page's 25 only: about 240 ms. The tasks' keys then came back as numbers (their position, a SQL `CASE`)",
    "  instead of 66,000 UUIDs, and the bench now starts up like a gunicorn worker (`learn.wsgi` freezes the",
    "  start-up objects, so a full garbage collection no longer adds 90 ms to every third request): about 140 ms.",
    "  A test checks that the filter and the cells agree for every status across pages.",
    "- **Exports** read learners 250 at a time (`EXPORT_CHUNK`) with their progress and yield rows as they go,",
    "  so memory stays flat for any group size; the query count of an export grows with the number of chunks",
    "  (3 per 250 learners), which is fine for a download. The Excel export uses the same chunked rows and",
    "  openpyxl's write-only mode into a temporary file that spills to disk above 4 MB.",
]


if __name__ == "__main__":
    if len(sys.argv) == 1:
        sys.exit(main())
    sys.exit(inside_django.child_main(sys.argv, STEPS, "BENCH_COACHING"))
