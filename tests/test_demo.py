"""The first day: `make setup`'s demo loaders, in the Makefile's order, on a database with nothing of the demo.

These are the demo tests (with lessons/test_demo_content.py, coaching/test_demo.py, training/test_demo.py,
group_sessions/test_demo.py and the demo sign-ins in accounts/): every other test builds its own data with
tests/factories. Here the loaders run as a newcomer runs them, and a second run changes nothing.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Revision

from accounts.credentials import code_format
from accounts.demo import DEMO_LEARNER_CODE, DEMO_LEARNER_PIN, DEMO_USERS
from coaching.demo import DEMO_GROUP
from coaching.models import Assignment, CoachGroup
from group_sessions.models import GroupSession, SeatBooking, SessionKind
from lessons.models import HelpPoint, HomePage, LessonPage, ModulePage
from sandboxes.models import Scenario
from tests.accounts.support import sign_in_with_code
from training import selectors
from training.models import Enrolment, StaffMember

LANGUAGES = ("nl", "fr", "en", "ar")


def demo_commands() -> list[str]:
    """The `load_demo*` lines of `make setup`, in their order."""
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    setup = makefile.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"\$\(MANAGE\) (load_demo\w*)", setup)


def run_setup() -> dict[str, str]:
    output = {}
    for command in demo_commands():
        out = io.StringIO()
        call_command(command, stdout=out)
        output[command] = out.getvalue()
    return output


def counts() -> dict[str, int]:
    models = (HomePage, ModulePage, LessonPage, Revision, HelpPoint, Scenario, CoachGroup, Assignment)
    models += (StaffMember, Enrolment, GroupSession, SeatBooking)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def first_day(db):
    assert not HomePage.objects.exists(), "the demo tests start without the demo"
    return run_setup()


def test_make_setup_runs_the_four_demo_loaders():
    assert demo_commands() == ["load_demo", "load_demo_coaching", "load_demo_training", "load_demo_sessions"]


def test_the_demo_loads_in_the_makefiles_order_and_a_second_run_changes_nothing(first_day):
    assert "run load_demo first" not in "".join(first_day.values())  # each step found what it builds on
    before = counts()
    again = run_setup()
    assert "0 created, 0 updated" in again["load_demo"]
    assert "unchanged" in again["load_demo_coaching"] and "unchanged" in again["load_demo_training"]
    assert counts() == before


def test_the_demo_has_what_the_readme_promises(first_day):
    # Three modules of lessons in four languages, and help points in every language.
    for language in LANGUAGES:
        assert ModulePage.objects.live().filter(locale__language_code=language).count() >= 3, language
        assert HelpPoint.objects.filter(locale__language_code=language).exists(), language
    # The coach's group "Digibank Nekkerspoel, dinsdag" with the demo learner and one task.
    group = CoachGroup.objects.get(name=DEMO_GROUP)
    assert [user.username for user in group.learners.all()] == ["leerling"]
    assert group.assignments.exists()
    # Staff including the demo learner; the demo manager manages three teams.
    assert StaffMember.objects.filter(user__username="leerling").exists()
    manager = get_user_model().objects.get(username="manager")
    assert selectors.manager_teams(manager=manager).count() == 3
    # Sessions from the city's offer: the digidokter, a workshop, a webinar and a staff training moment.
    kinds = set(GroupSession.objects.values_list("kind", flat=True))
    assert kinds == {SessionKind.DIGIDOKTER, SessionKind.WORKSHOP, SessionKind.WEBINAR, SessionKind.STAFF_TRAINING}
    assert SeatBooking.objects.filter(learner__username="leerling").exists()


def test_every_sign_in_of_the_readme_works(client, first_day):
    for _role, username, password, *_rest in DEMO_USERS:
        response = client.post("/nl/account/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
        client.post("/nl/account/logout/")
    response = sign_in_with_code(client, code_format(code=DEMO_LEARNER_CODE), {"pin": DEMO_LEARNER_PIN})
    assert response.status_code == 302
