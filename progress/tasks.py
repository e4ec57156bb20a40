"""Background work of progress: the retention of old learning records. Tasks take no data, call a service."""

from celery import shared_task


@shared_task(name="progress.statements_reduce")
def statements_reduce_task() -> int:
    from .retention import statements_reduce

    return statements_reduce()
