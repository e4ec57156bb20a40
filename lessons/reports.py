"""Admin report "Easy-language checks": the checks of lessons/checks.py for every lesson in every language.

Translations are edited in wagtail-localize's own editor, which shows neither the checks panel nor
the warning after saving (lessons/panels.py, lessons/wagtail_hooks.py). This report is where editors
see the French, English and Arabic text checked too.

Which text is checked: a page with unpublished changes is checked in its latest revision (what an
editor last saved, also a translation synced by wagtail-localize); any other page in its stored
content, which is the same text. The numbers come from `lesson_report`, so they always equal what
the panel in the page editor shows.
"""

import datetime
from dataclasses import dataclass

import django_filters
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from learn.spreadsheets import cell_neutralise

from .checks import FieldReport, LessonReport, lesson_report
from .models import LessonPage

# Who sees the report: people who may edit or publish pages (the Editors group, administrators).
EDIT_ACTIONS = ["change", "publish"]
# Issue kinds about the sentences; every other kind (alt text, captions, transcripts, links) is about
# accessibility. Kinds are named in lessons/checks.py.
SENTENCE_ISSUES = frozenset({"long_sentence", "hard_sentence"})
ONLY_PROBLEMS = "yes"


def page_permission_policy() -> PagePermissionPolicy:
    return PagePermissionPolicy()


def user_may_see_report(user) -> bool:
    return page_permission_policy().user_has_any_permission(user, EDIT_ACTIONS)


@dataclass(frozen=True)
class TextSummary:
    """The numbers of one text of a lesson: its normal content or its easier version."""

    score: int | None
    verdict: str
    sentences: int
    accessibility: int
    below_target: bool

    @classmethod
    def of(cls, field: FieldReport, report: LessonReport) -> "TextSummary":
        if field.readability is not None:
            verdict = field.readability.label
        elif report.formula is None:
            verdict = str(_("No readability formula for this language"))
        else:
            verdict = str(_("Too little text to give a readability score."))
        sentences = sum(1 for issue in field.issues if issue.kind in SENTENCE_ISSUES)
        return cls(
            score=field.readability.score if field.readability is not None else None,
            verdict=verdict,
            sentences=sentences,
            accessibility=len(field.issues) - sentences,
            below_target=field.below_target,
        )

    @property
    def problems(self) -> int:
        # A score below the target counts as one problem, as it gets a warning after saving.
        return self.sentences + self.accessibility + int(self.below_target)


@dataclass(frozen=True)
class LessonChecksRow:
    """One lesson in the report: where it is, and the numbers of its text and its easier version."""

    page: LessonPage
    title: str
    language: str
    status: str
    normal: TextSummary
    easy: TextSummary | None

    @classmethod
    def of(cls, page: LessonPage, checked: LessonPage) -> "LessonChecksRow":
        report = lesson_report(checked)
        summaries = [TextSummary.of(field, report) for field in report.fields]
        return cls(
            page=page,
            title=checked.title,
            language=page.locale.get_display_name(),
            status=str(page.status_string),
            normal=summaries[0],
            easy=summaries[1] if len(summaries) > 1 else None,
        )

    @property
    def pk(self) -> int:
        return self.page.pk

    @property
    def problems(self) -> int:
        return self.normal.problems + (self.easy.problems if self.easy else 0)

    # Flat names for the table columns, sorting and the spreadsheet export.
    score = property(lambda self: self.normal.score)
    verdict = property(lambda self: self.normal.verdict)
    sentences = property(lambda self: self.normal.sentences)
    accessibility = property(lambda self: self.normal.accessibility)
    easy_score = property(lambda self: self.easy.score if self.easy else None)
    easy_verdict = property(lambda self: self.easy.verdict if self.easy else "")
    easy_sentences = property(lambda self: self.easy.sentences if self.easy else None)
    easy_accessibility = property(lambda self: self.easy.accessibility if self.easy else None)

    @property
    def readability(self) -> str:
        return _readability_text(self.normal)

    @property
    def easy_readability(self) -> str:
        return _readability_text(self.easy) if self.easy else str(_("No easier version"))


def _readability_text(summary: TextSummary) -> str:
    if summary.score is None:
        return summary.verdict
    return f"{summary.score} ({summary.verdict})"


def checked_version(page: LessonPage) -> LessonPage:
    """The page as last saved: its latest revision when that is not live yet, else the page itself.

    The revision's JSON is read without `with_content_json`, which looks up the parent and comments
    (three queries per page); the checks only need the text fields and the language.
    """
    revision = page.latest_revision
    if not page.has_unpublished_changes or revision is None:
        return page
    checked = LessonPage.from_serializable_data(revision.content)
    checked.locale = page.locale  # a page keeps its language across revisions
    return checked


