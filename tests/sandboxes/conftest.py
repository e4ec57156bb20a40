import copy
import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def minimal_data():
    return copy.deepcopy(json.loads((DATA / "minimal.json").read_text(encoding="utf-8")))


@pytest.fixture
def minimal_scenario(db, tmp_path, minimal_data):
    """The small test scenario loaded in four languages; returns the Dutch source."""
    from sandboxes.models import Scenario
    from sandboxes.services import scenarios_load

    (tmp_path / "minimal.json").write_text(json.dumps(minimal_data, ensure_ascii=False), encoding="utf-8")
    scenarios_load(tmp_path)
    return Scenario.objects.get(slug="minimal", locale__language_code="nl")
