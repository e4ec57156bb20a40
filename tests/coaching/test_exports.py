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
from tests.formula_cases import FORMULA_CASES, FORMULA_IDS

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


# --- No formulas: the one rule of learn/spreadsheets.py, through the real downloads ----------------


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("typed,exported", FORMULA_CASES, ids=FORMULA_IDS)
def test_no_cell_of_the_csv_is_a_formula(coach_client, group, finished, typed, exported):
    finished.display_name = typed
    finished.save()
    response = coach_client.get(reverse("coaching:group_export_csv", kwargs={"pk": group.pk}))
    names = [row[0] for row in csv_rows(response)[1:]]
    assert exported in names


@pytest.mark.parametrize("typed,exported", FORMULA_CASES, ids=FORMULA_IDS)
def test_no_cell_of_the_xlsx_is_a_formula_and_numbers_stay_numbers(coach_client, group, finished, typed, exported):
    finished.display_name = typed
    finished.save()
    with translation.override("en"):
        response = coach_client.get(reverse("coaching:group_export_xlsx", kwargs={"pk": group.pk}))
    rows = xlsx_rows(response)
    # Excel files keep a carriage return as a line break.
    marie = next(row for row in rows[1:] if row[0] in (exported, exported.replace("\r", "\n")))
    assert marie[4:8] == [50, 100, 1, 2]
