"""Learners see what their coach gave them in "My learning", late items marked in words."""

from datetime import timedelta

from django.utils import timezone

from coaching import services
from coaching.models import AssignmentKind

from .test_exports import english_title

MY_LEARNING = "/en/my-learning/"


def test_group_and_personal_assignments_show_with_date_note_and_late_mark(client, group, coach, module, lessons):
    marie, yusuf = group.learners.get(display_name="Marie"), group.learners.get(display_name="Yusuf")
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key, note="Voor dinsdag"
    )
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.LESSON, target_key=lessons[1].translation_key, learners=[marie]
    )
    group.assignments.filter(kind=AssignmentKind.LESSON).update(due=timezone.localdate() - timedelta(days=2))

    client.force_login(marie)
    html = client.get(MY_LEARNING).content.decode()
    assert "Voor dinsdag" in html
    assert english_title(module) in html and english_title(lessons[1]) in html
    assert 'class="status-overdue"' in html and "Late: this was due on" in html

    client.force_login(yusuf)
    html = client.get(MY_LEARNING).content.decode()
    assert "Voor dinsdag" in html and english_title(lessons[1]) not in html
    assert 'class="status-overdue"' not in html  # Marie's lesson is not his


def test_learners_outside_the_group_see_nothing(client, group, coach, module, other_coach):
    from .conftest import make_learner

    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key, note="Voor dinsdag"
    )
    client.force_login(make_learner(other_coach, "Karim"))
    assert "Voor dinsdag" not in client.get(MY_LEARNING).content.decode()
