"""Retention of staff records: someone who left is removed PRIVACY_STAFF_LEFT_DAYS after leaving.

"Left" is `StaffMember.active=False`: marked left, or missing from a complete staff list
(`services.staff_import(complete=True)`). A row made inactive another way (the Django shell, say) gets
its `left_at` from the first run that sees it, so the clock always starts. When the time is up:

- a person whose account only served the training (no role besides Learner, not an administrator) is
  erased entirely, with the same service as any erasure (`accounts.services.person_erase`);
- anyone else (a coach who was also staff, say) keeps their account: only the staff record goes, with
  its enrolments, reminders, certificates and their PDFs, and the sheets of cards that name them.

Run nightly by Celery beat (`training.tasks.staff_leavers_remove_task`); a second run finds nothing more.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts import services as account_services

from .models import StaffMember
from .privacy import staff_record_erase

logger = logging.getLogger(__name__)


@dataclass
class LeaversRun:
    clock_started: int = 0
    erased: list[int] = field(default_factory=list)  # user ids erased entirely
    records_removed: list[int] = field(default_factory=list)  # user ids that keep their account


def _only_for_training(user) -> bool:
    if user.is_staff or user.is_superuser:
        return False
    return not user.groups.exclude(name=roles.LEARNERS).exists()


def staff_leavers_remove(*, now: datetime | None = None) -> LeaversRun:
    now = now or timezone.now()
    run = LeaversRun()
    run.clock_started = StaffMember.objects.filter(active=False, left_at__isnull=True).update(left_at=now)
    cutoff = now - timedelta(days=settings.PRIVACY_STAFF_LEFT_DAYS)
    for staff in StaffMember.objects.filter(active=False, left_at__lte=cutoff).select_related("user"):
        user = staff.user
        try:
            if _only_for_training(user):
                account_services.person_erase(user=user)
                run.erased.append(user.pk)
                continue
            with transaction.atomic():
                removals = staff_record_erase(staff=StaffMember.objects.filter(pk=staff.pk))
                staff.delete()
            for removal in removals:
                removal()
            run.records_removed.append(user.pk)
        except Exception:  # one person's problem (a coach with learners, say) must not stop the others
            logger.exception("Staff record %s of someone who left could not be removed", staff.pk)
    return run
