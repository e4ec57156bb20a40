from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from accounts import roles, services
from accounts.models import SignInKind
from coaching.models import CoachGroup
from group_sessions import services as session_services
from lessons.choices import District, HelpPointKind
from tests.factories import LANGUAGES, HelpPointFactory, help_point_translation


@pytest.fixture(autouse=True)
def _dutch():
    """URLs are reversed in Dutch, whatever language an earlier request left active."""
    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def _mail_and_sms(settings):
    from tests.training.sms_backends import SENT

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "tests.training.sms_backends.ListSmsBackend"
    SENT.clear()
    yield SENT
    SENT.clear()


def make_user(django_user_model, username: str, name: str, role: str | None = None, **extra):
    user = django_user_model.objects.create_user(
        username, password=f"{username}-wachtwoord", display_name=name, **extra
    )
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_help_point(name: str, **fields):
    """A Dutch help point with its translations (same key, the name marked with the language)."""
    point = HelpPointFactory(name=name, **fields)
    for language in LANGUAGES[1:]:
        help_point_translation(point, language, name=f"{name} ({language})")
    return point


@pytest.fixture
def library(site_pages):
    return make_help_point(
        "Bibliotheek Het Predikheren",
        kind=HelpPointKind.LIBRARY,
        street="Goswin de Stassartstraat 6",
        district=District.CENTRE,
        sort_order=1,
    )


@pytest.fixture
def nekkerspoel(site_pages):
    return make_help_point(
        "Digibankpunt Nekkerspoel", street="Kruisbaan 27", district=District.NEKKERSPOEL, sort_order=2
    )


@pytest.fixture
def coach(django_user_model, library):
    user = make_user(django_user_model, "coach-an", "An", roles.COACHES)
    group = CoachGroup.objects.create(name="Bib dinsdag", help_point=library)
    group.coaches.add(user)
    return user


@pytest.fixture
def other_coach(django_user_model, nekkerspoel):
    user = make_user(django_user_model, "coach-bo", "Bo", roles.COACHES)
    group = CoachGroup.objects.create(name="Nekkerspoel", help_point=nekkerspoel)
    group.coaches.add(user)
    return user


@pytest.fixture
def learner(coach):
    return services.learner_create(coach=coach, display_name="Marie", language="nl", kind=SignInKind.PIN).learner


@pytest.fixture
def other_learner(coach):
    return services.learner_create(coach=coach, display_name="Yusuf", language="ar", kind=SignInKind.PIN).learner


def next_weekday(weekday: int, weeks: int = 1) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def session_data(**changes) -> dict:
    data = {
        "kind": "workshop",
        "title": "Werken met je smartphone",
        "description": "We oefenen samen.",
        "help_point": None,
        "online_link": "",
        "first_date": next_weekday(1),
        "starts_at": time(14, 0),
        "ends_at": time(16, 0),
        "recurrence": "once",
        "repeat_until": None,
        "seats": 2,
        "languages": ["nl"],
        "target_groups": ["seniors"],
        "coach_group": None,
    }
    data.update(changes)
    return data


@pytest.fixture
def workshop(coach, library):
    return session_services.session_save(user=coach, data=session_data(help_point=library), items=[]).session


@pytest.fixture
def date_of(workshop):
    return workshop.occurrences.get()


# --- Running a date (attendance, walk-ins, follow-up): sessions made with the ORM (factories.py) --------


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def learners(coach):
    return [
        services.learner_create(coach=coach, display_name=name, language="nl", kind=SignInKind.PIN).learner
        for name in ("Marie", "Yusuf", "Noor")
    ]


@pytest.fixture
def session(coach):
    from .factories import make_session

    return make_session(organiser=coach)


@pytest.fixture
def occurrence(session):
    from .factories import make_occurrence

    return make_occurrence(session)


@pytest.fixture
def bookings(occurrence, learners):
    from .factories import book

    return [book(occurrence, learner) for learner in learners] + [book(occurrence, guest="Fatima")]


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client
