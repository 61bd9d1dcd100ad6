"""The step library, as a pytest plugin.

A test module (or ``conftest.py``) that runs feature files with it says::

    pytest_plugins = ["incidents.specs.steps"]

or pytest is run with ``-p incidents.specs.steps`` (``incidents check`` does). Each scenario gets
a fresh world: an empty in-memory log, no reference data, and a scratch folder for the report
files it writes. With ``-p incidents.specs.steps --incidents-store DB``, the log starts instead
as a copy of the events in that store, which is only read (see ``stored``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eventsourcing.persistence import StoredEvent

from incidents.service import parse_location, read_stored_events
from incidents.specs.world import World

# The steps, by concept; each module's steps are registered as this plugin's. The catalogue in
# docs/writing-specs.md lists them in this order, one section per module.
STEP_MODULES = (
    "incidents.specs.loading_steps",
    "incidents.specs.query_steps",
    "incidents.specs.count_steps",
    "incidents.specs.area_steps",
    "incidents.specs.answer_steps",
    "incidents.specs.amendment_steps",
    "incidents.specs.phase_steps",
    "incidents.specs.change_steps",
    "incidents.specs.transfer_steps",
    "incidents.specs.reading_steps",
    "incidents.specs.drafting_steps",
)
# unknown_steps: an unknown step fails with the closest known steps.
pytest_plugins = [*STEP_MODULES, "incidents.specs.unknown_steps"]

STORE_OPTION = "--incidents-store"
# The events every scenario starts from, when a caller (incidents check) has read them already.
STORED_EVENTS = pytest.StashKey[tuple[StoredEvent, ...]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("incidents").addoption(
        STORE_OPTION,
        dest="incidents_store",
        metavar="DB",
        default=None,
        help="Start every scenario from the events of this store (a --db value), read-only.",
    )


@pytest.fixture(scope="session")
def incidents_stored_events(request: pytest.FixtureRequest) -> tuple[StoredEvent, ...]:
    """The events every scenario starts from: the store's, read once (none by default)."""
    stash = request.config.stash
    if STORED_EVENTS not in stash:
        # A plugin loaded by a test module's pytest_plugins has no command-line option: no store.
        db = request.config.getoption("incidents_store", default=None)
        stash[STORED_EVENTS] = read_stored_events(parse_location(db)) if db else ()
    return stash[STORED_EVENTS]


@pytest.fixture
def incidents_world(
    request: pytest.FixtureRequest, tmp_path: Path, incidents_stored_events: tuple[StoredEvent, ...]
) -> World:
    """The scenario's world. Relative paths in steps resolve in the folder pytest runs from."""
    world = World(root=request.config.rootpath, scratch=tmp_path)
    world.start_from(incidents_stored_events)
    return world
