"""The layering of ``src/incidents``, enforced on the import graph (docs/architecture.md, "Layers").

Every ``import`` and ``from ... import`` of every module is read with ``ast`` (imports inside
functions too), and each package may only reach the layers below it:

- the domain is pure: it imports nothing of the package outside ``domain``;
- entrypoints (the CLI, the step library) reach the store only through ``incidents.service``:
  never the read model, the folds, the storage or the write pipeline directly;
- the folds and the output know nothing of entrypoints, the service or the read model;
- the read model answers with the folds' types and knows nothing of output or entrypoints;
- the storage (locations, backends, dialects) knows nothing of what is stored above it: the
  folds, the read model, the write pipeline, the service or entrypoints.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "incidents"

# Entrypoints reach the store through the service only.
BEHIND_THE_SERVICE = (
    "incidents.amending",
    "incidents.application",
    "incidents.ingest",
    "incidents.projections",
    "incidents.readmodel",
    "incidents.storage",
)

# What each layer may never import (a module name, or a package and everything in it).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "incidents.domain": (
        "incidents.application",
        "incidents.cli",
        "incidents.formats",
        "incidents.gazetteer",
        "incidents.output",
        "incidents.projections",
        "incidents.readmodel",
        "incidents.service",
        "incidents.specs",
        "incidents.storage",
    ),
    "incidents.cli": BEHIND_THE_SERVICE,
    "incidents.web": BEHIND_THE_SERVICE,
    "incidents.specs": (*BEHIND_THE_SERVICE, "incidents.cli"),
    "incidents.output": (
        "incidents.cli",
        "incidents.readmodel",
        "incidents.service",
        "incidents.specs",
        "incidents.storage",
    ),
    "incidents.projections": (
        "incidents.cli",
        "incidents.output",
        "incidents.readmodel",
        "incidents.service",
        "incidents.specs",
    ),
    "incidents.readmodel": ("incidents.cli", "incidents.output", "incidents.service", "incidents.specs"),
    "incidents.storage": (
        "incidents.amending",
        "incidents.cli",
        "incidents.ingest",
        "incidents.output",
        "incidents.projections",
        "incidents.readmodel",
        "incidents.service",
        "incidents.specs",
    ),
    # Drafting reads text and reference data into a report file; no store, no entrypoint.
    "incidents.drafting": (
        *BEHIND_THE_SERVICE,
        "incidents.cli",
        "incidents.output",
        "incidents.service",
        "incidents.specs",
        "incidents.web",
    ),
    "incidents.formats": ("incidents.cli", "incidents.readmodel", "incidents.service", "incidents.specs"),
    "incidents.service": ("incidents.cli", "incidents.specs"),
}


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, package: Path = PACKAGE) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the file, relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, package).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*here[: len(here) - node.level + 1], *([base] if base else [])])
            yield node.lineno, base
            # ``from incidents import readmodel`` imports the package's module by name.
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def layer_of(module: str) -> str | None:
    return next((layer for layer in FORBIDDEN if within(module, layer)), None)


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = layer_of(module_name(path))
        if layer is None:
            continue
        for line, name in imported(path):
            bad = next((f for f in FORBIDDEN[layer] if within(name, f)), None)
            if bad is not None:
                found.append(f"{path.relative_to(ROOT)}:{line}: {layer} imports {name} (never {bad})")
    return found


def test_every_layer_imports_only_what_is_below_it() -> None:
    problems = violations()
    assert not problems, "layering broken:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("from incidents.readmodel import ReadModel\n", "incidents.readmodel"),
        ("import incidents.storage.sqlite\n", "incidents.storage.sqlite"),
        ("from incidents import projections\n", "incidents.projections"),
        ("def f():\n    from ..projections.totals import totals\n", "incidents.projections.totals"),
    ],
)
def test_the_check_sees_every_form_of_import(tmp_path: Path, source: str, name: str) -> None:
    package = tmp_path / "incidents" / "cli"
    package.mkdir(parents=True)
    module = package / "example.py"
    module.write_text(source, encoding="utf-8")
    names = [found for _line, found in imported(module, tmp_path / "incidents")]
    assert name in names
    assert layer_of(module_name(module, tmp_path / "incidents")) == "incidents.cli"
