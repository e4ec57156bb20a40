"""Adding an activity kind is one module in its own app: nothing in `progress` changes.

The kind here exists only in this test: flash cards of a made-up lesson, answered with a word the
server checks. Its resolver and `ActivityKind` are registered through the same calls the apps use at
start-up (lessons/apps.py, h5p/apps.py, sandboxes/apps.py), and its statements go through the same
service as every other kind: resolved, checked, stored once, and counted for the lesson and module.
"""

import uuid
from dataclasses import dataclass

import pytest
from django.utils import translation

from progress import activities
from progress.activities import (
    CHECKED,
    Activity,
    ActivityKind,
    Exercise,
    LessonFacts,
    Outcome,
    activity_base,
    activity_kind_register,
    activity_resolve,
    activity_resolver_register,
    exercise_right_once,
)
from progress.models import LessonProgress, LessonStatus, ModuleProgress, Statement
from progress.services import statements_ingest
from progress.signals import learning_completed
from progress.xapi import StatementRejected

VERB = "http://adlnet.gov/expapi/verbs/"
LESSON_KEY = uuid.UUID("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
MODULE_KEY = uuid.UUID("1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d")
CARDS = {"bank": "pincode", "mail": "afzender"}  # card -> the right word


# --- The kind's own module, as an app would write it ------------------------------------------------


@dataclass(frozen=True)
class FlashcardFacts:
    card: str
    word: str


def flashcard_id(card: str) -> str:
    return f"{activity_base()}/flashcards/{LESSON_KEY}/{card}"


def flashcard_resolve(object_id: str) -> Activity | None:
    prefix = f"{activity_base()}/flashcards/{LESSON_KEY}/"
    card = object_id.removeprefix(prefix)
    if not object_id.startswith(prefix) or card not in CARDS:
        return None
    return Activity(
        kind="flashcard",
        object_id=object_id,
        lesson_key=LESSON_KEY,
        module_key=MODULE_KEY,
        lesson=LessonFacts(
            module_lesson_count=1, versions=(tuple(Exercise(block_id=name, kind="flashcard") for name in CARDS),)
        ),
        facts=FlashcardFacts(card=card, word=CARDS[card]),
    )


def flashcard_refuse(activity: Activity, data: dict) -> str | None:
    response = str((data.get("result") or {}).get("response", ""))
    return "A flash card takes one word." if len(response.split()) != 1 else None


def flashcard_check(activity: Activity, data: dict) -> bool:
    return str(data["result"]["response"]).strip().lower() == activity.facts.word


def flashcard_outcome(activity: Activity, statement) -> Outcome:
    right = bool(statement.success)
    return Outcome(block_id=activity.facts.card, kind="flashcard", right=right, done=right, evidence=CHECKED)


FLASHCARD_KIND = ActivityKind(
    name="flashcard",
    refuse=flashcard_refuse,
    check=flashcard_check,
    outcome=flashcard_outcome,
    exercise_done=lambda entry, facts: exercise_right_once(entry),
    score_range=(0, 1),
)


# --- Registered for this test only ------------------------------------------------------------------


@pytest.fixture
def flashcards(monkeypatch):
    """The registries as the apps left them plus the flash cards, restored after the test."""
    monkeypatch.setattr(activities, "_resolvers", list(activities._resolvers))
    monkeypatch.setattr(activities, "_kinds", dict(activities._kinds))
    activity_resolver_register(flashcard_resolve)
    activity_kind_register(FLASHCARD_KIND)


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("noor", password="een-goed-wachtwoord", display_name="Noor")


def answer(card: str, word: str, **result) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERB + "answered"},
        "object": {"id": flashcard_id(card), "objectType": "Activity"},
        "result": {"response": word, **result},
    }


def test_without_its_registration_the_kind_does_not_exist(db, learner):
    assert activity_resolve(flashcard_id("bank")) is None
    with pytest.raises(StatementRejected):
        statements_ingest(user=learner, statements=[answer("bank", "pincode")])


def test_the_kind_resolves_its_ids_with_its_own_facts(flashcards):
    activity = activity_resolve(flashcard_id("mail"))
    assert activity.kind == "flashcard"
    assert activity.facts == FlashcardFacts(card="mail", word="afzender")
    assert activity.lesson_key == LESSON_KEY
    assert activity_resolve(flashcard_id("unknown")) is None


def test_the_server_checks_the_answer_whatever_the_browser_claims(flashcards, learner):
    statements_ingest(user=learner, statements=[answer("bank", "1234", success=True, score={"scaled": 1, "raw": 1})])

    stored = Statement.objects.get(user=learner)
    assert stored.activity_kind == "flashcard"
    assert stored.success is False
    assert stored.score_scaled == 0.0
    progress = LessonProgress.objects.get(user=learner, lesson_key=LESSON_KEY)
    assert progress.wrong_answers == 1
    assert progress.answers["bank"]["kind"] == "flashcard"
    assert progress.status == LessonStatus.IN_PROGRESS


def test_the_kind_refuses_and_limits_scores_by_its_own_rules(flashcards, learner):
    with pytest.raises(StatementRejected, match="A flash card takes one word."):
        statements_ingest(user=learner, statements=[answer("bank", "mijn pincode")])
    with translation.override("en"), pytest.raises(StatementRejected, match="scores from 0 to 1"):
        statements_ingest(user=learner, statements=[answer("bank", "pincode", score={"raw": 5, "min": 0, "max": 10})])
    assert not Statement.objects.filter(user=learner).exists()


def test_right_answers_complete_the_lesson_and_module_once(flashcards, learner, django_capture_on_commit_callbacks):
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    learning_completed.connect(receiver)
    try:
        batch = [answer("bank", "PINcode"), answer("mail", "afzender")]
        with django_capture_on_commit_callbacks(execute=True):
            first = statements_ingest(user=learner, statements=batch)
        with django_capture_on_commit_callbacks(execute=True):
            retry = statements_ingest(user=learner, statements=batch)
    finally:
        learning_completed.disconnect(receiver)

    assert (first.stored, first.duplicates) == (2, 0)
    assert (retry.stored, retry.duplicates) == (0, 2)
    progress = LessonProgress.objects.get(user=learner, lesson_key=LESSON_KEY)
    assert progress.status == LessonStatus.COMPLETED
    assert progress.checked_completed_at is not None
    assert progress.first_score == 1.0
    module = ModuleProgress.objects.get(user=learner, module_key=MODULE_KEY)
    assert module.lessons_completed == 1 and module.completed_at is not None
    assert len(sent) == 1
    assert sent[0]["lesson_keys"] == {LESSON_KEY} and sent[0]["module_keys"] == {MODULE_KEY}
    assert sent[0]["scenario_keys"] == set()
