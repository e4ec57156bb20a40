"""At sign-in: the reminders and cancellations waiting for someone without e-mail or phone, shown once."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="group_sessions.notices_on_sign_in")
def notices_on_sign_in(sender, request, user, **kwargs):
    from .notices import sign_in_notices_take

    if request is None or not hasattr(request, "_messages"):
        return
    for sentence in sign_in_notices_take(user=user):
        messages.info(request, sentence)
