"""The group dashboard shows whose sign-in is paused ("locked until 14:35") with an unlock button."""

from django.urls import reverse
from django.utils.translation import gettext

from accounts import throttle
from coaching import services
from tests.coaching.conftest import make_learner


def lock(learner) -> None:
    code = learner.learner_sign_in.code
    for _try in range(throttle.throttle_limit(scope=throttle.CODE)):
        throttle.throttle_failure(scope=throttle.CODE, value=code)
    assert throttle.throttle_locked(scope=throttle.CODE, value=code)


def test_the_dashboard_shows_a_paused_learner_and_unlocks_them(coach_client, group, learners):
    marie, yusuf = learners
    dashboard = reverse("coaching:group_dashboard", kwargs={"pk": group.pk})
    heading = gettext("Signing in is paused for these learners")  # the tests run in Dutch (conftest)
    assert heading not in coach_client.get(dashboard).content.decode()

    lock(marie)
    until = throttle.lock_time_text(
        throttle.throttle_locked_until(scope=throttle.CODE, value=marie.learner_sign_in.code)
    )
    html = coach_client.get(dashboard).content.decode()
    assert heading in html
    assert gettext("%(name)s: locked until %(time)s") % {"name": "Marie", "time": until} in html
    unlock = reverse("coaching:group_learner_unlock", kwargs={"pk": group.pk, "learner_pk": marie.pk})
    assert f'action="{unlock}"' in html
    assert gettext("%(name)s: locked until %(time)s") % {"name": "Yusuf", "time": until} not in html

    response = coach_client.post(unlock)
    assert response.status_code == 302 and response["Location"] == dashboard
    assert not throttle.throttle_locked(scope=throttle.CODE, value=marie.learner_sign_in.code)
    assert gettext("%(name)s can sign in again.") % {"name": "Marie"} in coach_client.get(dashboard).content.decode()


def test_a_fellow_coach_of_the_group_may_unlock(client, group, learners, other_coach):
    group.coaches.add(other_coach)
    lock(learners[0])
    client.force_login(other_coach)
    unlock = reverse("coaching:group_learner_unlock", kwargs={"pk": group.pk, "learner_pk": learners[0].pk})
    assert client.post(unlock).status_code == 302
    assert not throttle.throttle_locked(scope=throttle.CODE, value=learners[0].learner_sign_in.code)


def test_a_learner_outside_the_group_cannot_be_unlocked_through_it(coach_client, coach, group):
    stranger = make_learner(coach, "Kenji")  # the coach's learner, but not in this group
    lock(stranger)
    unlock = reverse("coaching:group_learner_unlock", kwargs={"pk": group.pk, "learner_pk": stranger.pk})
    assert coach_client.post(unlock).status_code == 404
    assert throttle.throttle_locked(scope=throttle.CODE, value=stranger.learner_sign_in.code)
    assert coach_client.get(unlock).status_code == 405


def test_the_lock_list_reads_few_queries_for_a_large_group(coach, group, django_assert_max_num_queries):
    from accounts.selectors import learners_locked

    more = [make_learner(coach, f"Leerling {n}") for n in range(20)]
    services.group_learners_add(coach=coach, group=group, learners=more)
    lock(more[3])
    with django_assert_max_num_queries(2):
        rows = learners_locked(users=group.learners.all())
    assert [str(learner) for learner, _until in rows] == ["Leerling 3"]
