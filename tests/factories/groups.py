"""A coach's group of learners, made through the coaching services (only a coach's own learners join)."""

from coaching import services as coaching_services

from .users import CoachFactory, learner_with_pin


def coach_group(*, coach=None, name: str = "Digibank dinsdag", learners=None, help_point=None, size: int = 2):
    """A group of `coach` with `learners` (default: `size` new learners the coach made)."""
    coach = coach or CoachFactory()
    if learners is None:
        learners = [learner_with_pin(coach=coach, name=f"Leerling {n + 1}")[0] for n in range(size)]
    group = coaching_services.group_create(coach=coach, name=name, help_point=help_point)
    coaching_services.group_learners_add(coach=coach, group=group, learners=learners)
    return group
