"""The step library, as a pytest plugin.

A test module (or ``conftest.py``) that runs feature files with it says::

    pytest_plugins = ["incidents.specs.steps"]

or pytest is run with ``-p incidents.specs.steps``. Each scenario gets a fresh world: an empty
in-memory log, no reference data, and a scratch folder for the report files it writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.specs.world import World

# The steps, by concept; each module's steps are registered as this plugin's.
STEP_MODULES = (
    "incidents.specs.loading_steps",
    "incidents.specs.query_steps",
    "incidents.specs.count_steps",
    "incidents.specs.area_steps",
    "incidents.specs.answer_steps",
    "incidents.specs.reading_steps",
)
pytest_plugins = list(STEP_MODULES)


@pytest.fixture
def incidents_world(request: pytest.FixtureRequest, tmp_path: Path) -> World:
    """The scenario's world. Relative paths in steps resolve in the folder pytest runs from."""
    return World(root=request.config.rootpath, scratch=tmp_path)
