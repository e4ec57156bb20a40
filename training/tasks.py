"""Celery tasks of training. They take ids, call a service, and are safe to run twice (see services.py)."""

from celery import shared_task
from django.utils import timezone

from . import services
from .retention import staff_leavers_remove


@shared_task(name="training.reminders_run")
def reminders_run() -> dict:
    """Celery beat, once a day: new staff get their programmes, finished ones are marked, then reminders."""
    today = timezone.localdate()
    services.enrolments_sync(today=today)
    services.completions_update()
    result = services.reminders_run(today=today)
    return {"claimed": result.claimed, "email": result.email, "sms": result.sms, "site": result.site}


@shared_task(name="training.completion_check")
def completion_check(staff_id: int) -> list[int]:
    """After a completion event of one staff member: finished programmes get their certificate."""
    return services.completions_update(staff_ids=[staff_id])


@shared_task(name="training.completions_check")
def completions_check() -> int:
    """The safety net (Celery beat): completions and certificates that a lost event or task missed."""
    done = services.completions_update()
    missing = services.certificates_missing()
    for enrolment_id in missing:
        certificate_make_task.delay(enrolment_id)
    return len(done) + len(missing)


@shared_task(name=services.CERTIFICATE_TASK, acks_late=True, ignore_result=True)
def certificate_make_task(enrolment_id: int) -> str | None:
    certificate = services.certificate_make(enrolment_id=enrolment_id)
    return str(certificate.uuid) if certificate else None


@shared_task(name="training.enrolments_sync")
def enrolments_sync() -> int:
    """After a programme is saved in the admin: its departments' staff are enrolled now."""
    return services.enrolments_sync(today=timezone.localdate())


@shared_task(name=services.RENDER_TASK)
def card_sheet_render_task(sheet_id: int) -> str:
    """The sheet's id only: the new PINs are made here, in the worker, never in the broker message."""
    return services.card_sheet_render(sheet_id=sheet_id)


@shared_task(name="training.card_sheets_clean")
def card_sheets_clean_task() -> int:
    """Celery beat, every hour: sheets of sign-in cards (with readable PINs) older than a day are removed."""
    return services.card_sheets_clean()


@shared_task(name="training.staff_leavers_remove")
def staff_leavers_remove_task() -> dict:
    run = staff_leavers_remove()
    return {"erased": len(run.erased), "records_removed": len(run.records_removed)}
