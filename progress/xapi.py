"""Strict xAPI statement checks: ralph-malph's pydantic models plus this site's own rules."""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

from .activities import Activity, activity_answer_check, activity_base, activity_kind, activity_resolve

VERB_BASE = "http://adlnet.gov/expapi/verbs/"
ACCEPTED_VERBS = {
    VERB_BASE + name
    for name in ("experienced", "answered", "completed", "attempted", "passed", "failed", "progressed", "interacted")
}
# Where this site's own xAPI extensions live: the one copy. Pages hand it to their scripts (the simulator
# player's data-xapi-ext); like an activity id it names things, nothing fetches it.
EXTENSION_BASE = "https://oefenplein.mechelen.be/xapi/ext/"
HINTS_EXTENSION = EXTENSION_BASE + "hints"
MAX_DURATION = timedelta(hours=1)  # one statement never claims more time than this
# A browser's clock may run a little fast; a statement from further in the future is refused.
MAX_CLOCK_SKEW = timedelta(minutes=5)
# All extensions of one statement together (result, context, object definition), as compact UTF-8 JSON.
# The simulator engine sends about 300 bytes; nothing on this site needs more than a few.
MAX_EXTENSIONS_BYTES = 4 * 1024
# Set by the server: left out when a retry is compared with the statement stored under its id.
SERVER_FIELDS = ("actor", "authority", "stored", "version")
DURATION_PATTERN = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")


class StatementRejected(Exception):
    """A statement that breaks a rule. `index` says which one of the batch, `reason` why, in plain words."""

    def __init__(self, index: int, reason: str):
        super().__init__(reason)
        self.index = index
        self.reason = reason


@dataclass
class PreparedStatement:
    id: uuid.UUID
    verb: str
    activity: Activity
    success: bool | None
    score_scaled: float | None
    duration_seconds: int
    hints: int
    timestamp: datetime
    data: dict
    # Whether the browser sent the timestamp; if not, the server's time went in (and differs on a retry).
    timestamp_given: bool = True


def statement_prepare(
    *, raw, index: int, actor_name: str, now: datetime | None = None, joined: datetime | None = None
) -> PreparedStatement:
    """Check one statement from the browser and put the server's facts in it.

    The actor always comes from the session (`actor_name`): a statement may leave it out or name
    this learner, never somebody else. For questions the server decides whether the answer is right.
    `joined` is when the learner's account was made: nothing happened long before that.
    """
    now = now or timezone.now()
    if not isinstance(raw, dict):
        raise StatementRejected(index, _("A statement must be a JSON object."))
    statement = dict(raw)
    try:
        statement_id = uuid.UUID(str(statement.get("id", "")))
    except ValueError:
        raise StatementRejected(
            index, _("Every statement needs an id (a UUID) so that it is stored only once.")
        ) from None
    for field in ("actor", "authority"):
        if statement.get(field) is not None and not _names_learner(statement[field], actor_name):
            raise StatementRejected(
                index,
                _("%(field)s: a statement can only be about you, the person who is signed in.") % {"field": field},
            )
    if _extensions_bytes(statement) > MAX_EXTENSIONS_BYTES:
        raise StatementRejected(
            index, _("The extensions of a statement can be at most %(n)s kB.") % {"n": MAX_EXTENSIONS_BYTES // 1024}
        )
    for server_field in ("stored", "authority", "version"):
        statement.pop(server_field, None)
    statement["id"] = str(statement_id)
    statement["actor"] = {"objectType": "Agent", "account": {"homePage": activity_base(), "name": actor_name}}
    timestamp_given = statement.get("timestamp") is not None
    if not timestamp_given:
        statement["timestamp"] = now.isoformat()
    try:
        model = BaseXapiStatement(**statement)
    except PydanticValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "statement"
        raise StatementRejected(
            index, _("%(field)s: %(problem)s") % {"field": where, "problem": first.get("msg", "")}
        ) from None
    except (TypeError, ValueError) as error:
        raise StatementRejected(index, str(error)) from None

    verb = str(model.verb.id)
    if verb not in ACCEPTED_VERBS:
        raise StatementRejected(index, _("This verb is not used on this site: %(verb)s") % {"verb": verb})
    object_id = str(getattr(model.object, "id", ""))
    activity = activity_resolve(object_id)
    if activity is None:
        raise StatementRejected(index, _("This activity does not exist: %(id)s") % {"id": object_id})

    timestamp = model.timestamp or now
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=UTC)
    if timestamp > now + MAX_CLOCK_SKEW:
        raise StatementRejected(index, _("The time of this statement is in the future."))
    if joined is not None and timestamp < joined - timedelta(seconds=settings.PROGRESS_GUEST_PRACTICE_SECONDS):
        raise StatementRejected(index, _("The time of this statement is before your account was made."))
    model_score = model.result.score if model.result is not None else None
    if model_score is not None:
        _score_check(model_score, activity, index)

    data = model.model_dump(mode="json", exclude_none=True)
    result = data.get("result") or {}
    success = result.get("success")
    score = (result.get("score") or {}).get("scaled")
    kind = activity_kind(activity.kind)
    refusal = kind.refuse(activity, data) if kind is not None and kind.refuse is not None else None
    if refusal:
        raise StatementRejected(index, refusal)
    if kind is not None and kind.check is not None:
        # The browser's claim does not count: the server knows the right answer (of the revision shown).
        success = activity_answer_check(activity=activity, data=data)
        score = 1.0 if success else 0.0
        data.setdefault("result", {}).update(
            {"success": success, "score": {"scaled": score, "raw": int(success), "min": 0, "max": 1}}
        )
    return PreparedStatement(
        id=statement_id,
        verb=verb,
        activity=activity,
        success=success,
        score_scaled=float(score) if score is not None else None,
        duration_seconds=_duration_seconds(result.get("duration")),
        hints=_hints(result.get("extensions") or {}),
        timestamp=timestamp,
        data=data,
        timestamp_given=timestamp_given,
    )


