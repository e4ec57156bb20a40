"""Signals of progress, for the apps that build on it (training) without progress importing them."""

from django.dispatch import Signal

# Sent after the commit of an ingest that stored at least one "completed" statement, with
# `user`, `lesson_keys` and `module_keys` (sets of translation keys the completions were about).
# A module key is included when one of its lessons was completed, whether or not the module is done
# now: receivers read the aggregates to decide, and must be idempotent (a retry may send it again).
learning_completed = Signal()
