"""Tell `progress` which scenario a free-practice xAPI object id names.

Ids are built from the scenario's translation key, so practising in Arabic or Dutch is the same
activity. A simulator inside a lesson has a lesson activity id instead (lessons/activities.py).
"""

import re
import uuid

from progress.activities import Activity, activity_base

PATTERN = re.compile(r"^/simulator/(?P<key>[0-9a-f-]{36})$")


def scenario_activity_id(scenario) -> str:
    return f"{activity_base()}/simulator/{scenario.translation_key}"


def scenario_activity_resolve(object_id: str) -> Activity | None:
    base = activity_base()
    if not object_id.startswith(base + "/simulator/"):
        return None
    match = PATTERN.match(object_id[len(base) :])
    if not match:
        return None
    from .models import Scenario

    key = uuid.UUID(match["key"])
    if not Scenario.objects.filter(translation_key=key).exists():
        return None
    return Activity(kind="simulator", object_id=object_id, extra={"scenario_key": str(key)})
