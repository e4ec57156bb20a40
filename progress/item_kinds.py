"""What a coach's task, a training programme or a group session can point at: a module, a lesson or a simulator.

Progress counts these three by translation key (lessons and modules) or scenario key (simulators), so the
apps that give learners something to do (coaching, training, group_sessions) choose from the same three
values. Each app makes its own choices class with `item_kinds` (the classes are named in the apps' migrations,
and training adds a kind of its own), so the values and labels are written once, here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

ITEM_KINDS = [
    ("MODULE", ("module", _("Module"))),
    ("LESSON", ("lesson", _("Lesson"))),
    ("SIMULATOR", ("simulator", _("Simulator"))),
]


def item_kinds(name: str, *, module: str, extra: tuple = ()) -> type[models.TextChoices]:
    """A choices class `name` (defined in `module`) with the three kinds, then the app's own `extra` members."""
    return models.TextChoices(name, [*ITEM_KINDS, *extra], module=module)
