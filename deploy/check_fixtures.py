"""The data `make deploy-check` needs beyond the demo content; run by deploy/check.py, prints one JSON line.

    python deploy/check_fixtures.py LEARNERS
    python deploy/check_fixtures.py --sessions LEARNERS

* an H5P exercise: the small test package of tests/h5p/builders.py, imported with `manage.py h5p_import`
  (what the worker runs for an upload) and placed in a lesson, so the lesson page links to the player;
* a certificate with its PDF in PRIVATE_MEDIA_ROOT (a demo staff member's programme marked finished);
* LEARNERS learner accounts, each signed in server-side the way the sign-in view does it (Django's
  login() into the configured session store) so the load starts at once, without 100 PIN checks;
* the Dutch lessons with their activity ids, for the statements the load sends.
Runs with the stack's environment (its database and Redis), never in production (demo data).
"""

from __future__ import annotations

import json
import os
import sys
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learn.settings")


def h5p_exercise() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from h5p.models import H5PContent
    from lessons.models import LessonPage
    from tests.h5p.builders import minimal_package
    from tests.h5p.player_support import h5p_block_add

    admin, _ = get_user_model().objects.get_or_create(username="deploy-check-admin", defaults={"is_superuser": True})
    content = H5PContent(title="Oefenvraag deploy-check", uploaded_by=admin)
    content.upload.save(f"{content.key}.h5p", ContentFile(minimal_package()), save=True)
    call_command("h5p_import", str(content.pk), "--language", "nl")
    content.refresh_from_db()
    if content.status != "ready":
        raise SystemExit(f"the H5P import ended {content.status}: {content.errors}")
    lesson = LessonPage.objects.live().filter(locale__language_code="nl").order_by("path").last()
    h5p_block_add(lesson, content)
    lesson.refresh_from_db()
    return {"key": str(content.key), "lesson_url": lesson.get_url()}


def certificate() -> dict:
    from django.utils import timezone

    from training.models import Enrolment
    from training.selectors import certificate_token
    from training.services import certificate_make

    enrolment = Enrolment.objects.select_related("staff__user").order_by("pk").first()
    if enrolment is None:
        raise SystemExit("no demo enrolment: did load_demo_training run?")
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    made = certificate_make(enrolment_id=enrolment.pk)
    return {"url": f"/nl/certificates/{certificate_token(certificate=made)}/", "holder": made.holder_name,
            "pdf": made.pdf.name}  # fmt: skip


def lessons() -> list[dict]:
    from lessons.activities import lesson_activity_id, question_activity_id
    from lessons.models import LessonPage

    result = []
    for lesson in LessonPage.objects.live().filter(locale__language_code="nl").order_by("path"):
        questions = []
        for block in lesson.body:
            if block.block_type == "question":
                correct = next(i for i, option in enumerate(block.value["options"]) if option["correct"])
                questions.append({"id": question_activity_id(lesson, block.id), "correct": correct})
        result.append({"id": lesson_activity_id(lesson), "url": lesson.get_url(), "title": lesson.title,
                       "questions": questions})  # fmt: skip
    return result


def learners(count: int) -> list[dict]:
    from django.conf import settings
    from django.contrib.auth import get_user_model, login
    from django.contrib.auth.models import Group
    from django.http import HttpRequest
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from accounts import roles

    group = Group.objects.get_or_create(name=roles.LEARNERS)[0]
    engine = import_module(settings.SESSION_ENGINE)
    result = []
    for number in range(1, count + 1):
        user, _ = get_user_model().objects.get_or_create(username=f"load-{number:03d}",
                                                         defaults={"display_name": f"Load {number}"})  # fmt: skip
        user.groups.add(group)
        request = HttpRequest()
        request.session = engine.SessionStore()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        request.session.save()
        result.append({"username": user.username, "session": request.session.session_key,
                       "csrf": get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)})  # fmt: skip
    return result


def card_learners(count: int = 4) -> list[int]:
    """Learners of the demo coach's group who sign in with a code, for the card sheets the check asks for
    (a sheet gives everyone on it a new PIN, so the demo learner, whose PIN the check uses, is not one)."""
    from django.contrib.auth import get_user_model

    from accounts.demo import DEMO_COACH
    from accounts.models import LearnerSignIn, SignInKind
    from coaching.models import CoachGroup

    coach = get_user_model().objects.get(username=DEMO_COACH)
    group = CoachGroup.objects.filter(coaches=coach).order_by("pk").first()
    result = []
    for number in range(1, count + 1):
        user, _ = get_user_model().objects.get_or_create(username=f"card-{number:02d}",
                                                         defaults={"display_name": f"Kaart {number}"})  # fmt: skip
        user.created_by = coach
        user.save(update_fields=["created_by"])
        if not LearnerSignIn.objects.filter(user=user).exists():
            sign_in = LearnerSignIn(user=user, code=f"KRT{number:03d}", kind=SignInKind.PIN)
            sign_in.secret_set("1357")
            sign_in.save()
        group.learners.add(user)
        result.append(user.pk)
    return result


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    if sys.argv[1:2] == ["--sessions"]:  # after a fault that signed everyone out: new sessions only
        print("SESSIONS=" + json.dumps(learners(int(sys.argv[2]))))
        return

    from accounts.credentials import code_format
    from accounts.demo import DEMO_COACH, DEMO_LEARNER_CODE, DEMO_LEARNER_PIN, DEMO_USERS

    passwords = {username: password for _role, username, password, _name, _staff in DEMO_USERS}
    data = {
        "h5p": h5p_exercise(),
        "certificate": certificate(),
        "lessons": lessons(),
        "card_learners": card_learners(),
        "learners": learners(int(sys.argv[1]) if len(sys.argv) > 1 else 100),
        "learner_code": code_format(code=DEMO_LEARNER_CODE),
        "learner_pin": DEMO_LEARNER_PIN,
        "coach": {"username": DEMO_COACH, "password": passwords[DEMO_COACH]},
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_header": settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-"),
        "site_origin": settings.SITE_ORIGIN,
        "statements_path": "/api/progress/statements",
    }
    print("FIXTURES=" + json.dumps(data))


if __name__ == "__main__":
    main()
