"""Background work of accounts: the retention of unused learner accounts. Tasks take no data, call a service."""

from celery import shared_task


@shared_task(name="accounts.inactive_learners_run")
def inactive_learners_run_task() -> dict:
    from .retention import inactive_learners_run, private_files_protect

    private_files_protect()
    run = inactive_learners_run()
    return {"announced": len(run.announced), "erased": len(run.erased), "kept": len(run.kept)}


@shared_task(name="accounts.sessions_clear")
def sessions_clear_task() -> None:
    """Remove expired sessions from the database (Django's `clearsessions`).

    Sessions live in the database with a copy in Redis (cached_db, learn/settings.py); Redis forgets an
    expired copy by itself, the database table needs this nightly sweep.
    """
    from django.conf import settings
    from django.utils.module_loading import import_string

    import_string(f"{settings.SESSION_ENGINE}.SessionStore").clear_expired()
