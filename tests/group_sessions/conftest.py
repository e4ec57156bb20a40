import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from tests.coaching.conftest import make_coach, make_learner

from .factories import book, make_occurrence, make_session


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def make_user(django_user_model, username: str, role: str | None, name: str = ""):
    user = django_user_model.objects.create_user(
        username, password=f"{username}-wachtwoord", display_name=name or username
    )
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def coach(django_user_model):
    return make_coach(django_user_model, "coach-an", "An")


@pytest.fixture
def other_coach(django_user_model):
    return make_coach(django_user_model, "coach-bo", "Bo")


@pytest.fixture
def learners(coach):
    return [make_learner(coach, "Marie"), make_learner(coach, "Yusuf"), make_learner(coach, "Noor")]


@pytest.fixture
def session(coach):
    return make_session(organiser=coach)


@pytest.fixture
def occurrence(session):
    return make_occurrence(session)


@pytest.fixture
def bookings(occurrence, learners):
    return [book(occurrence, learner) for learner in learners] + [book(occurrence, guest="Fatima")]


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client
