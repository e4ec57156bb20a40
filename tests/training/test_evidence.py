"""Issue 12: certificates only from checked evidence; H5P results count only where a programme says so."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from lessons.activities import h5p_activity_id, lesson_activity_id
from lessons.models import LessonPage
from progress.models import LessonProgress
from progress.services import statements_ingest
from tests.h5p.player_support import h5p_block_add, ready_content
from tests.progress.evidence import forged_completed, statement
from tests.progress.evidence import lesson_done as answered_lesson
from training import selectors, services
from training.models import Certificate, Enrolment, ItemKind, Programme, ProgrammeItem

from .conftest import lesson_done, make_staff, module_done


@pytest.fixture
def karim(django_user_model, park_team, required):
    staff = make_staff(django_user_model, park_team, "G-1", "Karim El Amrani")
    services.enrolments_sync(today=date(2026, 11, 1))
    return staff


def programme_lessons(lessons, other_module):
    return [lessons[0], *LessonPage.objects.live().child_of(other_module).order_by("path")]


def test_forged_completed_statements_make_no_certificate(
    client, karim, lessons, other_module, django_capture_on_commit_callbacks
):
    """The path of issue 12, through the real endpoint: "completed" for each lesson, no answer."""
    client.force_login(karim.user)
    forged = [forged_completed(lesson) for lesson in programme_lessons(lessons, other_module)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/progress/statements", data=json.dumps(forged), content_type="application/json")
    assert response.status_code == 200
    services.completions_update()  # the nightly safety net finds nothing either
    assert Enrolment.objects.get(staff=karim).completed_at is None
    assert not Certificate.objects.exists()


def test_answering_the_questions_makes_the_certificate(
    karim, lessons, other_module, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in programme_lessons(lessons, other_module):
            statements_ingest(user=karim.user, statements=answered_lesson(lesson, right=False))
    # Wrong answers still finish a lesson whose rule is "answered": the answers are the evidence.
    assert Enrolment.objects.get(staff=karim).completed_at is not None
    assert Certificate.objects.get(staff=karim).pdf


# --- H5P results and the programme's setting ----------------------------------------------------------


def test_lessons_finished_on_h5p_results_count_only_where_the_programme_lets_them(
    karim, programme, lessons, other_module
):
    lesson_done(karim.user, lessons[0].translation_key, checked=False)  # finished on an H5P player's word
    module_done(karim.user, other_module.translation_key)
    assert services.completions_update() == []
    (row,) = selectors.compliance_rows(staff_ids=[karim.pk])
    assert (row.items_done, row.items_total) == (1, 2)

    Programme.objects.filter(pk=programme.pk).update(player_results_count=True)
    (row,) = selectors.compliance_rows(staff_ids=[karim.pk])
    assert row.items_done == 2
    assert len(services.completions_update()) == 1


def test_a_module_counts_when_every_lesson_is_checked(karim, programme, lessons, other_module):
    lesson_done(karim.user, lessons[0].translation_key)
    module_done(karim.user, other_module.translation_key, checked=False)
    assert services.completions_update() == []
    Programme.objects.filter(pk=programme.pk).update(player_results_count=True)
    assert len(services.completions_update()) == 1


@pytest.fixture
def h5p_programme(karim, lessons, programme):
    """The programme is one lesson whose only exercise is an H5P block ("done when answered")."""
    lesson = lessons[0]
    keep = [block for block in lesson.body.raw_data if block["type"] not in ("question", "h5p", "simulator")]
    lesson.body, lesson.simple_body = keep, []
    lesson.save_revision().publish()
    block_id = h5p_block_add(LessonPage.objects.get(pk=lesson.pk), ready_content(), completion="answered")
    ProgrammeItem.objects.filter(programme=programme).exclude(target_key=lesson.translation_key).delete()
    assert list(ProgrammeItem.objects.filter(programme=programme).values_list("kind", flat=True)) == [ItemKind.LESSON]
    return LessonPage.objects.get(pk=lesson.pk), block_id


def played(lesson, block_id):
    result = {"success": True, "score": {"scaled": 1.0, "raw": 1, "min": 0, "max": 1}}
    return statement(h5p_activity_id(lesson, block_id), "answered", result=result)


def test_playing_an_h5p_exercise_certifies_only_where_the_programme_lets_it(
    karim, programme, h5p_programme, django_capture_on_commit_callbacks
):
    lesson, block_id = h5p_programme
    with django_capture_on_commit_callbacks(execute=True):
        statements_ingest(user=karim.user, statements=[statement(lesson_activity_id(lesson)), played(lesson, block_id)])
    assert LessonProgress.objects.get(user=karim.user).status == "completed"  # it counts for the lesson
    assert not Certificate.objects.exists()  # but not for a programme that asks for checked evidence

    Programme.objects.filter(pk=programme.pk).update(player_results_count=True)
    (enrolment_id,) = services.completions_update()
    assert services.certificate_make(enrolment_id=enrolment_id).pdf


def test_without_h5p_results_reading_the_lesson_long_enough_is_the_evidence(
    karim, programme, h5p_programme, django_capture_on_commit_callbacks
):
    lesson, block_id = h5p_programme
    statements_ingest(user=karim.user, statements=[statement(lesson_activity_id(lesson)), played(lesson, block_id)])
    LessonProgress.objects.filter(user=karim.user).update(opened_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        statements_ingest(user=karim.user, statements=[forged_completed(lesson)])
    assert Certificate.objects.get(staff=karim).pdf


def test_editors_set_whether_h5p_results_count_in_the_programme_editor(client, django_user_model, programme):
    assert programme.player_results_count is False  # off unless an editor turns it on
    admin = django_user_model.objects.create_superuser("beheer", password="een-wachtwoord-123")
    client.force_login(admin)
    page = client.get(f"/admin/snippets/training/programme/edit/{programme.pk}/").content.decode()
    assert 'name="player_results_count"' in page
    assert "H5P results count for the certificate" in page or "H5P-resultaten tellen mee" in page
