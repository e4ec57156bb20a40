"""Strict xAPI statement checks: ralph-malph's pydantic models plus this site's own rules."""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

from .activities import Activity, activity_answer_check, activity_base, activity_resolve

VERB_BASE = "http://adlnet.gov/expapi/verbs/"
ACCEPTED_VERBS = {
    VERB_BASE + name
    for name in ("experienced", "answered", "completed", "attempted", "passed", "failed", "progressed", "interacted")
}
HINTS_EXTENSION = "https://oefenplein.mechelen.be/xapi/ext/hints"
MAX_DURATION = timedelta(hours=1)  # one statement never claims more time than this
MAX_CLOCK_SKEW = timedelta(days=1)
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


def statement_prepare(*, raw, index: int, actor_name: str, now: datetime | None = None) -> PreparedStatement:
    """Check one statement from the browser and put the server's facts in it.

    The actor always comes from the session (`actor_name`), never from the client; for questions
    the server decides whether the answer is right.
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
    for server_field in ("stored", "authority", "version"):
        statement.pop(server_field, None)
    statement["id"] = str(statement_id)
    statement["actor"] = {"objectType": "Agent", "account": {"homePage": activity_base(), "name": actor_name}}
    statement.setdefault("timestamp", now.isoformat())
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

    data = model.model_dump(mode="json", exclude_none=True)
    result = data.get("result") or {}
    success = result.get("success")
    score = (result.get("score") or {}).get("scaled")
    if activity.kind == "question":
        response = result.get("response")
        if response is None:
            raise StatementRejected(index, _("An answer to a question needs result.response."))
        # The browser's claim does not count: the server knows the right answer (of the revision shown).
        success = activity_answer_check(activity=activity, data=data)
        score = 1.0 if success else 0.0
        data.setdefault("result", {}).update(
            {"success": success, "score": {"scaled": score, "raw": int(success), "min": 0, "max": 1}}
        )
    elif activity.kind == "simulator" and not (data.get("context") or {}).get("registration"):
        raise StatementRejected(index, _("A simulator statement needs context.registration (the attempt)."))
    elif activity.kind == "h5p" and score is not None and not 0 <= float(score) <= 1:
        # xAPI allows -1..1; an H5P score is never negative. The score stays the browser's claim.
        raise StatementRejected(index, _("result.score.scaled: a score is between 0 and 1."))
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
