import io

from django.core.management import call_command

from accounts.demo import demo_users_ensure
from coaching.demo import DEMO_GROUP, demo_group_ensure
from coaching.models import Assignment, CoachGroup


def test_the_demo_coach_gets_one_group_with_the_demo_learner_once(demo_site):
    assert demo_group_ensure() is None  # no demo users yet: nothing made
    demo_users_ensure()
    out = io.StringIO()
    call_command("load_demo_coaching", stdout=out)
    assert "created" in out.getvalue()
    group = CoachGroup.objects.get(name=DEMO_GROUP)
    assert [user.username for user in group.coaches.all()] == ["coach"]
    assert [user.username for user in group.learners.all()] == ["leerling"]
    assert "Nekkerspoel" in group.help_point.name
    assert demo_group_ensure() is False
    assert CoachGroup.objects.count() == 1
    # A module and the train-ticket simulator, once.
    assert sorted(Assignment.objects.values_list("kind", flat=True)) == ["module", "simulator"]
