"""Background work of accounts: the retention of unused learner accounts. Tasks take no data, call a service."""

from celery import shared_task


@shared_task(name="accounts.inactive_learners_run")
def inactive_learners_run_task() -> dict:
    from .retention import inactive_learners_run, private_files_protect

    private_files_protect()
    run = inactive_learners_run()
    return {"announced": len(run.announced), "erased": len(run.erased), "kept": len(run.kept)}
