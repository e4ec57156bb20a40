"""Every group_sessions URL for every role: anonymous visitors go to sign in, people who organise nothing get
403, organisers get 404 for dates that are not theirs, and the organiser gets the page."""

import pytest
from django.urls import URLPattern, URLResolver, reverse

from accounts import roles

from .conftest import make_user
from .factories import book, cover, make_occurrence

pytestmark = pytest.mark.django_db

ANONYMOUS, LEARNER, ORGANISER, OTHER_COACH, MANAGER, COORDINATOR, EDITOR = (
    "anonymous",
    "learner",
    "organiser",
    "other coach",
    "manager",
    "coordinator",
    "editor",
)
ROLES = [ANONYMOUS, LEARNER, ORGANISER, OTHER_COACH, MANAGER, COORDINATOR, EDITOR]
SIGN_IN, FORBIDDEN, NOT_FOUND, OPEN = "sign in", 403, 404, "open"


@pytest.fixture
def people(django_user_model, coach, learners):
    return {
        ANONYMOUS: None,
        LEARNER: learners[0],
        ORGANISER: coach,
        OTHER_COACH: make_user(django_user_model, "coach-bo", roles.COACHES),
        MANAGER: make_user(django_user_model, "manager-els", roles.TRAINING_MANAGERS),
        COORDINATOR: make_user(django_user_model, "coordinator-cora", roles.PROGRAMME_COORDINATORS),
        EDITOR: make_user(django_user_model, "editor-eva", roles.EDITORS),
    }


@pytest.fixture
def world(session, occurrence, learners):
    from lessons.models import LessonPage

    cover(session, LessonPage.objects.live().filter(locale__language_code="nl").first())
    booking = book(occurrence, learners[0])
    past = make_occurrence(session, days=-7)
    return {"session": session, "occurrence": occurrence, "booking": booking, "past": past}


def _cases(world):
    """(url name, method, url, data, {role: expected}) for every URL; a role not named gets the default."""
    o = {"pk": world["occurrence"].pk}
    organisers_only = {ORGANISER: OPEN, OTHER_COACH: NOT_FOUND, MANAGER: NOT_FOUND, EDITOR: NOT_FOUND}
    every_organiser = {ORGANISER: OPEN, OTHER_COACH: OPEN, MANAGER: OPEN, EDITOR: OPEN}
    return [
        ("run_list", "get", reverse("group_sessions:run_list"), {}, every_organiser),
        ("run_occurrence", "get", reverse("group_sessions:run_occurrence", kwargs=o), {}, organisers_only),
        (
            "run_occurrence",
            "post",
            reverse("group_sessions:run_occurrence", kwargs=o),
            {"present": [world["booking"].pk]},
            organisers_only,
        ),
        (
            "run_walk_ins",
            "post",
            reverse("group_sessions:run_walk_ins", kwargs=o),
            {"names": "Eva", "preferred_language": "nl"},
            organisers_only,
        ),
        ("run_give", "post", reverse("group_sessions:run_give", kwargs=o), {}, organisers_only),
    ]


def _expected(role, table):
    if role == ANONYMOUS:
        return SIGN_IN
    return table.get(role, FORBIDDEN)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_it_should(client, people, world, role):
    from group_sessions.models import SeatBooking

    if people[role] is not None:
        client.force_login(people[role])
    for name, method, url, data, table in _cases(world):
        before = SeatBooking.objects.count(), SeatBooking.objects.filter(attended__isnull=False).count()
        response = getattr(client, method)(url, data)
        expected = _expected(role, table)
        if expected == SIGN_IN:
            assert response.status_code == 302, (role, name, method)
            assert response["Location"].startswith(reverse("accounts:login") + "?next="), (role, name)
        elif expected == OPEN:
            assert response.status_code in (200, 302, 400), (role, name, method, response.status_code)
        else:
            assert response.status_code == expected, (role, name, method, response.status_code)
            # A refused request changes nothing.
            after = SeatBooking.objects.count(), SeatBooking.objects.filter(attended__isnull=False).count()
            assert after == before, (role, name, method)


def _names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def test_every_group_sessions_url_is_in_the_table_above(world):
    """A new page in group_sessions must join this test: each URL name of the app is listed."""
    from group_sessions import urls

    names = set(_names(urls.urlpatterns))
    assert "run_occurrence" in names
    assert names <= {name for name, *_rest in _cases(world)}
