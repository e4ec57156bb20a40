"""A coach's way through the pages: make a group, fill it, give a task, take it back."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from coaching.models import Assignment, CoachGroup
from lessons.models import HelpPoint
from tests.factories import HelpPointFactory

from .conftest import make_learner


def test_make_a_group_at_a_help_point(coach_client, coach, site_pages):
    HelpPointFactory(name="Bibliotheek Predikheren")
    point = HelpPoint.objects.filter(locale__language_code="nl").first()
    response = coach_client.post(reverse("coaching:group_create"), {"name": "Bib, woensdag", "help_point": point.pk})
    group = CoachGroup.objects.get(name="Bib, woensdag")
    assert response["Location"] == reverse("coaching:group_learners", kwargs={"pk": group.pk})
    assert group.help_point == point and list(group.coaches.all()) == [coach]
    html = coach_client.get(reverse("coaching:group_list")).content.decode()
    assert "Bib, woensdag" in html and point.name in html
    assert reverse("coach_learners:list") in html


def test_a_group_without_a_name_is_refused(coach_client, site_pages):
    response = coach_client.post(reverse("coaching:group_create"), {"name": ""})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not CoachGroup.objects.exists()


def test_add_own_learners_but_not_someone_elses(coach_client, coach, other_coach, group):
    new = make_learner(coach, "Noor")
    stranger = make_learner(other_coach, "Karim")
    url = reverse("coaching:group_learners", kwargs={"pk": group.pk})
    html = coach_client.get(url).content.decode()
    assert "Noor" in html and "Karim" not in html
    assert coach_client.post(url, {"learners": [stranger.pk]}).status_code == 200
    assert stranger not in group.learners.all()
    assert coach_client.post(url, {"learners": [new.pk]}).status_code == 302
    assert new in group.learners.all()


def test_make_learners_in_bulk_shows_codes_and_pins_once(coach_client, group):
    url = reverse("coaching:group_learners_create", kwargs={"pk": group.pk})
    response = coach_client.post(url, {"names": "Ahmed\n\n  Lies  \n", "preferred_language": "nl"})
    html = response.content.decode()
    made = list(group.learners.filter(display_name__in=["Ahmed", "Lies"]))
    assert len(made) == 2
    for learner in made:
        code = learner.learner_sign_in.code
        assert f"{code[:3]}-{code[3:]}" in html
        assert reverse("coach_learners:card", kwargs={"pk": learner.pk}) in html
    assert html.count('<td class="code-text">') == 4  # code and PIN for each


def test_give_a_task_and_take_it_back(coach_client, group, module, lessons):
    url = reverse("coaching:assignment_create", kwargs={"pk": group.pk})
    html = coach_client.get(url).content.decode()
    assert f'value="module:{module.translation_key}"' in html
    assert f'value="lesson:{lessons[0].translation_key}"' in html

    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = coach_client.post(url, {"target": f"module:{module.translation_key}", "due": past})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not Assignment.objects.exists()

    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = coach_client.post(url, {"target": f"module:{module.translation_key}", "due": due, "note": "Samen"})
    assert response["Location"] == reverse("coaching:group_dashboard", kwargs={"pk": group.pk})
    assignment = Assignment.objects.get()
    assert (assignment.note, assignment.due.isoformat(), assignment.learners.count()) == ("Samen", due, 0)

    delete = reverse("coaching:assignment_delete", kwargs={"pk": group.pk, "assignment_pk": assignment.pk})
    assert module.title in coach_client.get(delete).content.decode()
    assert coach_client.post(delete).status_code == 302
    assert not Assignment.objects.exists()


def test_take_a_learner_out_of_the_group(coach_client, group, learners):
    url = reverse("coaching:group_learner_remove", kwargs={"pk": group.pk, "learner_pk": learners[0].pk})
    assert coach_client.get(url).status_code == 405
    assert coach_client.post(url).status_code == 302
    assert learners[0] not in group.learners.all()
