"""The demo coach's group, for the embedded default. Run after `load_demo` (which makes the demo users).

Lives here, not in `load_demo`, because nothing outside coaching may import coaching.
"""

from django.contrib.auth import get_user_model

from accounts.demo import DEMO_COACH, DEMO_LEARNER
from lessons.models import HelpPoint, ModulePage
from sandboxes.models import Scenario

from .models import Assignment, AssignmentKind, CoachGroup

DEMO_GROUP = "Digibank Nekkerspoel, dinsdag"
DEMO_NOTE = "Begin hier. Vraag gerust hulp aan de coach."
DEMO_SIMULATOR_NOTE = "Oefen daarna een treinticket kopen in de oefenapp."


def demo_group_ensure() -> bool | None:
    """Create the demo group once; True when made now, False when it was there, None without demo users.

    A second run changes nothing.
    """
    User = get_user_model()
    coach = User.objects.filter(username=DEMO_COACH).first()
    learner = User.objects.filter(username=DEMO_LEARNER).first()
    module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path").first()
    if coach is None or learner is None or module is None:
        return None
    group = CoachGroup.objects.filter(name=DEMO_GROUP, coaches=coach).first()
    if group is not None:
        return False
    group = CoachGroup.objects.create(
        name=DEMO_GROUP,
        help_point=HelpPoint.objects.filter(locale__language_code="nl", name__icontains="Nekkerspoel").first(),
    )
    group.coaches.add(coach)
    group.learners.add(learner)
    Assignment.objects.create(
        group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key, note=DEMO_NOTE, created_by=coach
    )
    train = Scenario.objects.filter(slug="train", locale__language_code="nl").first()
    if train is not None:
        Assignment.objects.create(
            group=group,
            kind=AssignmentKind.SIMULATOR,
            target_key=train.translation_key,
            note=DEMO_SIMULATOR_NOTE,
            created_by=coach,
        )
    return True
