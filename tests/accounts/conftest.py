import pytest
from django.contrib.auth.models import Group

from accounts import roles, services
from accounts.models import SignInKind


@pytest.fixture
def coach(django_user_model):
    user = django_user_model.objects.create_user("coach-an", password="coach-an-wachtwoord", display_name="An")
    user.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
    return user


@pytest.fixture
def other_coach(django_user_model):
    user = django_user_model.objects.create_user("coach-bo", password="coach-bo-wachtwoord", display_name="Bo")
    user.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
    return user


@pytest.fixture
def pin_learner(coach):
    """A learner made by `coach`; `.secret` is the PIN as the coach saw it once."""
    return services.learner_create(coach=coach, display_name="Marie", language="fr", kind=SignInKind.PIN)


@pytest.fixture
def picture_learner(coach):
    return services.learner_create(coach=coach, display_name="Yusuf", language="ar", kind=SignInKind.PICTURES)


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client
