"""Running analysts' feature files with the step library: pytest underneath, none of its setup.

``incidents check`` must work on feature files anywhere, from any folder, without the analyst
writing Python, and without whatever pytest configuration happens to lie around. So a run:

- writes a throwaway test module that binds the feature files (pytest-bdd's ``scenarios``) and
  an empty ``pytest.ini`` in a temporary folder, and runs pytest on that module alone, with that
  ini, ``conftest.py`` files looked for only in that folder, no cache, and no plugin but
  pytest-bdd and the step library (``PYTEST_ADDOPTS``, ``PYTEST_PLUGINS`` and plugin autoloading
  are switched off for the run);
- takes the folder it was started from as pytest's rootdir: relative paths in steps
  (``"seeds"``) resolve there, as the world of every scenario says (``World.root``);
- keeps the scenarios' scratch folders in the temporary folder, removed afterwards;
- hands the step library the events every scenario starts from (a store's, read beforehand by
  ``stored``; none by default) through pytest's config stash;
- runs assertions plain: the steps' messages say what was expected and what the log says;
- records the results with ``recorder.ScenarioRecorder`` and keeps pytest's own output aside,
  to show only when pytest itself could not run the scenarios.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from attrs import frozen
from eventsourcing.persistence import StoredEvent

from incidents.specs.recorder import ScenarioRecorder
from incidents.specs.results import RunResults
from incidents.specs.selection import Selection
from incidents.specs.steps import STORED_EVENTS

BINDING_MODULE = "test_incidents_check.py"
_BINDING = '''"""Written by incidents check: the feature files, bound to the step library."""

from pytest_bdd import scenarios

scenarios(*{files!r})
'''
# Environment variables through which pytest would take options and plugins from elsewhere.
_PYTEST_ENVIRONMENT = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")


@frozen
class CheckRun:
    """The results, and how pytest ended (``output`` is what it printed)."""

    results: RunResults
    exit_code: int
    output: str

    @property
    def ran(self) -> bool:
        """Whether pytest ran the scenarios (rather than stopping on an error of its own)."""
        return self.exit_code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)

    @property
    def nothing_selected(self) -> bool:
        return self.exit_code == pytest.ExitCode.NO_TESTS_COLLECTED


class _StartFrom:
    """A plugin that hands the step library the events every scenario starts from."""

    def __init__(self, events: tuple[StoredEvent, ...]) -> None:
        self.events = events

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[STORED_EVENTS] = self.events


def pytest_arguments(folder: Path, module: Path, root: Path) -> list[str]:
    """The command line of a check's pytest run (see the module's docstring for why)."""
    return [
        str(module),
        *("-c", str(folder / "pytest.ini")),
        *("--rootdir", str(root)),
        *("--confcutdir", str(folder)),
        *("--basetemp", str(folder / "scenarios")),
        *("-p", "no:cacheprovider"),
        *("-p", "pytest_bdd.plugin"),
        *("-p", "incidents.specs.steps"),
        "--import-mode=importlib",
        "--assert=plain",
        "--quiet",
    ]


@contextlib.contextmanager
def _isolated_environment() -> Iterator[None]:
    """No options or plugins from the environment, no autoloaded plugins; restored afterwards."""
    saved = {name: os.environ.pop(name) for name in _PYTEST_ENVIRONMENT if name in os.environ}
    autoload = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        os.environ.update(saved)
        if autoload is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = autoload


def run_features(
    files: Sequence[Path],
    root: Path,
    *,
    start_from: tuple[StoredEvent, ...] = (),
    selection: Selection | None = None,
) -> CheckRun:
    """Run the scenarios of these feature files (absolute paths) from the folder ``root``, each
    starting from the events ``start_from`` (a store's: see ``stored``)."""
    recorder = ScenarioRecorder(root, selection)
    output = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="incidents-check-") as name:
        folder = Path(name)
        module = folder / BINDING_MODULE
        module.write_text(_BINDING.format(files=[str(file) for file in files]), encoding="utf-8")
        (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        arguments = pytest_arguments(folder, module, root)
        with (
            _isolated_environment(),
            contextlib.redirect_stdout(output),
            contextlib.redirect_stderr(output),
        ):
            exit_code = pytest.main(arguments, plugins=[recorder, _StartFrom(start_from)])
    return CheckRun(recorder.results, int(exit_code), output.getvalue())
