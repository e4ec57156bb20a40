"""Signal receivers of training: completion events from progress, and sign-in for site reminders."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from .models import Enrolment, StaffMember
from .services import site_reminders_take
from .tasks import completion_check


def on_learning_completed(sender, *, user, lesson_keys=(), module_keys=(), **kwargs):
    """Sent by progress after its commit. Only staff with an open programme get a check, in a task."""
    staff_id = (
        StaffMember.objects.filter(user=user, active=True).values_list("pk", flat=True).first()
        if user is not None
        else None
    )
    if staff_id is None or not Enrolment.objects.filter(staff_id=staff_id, completed_at__isnull=True).exists():
        return
    # robust: with the broker away the learner's statements are stored all the same; the hourly
    # training.completions_check is the safety net for a check that could not be queued.
    transaction.on_commit(lambda: completion_check.delay(staff_id), robust=True)


# Read by base.html for the "My training" menu link: set once at sign-in, so no page pays a query for it.
STAFF_SESSION_KEY = "training_staff"


@receiver(user_logged_in, dispatch_uid="training.site_reminders_on_sign_in")
def site_reminders_on_sign_in(sender, request, user, **kwargs):
    """Staff with required training get the menu link; without e-mail or phone, their reminders too."""
    if request is None:
        return
    if hasattr(request, "session"):
        request.session[STAFF_SESSION_KEY] = Enrolment.objects.filter(staff__user=user, staff__active=True).exists()
    if not hasattr(request, "_messages"):
        return
    for sentence in site_reminders_take(user=user):
        messages.warning(request, sentence)
