"""People with a role: a learner with a code and PIN, a coach, a training manager, a coordinator, an editor.

Roles are Django groups (accounts.roles); a learner is made by the coach's own service, so the sign-in
code and the PIN are real and hashed the way the app does it.
"""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from accounts import roles as role_names
from accounts import services
from accounts.models import SignInKind

PASSWORD = "een-goed-wachtwoord"


def _roles(*default: str):
    """Adds the role groups after the user is saved; `SomeFactory(roles=[...])` gives others."""

    @factory.post_generation
    def add(user, create, extracted, **kwargs):
        for name in default if extracted is None else extracted:
            user.groups.add(Group.objects.get_or_create(name=name)[0])

    return add


class UserFactory(DjangoModelFactory):
    """A person with a password and no role. `roles=[...]` adds groups by name."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"persoon-{n}")
    display_name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.django.Password(PASSWORD)

    roles = _roles()


class CoachFactory(UserFactory):
    username = factory.Sequence(lambda n: f"coach-{n}")
    roles = _roles(role_names.COACHES)


class ManagerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"manager-{n}")
    roles = _roles(role_names.TRAINING_MANAGERS)


class CoordinatorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"coordinator-{n}")
    roles = _roles(role_names.PROGRAMME_COORDINATORS)


class EditorFactory(UserFactory):
    """Wagtail's "Editors" group (with its page permissions from the migrations) and admin access."""

    username = factory.Sequence(lambda n: f"redacteur-{n}")
    is_staff = True
    roles = _roles(role_names.EDITORS)


def editor_with_admin_language(language: str = "en"):
    """An editor whose Wagtail admin speaks `language` (English: labels and messages as in the code)."""
    from wagtail.users.models import UserProfile

    editor = EditorFactory()
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    return editor


def learner_with_pin(*, coach=None, name: str = "Marie", language: str = "nl", kind: str = SignInKind.PIN):
    """A learner as a coach makes one: (learner, secret). The learner code is `learner.learner_sign_in.code`."""
    coach = coach or CoachFactory()
    new = services.learner_create(coach=coach, display_name=name, language=language, kind=kind)
    return new.learner, new.secret
