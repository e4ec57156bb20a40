"""The admin report "Easy-language checks": every lesson in every language, for editors only.

Translations are edited in wagtail-localize's editor, without the checks panel, so the report is
where their text is checked. Its numbers must be those of lessons/checks.py for the same text.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.admin.menu import reports_menu

from lessons import checks
from lessons.models import LessonPage
from tests.factories import CoachFactory, ManagerFactory, editor_with_admin_language, learner_with_pin
from tests.formula_cases import FORMULA_CASES, FORMULA_IDS

REPORT = "/admin/reports/easy-language/"
# 30 words in one sentence: over the limit of lessons/checks.py whatever the language.
LONG_FRENCH_SENTENCE = (
    "Quand vous ouvrez votre boîte aux lettres électronique pour la première fois vous devez choisir "
    "un mot de passe solide que personne ne peut deviner facilement et que vous retenez."
)


@pytest.fixture(autouse=True)
def english():
    """Labels as in the code (English msgids); requests pick the editor's own language."""
    with translation.override("en"):
        yield


@pytest.fixture
def users(course):
    """One person per role, by the names the tests use; the editor's admin speaks English."""
    coach = CoachFactory(username="coach")
    return {
        "redacteur": editor_with_admin_language("en"),
        "coach": coach,
        "leerling": learner_with_pin(coach=coach)[0],
        "manager": ManagerFactory(username="manager"),
    }


@pytest.fixture
def editor_client(client, users):
    client.force_login(users["redacteur"])
    return client


def rows_of(response):
    assert response.status_code == 200
    return list(response.context["object_list"])


def text_block(text: str) -> list[dict]:
    return [{"type": "text", "value": f"<p>{text}</p>"}]


@pytest.fixture
def french_draft_with_long_sentence(course):
    """A French lesson whose latest (unpublished) revision has one 30-word sentence."""
    french = LessonPage.objects.filter(locale__language_code="fr").order_by("path").first()
    assert len(checks.words_of(LONG_FRENCH_SENTENCE)) == 30
    french.body = LessonPage._meta.get_field("body").stream_block.to_python(text_block(LONG_FRENCH_SENTENCE))
    french.save_revision()
    return LessonPage.objects.get(pk=french.pk)


def expected(page: LessonPage) -> checks.LessonReport:
    """What lessons/checks.py says about the text an editor last saved (Wagtail's own way to read it)."""
    return checks.lesson_report(page.get_latest_revision_as_object())


def test_an_editor_sees_lessons_of_every_language_with_their_scores(editor_client):
    response = editor_client.get(REPORT)
    rows = rows_of(response)
    languages = {row.page.locale.language_code for row in rows}
    assert languages == {"nl", "fr", "en", "ar"}
    assert len(rows) == LessonPage.objects.count()
    html = response.content.decode()
    assert "Easy-language checks" in html
    dutch = next(row for row in rows if row.page.locale.language_code == "nl" and row.score is not None)
    french = next(row for row in rows if row.page.locale.language_code == "fr" and row.score is not None)
    arabic = next(row for row in rows if row.page.locale.language_code == "ar")
    for row in (dutch, french):
        assert f"{row.score} ({row.verdict})" in html
        assert reverse("wagtailadmin_pages:edit", args=[row.pk]) in html
    assert arabic.score is None
    assert arabic.verdict == "No readability formula for this language"


def test_most_problems_come_first(editor_client):
    problems = [row.problems for row in rows_of(editor_client.get(REPORT))]
    assert problems == sorted(problems, reverse=True)


def test_a_french_draft_with_a_long_sentence_is_listed_under_only_problems(
    editor_client, french_draft_with_long_sentence
):
    lesson = french_draft_with_long_sentence
    assert lesson.has_unpublished_changes  # the live page is unchanged: the report reads the draft
    response = editor_client.get(REPORT, {"problems": "yes", "locale": "fr"})
    rows = rows_of(response)
    row = next(row for row in rows if row.pk == lesson.pk)
    long_sentences = [issue for issue in expected(lesson).fields[0].issues if issue.kind == "long_sentence"]
    assert len(long_sentences) == 1
    assert row.sentences == 1
    assert all(row.problems > 0 for row in rows)
    assert lesson.title in response.content.decode()


def test_the_language_filter_shows_one_language(editor_client):
    rows = rows_of(editor_client.get(REPORT, {"locale": "ar"}))
    assert rows
    assert {row.page.locale.language_code for row in rows} == {"ar"}
    assert len(rows) == LessonPage.objects.filter(locale__language_code="ar").count()


