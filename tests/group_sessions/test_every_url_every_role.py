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
        OTHER_COACH: make_user(django_user_model, "coach-cas", "Cas", roles.COACHES),
        MANAGER: make_user(django_user_model, "manager-els", "Els", roles.TRAINING_MANAGERS),
        COORDINATOR: make_user(django_user_model, "coordinator-cora", "Cora", roles.PROGRAMME_COORDINATORS),
        EDITOR: make_user(django_user_model, "editor-eva", "Eva", roles.EDITORS),
    }


@pytest.fixture
def world(session, occurrence, learners, course):
    from lessons.models import LessonPage

    cover(session, LessonPage.objects.live().filter(locale__language_code="nl").first())
    booking = book(occurrence, learners[0])
    guest = book(occurrence, guest="Fatima", guest_phone="0470123456", status="requested")
    refused = book(occurrence, learners[1])
    upcoming = make_occurrence(session, days=7)
    return {
        "session": session,
        "occurrence": occurrence,
        "booking": booking,
        "guest": guest,
        "refused": refused,
        "upcoming": upcoming,
    }


def _cases(world):
    """(url name, method, url, data, {role: expected}) for every URL; a role not named gets 403, except
    anonymous visitors, who are sent to sign in unless the table says otherwise. Cancelling comes last."""
    o = {"pk": world["occurrence"].pk}
    u = {"pk": world["upcoming"].pk}
    s = {"pk": world["session"].pk}
    everyone = {role: OPEN for role in ROLES}
    signed_in = {**everyone, ANONYMOUS: SIGN_IN}
    every_organiser = {ORGANISER: OPEN, OTHER_COACH: OPEN, MANAGER: OPEN, EDITOR: OPEN}
    # Another coach or a manager cannot tell someone else's session exists; editors organise every session.
    organisers_only = {ORGANISER: OPEN, OTHER_COACH: NOT_FOUND, MANAGER: NOT_FOUND, EDITOR: OPEN}
    guest = {"first_name": "Sam", "phone": "0470 12 34 56"}
    run = world["occurrence"]
    return [
        # Learners' pages: the list, a date, signing up, the calendar file, a guest's request.
        ("list", "get", reverse("group_sessions:list"), {}, everyone),
        ("occurrence", "get", reverse("group_sessions:occurrence", kwargs=u), {}, everyone),
        ("calendar", "get", reverse("group_sessions:calendar", kwargs=u), {}, everyone),
        ("guest_request", "get", reverse("group_sessions:guest_request", kwargs=u), {}, everyone),
        ("guest_request", "post", reverse("group_sessions:guest_request", kwargs=u), guest, everyone),
        ("sign_up", "post", reverse("group_sessions:sign_up", kwargs=u), {}, signed_in),
        ("seat_cancel", "post", reverse("group_sessions:seat_cancel", kwargs=u), {}, signed_in),
        # Organisers' pages.
        ("organise", "get", reverse("group_sessions:organise"), {}, every_organiser),
        ("organise_new", "get", reverse("group_sessions:organise_new"), {}, every_organiser),
        ("organise_new", "post", reverse("group_sessions:organise_new"), {"title": ""}, every_organiser),
        ("organise_session", "get", reverse("group_sessions:organise_session", kwargs=s), {}, organisers_only),
        ("organise_edit", "get", reverse("group_sessions:organise_edit", kwargs=s), {}, organisers_only),
        ("organise_edit", "post", reverse("group_sessions:organise_edit", kwargs=s), {"title": ""}, organisers_only),
        ("organise_occurrence", "get", reverse("group_sessions:organise_occurrence", kwargs=u), {}, organisers_only),
        (
            "organise_sign_up",
            "post",
            reverse("group_sessions:organise_sign_up", kwargs=u),
            {"learner": world["booking"].learner_id},
            organisers_only,
        ),
        (
            "organise_guest_confirm",
            "post",
            reverse("group_sessions:organise_guest_confirm", kwargs={**o, "booking_pk": world["guest"].pk}),
            {},
            organisers_only,
        ),
        # Running a date.
        ("run_list", "get", reverse("group_sessions:run_list"), {}, every_organiser),
        ("run_occurrence", "get", reverse("group_sessions:run_occurrence", kwargs={"pk": run.pk}), {}, organisers_only),
        (
            "run_occurrence",
            "post",
            reverse("group_sessions:run_occurrence", kwargs={"pk": run.pk}),
            {"present": [world["booking"].pk]},
            organisers_only,
        ),
        (
            "run_walk_ins",
            "post",
            reverse("group_sessions:run_walk_ins", kwargs={"pk": run.pk}),
            {"names": "Eva", "preferred_language": "nl"},
            organisers_only,
        ),
        ("run_give", "post", reverse("group_sessions:run_give", kwargs={"pk": run.pk}), {}, organisers_only),
        # Refusing and cancelling last: they change what the pages above show.
        (
            "organise_booking_refuse",
            "post",
            reverse("group_sessions:organise_booking_refuse", kwargs={**o, "booking_pk": world["refused"].pk}),
            {},
            organisers_only,
        ),
        (
            "organise_occurrence_cancel",
            "post",
            reverse("group_sessions:organise_occurrence_cancel", kwargs=u),
            {"reason": "Ziek"},
            organisers_only,
        ),
        (
            "organise_cancel",
            "post",
            reverse("group_sessions:organise_cancel", kwargs=s),
            {"reason": "Ziek"},
            organisers_only,
        ),
    ]


def _expected(role, table):
    if role in table:
        return table[role]
    return SIGN_IN if role == ANONYMOUS else FORBIDDEN


def _state():
    """What a refused request must leave as it was: seats, dates and sessions."""
    from group_sessions.models import GroupSession, SeatBooking, SessionOccurrence

    return (
        list(SeatBooking.objects.order_by("pk").values_list("pk", "status", "attended")),
        list(SessionOccurrence.objects.order_by("pk").values_list("pk", "cancelled_at", "attendance_recorded_at")),
        list(GroupSession.objects.order_by("pk").values_list("pk", "title", "cancelled_at", "coach_group_id")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_it_should(client, people, world, role):
    if people[role] is not None:
        client.force_login(people[role])
    for name, method, url, data, table in _cases(world):
        before = _state()
        response = getattr(client, method)(url, data)
        expected = _expected(role, table)
        if expected == OPEN:
            assert response.status_code in (200, 302, 400), (role, name, method, response.status_code)
            continue
        if expected == SIGN_IN:
            assert response.status_code == 302, (role, name, method, response.status_code)
            assert response["Location"].startswith(reverse("accounts:login") + "?next="), (role, name)
        else:
            assert response.status_code == expected, (role, name, method, response.status_code)
        assert _state() == before, f"{role} {method} {name} changed something"


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
