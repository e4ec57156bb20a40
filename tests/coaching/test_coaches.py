"""A group can have more than one coach: a coach adds a fellow coach by user name, and leaves the group
when somebody else keeps coaching it."""

from django.urls import reverse
from django.utils import translation

from accounts.models import User

from .conftest import make_coach


def _coaches_url(group):
    return reverse("coaching:group_coaches", kwargs={"pk": group.pk})


def test_a_coach_adds_a_fellow_coach_who_then_sees_the_group_and_its_progress(client, coach_client, group, other_coach):
    page = coach_client.get(_coaches_url(group)).content.decode()
    assert "An" in page and "Bo" not in page
    response = coach_client.post(_coaches_url(group), {"username": "  COACH-BO "}, follow=True)
    assert response.redirect_chain[-1][0] == _coaches_url(group)
    assert set(group.coaches.values_list("username", flat=True)) == {"coach-an", "coach-bo"}
    with translation.override("nl"):
        assert translation.gettext("%(name)s is now also a coach of this group.") % {"name": "Bo"} in (
            response.content.decode()
        )
    client.force_login(other_coach)
    assert group.name in client.get(reverse("coaching:group_list")).content.decode()
    assert client.get(reverse("coaching:group_dashboard", kwargs={"pk": group.pk})).status_code == 200


def test_unknown_names_and_people_who_are_not_coaches_get_the_same_answer_and_nothing_changes(
    coach_client, group, learners, django_user_model
):
    django_user_model.objects.create_user("jan-redacteur", password="x-wachtwoord-123")
    retired = make_coach(django_user_model, "coach-oud", "Oud")
    User.objects.filter(pk=retired.pk).update(is_active=False)
    answers = []
    for username in ("niemand", "jan-redacteur", learners[0].username, "coach-oud"):
        response = coach_client.post(_coaches_url(group), {"username": username})
        assert response.status_code == 200
        answers.append(response.context["form"].errors["username"])
    assert len({tuple(answer) for answer in answers}) == 1  # never tells who has an account
    assert list(group.coaches.values_list("username", flat=True)) == ["coach-an"]
    empty = coach_client.post(_coaches_url(group), {"username": ""})
    assert empty.context["form"].errors["username"] and group.coaches.count() == 1


def test_a_coach_already_in_the_group_is_not_added_twice(coach_client, group):
    response = coach_client.post(_coaches_url(group), {"username": "coach-an"})
    assert response.status_code == 200 and response.context["form"].errors["username"]
    assert group.coaches.count() == 1


def test_the_last_coach_cannot_leave_but_one_of_two_can(client, coach_client, group, other_coach):
    leave = reverse("coaching:group_leave", kwargs={"pk": group.pk})
    response = coach_client.post(leave, follow=True)
    assert response.redirect_chain[-1][0] == _coaches_url(group)
    assert 'class="message message-error"' in response.content.decode()
    assert group.coaches.count() == 1

    group.coaches.add(other_coach)
    response = coach_client.post(leave)
    assert response.status_code == 302 and response["Location"] == reverse("coaching:group_list")
    assert list(group.coaches.values_list("username", flat=True)) == ["coach-bo"]
    assert group.learners.count() == 2  # the learners stay with the group
    assert coach_client.get(reverse("coaching:group_dashboard", kwargs={"pk": group.pk})).status_code == 404
