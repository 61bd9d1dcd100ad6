"""docs/architecture.md's map of the code names what is there: every module and package in its
"Layers" listing exists, and every module of the package is on the map."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

SOURCE = ROOT / "src"
MAP_ROOT = ROOT
MAP_LINE = re.compile(r"^(?P<indent> *)(?P<names>[\w./]+(?: {1,2}[\w./]+\.py)*)(?:\s{2,}|$)")


def mapped() -> set[Path]:
    """The paths the listing names, each resolved under the package it is indented under."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    listing = text.split("## Layers", 1)[1].split("```", 2)[1]
    found: set[Path] = set()
    parents: list[tuple[int, Path]] = []
    for line in listing.splitlines():
        match = MAP_LINE.match(line)
        if not match or not line.strip() or line.startswith(" " * 21):
            continue  # blank, or the continuation of a description
        indent = len(match["indent"])
        names = [name for name in match["names"].split() if name.endswith((".py", "/"))]
        while parents and parents[-1][0] >= indent:
            parents.pop()
        base = parents[-1][1] if parents else MAP_ROOT
        for name in names:
            path = base / name.rstrip("/")
            found.add(path)
            if name.endswith("/"):
                parents.append((indent, path))
    return found


def test_every_module_on_the_map_exists() -> None:
    missing = sorted(str(path.relative_to(ROOT)) for path in mapped() if not path.exists())
    assert not missing, f"docs/architecture.md names what is not there: {missing}"


def test_every_package_and_top_level_module_is_on_the_map() -> None:
    package = SOURCE / "incidents"
    wanted = {
        path
        for path in package.iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py") or (path / "__init__.py").exists()
    }
    absent = sorted(str(path.relative_to(ROOT)) for path in wanted - mapped())
    assert not absent, f"docs/architecture.md's Layers do not show: {absent}"
