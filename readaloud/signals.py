"""Publishing a lesson, or saving a scenario (in Wagtail or with load_scenarios), makes its clips.

The work is a Celery task, enqueued after the commit. On the embedded default Celery runs tasks
in-process, which would make every publish (and loading the demo site) wait for espeak-ng; there it
is skipped with a log line unless READALOUD_EAGER is set: `manage.py readaloud_generate` makes the
clips of every live lesson and scenario instead.
"""

import logging

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from learn.queueing import send_after_commit
from lessons.models import LessonPage

from .tasks import generate_for_page, generate_for_scenario

logger = logging.getLogger(__name__)


def _enqueue(task, object_id: int, label: str) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER and not getattr(settings, "READALOUD_EAGER", False):
        logger.info(
            "Read-aloud: no Celery worker, so no audio made now for %s; run manage.py readaloud_generate", label
        )
        return
    queue = getattr(settings, "READALOUD_QUEUE", None)
    # Broker away: the page is published all the same; `manage.py readaloud_generate` makes what is missing.
    send_after_commit(task, object_id, queue=queue)


@receiver(page_published)
def lesson_published(sender, instance, **kwargs):
    if isinstance(instance, LessonPage):
        _enqueue(generate_for_page, instance.pk, f"page {instance.pk}")


@receiver(post_save, sender="sandboxes.Scenario")
def scenario_saved(sender, instance, **kwargs):
    _enqueue(generate_for_scenario, instance.pk, f"scenario {instance.pk}")
