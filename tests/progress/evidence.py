"""Statements a learner's browser sends when they really do a lesson: the evidence a completion needs.

Shared by the progress, training and coaching tests. A lesson completes on an answer to each of its
questions (scored by the server), not on a "completed" claim.
"""

import uuid

from lessons.activities import lesson_activity_id, question_activity_id

VERB = "http://adlnet.gov/expapi/verbs/"


def statement(object_id, verb="experienced", **extra) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERB + verb},
        "object": {"id": object_id, "objectType": "Activity"},
        **extra,
    }


def questions(lesson, *, body=None) -> list[tuple[str, int]]:
    """(block id, number of the right option) of each question of the lesson's normal text."""
    result = []
    for block in lesson.body if body is None else body:
        if block.block_type == "question":
            correct = next(i for i, option in enumerate(block.value["options"]) if option["correct"])
            result.append((block.id, correct))
    return result


def answer(lesson, block_id: str, option: int, *, revision=None) -> dict:
    """An "answered" as lesson.js sends it, with the revision the page showed."""
    revision = lesson.live_revision_id if revision is None else revision
    extra = {"context": {"revision": str(revision)}} if revision else {}
    return statement(question_activity_id(lesson, block_id), "answered", result={"response": str(option)}, **extra)


def lesson_done(lesson, *, right: bool = True) -> list[dict]:
    """Opening the lesson, answering each question (right, or each wrong), and following "Next lesson"."""
    records = [statement(lesson_activity_id(lesson))]
    for block_id, correct in questions(lesson):
        records.append(answer(lesson, block_id, correct if right else (correct + 1) % 2))
    records.append(statement(lesson_activity_id(lesson), "completed", result={"completion": True, "duration": "PT3M"}))
    return records


def forged_completed(lesson) -> dict:
    """The forged path of issue 12: a bare "completed" without any answer."""
    return statement(lesson_activity_id(lesson), "completed", result={"completion": True, "duration": "PT2M"})
