"""An export of changes: what a downstream copy must add, change and withdraw to go from the
export at one recorded point to the export at a later one (``incidents export --changed-since``).

Both exports are the log as a viewpoint sees it (``exported``), with the same occurred and
reported clocks; they differ only in the recorded clock. An action is identified by its stable
ref (``report-key/action-id``, ACLED's ``event_id_cnty``): *added* if the later export holds it
and the earlier does not, *withdrawn* if the earlier holds it and the later does not (retracted,
or counted once as another report of its incident), *changed* if both hold it with other values
(a correction, another standing). A consumer that applies the increments in sequence (upsert the
added and changed by ref, remove the withdrawn) holds exactly the latest export.
"""

from __future__ import annotations

import attrs
from attrs import frozen

from incidents.domain.amendments import ActionRef
from incidents.formats.export.exported import ExportedAction


@frozen
class ExportChanges:
    """The increment from one export to a later one, each part in recorded order."""

    added: tuple[ExportedAction, ...]
    changed: tuple[ExportedAction, ...]
    withdrawn: tuple[ExportedAction, ...]  # as last exported, marked ``withdrawn``

    def items(self) -> tuple[ExportedAction, ...]:
        """What a writer writes: the added and changed (in recorded order), then the withdrawn."""
        upserted = sorted((*self.added, *self.changed), key=lambda item: (item.recorded, str(item.ref)))
        return (*upserted, *self.withdrawn)


def export_changes(earlier: list[ExportedAction], later: list[ExportedAction]) -> ExportChanges:
    """The increment that turns the ``earlier`` export into the ``later`` one."""
    before: dict[ActionRef, ExportedAction] = {item.ref: item for item in earlier}
    after: dict[ActionRef, ExportedAction] = {item.ref: item for item in later}
    added = tuple(item for ref, item in after.items() if ref not in before)
    changed = tuple(item for ref, item in after.items() if ref in before and before[ref] != item)
    withdrawn = tuple(attrs.evolve(item, withdrawn=True) for ref, item in before.items() if ref not in after)
    return ExportChanges(added, changed, withdrawn)


def applied(
    current: dict[ActionRef, ExportedAction], changes: ExportChanges
) -> dict[ActionRef, ExportedAction]:
    """A consumer's copy (by ref) with an increment applied: the rule the docs give consumers."""
    updated = dict(current)
    for item in (*changes.added, *changes.changed):
        updated[item.ref] = item
    for item in changes.withdrawn:
        updated.pop(item.ref, None)
    return updated