ATTEMPT_END_VERBS = frozenset({VERB_BASE + "passed", VERB_BASE + "failed"})


def statement_matches(*, stored: dict, statement: PreparedStatement) -> bool:
    """Whether `statement` is a retry of the one stored under its id: the same content as checked and
    stored, leaving out what the server sets (the actor, the time when the browser sent none, the
    result of a kind with a `check`, which the server works out from the response, and the verdict of
    an attempt's end, which the kind's judge decides: progress/attempts.py)."""
    ignore = set(SERVER_FIELDS) | (set() if statement.timestamp_given else {"timestamp"})
    kind = activity_kind(statement.activity.kind)
    attempt_end = kind is not None and kind.attempts is not None and statement.verb in ATTEMPT_END_VERBS
    checked_answer = kind is not None and kind.check is not None
    if attempt_end:
        ignore |= {"verb"}
    server_result = ("success", "score", "completion") if attempt_end else ("success", "score")

    def content(data: dict) -> dict:
        kept = {key: value for key, value in data.items() if key not in ignore}
        if (checked_answer or attempt_end) and isinstance(kept.get("result"), dict):
            kept["result"] = {key: value for key, value in kept["result"].items() if key not in server_result}
        return kept

    return content(stored) == content(statement.data)


def _names_learner(agent, actor_name: str) -> bool:
    """An Agent identified by this site's account for this learner, and nothing else."""
    if not isinstance(agent, dict) or set(agent) - {"objectType", "account", "name"}:
        return False
    account = agent.get("account")
    return (
        agent.get("objectType", "Agent") == "Agent"
        and isinstance(account, dict)
        and set(account) == {"homePage", "name"}
        and str(account["homePage"]).rstrip("/") == activity_base()
        and str(account["name"]) == actor_name
    )


def _extensions_bytes(statement: dict) -> int:
    """The size of all extensions of a statement, as compact UTF-8 JSON."""
    found = []
    for part in ("result", "context"):
        section = statement.get(part)
        if isinstance(section, dict):
            found.append(section.get("extensions"))
    target = statement.get("object")
    definition = target.get("definition") if isinstance(target, dict) else None
    if isinstance(definition, dict):
        found.append(definition.get("extensions"))
    return sum(
        len(json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()) for item in found if item is not None
    )


def _score_check(score, activity: Activity, index: int) -> None:
    """A score within its own range and within what the activity allows (xAPI itself allows -1..1)."""
    if score.scaled is not None and not 0 <= score.scaled <= 1:
        raise StatementRejected(index, _("result.score.scaled: a score is between 0 and 1."))
    if score.min is not None and score.max is not None and score.min > score.max:
        raise StatementRejected(index, _("result.score: the lowest score is higher than the highest."))
    if score.raw is None:
        return
    if (score.min is not None and score.raw < score.min) or (score.max is not None and score.raw > score.max):
        raise StatementRejected(index, _("result.score.raw: the score is not between the lowest and the highest."))
    kind = activity_kind(activity.kind)
    low, high = kind.score_range if kind is not None and kind.score_range is not None else (None, None)
    if (low is not None and score.raw < Decimal(low)) or (high is not None and score.raw > Decimal(high)):
        raise StatementRejected(
            index, _("result.score.raw: this activity scores from %(low)s to %(high)s.") % {"low": low, "high": high}
        )


def _duration_seconds(value) -> int:
    if not value:
        return 0
    match = DURATION_PATTERN.match(str(value))
    if not match:
        return 0
    parts = {key: float(number) for key, number in match.groupdict(default="0").items()}
    seconds = parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
    return int(min(seconds, MAX_DURATION.total_seconds()))


def _hints(extensions: dict) -> int:
    value = extensions.get(HINTS_EXTENSION, 0)
    try:
        return max(0, min(int(value), 1000))
    except (TypeError, ValueError):
        return 0


def extension_value(data: dict, name: str, *, part: str = "result"):
    """This site's extension `name` in a statement's result (or context), None when it is not there."""
    section = data.get(part) or {}
    return (section.get("extensions") or {}).get(EXTENSION_BASE + name)
