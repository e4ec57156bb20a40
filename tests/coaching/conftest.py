import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from accounts import roles, services
from accounts.models import SignInKind
from coaching import services as coaching_services


@pytest.fixture(autouse=True)
def _dutch():
    """URLs are reversed in Dutch, whatever language an earlier request left active."""
    with translation.override("nl"):
        yield


def make_coach(django_user_model, username: str, name: str):
    user = django_user_model.objects.create_user(username, password=f"{username}-wachtwoord", display_name=name)
    user.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
    return user


@pytest.fixture
def coach(django_user_model):
    return make_coach(django_user_model, "coach-an", "An")


@pytest.fixture
def other_coach(django_user_model):
    return make_coach(django_user_model, "coach-bo", "Bo")


def make_learner(coach, name: str):
    return services.learner_create(coach=coach, display_name=name, language="nl", kind=SignInKind.PIN).learner


@pytest.fixture
def learners(coach):
    return [make_learner(coach, "Marie"), make_learner(coach, "Yusuf")]


@pytest.fixture
def module(course):
    """A Dutch module of three lessons, translated into French, English and Arabic (tests/conftest.py)."""
    return course.module


@pytest.fixture
def lessons(course):
    return course.lessons


@pytest.fixture
def group(coach, learners):
    group = coaching_services.group_create(coach=coach, name="Digibank Nekkerspoel, dinsdag")
    coaching_services.group_learners_add(coach=coach, group=group, learners=learners)
    return group


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client
