import pytest


@pytest.fixture
def learner(django_user_model):
    """A learner with a password (a test module may give its own, with another name)."""
    return django_user_model.objects.create_user("yusuf", password="een-goed-wachtwoord", display_name="Yusuf")


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client
