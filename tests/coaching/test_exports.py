"""A group's progress as CSV and Excel: streamed, readable back, and safe to open in a spreadsheet."""

import csv
import io
from datetime import timedelta

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import Locale

from coaching import services
from coaching.models import AssignmentKind
from progress.models import LessonProgress, LessonStatus

HEADER = [
    "Learner name",
    "Learner code",
    "Module or lesson",
    "Status",
    "First score (%)",
    "Best score (%)",
    "Hints",
    "Attempts",
    "Time spent (minutes)",
    "Last activity",
]


def english_title(page) -> str:
    return page.get_translation(Locale.objects.get(language_code="en")).title


@pytest.fixture
def finished(group, coach, lessons):
    marie = group.learners.get(display_name="Marie")
    marie.display_name = "=HYPERLINK(1)"
    marie.save()
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.LESSON, target_key=lessons[0].translation_key
    )
    at = timezone.now() - timedelta(minutes=3)
    LessonProgress.objects.create(
        user=marie,
        lesson_key=lessons[0].translation_key,
        status=LessonStatus.COMPLETED,
        first_score=0.5,
        best_score=1.0,
        hints=1,
        attempts=2,
        time_spent_seconds=300,
        started_at=at,
        last_activity_at=at,
    )
    return marie


def test_csv_is_streamed_and_reads_back(coach_client, group, lessons, finished):
    with translation.override("en"):
        response = coach_client.get(reverse("coaching:group_export_csv", kwargs={"pk": group.pk}))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    by_name = {row[0]: row for row in rows[1:]}
    marie = by_name["'=HYPERLINK(1)"]  # a formula becomes plain text
    code = finished.learner_sign_in.code
    assert marie[1] == f"{code[:3]}-{code[3:]}"
    assert marie[2:9] == [english_title(lessons[0]), "Finished", "50", "100", "1", "2", "5"]
    assert by_name["Yusuf"][3] == "Not started"


def test_xlsx_opens_in_openpyxl(coach_client, group, lessons, finished):
    with translation.override("en"):
        response = coach_client.get(reverse("coaching:group_export_xlsx", kwargs={"pk": group.pk}))
    assert isinstance(response, FileResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    marie = next(row for row in rows if row[0] == "'=HYPERLINK(1)")
    assert marie[2:8] == [english_title(lessons[0]), "Finished", 50, 100, 1, 2]
