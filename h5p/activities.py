"""The H5P kind: what an H5P player's statement means for its block in a lesson.

The lesson finds the block (lessons/activities.py); this module gives the block's facts (its content
and completion rule) and reads the player's statement. H5P scores on the client, so nothing here is proof: an outcome is marked
`REPORTED` ("reported by the player"), counts for the lesson, and counts for a training certificate
only where the programme allows it (training.Programme.player_results_count).
"""

from dataclasses import dataclass

from progress.activities import REPORTED, Activity, ActivityKind, Outcome
from progress.xapi import VERB_BASE

ANSWER_VERBS = {VERB_BASE + verb for verb in ("answered", "completed", "passed", "failed")}
PASSED, FAILED = VERB_BASE + "passed", VERB_BASE + "failed"


@dataclass(frozen=True)
class H5PFacts:
    block_id: str
    content_key: str
    completion: str  # "viewed", "answered" or "passed" (lessons.blocks.H5PCompletion)
    min_score: int = 0


def h5p_block_facts(block_id: str, value) -> H5PFacts | None:
    """An H5P block of a lesson whose exercise is ready, with its completion rule; None until it is."""
    content = value.get("content")
    if content is None or not content.is_ready:
        return None
    min_score = value.get("min_score")
    return H5PFacts(
        block_id=block_id,
        content_key=str(content.key),
        completion=value.get("completion") or "answered",
        min_score=0 if min_score is None else int(min_score),
    )


def h5p_reported_right(statement, *, min_score: int | None = None) -> bool | None:
    """Right or wrong as the player reported it; None when it said neither.

    Its success first, else passed/failed, else the score: the block's minimum score where it has
    one ("done with a minimum score"), a full score otherwise.
    """
    if statement.success is not None:
        return bool(statement.success)
    if statement.verb in (PASSED, FAILED):
        return statement.verb == PASSED
    if statement.score_scaled is not None:
        if min_score is not None:
            return _percent(statement.score_scaled) >= min_score
        return statement.score_scaled >= 1.0
    return None


def _percent(scaled: float) -> float:
    return round(scaled * 100, 4)


def h5p_outcome(activity: Activity, statement) -> Outcome | None:
    """Whether this statement makes the block done under its rule, and right or wrong as reported.

    Done and right are apart: "done when answered" makes a wrong answer done, never right. None when
    the statement says nothing about the block (an "attempted" for a block that must be answered).
    """
    facts: H5PFacts = activity.facts
    passed_rule = facts.completion not in ("viewed", "answered")
    right = h5p_reported_right(statement, min_score=facts.min_score if passed_rule else None)
    if facts.completion == "viewed":
        done = True
    elif facts.completion == "answered":
        done = statement.verb in ANSWER_VERBS
    else:
        done = statement.score_scaled is not None and _percent(statement.score_scaled) >= facts.min_score
    if not done and right is None and statement.score_scaled is None:
        return None
    return Outcome(
        block_id=facts.block_id,
        kind="h5p",
        right=right,
        done=done,
        evidence=REPORTED,
        score=statement.score_scaled,
    )


# Its time is the player's, not the lesson's reading time.
H5P_KIND = ActivityKind(name="h5p", block_facts=h5p_block_facts, outcome=h5p_outcome, checked=False, lesson_time=False)
