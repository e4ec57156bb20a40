from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Staff training")

    def ready(self):
        """Hook into progress without progress knowing us: "My learning" items and completion events."""
        from progress.assignments import assignment_provider_register
        from progress.signals import learning_completed

        from . import receivers
        from .selectors import assigned_items_for

        assignment_provider_register(assigned_items_for)
        learning_completed.connect(receivers.on_learning_completed, dispatch_uid="training.learning_completed")

        # Its part of the data download and of the erasure (accounts.privacy).
        from accounts.privacy import privacy_provider_register

        from .privacy import TrainingProvider

        privacy_provider_register(TrainingProvider())

        # Registers the Celery tasks, which the services send by name (learn.queueing.task_named).
        from . import tasks  # noqa: F401
