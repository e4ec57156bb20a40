"""Lessons in the Wagtail admin: Wagtail's content checker with more rules, and warnings after saving.

Wagtail (8.0) already shows, in the page editor's "Checks" side panel and in the userbar, content
metrics of the preview (word count, reading time and a LIX readability label) and an axe-core
accessibility check of a short list of rules. This module switches more of Wagtail's axe rules on
(alt text, captions, lists, contrast, language, headings, target size) and tightens Wagtail's own
alt-text rule with the vague words editors tend to write. Our own checks of the stored content
(lessons/checks.py: readability per language, long and hard sentences, alt text, captions, vague
link texts) are shown in a panel of the lesson editor (lessons/panels.py) and as a warning after
each save. The report "Easy-language checks" (lessons/reports.py) lists the same checks for every
lesson in every language, since translations are edited where neither the panel nor the warning shows.
"""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.userbar import ContentCheckerItem

from .checks import VAGUE_ALT_TEXTS, lesson_report

# At most this many places are listed in the message after saving; the panel lists all of them.
MESSAGE_ISSUES = 5

# Wagtail's default rules, plus axe rules that fit lesson content. Every id must exist in the axe
# version Wagtail bundles: an unknown id stops the whole check.
AXE_RULES = [
    # Wagtail's defaults
    "button-name",
    "empty-heading",
    "empty-table-header",
    "frame-title",
    "heading-order",
    "input-button-name",
    "link-name",
    "p-as-heading",
    "alt-text-quality",
    "empty-meta-description",
    # Switched on here
    "image-alt",
    "image-redundant-alt",
    "role-img-alt",
    "svg-img-alt",
    "object-alt",
    "video-caption",
    "link-in-text-block",
    "list",
    "listitem",
    "definition-list",
    "dlitem",
    "color-contrast",
    "document-title",
    "html-has-lang",
    "html-lang-valid",
    "valid-lang",
    "page-has-heading-one",
    "label",
    "select-name",
    "duplicate-id-aria",
    "nested-interactive",
    "target-size",
    "th-has-data-cells",
    "td-headers-attr",
]


def _alt_text_pattern() -> str:
    """Wagtail's file-name pattern, plus alt texts that only name the kind of picture."""
    words = "|".join(sorted(word.replace("'", "'?") for word in VAGUE_ALT_TEXTS))
    return rf"\.(avif|gif|jpg|jpeg|png|svg|webp)$|_|^\s*({words})\s*$"


class LessonContentCheckerItem(ContentCheckerItem):
    axe_run_only = AXE_RULES
    axe_custom_checks = [
        {"id": "check-image-alt-text", "options": {"pattern": _alt_text_pattern()}},
        {"id": "check-empty-meta-description"},
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "alt-text-quality": {
            "error_name": gettext_lazy("Image alt text is a file name or a vague word"),
            "help_text": gettext_lazy("Describe what the image shows"),
        },
        "image-alt": {
            "error_name": gettext_lazy("Image without alt text"),
            "help_text": gettext_lazy("Describe what the image shows, or mark it as decoration"),
        },
        "video-caption": {
            "error_name": gettext_lazy("Video without captions"),
            "help_text": gettext_lazy("Add a WebVTT captions file"),
        },
        "color-contrast": {
            "error_name": gettext_lazy("Text is hard to see against its background"),
            "help_text": gettext_lazy("Use colours with more contrast"),
        },
        "link-in-text-block": {
            "error_name": gettext_lazy("Link looks like the text around it"),
            "help_text": gettext_lazy("Links must stand out by more than colour"),
        },
    }


@hooks.register("construct_wagtail_userbar")
def use_lesson_content_checker(request, items, page):
    """Replace Wagtail's content checker (userbar and the editor's Checks panel) with ours."""
    for index, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, LessonContentCheckerItem):
            items[index] = LessonContentCheckerItem(in_editor=getattr(item, "in_editor", False))


def _warn_about_lesson(request, page) -> None:
    from .models import LessonPage

    page = page.specific if hasattr(page, "specific") else page
    if not isinstance(page, LessonPage) or not request.accepts("text/html"):
        return  # autosave and other JSON requests have no place to show a message
    report = lesson_report(page)
    lines = []
    for field in report.fields:
        if field.below_target:
            lines.append(
                _("%(field)s: readability %(score)s (%(formula)s); aim for %(target)s or more.")
                % {
                    "field": field.label,
                    "score": field.readability.score,
                    "formula": field.readability.formula,
                    "target": field.target,
                }
            )
    issues = report.issues
    if not lines and not issues:
        return
    lines.extend(str(issue) for issue in issues[:MESSAGE_ISSUES])
    if len(issues) > MESSAGE_ISSUES:
        lines.append(
            ngettext(
                "And %(count)s more: see “Checks: readability and accessibility” in the lesson.",
                "And %(count)s more: see “Checks: readability and accessibility” in the lesson.",
                len(issues) - MESSAGE_ISSUES,
            )
            % {"count": len(issues) - MESSAGE_ISSUES}
        )
    messages.warning(request, _("Points to check in this lesson:") + " " + " · ".join(lines))


@hooks.register("after_create_page")
def warn_after_creating_a_lesson(request, page):
    _warn_about_lesson(request, page)


@hooks.register("after_edit_page")
def warn_after_editing_a_lesson(request, page):
    _warn_about_lesson(request, page)


# --- Report "Easy-language checks" -----------------------------------------------------------------


@hooks.register("register_admin_urls")
def easy_language_report_urls():
    from .reports import LessonChecksReportView

    return [
        path("reports/easy-language/", LessonChecksReportView.as_view(), name="lessons_easy_language_report"),
        path(
            "reports/easy-language/results/",
            LessonChecksReportView.as_view(results_only=True),
            name="lessons_easy_language_report_results",
        ),
    ]


class EasyLanguageReportMenuItem(MenuItem):
    def is_shown(self, request):
        from .reports import user_may_see_report

        # The same rule as the view, so nobody sees a menu item that leads to a refusal.
        return user_may_see_report(request.user)


@hooks.register("register_reports_menu_item")
def easy_language_report_menu_item():
    return EasyLanguageReportMenuItem(
        gettext_lazy("Easy-language checks"),
        reverse("lessons_easy_language_report"),
        name="easy-language-checks",
        icon_name="doc-full",
        order=1300,
    )
