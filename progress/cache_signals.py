"""Retire cached learner pages (learn/signed_in_cache.py) when what they show changes outside a statement.

Statements bump the learner's version in progress/services.py. Here: a progress row saved or deleted
another way (guest practice merged, erasure, the admin) bumps its learner; anything of coaching or
training (assignments, groups, required training) or of group sessions (seats, dates) bumps the learning generation, which retires every
learner's cached pages at once (rare, and the next view renders them again). Bulk updates that send no
signal call learning_generation_bump() themselves (training/services.py).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from learn.page_cache import learner_version_bump, learning_generation_bump

# group_sessions: My learning shows the next session a learner joined (bookings, dates, cancellations).
ASSIGNING_APPS = {"coaching", "training", "group_sessions"}


# Rows that concern one learner only: their seat retires that learner's pages, not everyone's; a notice
# (reminder, cancellation message) is not shown on a cached page at all.
ONE_LEARNER_MODELS = {("group_sessions", "SeatBooking"): "learner_id"}
NOT_SHOWN_MODELS = {("group_sessions", "SessionNotice")}


def _changed(sender, instance=None, **kwargs):
    app = sender._meta.app_label
    model = (app, sender.__name__)
    if model in NOT_SHOWN_MODELS:
        return
    if model in ONE_LEARNER_MODELS:
        user_id = getattr(instance, ONE_LEARNER_MODELS[model], None)
        if user_id is not None:
            learner_version_bump(user_id)
        return
    if app in ASSIGNING_APPS:
        learning_generation_bump()
    elif app == "progress" and sender.__name__ != "Statement":
        user_id = getattr(instance, "user_id", None)
        if user_id is not None:
            learner_version_bump(user_id)


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"progress-cache-{id(signal)}")
