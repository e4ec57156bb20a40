"""Signals of progress, for the apps that build on it (training) without progress importing them."""

from django.dispatch import Signal

# Sent after the commit of an ingest that finished at least one lesson on evidence (its answers, or
# reading it long enough; see progress/services.py) or passed a simulator, with `user`, `lesson_keys`
# and `module_keys` (sets of translation keys the completions were about) and `scenario_keys`.
# A module key is included when one of its lessons was completed, whether or not the module is done
# now: receivers read the aggregates to decide, and must be idempotent (a retry may send it again).
learning_completed = Signal()
