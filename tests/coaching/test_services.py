"""The rules of coaching.services: clear errors, and nothing saved when a rule is broken."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching import services
from coaching.models import Assignment, AssignmentKind, CoachGroup
from lessons.models import LessonPage

from .conftest import make_learner


def test_a_group_belongs_to_the_coach_who_made_it(coach, db):
    group = services.group_create(coach=coach, name="  Bib Mechelen  ")
    assert group.name == "Bib Mechelen"
    assert list(group.coaches.all()) == [coach]


def test_a_group_needs_a_name(coach, db):
    with pytest.raises(ValidationError):
        services.group_create(coach=coach, name="   ")
    assert not CoachGroup.objects.exists()


def test_only_the_coachs_own_learners_can_join(group, coach, other_coach):
    stranger = make_learner(other_coach, "Karim")
    with pytest.raises(ValidationError, match="die je zelf hebt gemaakt"):
        services.group_learners_add(coach=coach, group=group, learners=[stranger])
    assert stranger not in group.learners.all()


def test_another_coach_cannot_change_the_group(group, other_coach, module):
    with pytest.raises(ValidationError, match="geen coach van deze groep"):
        services.assignment_create(
            coach=other_coach, group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key
        )
    assert not Assignment.objects.exists()


def test_an_assignment_for_a_live_module_with_a_date_and_a_note(group, coach, module, learners):
    due = timezone.localdate() + timedelta(days=7)
    assignment = services.assignment_create(
        coach=coach,
        group=group,
        kind=AssignmentKind.MODULE,
        target_key=module.translation_key,
        due=due,
        note=" Voor dinsdag ",
        learners=learners[:1],
    )
    assert (assignment.due, assignment.note, assignment.created_by) == (due, "Voor dinsdag", coach)
    assert list(assignment.learners.all()) == learners[:1]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"target_key": uuid.uuid4()}, "target"),
        ({"kind": AssignmentKind.LESSON}, "target"),  # a module's key is not a lesson
        ({"kind": "simulator"}, "target"),
        ({"due": timezone.localdate() - timedelta(days=1)}, "due"),
    ],
)
def test_bad_assignments_are_refused_with_a_clear_error(group, coach, module, change, field):
    arguments = {"coach": coach, "group": group, "kind": AssignmentKind.MODULE, "target_key": module.translation_key}
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(**{**arguments, **change})
    assert field in caught.value.message_dict
    assert not Assignment.objects.exists()


def test_an_unpublished_lesson_cannot_be_assigned(group, coach, lessons):
    for translation in LessonPage.objects.filter(translation_key=lessons[0].translation_key):
        translation.unpublish()
    with pytest.raises(ValidationError):
        services.assignment_create(
            coach=coach, group=group, kind=AssignmentKind.LESSON, target_key=lessons[0].translation_key
        )
    assert not Assignment.objects.exists()


def test_chosen_learners_must_be_in_the_group(group, coach, module):
    outsider = make_learner(coach, "Noor")
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(
            coach=coach,
            group=group,
            kind=AssignmentKind.MODULE,
            target_key=module.translation_key,
            learners=[outsider],
        )
    assert "learners" in caught.value.message_dict
    assert not Assignment.objects.exists()


def test_learners_made_in_bulk_join_the_group_with_a_code_and_pin(group, coach):
    made = services.group_learners_create(coach=coach, group=group, names=["Ahmed", "", "  Lies "], language="fr")
    assert [str(new.learner) for new in made] == ["Ahmed", "Lies"]
    assert all(new.secret.isdigit() and new.learner.created_by == coach for new in made)
    assert {new.learner for new in made} <= set(group.learners.all())


def test_removing_a_learner_drops_assignments_given_only_to_them(group, coach, module, learners):
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key, learners=learners[:1]
    )
    services.group_learner_remove(coach=coach, group=group, learner=learners[0])
    assert learners[0] not in group.learners.all()
    assert not Assignment.objects.exists()  # not turned into an assignment for the whole group