def test_the_filters_refresh_the_results_without_reloading_the_page(editor_client, french_draft_with_long_sentence):
    html = editor_client.get(REPORT).content.decode()
    assert "Only lessons with problems" in html
    response = editor_client.get(f"{REPORT}results/", {"locale": "fr", "problems": "yes"})
    assert {row.page.locale.language_code for row in rows_of(response)} == {"fr"}


def test_the_numbers_are_those_of_the_checks(editor_client, french_draft_with_long_sentence):
    rows = rows_of(editor_client.get(REPORT))
    assert rows
    for row in rows:
        report = expected(LessonPage.objects.get(pk=row.pk))
        fields = [row.normal, row.easy] if row.easy else [row.normal]
        assert len(fields) == len(report.fields)
        for summary, field in zip(fields, report.fields, strict=True):
            sentence_issues = [issue for issue in field.issues if issue.kind in ("long_sentence", "hard_sentence")]
            assert summary.score == (field.readability.score if field.readability else None)
            if field.readability:
                with translation.override("en"):
                    assert summary.verdict == field.readability.label
            assert summary.sentences == len(sentence_issues)
            assert summary.accessibility == len(field.issues) - len(sentence_issues)
            assert summary.below_target == field.below_target


def test_the_easier_version_has_its_own_columns(editor_client, lesson):
    assert lesson.has_simple_version
    row = next(row for row in rows_of(editor_client.get(REPORT)) if row.pk == lesson.pk)
    easy = expected(lesson).fields[1]
    assert easy.easy
    assert row.easy_score == (easy.readability.score if easy.readability else None)


def test_the_report_can_be_sorted_by_title(editor_client):
    titles = [row.title.lower() for row in rows_of(editor_client.get(REPORT, {"ordering": "title"}))]
    assert titles == sorted(titles)


def test_the_report_downloads_as_csv(editor_client):
    response = editor_client.get(REPORT, {"export": "csv", "locale": "nl"})
    assert response.status_code == 200
    with translation.override("en"):  # the headings are read while the file streams, after the request
        content = b"".join(response.streaming_content).decode()
    assert content.splitlines()[0].startswith("Title,Language,Status,Readability,Verdict")
    assert len(content.strip().splitlines()) == 1 + LessonPage.objects.filter(locale__language_code="nl").count()


# --- Who may see it --------------------------------------------------------------------------------


def menu_names(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return [item.name for item in reports_menu.menu_items_for_request(request)]


def test_the_editor_finds_the_report_in_the_reports_menu(users):
    assert "easy-language-checks" in menu_names(users["redacteur"])


@pytest.mark.parametrize("username", ["coach", "leerling", "manager"])
def test_other_roles_cannot_open_the_report_nor_see_the_menu_item(client, users, username):
    client.force_login(users[username])
    response = client.get(REPORT)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert REPORT not in response["Location"].split("?")[0]
    assert "easy-language-checks" not in menu_names(users[username])


def test_admin_access_without_page_permissions_is_not_enough(client, users):
    """A member of staff who may open the admin but edit no page gets Wagtail's refusal."""
    staff = get_user_model().objects.create_user(username="alleen-admin", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    response = client.get(REPORT)
    assert response.status_code in (302, 403)
    assert b"Easy-language checks</h1>" not in response.content
    assert "easy-language-checks" not in menu_names(staff)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- The download never carries a formula -----------------------------------------------------------


@pytest.mark.parametrize("typed,exported", FORMULA_CASES, ids=FORMULA_IDS)
def test_no_cell_of_the_download_is_a_formula(editor_client, lesson, typed, exported):
    """Titles are typed by editors: the one rule of learn/spreadsheets.py, in CSV (Wagtail guards only Excel)."""
    LessonPage.objects.filter(pk=lesson.pk).update(title=typed)
    response = editor_client.get(REPORT, {"export": "csv", "locale": "nl"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    assert exported in [row[0] for row in rows]

    response = editor_client.get(REPORT, {"export": "xlsx", "locale": "nl"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    titles = [row[0].value for row in sheet.iter_rows()]
    assert exported in titles or exported.replace("\r", "\n") in titles  # Excel keeps \r as a line break
    # Numbers stay numbers: the readability score column holds numbers (or nothing).
    scores = [row[3].value for row in list(sheet.iter_rows())[1:]]
    assert any(isinstance(score, int | float) for score in scores)
