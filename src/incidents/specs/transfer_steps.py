"""Real data in and out

A UCDP GED file is imported as ``incidents import ucdp-ged`` imports it (one report per event,
one killed action per death figure). An export is written as ``incidents export`` writes it
and loaded into a fresh log as ``incidents load`` loads it, with the scenario's reference data;
the questions after it are asked of that fresh log.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, when

from incidents.formats.errors import InvalidInputError
from incidents.formats.registry import DATASETS, WRITERS
from incidents.service import Service
from incidents.specs.phrases import CLAUSES, read_clocks
from incidents.specs.world import World, readable


@given(parsers.re(r'the UCDP GED file "(?P<file>[^"]+)" is imported'))
def import_ucdp(incidents_world: World, file: str) -> None:
    """Import a UCDP GED CSV file (``incidents import ucdp-ged``).

    Example::

        Given the UCDP GED file "tests/fixtures/ucdp/ucdp-ged-syria-slice.csv" is imported
    """
    try:
        incidents_world.service.import_dataset(DATASETS["ucdp-ged"](incidents_world.path(file)).reports)
    except InvalidInputError as error:
        problems = "\n".join(f"  {readable(str(p), incidents_world.folders)}" for p in error.problems)
        raise AssertionError("the import failed:\n" + problems) from None


@when(parsers.re(r"the log is exported as (?P<kind>csv|json)" + CLAUSES + r" and loaded into a fresh log"))
def export_and_reload(incidents_world: World, kind: str, clauses: str) -> None:
    """Export (``incidents export --format csv|json``), then load the export into an empty log.

    Example::

        When the log is exported as csv as of 2019-08-28 and loaded into a fresh log
    """
    world = incidents_world
    viewpoint = world.viewpoint(read_clocks(clauses))
    writer = WRITERS[kind]
    name = writer.file_name
    path = world.scratch / name
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer.write(world.service.export(viewpoint=viewpoint), viewpoint.describe(), stream)
    fresh = Service.open("memory:")
    try:
        fresh.load([path], aliases=world.aliases)
    except InvalidInputError as error:
        fresh.close()
        problems = "\n".join(f"  {readable(str(p), world.folders)}" for p in error.problems)
        raise AssertionError("the export did not load:\n" + problems) from None
    world.service.close()
    world.service = fresh
