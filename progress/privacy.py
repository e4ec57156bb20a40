"""progress' part of the data download and the erasure (see `accounts.privacy`).

Learning records are erased with the account (the foreign keys cascade); the anonymous monthly
summaries of old statements (`StatementSummary`) name nobody and stay.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from accounts.privacy import DataSection, ProviderBase

from .links import activity_links_for
from .models import LessonProgress, ModuleProgress, SimulatorAttempt, Statement


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _titles(*, keys: set, language: str) -> dict[str, str]:
    """{translation key (text): title} of lessons, modules and simulators, in `language` or else Dutch or any,
    so the readable page names them; the JSON keeps the keys. Two queries: pages, and the activities
    that are not pages (scenarios), named by the apps that own them (progress/links.py)."""
    keys = {key for key in keys if key}
    if not keys:
        return {}
    titles: dict[str, str] = {}
    rank = {language: 0, "nl": 1}
    best: dict[str, int] = {}
    for key, code, title in Page.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "locale__language_code", "title"
    ):
        order = rank.get(code, 2)
        if order < best.get(str(key), 3):
            titles[str(key)], best[str(key)] = title, order
    for key, link in activity_links_for(keys=keys, language=language).items():
        titles[str(key)] = link.title
    return titles


class ProgressProvider(ProviderBase):
    name = "progress"
    models = ("progress.Statement", "progress.LessonProgress", "progress.ModuleProgress", "progress.SimulatorAttempt")

    def data_sections(self, *, user) -> list[DataSection]:
        lessons = [
            {
                "lesson": str(row.lesson_key),
                "module": str(row.module_key) if row.module_key else None,
                "status": row.get_status_display(),
                "best_score": row.best_score,
                "attempts": row.attempts,
                "hints": row.hints,
                "time_spent_seconds": row.time_spent_seconds,
                "started_at": _iso(row.started_at),
                "completed_at": _iso(row.completed_at),
                "last_activity_at": _iso(row.last_activity_at),
                "answers": row.answers,
            }
            for row in LessonProgress.objects.filter(user=user).order_by("started_at", "pk")
        ]
        modules = [
            {
                "module": str(row.module_key),
                "lessons_completed": row.lessons_completed,
                "lessons_total": row.lessons_total,
                "started_at": _iso(row.started_at),
                "completed_at": _iso(row.completed_at),
            }
            for row in ModuleProgress.objects.filter(user=user).order_by("started_at", "pk")
        ]
        attempts = [
            {
                "scenario": str(row.scenario_key),
                "mode": row.mode,
                "started_at": _iso(row.started_at),
                "completed_at": _iso(row.completed_at),
                "passed": row.passed,
                "score": row.score,
                "actions": row.actions,
                "wrong_actions": row.wrong_actions,
                "hints": row.hints,
                "safety_errors": row.safety_errors,
                "duration_seconds": row.duration_seconds,
                "mistakes": row.mistakes,
            }
            for row in SimulatorAttempt.objects.filter(user=user).order_by("started_at", "pk")
        ]

        language = translation.get_language() or "nl"
        titles = _titles(
            keys={row[key] for row in [*lessons, *modules] for key in ("lesson", "module") if row.get(key)}
            | {row["scenario"] for row in attempts},
            language=language,
        )

        def title_of(key):
            return titles.get(key, key)

        modes = {"guided": _("Step by step"), "practice": _("Practise"), "test": _("Test yourself")}
        # The verbs of the learning records in words; the JSON file keeps the xAPI verb.
        verbs = {
            "experienced": _("Opened"),
            "answered": _("Answered"),
            "completed": _("Finished"),
            "attempted": _("Started"),
            "passed": _("Passed"),
            "failed": _("Not passed"),
            "progressed": _("Went on"),
            "interacted": _("Did a step"),
        }

        def percent(value):
            return "" if value is None else f"{round(float(value) * 100)}%"

        def statements():
            rows = (
                Statement.objects.filter(user=user)
                .order_by("stored", "id")
                .values_list("id", "timestamp", "verb", "object_id", "success", "score_scaled", "data")
                .iterator(chunk_size=500)
            )
            for statement_id, timestamp, verb, object_id, success, score, data in rows:
                yield {
                    "id": str(statement_id),
                    "timestamp": _iso(timestamp),
                    "verb": verb.rsplit("/", 1)[-1],
                    "activity": object_id,
                    "success": success,
                    "score": score,
                    "statement": data,
                }

        return [
            DataSection(
                key="lesson_progress",
                title=_("Your lessons"),
                labels={
                    "lesson": _("Lesson"),
                    "status": _("Status"),
                    "best_score": _("Best score"),
                    "attempts": _("Tries"),
                    "started_at": _("Started on"),
                    "completed_at": _("Finished on"),
                },
                rows=lessons,
                readable={"lesson": title_of, "best_score": percent},
            ),
            DataSection(
                key="module_progress",
                title=_("Your modules"),
                labels={
                    "module": _("Module"),
                    "lessons_completed": _("Lessons finished"),
                    "lessons_total": _("Lessons in all"),
                    "started_at": _("Started on"),
                    "completed_at": _("Finished on"),
                },
                rows=modules,
                readable={"module": title_of},
            ),
            DataSection(
                key="simulator_attempts",
                title=_("Your practice in the simulators"),
                labels={
                    "scenario": _("Simulator"),
                    "mode": _("Mode"),
                    "started_at": _("Started on"),
                    "passed": _("Passed"),
                    "score": _("Score"),
                    "safety_errors": _("Safety mistakes"),
                },
                rows=attempts,
                readable={"scenario": title_of, "mode": lambda mode: modes.get(mode, mode)},
            ),
            DataSection(
                key="statements",
                title=_("Your learning records"),
                labels={
                    "timestamp": _("When"),
                    "verb": _("What"),
                    "activity": _("Where"),
                    "success": _("Right"),
                    "score": _("Score"),
                },
                rows=statements,
                readable={"verb": lambda verb: verbs.get(verb, verb), "score": percent},
                note=_("Each learning record in full is in the file my-data.json."),
            ),
        ]
