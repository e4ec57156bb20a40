"""What a bench's Django children share; imported only inside them (after `django_setup`, or by `child_main`).

A child is the bench script itself run with a step name (`python bench/<name>.py <step>`) in the bench's
environment: it starts Django, writes what a measurement needs into the bench database or measures inside
one process, and prints one `PREFIX=<json>` line that the parent reads (harness.stack.Stack.child_json).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable

from harness.frame import ROOT


def child_main(argv: list[str], steps: dict[str, Callable], prefix: str) -> int:
    """`python bench/<name>.py <step> [args]`: start Django, run the step, print `PREFIX=<json>` of its result."""
    if len(argv) < 2 or argv[1] not in steps:
        print(f"usage: {argv[0]} {'|'.join(steps)} [arguments]", file=sys.stderr)
        return 2
    django_setup()
    print(f"{prefix}=" + json.dumps(steps[argv[1]](*argv[2:])))
    return 0


def django_setup() -> None:
    """Start Django in a bench child process (its environment comes from the parent bench)."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learn.settings")
    import django

    django.setup()


def add_modules(
    parent, count: int, lessons_per_module: int, module_fields: Callable[[int], dict], lesson_fields: Callable
) -> list[tuple]:
    """`count` real ModulePages under `parent`, each with `lessons_per_module` LessonPages, in one transaction.

    Wagtail's `add_child`, as an editor's pages are made. `module_fields(number)` and
    `lesson_fields(number, lesson)` (both counting from 1; see `text_lesson`) give each page's fields. Returns
    [(module, [lesson, ...]), ...].
    """
    from django.db import transaction

    from lessons.models import LessonPage, ModulePage

    modules = []
    with transaction.atomic():
        for number in range(1, count + 1):
            module = parent.add_child(instance=ModulePage(**module_fields(number)))
            lessons = [
                module.add_child(instance=LessonPage(**lesson_fields(number, lesson)))
                for lesson in range(1, lessons_per_module + 1)
            ]
            modules.append((module, lessons))
    return modules


def lesson_record(user, module, lesson, *, done: bool, moment, **figures):
    """An unsaved LessonProgress of `user` in a lesson page: finished at `moment`, or busy with it then.

    `figures` are the scores, hints, answers and the like each bench chooses (and `started_at`, else `moment`).
    """
    from progress.models import LessonProgress, LessonStatus

    return LessonProgress(
        user=user,
        lesson_key=lesson.translation_key,
        module_key=module.translation_key,
        status=LessonStatus.COMPLETED if done else LessonStatus.IN_PROGRESS,
        attempts=1 if done else 0,
        completed_at=moment if done else None,
        checked_completed_at=moment if done else None,  # finished on answers the server scored
        last_activity_at=moment,
        **{"started_at": moment, **figures},
    )


def text_lesson(title: str, slug: str, text: str) -> dict:
    """The fields of a LessonPage whose summary and only block are one paragraph of `text`."""
    from wagtail.rich_text import RichText

    return {"title": title, "slug": slug, "summary": text, "body": [("text", RichText(f"<p>{text}</p>"))]}


def dutch_lessons():
    """The live Dutch lesson pages in tree order (the demo content's, in most benches)."""
    from lessons.models import LessonPage

    return LessonPage.objects.live().filter(locale__language_code="nl").order_by("path")


def question_activities(lesson) -> list[dict]:
    """Each question block of `lesson`: its activity id, the index of the right option, the number of options."""
    from lessons.activities import question_activity_id

    questions = []
    for block in lesson.body:
        if block.block_type == "question":
            options = block.value["options"]
            correct = next(index for index, option in enumerate(options) if option["correct"])
            questions.append(
                {"id": question_activity_id(lesson, block.id), "correct": correct, "options": len(options)}
            )
    return questions


# --- Learners and their sessions --------------------------------------------------------------------


def learner(username: str, display_name: str):
    """A learner account like a coach makes it: no password, member of the Learners group."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts import roles

    user = get_user_model().objects.create_user(username, display_name=display_name)
    user.groups.add(Group.objects.get_or_create(name=roles.LEARNERS)[0])
    return user


def session_for(user) -> str:
    """Sign `user` in server-side, exactly as a sign-in view does (Django's `login()` on a new session
    of the configured engine, Redis here), and return the session key a browser would get as cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import login
    from django.http import HttpRequest

    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session.save()
    return request.session.session_key


def cookie_names() -> dict:
    from django.conf import settings

    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        # The header the CSRF middleware reads (HTTP_X_CSRFTOKEN -> X-CSRFToken).
        "csrf_header": settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-"),
    }
