"""Celery tasks of group sessions. Each is safe to run twice (see the services they call)."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="group_sessions.occurrences_extend")
def occurrences_extend_task() -> int:
    """Celery beat, daily: recurring sessions get their dates up to six months ahead."""
    from .occurrences import occurrences_extend

    return occurrences_extend(today=timezone.localdate())


@shared_task(name="group_sessions.reminders_run")
def reminders_run_task() -> dict:
    """Celery beat, daily: the reminder the day before, at most once per booking and channel."""
    from .services import reminders_run

    run = reminders_run(today=timezone.localdate())
    return {"claimed": run.claimed, "email": run.email, "sms": run.sms, "sign_in": run.sign_in}


@shared_task(name="group_sessions.guest_phones_erase")
def guest_phones_erase_task() -> int:
    """Celery beat, nightly: guests' phone numbers are erased the day after their date."""
    from .retention import guest_phones_erase

    return guest_phones_erase()
