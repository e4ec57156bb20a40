"""Every coach URL: another coach's ids answer 404, learners 403, anonymous visitors go to sign in."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from coaching import services
from coaching.models import AssignmentKind

from .conftest import make_learner


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def urls(group, coach, module, learners):
    assignment = services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key
    )
    sheet = services.card_sheet_request(coach=coach, group=group, learners=learners)
    services.card_sheet_render(sheet_id=sheet.pk)
    g = {"pk": group.pk}
    s = {**g, "sheet_pk": sheet.pk}
    return [
        ("get", reverse("coaching:group_card_sheets", kwargs=g)),
        ("post", reverse("coaching:group_card_sheets", kwargs=g)),
        ("get", reverse("coaching:card_sheet", kwargs=s)),
        ("get", reverse("coaching:card_sheet", kwargs=s) + "?fragment=1"),
        ("get", reverse("coaching:card_sheet_download", kwargs=s)),
        ("post", reverse("coaching:card_sheet_remove", kwargs=s)),
        ("get", reverse("coaching:group_dashboard", kwargs=g)),
        ("get", reverse("coaching:group_dashboard", kwargs=g) + "?fragment=1"),
        ("get", reverse("coaching:group_learners", kwargs=g)),
        ("get", reverse("coaching:group_coaches", kwargs=g)),
        ("post", reverse("coaching:group_coaches", kwargs=g)),
        ("post", reverse("coaching:group_leave", kwargs=g)),
        ("post", reverse("coaching:group_learners", kwargs=g)),
        ("get", reverse("coaching:group_learners_create", kwargs=g)),
        ("post", reverse("coaching:group_learners_create", kwargs=g)),
        ("post", reverse("coaching:group_learner_remove", kwargs={**g, "learner_pk": learners[0].pk})),
        ("post", reverse("coaching:group_learner_unlock", kwargs={**g, "learner_pk": learners[0].pk})),
        ("get", reverse("coaching:assignment_create", kwargs=g)),
        ("post", reverse("coaching:assignment_create", kwargs=g)),
        ("get", reverse("coaching:assignment_delete", kwargs={**g, "assignment_pk": assignment.pk})),
        ("post", reverse("coaching:assignment_delete", kwargs={**g, "assignment_pk": assignment.pk})),
        ("get", reverse("coaching:group_export_csv", kwargs=g)),
        ("get", reverse("coaching:group_export_xlsx", kwargs=g)),
    ]


GENERAL = ["coaching:group_list", "coaching:group_create"]


def test_another_coachs_group_assignment_and_learner_ids_answer_404(client, other_coach, urls, group, learners):
    client.force_login(other_coach)
    for method, url in urls:
        response = getattr(client, method)(
            url, {"names": "Eva", "learners": [learners[0].pk], "username": other_coach.username}
        )
        assert response.status_code == 404, (method, url, response.status_code)
    assert group.learners.count() == 2 and group.assignments.count() == 1
    assert other_coach not in group.coaches.all()  # another coach cannot add themselves


def test_a_learner_of_another_group_cannot_be_removed_through_my_group(coach_client, coach, group):
    other_group = services.group_create(coach=coach, name="Bib")
    stranger = make_learner(coach, "Noor")
    services.group_learners_add(coach=coach, group=other_group, learners=[stranger])
    response = coach_client.post(
        reverse("coaching:group_learner_remove", kwargs={"pk": group.pk, "learner_pk": stranger.pk})
    )
    assert response.status_code == 404
    assert stranger in other_group.learners.all()


def test_learners_get_403_on_every_coach_page(client, urls, learners):
    client.force_login(learners[0])
    for method, url in urls + [("get", reverse(name)) for name in GENERAL]:
        assert getattr(client, method)(url).status_code == 403, url


@pytest.mark.parametrize("role", [roles.TRAINING_MANAGERS, roles.EDITORS, roles.PROGRAMME_COORDINATORS])
def test_other_roles_get_403_on_every_coach_page(client, urls, django_user_model, role):
    user = django_user_model.objects.create_user(f"user-{len(role)}", password="een-goed-wachtwoord", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    client.force_login(user)
    for method, url in urls + [("get", reverse(name)) for name in GENERAL]:
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client, urls):
    for method, url in urls + [("get", reverse(name)) for name in GENERAL]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), url


def test_a_coach_sees_only_their_own_groups(client, other_coach, group):
    services.group_create(coach=other_coach, name="Groep van Bo")
    client.force_login(other_coach)
    html = client.get(reverse("coaching:group_list")).content.decode()
    assert "Groep van Bo" in html
    assert group.name not in html


def test_a_shared_group_is_open_to_each_of_its_coaches(client, other_coach, group):
    group.coaches.add(other_coach)
    client.force_login(other_coach)
    assert client.get(reverse("coaching:group_dashboard", kwargs={"pk": group.pk})).status_code == 200


def test_every_coach_url_is_in_the_lists_above(urls):
    """A new coach page must join these permission tests: each URL name of coaching/urls.py is listed."""
    from django.urls import resolve

    from coaching.urls import urlpatterns

    tested = {resolve(url.split("?")[0]).url_name for _method, url in urls} | {name.split(":")[1] for name in GENERAL}
    assert {pattern.name for pattern in urlpatterns} == tested
