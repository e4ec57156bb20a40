"""No learner is ever left without a coach: a coach hands their learners over before their account can go,
and an administrator can reach and erase anyone from the Wagtail admin with the same erasure service."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles, services
from accounts.models import SignInKind, User
from coaching.models import CoachGroup

NO_COACH = "There is no coach with this user name. Check the spelling."


@pytest.fixture
def group(coach, pin_learner):
    group = CoachGroup.objects.create(name="Digibank Nekkerspoel, dinsdag")
    group.coaches.add(coach)
    group.learners.add(pin_learner.learner)
    return group


@pytest.fixture
def admin_client(client, django_user_model):
    from wagtail.users.models import UserProfile

    admin = django_user_model.objects.create_superuser("beheer", password="beheer-wachtwoord")
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"  # the admin speaks the person's own language; these tests read English
    profile.save()
    client.force_login(admin)
    return client


def test_the_only_coach_cannot_delete_their_account_and_is_offered_a_hand_over(coach_client, coach, pin_learner):
    page = coach_client.get("/en/account/delete/").content.decode()
    assert "You are the only coach of 1 learner." in page
    assert 'name="username"' in page and 'type="password"' not in page

    coach_client.post("/en/account/delete/", {"password": "coach-an-wachtwoord"})
    assert User.objects.filter(pk=coach.pk).exists()
    with pytest.raises(services.OrphansLeft):
        services.person_erase(user=coach)
    assert User.objects.filter(pk=coach.pk).exists()


def test_a_hand_over_answers_the_same_for_unknown_names_and_non_coaches(
    coach_client, coach, pin_learner, picture_learner
):
    for name in ("nobody-here", picture_learner.learner.username, ""):
        page = coach_client.post("/en/account/delete/", {"action": "hand_over", "username": name}).content.decode()
        assert (NO_COACH if name else "Write the user name of the other coach.") in page
    assert coach_client.post("/en/account/delete/", {"action": "hand_over", "username": "COACH-AN"}).status_code == 200
    pin_learner.learner.refresh_from_db()
    assert pin_learner.learner.created_by == coach


def test_after_the_hand_over_the_other_coach_reaches_the_learner_and_the_coach_can_go(
    client, coach, other_coach, pin_learner, group
):
    learner = pin_learner.learner
    client.force_login(learner)
    client.post("/en/account/delete/", {"action": "request"})  # the learner asked to delete their account

    client.force_login(coach)
    response = client.post("/en/account/delete/", {"action": "hand_over", "username": " Coach-Bo "}, follow=True)
    assert "Bo now coaches your learners and your groups." in response.content.decode()
    learner.refresh_from_db()
    assert learner.created_by == other_coach
    assert set(group.coaches.all()) == {coach, other_coach}

    page = client.get("/en/account/delete/").content.decode()
    assert 'type="password"' in page and "only coach" not in page
    client.post("/en/account/delete/", {"password": "coach-an-wachtwoord"})
    assert not User.objects.filter(pk=coach.pk).exists()
    assert list(group.coaches.all()) == [other_coach]

    # The erasure the learner asked for can still be done, by the coach who took over.
    client.force_login(other_coach)
    assert "to delete the account" in client.get("/en/account/coach/").content.decode()
    client.post(f"/en/account/coach/learners/{learner.pk}/delete/")
    assert not User.objects.filter(pk=learner.pk).exists()


def test_the_only_coach_of_a_group_hands_it_over_too(coach, other_coach, django_user_model):
    """Learners made by someone else but in a group only this coach coaches would lose their coach too."""
    third = django_user_model.objects.create_user("coach-cy", password="x", display_name="Cy")
    third.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
    learner = services.learner_create(coach=third, display_name="Noor", language="nl", kind=SignInKind.PIN).learner
    group = CoachGroup.objects.create(name="Dinsdag")
    group.coaches.add(coach)
    group.learners.add(learner)
    assert services.person_orphans(user=coach) == {learner.pk}
    services.learners_hand_over(coach=coach, username="coach-bo")
    assert services.person_orphans(user=coach) == set()
    services.person_erase(user=coach)
    assert list(group.coaches.all()) == [other_coach]


def test_an_administrator_finds_and_erases_anyone_from_the_wagtail_admin(admin_client, coach, pin_learner):
    learner = pin_learner.learner
    services.account_deletion_request(user=learner)
    page = admin_client.get("/admin/privacy/").content.decode()
    assert "Asked to delete their account" in page and f"/admin/privacy/{learner.pk}/erase/" in page

    found = admin_client.get("/admin/privacy/", {"q": learner.learner_sign_in.code}).content.decode()
    assert "Marie" in found

    confirm = admin_client.get(f"/admin/privacy/{learner.pk}/erase/").content.decode()
    assert "Erase this person and all their data" in confirm
    # The download's own titles speak to the learner ("Your account"): here they are quoted as such.
    assert "in their data download: 1 item" in confirm
    response = admin_client.post(f"/admin/privacy/{learner.pk}/erase/", {"action": "erase"}, follow=True)
    assert "Marie and all their data are erased." in response.content.decode()
    assert not User.objects.filter(pk=learner.pk).exists()


def test_the_administrator_hands_over_an_orphaned_coachs_learners_first(admin_client, coach, other_coach, pin_learner):
    page = admin_client.get(f"/admin/privacy/{coach.pk}/erase/").content.decode()
    assert "This person is the only coach of 1 learner." in page
    admin_client.post(f"/admin/privacy/{coach.pk}/erase/", {"action": "erase"})
    assert User.objects.filter(pk=coach.pk).exists()  # refused: the learner would lose their coach
    admin_client.post(f"/admin/privacy/{coach.pk}/erase/", {"action": "hand_over", "username": "coach-bo"})
    admin_client.post(f"/admin/privacy/{coach.pk}/erase/", {"action": "erase"})
    assert not User.objects.filter(pk=coach.pk).exists()
    pin_learner.learner.refresh_from_db()
    assert pin_learner.learner.created_by == other_coach


def test_learners_left_without_a_coach_are_listed_for_the_administrator(admin_client, pin_learner):
    User.objects.filter(pk=pin_learner.learner.pk).update(created_by=None)  # as before hand-overs existed
    page = admin_client.get("/admin/privacy/").content.decode()
    assert f"/admin/privacy/{pin_learner.learner.pk}/erase/" in page.split("Learners without a coach</h2>")[1]


def test_wagtails_own_user_delete_goes_through_the_erasure(admin_client, coach, pin_learner):
    response = admin_client.post(reverse("wagtailusers_users:delete", args=[coach.pk]))
    assert response.status_code == 302 and response["Location"] == f"/admin/privacy/{coach.pk}/erase/"
    assert User.objects.filter(pk=coach.pk).exists()
    listing = admin_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert f"/admin/privacy/{coach.pk}/erase/" in listing


def test_only_administrators_may_erase(client, coach, pin_learner):
    client.force_login(coach)
    assert client.get("/admin/privacy/").status_code in (302, 403)
    assert client.post(f"/admin/privacy/{pin_learner.learner.pk}/erase/", {"action": "erase"}).status_code in (302, 403)
    assert User.objects.filter(pk=pin_learner.learner.pk).exists()


def test_a_coach_cannot_delete_a_learner_who_is_the_only_coach_of_others(coach_client, coach, pin_learner):
    learner = pin_learner.learner
    learner.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
    services.learner_create(coach=learner, display_name="Noor", language="nl", kind=SignInKind.PIN)
    response = coach_client.post(f"/en/account/coach/learners/{learner.pk}/delete/", follow=True)
    assert "Marie is also the only coach of other learners." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()
