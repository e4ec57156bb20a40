"""The apps import downwards only (.importlinter; README "Layout"), checked with import-linter on every run.

import-linter reads every import in the apps' files, also those inside functions, so a cycle cannot hide in
a function body.
"""

from pathlib import Path

import grimp
import pytest
from importlinter import api
from importlinter.contracts.layers import LayersContract

CONFIG = Path(__file__).resolve().parents[2] / ".importlinter"


@pytest.fixture
def floors():
    """The layers contract as configured, and a fresh import graph of the apps (a check changes its graph)."""
    configuration = api.read_configuration(str(CONFIG))
    options = next(c for c in configuration["contracts_options"] if c["id"] == "floors")
    contract = LayersContract(
        name=options["name"], session_options=configuration["session_options"], contract_options=options
    )
    graph = grimp.build_graph(*configuration["session_options"]["root_packages"])
    return contract, graph


def test_the_apps_import_downwards_only(floors):
    contract, graph = floors
    check = contract.check(graph, verbose=False)
    assert check.kept, "an app imports upwards or sideways: `.venv/bin/lint-imports` names the import"


@pytest.mark.parametrize(
    "importer, imported",
    [
        ("progress.selectors", "coaching.models"),  # progress reading a role surface
        ("accounts.models", "lessons.models"),  # the person knowing the content
        ("sandboxes.replay", "lessons.models"),  # an activity importing one on a floor above
        ("coaching.views", "training.models"),  # two role surfaces on one floor
        ("learn.page_cache", "progress.models"),  # the ground floor reaching up (outside learn/urls.py)
    ],
)
def test_an_upward_or_sideways_import_breaks_the_contract(floors, importer, imported):
    contract, graph = floors
    graph.add_import(importer=importer, imported=imported)
    assert not contract.check(graph, verbose=False).kept
