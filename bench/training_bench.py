"""Staff training benchmark: a reminder run for 10,000 staff in 20 departments, and 100 certificates.

Run as `.venv/bin/python bench/training_bench.py` (also a step of `make bench`). It uses the
shared harness (bench/harness/: environment, PostgreSQL/Redis reset) on a database of its own
(`oefenplein_bench_training`) and Redis db 4, so it never touches a developer's data or another bench.

1. **Setup** (a Django subprocess, `setup`): 20 departments x 5 teams, 10,000 staff (bulk inserts:
   6 in 10 with an e-mail address, 2 in 10 with only a mobile number, 2 in 10 with neither), one programme
   of 3 items required in every department; deadlines spread so that 7 departments are 10 days from the
   deadline (the 14-day reminder), 7 are 2 days from it (the 3-day reminder) and 6 are past it (overdue).
2. **One real Celery worker** (`celery -A learn worker --pool=solo`: one process, one task at a time) on
   Redis, with Django's locmem e-mail backend (messages are built and handed to the backend, no SMTP) and
   the default log-only SMS backend. The clock runs from sending `training.reminders_run` to its result:
   that includes enrolling all 10,000 (the run's first step), the completion check, claiming and sending.
   Then the same task again: it must claim nothing (at most once), and its time is reported too.
3. **Certificates** (`certificates-setup`): 100 staff get finished progress rows for the programme; the
   clock runs from sending `training.completions_check` (which marks them and enqueues 100
   `training.certificate_make` tasks to the same worker) until 100 certificates have their PDF.

Writes the "Staff training" section of bench/RESULTS.md (replacing only that section, or appending it at the
end) and logs under bench/out/training/. Knobs: BENCH_TRAINING_DB, BENCH_TRAINING_REDIS_URL, BENCH_PG_URL,
BENCH_TRAINING_STAFF (10000), BENCH_TRAINING_CERTIFICATES (100).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from harness import machine, stack
from harness.frame import ROOT, log
from harness.inside_django import django_setup
from harness.results import RESULTS_MD, verdict, write_section

STACK = stack.own_stack("TRAINING", "oefenplein_bench_training", redis_db=4, out="training")
STAFF = int(os.environ.get("BENCH_TRAINING_STAFF", "10000"))
CERTIFICATES = int(os.environ.get("BENCH_TRAINING_CERTIFICATES", "100"))
DEPARTMENTS = 20
TEAMS_PER_DEPARTMENT = 5
TARGET_SECONDS = 60.0


def setup_child() -> None:
    """Departments, teams, staff and the programme, in bulk (the import's row checks are not measured here)."""
    django_setup()
    import uuid
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from training.models import Department, ItemKind, Programme, ProgrammeAssignment, ProgrammeItem, StaffMember, Team

    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        programme = Programme.objects.create(title="Digitaal veilig op het werk")
        for position in range(3):
            kind = ItemKind.MODULE if position == 2 else ItemKind.LESSON
            ProgrammeItem.objects.create(programme=programme, sort_order=position, kind=kind, target_key=uuid.uuid4())
        teams = []
        for d in range(DEPARTMENTS):
            department = Department.objects.create(name=f"Dienst {d + 1:02d}")
            days = 10 if d < 7 else (2 if d < 14 else -5)
            ProgrammeAssignment.objects.create(
                programme=programme, department=department, deadline=today + timedelta(days=days)
            )
            teams += [Team(department=department, name=f"Ploeg {t + 1}") for t in range(TEAMS_PER_DEPARTMENT)]
        teams = Team.objects.bulk_create(teams)
        users = User.objects.bulk_create(
            [User(username=f"bench-staff-{n:05d}", display_name=f"Medewerker {n}", password="!") for n in range(STAFF)],
            batch_size=2000,
        )
        staff = []
        for n, user in enumerate(users):
            team = teams[n % len(teams)]
            kind = n % 10
            staff.append(
                StaffMember(
                    user=user,
                    employee_number=f"B-{n:05d}",
                    department_id=team.department_id,
                    team=team,
                    start_date=today - timedelta(days=1000),
                    email=f"medewerker{n}@example.org" if kind < 6 else "",
                    phone=f"+32470{n:06d}" if kind in (6, 7) else "",
                )
            )
        StaffMember.objects.bulk_create(staff, batch_size=2000)
    print(f"{STAFF} staff in {DEPARTMENTS} departments")


def certificates_setup_child() -> None:
    """Finished progress for the programme's items, for the first N staff (as the ingest would leave it)."""
    django_setup()
    from django.utils import timezone

    from progress.models import LessonProgress, LessonStatus, ModuleProgress
    from training.models import ItemKind, ProgrammeItem, StaffMember

    now = timezone.now()
    items = list(ProgrammeItem.objects.all())
    users = list(StaffMember.objects.order_by("pk").values_list("user_id", flat=True)[:CERTIFICATES])
    lessons, modules = [], []
    for user_id in users:
        for item in items:
            if item.kind == ItemKind.MODULE:
                modules.append(
                    ModuleProgress(
                        user_id=user_id,
                        module_key=item.target_key,
                        lessons_total=3,
                        lessons_completed=3,
                        started_at=now,
                        completed_at=now,
                        checked_completed_at=now,  # finished on answers the server scored
                        last_activity_at=now,
                    )
                )
            else:
                lessons.append(
                    LessonProgress(
                        user_id=user_id,
                        lesson_key=item.target_key,
                        status=LessonStatus.COMPLETED,
                        started_at=now,
                        completed_at=now,
                        checked_completed_at=now,  # finished on answers the server scored
                        last_activity_at=now,
                    )
                )
    LessonProgress.objects.bulk_create(lessons)
    ModuleProgress.objects.bulk_create(modules)
    print(f"{len(users)} staff finished")


def count_child(what: str) -> None:
    django_setup()
    from training.models import Certificate, Enrolment, ReminderDelivery

    if what == "certificates":
        print(Certificate.objects.exclude(pdf="").count())
    elif what == "reminders":
        from django.db.models import Count

        rows = ReminderDelivery.objects.values("stage", "channel").annotate(n=Count("id")).order_by("stage", "channel")
        duplicates = (
            ReminderDelivery.objects.values("enrolment_id", "stage").annotate(n=Count("id")).filter(n__gt=1).count()
        )
        print(f"enrolments={Enrolment.objects.count()} duplicates={duplicates}")
        for row in rows:
            print(f"{row['stage']} {row['channel']} {row['n']}")


def child(env: dict, *args: str) -> str:
    """This file run as a Django child (`setup`, `certificates-setup`, `count <what>`); what it printed."""
    return STACK.run_step("-".join(args), [sys.executable, str(Path(__file__)), *args], env, timeout=600).strip()


def start_worker(env: dict, cleanup):
    """One Celery worker process (`--pool=solo`), stopped with its process group when the run ends."""
    command = [sys.executable, "-m", "celery", "-A", "learn", "worker", "--pool=solo", "--loglevel=WARNING"]
    command += ["-n", "bench-training@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return stack.start_group(command, env, STACK.out_dir / "worker.log", cleanup, stop_timeout=30, name="celery worker")


def timed_task(client, name: str) -> tuple[float, object]:
    started = time.perf_counter()
    result = client.send_task(name)
    answer = result.get(timeout=600)
    return time.perf_counter() - started, answer


def write_results(data: dict) -> None:
    reminders, certificates = data["reminders"], data["certificates"]

    def in_time(seconds: float) -> str:
        return verdict(seconds <= TARGET_SECONDS, missed="**missed**")

    lines = [
        "## Staff training",
        "",
        f"Written by `bench/training_bench.py` on {time.strftime('%a %b %d %H:%M:%S UTC %Y', time.gmtime())}. "
        "Method: the docstring of bench/training_bench.py. PostgreSQL database "
        f"`{STACK.db_name}` (dropped and recreated), Redis `{STACK.redis_url}` (flushed), one Celery worker "
        "process (`--pool=solo`), Django's locmem e-mail backend (no SMTP) and the log-only SMS backend.",
        "",
        "| measure | target | result | verdict |",
        "| --- | --- | --- | --- |",
        f"| reminder run, {STAFF:,} staff in {DEPARTMENTS} departments, one worker (send to result) | <= 60 s | "
        f"{reminders['seconds']:.1f} s | {in_time(reminders['seconds'])} |",
        f"| {CERTIFICATES} certificates (PDF with QR code), one worker (completion check sent to last PDF) | <= 60 s | "
        f"{certificates['seconds']:.1f} s ({certificates['seconds'] / max(CERTIFICATES, 1) * 1000:.0f} ms each) | "
        f"{in_time(certificates['seconds'])} |",
        "",
        f"- The reminder run enrolled {reminders['enrolments']:,} people (its first step), checked completions "
        f"and claimed {reminders['answer']['claimed']:,} reminders: {reminders['answer']['email']:,} e-mails, "
        f"{reminders['answer']['sms']:,} SMS (log) and {reminders['answer']['site']:,} for the site and the "
        "printed list.",
        f"- By stage and channel: {', '.join(reminders['by_stage'])}. Duplicate (enrolment, stage) rows: "
        f"{reminders['duplicates']}.",
        f"- The same task again right after (the at-most-once check): {reminders['again_seconds']:.1f} s, "
        f"claimed {reminders['again_answer']['claimed']}.",
        f"- Certificates made: {certificates['made']} of {CERTIFICATES}. Rendering one PDF alone in one process "
        "takes about 170 ms; the rest is the task's database work, the completion check of all open "
        "enrolments that starts the run, and WeasyPrint's import in the worker.",
        f"- Machine load (1-minute load average, 2 cores) at the start: {data['load_start']}, at the end: "
        f"{data['load_end']}. Other work on these cores slows every figure; compare runs on a quiet machine.",
        "",
    ]
    write_section(RESULTS_MD, "\n".join(lines))
    log(f"wrote the Staff training section of {RESULTS_MD}")


def main() -> int:
    if len(sys.argv) > 1:
        {"setup": setup_child, "certificates-setup": certificates_setup_child}.get(
            sys.argv[1], lambda: count_child(sys.argv[2])
        )()
        return 0
    return STACK.main(bench_run)


def bench_run(cleanup) -> int:
    """The whole run; the Celery worker is registered on `cleanup` (harness.frame.guarded)."""
    env = STACK.env()
    env.update(
        {
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PRIVATE_MEDIA_ROOT": str(ROOT / "var" / "bench-training-private"),
            "DATABASE_CONN_MAX_AGE": "60",
        }
    )
    load_start = machine.load_average()
    STACK.reset_database()
    STACK.reset_redis()
    STACK.migrate(env)
    t0 = time.perf_counter()
    log(child(env, "setup") + f" in {time.perf_counter() - t0:.1f} s")

    from celery import Celery

    client = Celery(broker=STACK.redis_url, backend=STACK.redis_url)
    worker = start_worker(env, cleanup)
    client.send_task("learn.ping", kwargs={"token": "warm-up"}).get(timeout=120)  # the worker is up
    reminders = measure_reminders(env, client)
    certificates = measure_certificates(env, client)
    stack.stop_group(worker, 30, "celery worker")
    load_end = machine.load_average()
    write_results(
        {"reminders": reminders, "certificates": certificates, "load_start": load_start, "load_end": load_end}
    )
    return 0


def measure_reminders(env: dict, client) -> dict:
    """2. `training.reminders_run`, send to result, twice (the second must claim nothing)."""
    seconds, answer = timed_task(client, "training.reminders_run")
    log(f"reminder run: {seconds:.1f} s, {answer}")
    again_seconds, again = timed_task(client, "training.reminders_run")
    log(f"again: {again_seconds:.1f} s, {again}")
    counts = child(env, "count", "reminders").splitlines()
    enrolments, duplicates = (int(part.split("=")[1]) for part in counts[0].split())
    return {
        "seconds": seconds,
        "answer": answer,
        "again_seconds": again_seconds,
        "again_answer": again,
        "enrolments": enrolments,
        "duplicates": duplicates,
        "by_stage": counts[1:],
    }


def measure_certificates(env: dict, client) -> dict:
    """3. `training.completions_check` sent until CERTIFICATES certificates have their PDF."""
    import psycopg

    log(child(env, "certificates-setup"))
    started = time.perf_counter()
    client.send_task("training.completions_check").get(timeout=600)
    made = 0
    with psycopg.connect(STACK.database_url, autocommit=True) as connection:
        while time.perf_counter() - started < 600:
            made = connection.execute("SELECT count(*) FROM training_certificate WHERE pdf <> ''").fetchone()[0]
            if made >= CERTIFICATES:
                break
            time.sleep(0.2)
    certificates = {"seconds": time.perf_counter() - started, "made": made}
    log(f"certificates: {made} in {certificates['seconds']:.1f} s")
    return certificates


if __name__ == "__main__":
    sys.exit(main())