class LessonChecksFilterSet(WagtailFilterSet):
    # The locale filter ("Locale": all, Nederlands, français...) is added by WagtailFilterSet.
    problems = django_filters.ChoiceFilter(
        label=_("Problems"),
        choices=[(ONLY_PROBLEMS, _("Only lessons with problems"))],
        empty_label=_("All lessons"),
        widget=forms.RadioSelect,
        # Problems are known only after checking, so the view applies this choice to the rows.
        method=lambda queryset, name, value: queryset,
    )

    class Meta:
        model = LessonPage
        fields: list[str] = []


class LessonChecksReportView(ReportView):
    """Every lesson the user may edit, all languages, live and draft, with the most problems first."""

    page_title = _("Easy-language checks")
    header_icon = "doc-full"
    index_url_name = "lessons_easy_language_report"
    index_results_url_name = "lessons_easy_language_report_results"
    filterset_class = LessonChecksFilterSet
    any_permission_required = EDIT_ACTIONS
    default_ordering = "-problems"
    # All lessons are checked before paging (sorting needs every row), so one page shows many.
    paginate_by = 100
    columns = [
        TitleColumn(
            "title",
            label=_("Title"),
            get_url=lambda row: reverse("wagtailadmin_pages:edit", args=[row.pk]),
            sort_key="title",
        ),
        Column("language", label=_("Language"), sort_key="language"),
        Column("status", label=_("Status")),
        Column("readability", label=_("Readability"), sort_key="score"),
        Column("sentences", label=_("Long or hard sentences"), sort_key="sentences"),
        Column("accessibility", label=_("Accessibility warnings"), sort_key="accessibility"),
        Column("easy_readability", label=_("Easier version: readability"), sort_key="easy_score"),
        Column("easy_sentences", label=_("Easier version: long or hard sentences"), sort_key="easy_sentences"),
        Column("easy_accessibility", label=_("Easier version: accessibility warnings"), sort_key="easy_accessibility"),
        Column("problems", label=_("Problems in total"), sort_key="problems"),
    ]
    list_export = [
        "title",
        "language",
        "status",
        "score",
        "verdict",
        "sentences",
        "accessibility",
        "easy_score",
        "easy_verdict",
        "easy_sentences",
        "easy_accessibility",
        "problems",
    ]
    export_headings = {
        "title": _("Title"),
        "language": _("Language"),
        "status": _("Status"),
        "score": _("Readability"),
        "verdict": _("Verdict"),
        "sentences": _("Long or hard sentences"),
        "accessibility": _("Accessibility warnings"),
        "easy_score": _("Easier version: readability"),
        "easy_verdict": _("Easier version: verdict"),
        "easy_sentences": _("Easier version: long or hard sentences"),
        "easy_accessibility": _("Easier version: accessibility warnings"),
        "problems": _("Problems in total"),
    }

    @cached_property
    def permission_policy(self):
        # Rows are lessons, not a model: the check is the page policy, as for Wagtail's page reports.
        return page_permission_policy()

    def get_filename(self):
        return f"easy-language-checks-{datetime.date.today():%Y-%m-%d}"

    def preprocess_field_value(self, field, value, export_format):
        # Titles are typed by people: the one formula rule of every export (learn/spreadsheets.py).
        # Wagtail's own export only guards Excel cells, not CSV.
        return cell_neutralise(value=super().preprocess_field_value(field, value, export_format))

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_any_permission_for(self.request.user, EDIT_ACTIONS)
        # The specific pages with their language and latest revision in one query; the status
        # ("live + draft", "in moderation") from Wagtail's annotations instead of two queries a page.
        self.queryset = (
            LessonPage.objects.filter(pk__in=editable.values("pk"))
            .select_related("locale", "latest_revision")
            .annotate_approved_schedule()
            .prefetch_workflow_states()
            .order_by("path")
        )
        return super().get_queryset()

    def order_queryset(self, queryset):
        return queryset  # the rows are sorted after checking, in `sort_rows`

    @property
    def only_problems(self) -> bool:
        return bool(self.filters and self.filters.is_valid() and self.filters.form.cleaned_data.get("problems"))

    def get_filtered_queryset(self):
        rows = [LessonChecksRow.of(page, checked_version(page)) for page in self.filter_queryset(self.get_queryset())]
        if self.only_problems:
            rows = [row for row in rows if row.problems]
        return self.sort_rows(rows)

    def sort_rows(self, rows: list[LessonChecksRow]) -> list[LessonChecksRow]:
        key = self.ordering.lstrip("-")
        descending = self.ordering.startswith("-")
        rows = sorted(rows, key=lambda row: (row.title.lower(), row.language))
        # Empty values (no score, no easier version) go last in both directions.
        known = [row for row in rows if getattr(row, key) is not None]
        unknown = [row for row in rows if getattr(row, key) is None]

        def value(row):
            found = getattr(row, key)
            return found.lower() if isinstance(found, str) else found

        return sorted(known, key=value, reverse=descending) + unknown
