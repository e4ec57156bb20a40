"""Retention of learner accounts: unused for PRIVACY_INACTIVE_DAYS, the coach is told (once); unused
PRIVACY_INACTIVE_NOTICE_DAYS after that, the account is erased with `services.person_erase`.

"Used" means signed in (`last_login`; every learning record needs a session, and a session starts with a
sign-in). Only plain learner accounts count: not coaches, managers, editors or administrators, and not
people an app still needs (an active staff member: `PrivacyProvider.retention_holds`). Run nightly by
Celery beat (`accounts.tasks.inactive_learners_run_task`); running it twice changes nothing more.
"""

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import roles, services
from .models import User
from .privacy import privacy_providers

logger = logging.getLogger(__name__)


@dataclass
class InactiveRun:
    announced: list[int] = field(default_factory=list)
    erased: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # used again after the notice
    coaches_mailed: list[int] = field(default_factory=list)


def inactive_deadline(*, notice_at: datetime) -> datetime:
    """When an announced account is erased unless the learner signs in."""
    return notice_at + timedelta(days=settings.PRIVACY_INACTIVE_NOTICE_DAYS)


def _plain_learners():
    other_roles = [role for role in roles.ROLE_LABELS if role != roles.LEARNERS]
    return (
        User.objects.filter(groups__name=roles.LEARNERS, is_staff=False, is_superuser=False)
        .exclude(groups__name__in=other_roles)
        .distinct()
    )


def _held(ids: set[int]) -> set[int]:
    held: set[int] = set()
    for provider in privacy_providers():
        held |= provider.retention_holds(user_ids=ids)
    return held


def inactive_learners_run(*, now: datetime | None = None) -> InactiveRun:
    now = now or timezone.now()
    run = InactiveRun()
    # Signed in since the notice: the account stays, and the clock starts again.
    used = User.objects.filter(inactivity_notice_at__isnull=False, last_login__gt=F("inactivity_notice_at"))
    run.kept = list(used.values_list("pk", flat=True))
    used.update(inactivity_notice_at=None)

    cutoff = now - timedelta(days=settings.PRIVACY_INACTIVE_DAYS)
    unused = _plain_learners().filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    ids = set(unused.values_list("pk", flat=True))
    ids -= _held(ids)

    # Announced long enough ago and still unused: erase, each on its own (one failure stops nobody else).
    erase_before = now - timedelta(days=settings.PRIVACY_INACTIVE_NOTICE_DAYS)
    for user in User.objects.filter(pk__in=ids, inactivity_notice_at__lte=erase_before):
        try:
            services.person_erase(user=user)
        except Exception:
            logger.exception("Inactive account %s could not be erased", user.pk)
            continue
        run.erased.append(user.pk)

    # Newly unused: tell the coach, at most once (the row is claimed before anyone is told).
    by_coach: dict[int | None, list[int]] = {}
    for pk, coach_id in User.objects.filter(pk__in=ids, inactivity_notice_at__isnull=True).values_list(
        "pk", "created_by_id"
    ):
        if User.objects.filter(pk=pk, inactivity_notice_at__isnull=True).update(inactivity_notice_at=now):
            run.announced.append(pk)
            by_coach.setdefault(coach_id, []).append(pk)
    for coach in User.objects.filter(pk__in=[pk for pk in by_coach if pk], is_active=True).exclude(email=""):
        if _coach_mail(coach=coach, count=len(by_coach[coach.pk]), deadline=inactive_deadline(notice_at=now)):
            run.coaches_mailed.append(coach.pk)
    return run


def _coach_mail(*, coach: User, count: int, deadline: datetime) -> bool:
    """One short e-mail per coach and run, without names: the names are on the coach's own page."""
    language = coach.preferred_language if coach.preferred_language in dict(settings.LANGUAGES) else None
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _("Oefenplein: learner accounts that are not used")
        body = ngettext(
            "%(count)s of your learners has not signed in for a long time. Their account and learning "
            "records will be deleted on %(date)s, unless they sign in before then.",
            "%(count)s of your learners have not signed in for a long time. Their accounts and learning "
            "records will be deleted on %(date)s, unless they sign in before then.",
            count,
        ) % {"count": count, "date": timezone.localdate(deadline).strftime("%d/%m/%Y")}
        body += "\n\n" + _("See who it is: %(url)s") % {"url": settings.SITE_ORIGIN + reverse("coach_learners:list")}
    try:
        send_mail(subject, body, None, [coach.email])
    except Exception:  # the notice on the coach's page stays; a mail server problem must not stop the run
        logger.exception("Inactivity notice to coach %s not sent", coach.pk)
        return False
    return True


def private_files_protect() -> int:
    """Files under PRIVATE_MEDIA_ROOT readable by the site's own user only (0600, folders 0700).

    New files are written that way (`accounts.cards`, `training.storage`); this also tightens files
    written before (certificates were 0644). Answers how many modes it changed. Run with the nightly task.
    """
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    changed = 0
    if not root.is_dir():
        return 0
    for folder, _folders, files in os.walk(root):
        for name, mode in [(folder, 0o700)] + [(os.path.join(folder, file), 0o600) for file in files]:
            try:
                if os.stat(name).st_mode & 0o777 != mode:
                    os.chmod(name, mode)
                    changed += 1
            except OSError:
                logger.exception("Could not protect %s", name)
    return changed
