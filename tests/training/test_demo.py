"""The demo of staff training (`load_demo_training`), as `make run` loads it: a demo test, on the demo site."""

from django.contrib.auth.models import Group

from accounts import roles
from training import selectors
from training.models import Enrolment


def test_the_demo_is_loaded_once(demo_site):
    from accounts.demo import demo_users_ensure
    from training.demo import demo_training_ensure
    from training.models import StaffMember, Team

    demo_users_ensure()
    assert demo_training_ensure() is True
    assert demo_training_ensure() is False
    manager = Group.objects.get(name=roles.TRAINING_MANAGERS).user_set.get(username="manager")
    assert selectors.manager_teams(manager=manager).count() == 3
    assert StaffMember.objects.filter(user__username="leerling").exists()
    assert Team.objects.filter(department__name="Huis van de Mechelaar").exists()
    assert Enrolment.objects.count() == StaffMember.objects.count()
