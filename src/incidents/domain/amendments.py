"""Amendments: statements about other statements. Nothing recorded is ever changed or removed.

A report can state actions (``actions.py``) and amend what any report stated: correct a field,
retract an action, link actions that are one incident, or prefer one of them where they
disagree. Amendments are recorded like actions (in the report that makes them, with its source),
so every clock applies to them: a correction published in 2020 is not known at 2019, and one
recorded after a given position is not in the store at that position.

Each amendment points at what it changes with an :class:`ActionRef`: ``report-key/action-id``.

Like the actions, these classes are stored field by field: before renaming or removing a field,
read docs/architecture.md, "Changing a stored value object".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
from attrs import field, frozen

from incidents.domain.actions import ReportedAction
from incidents.domain.limits import ID, KEY, NAME, QUOTE, bounded_text


def _not_blank(_instance: object, attribute: object, value: str) -> None:
    if not value.strip():
        raise ValueError(f"{getattr(attribute, 'name', 'value')} must not be blank")


@frozen(order=True)
class ActionRef:
    """An action (or an amendment) of a report: ``report-key/action-id``."""

    report: str = field(validator=[_not_blank, bounded_text(KEY)])
    action: str = field(validator=[_not_blank, bounded_text(ID)])

    @classmethod
    def parse(cls, text: str, in_report: str) -> ActionRef:
        """``key/id`` names an action of any report; a bare ``id`` one of ``in_report``.

        Report keys may themselves contain slashes (URLs): the action id is what follows the
        last one.
        """
        report, slash, action = text.strip().rpartition("/")
        if not slash:
            return cls(in_report, action)
        if not report or not action:
            raise ValueError(f"expected report-key/action-id or action-id, got {text!r}")
        return cls(report, action)

    def __str__(self) -> str:
        return f"{self.report}/{self.action}"


@frozen
class FieldChange:
    """One field of the target set to a new value (parsed as the report-file field is)."""

    field: str = field(validator=bounded_text(NAME))
    value: Any


@frozen(kw_only=True)
class Amendment:
    """What every amendment has: its id in its report, the words that state it, and why."""

    kind: ClassVar[str] = ""

    id: str = field(validator=[_not_blank, bounded_text(ID)])
    reason: str | None = field(default=None, validator=bounded_text(QUOTE))  # the analyst's or the source's
    quote: str | None = field(default=None, validator=bounded_text(QUOTE))  # the source's words, if published

    @property
    def targets(self) -> tuple[ActionRef, ...]:
        raise NotImplementedError


@frozen(kw_only=True)
class Correction(Amendment):
    """Some fields of an action were wrong: from now on they read as ``changes`` say."""

    kind: ClassVar[str] = "correction"

    target: ActionRef
    changes: tuple[FieldChange, ...] = field(converter=tuple)

    @changes.validator
    def _some_changes(self, _attribute: object, value: tuple[FieldChange, ...]) -> None:
        if not value:
            raise ValueError("a correction changes at least one field")
        names = [change.field for change in value]
        if len(set(names)) != len(names):
            raise ValueError(f"a correction changes each field once, got {names}")

    @property
    def targets(self) -> tuple[ActionRef, ...]:
        return (self.target,)


@frozen(kw_only=True)
class Retraction(Amendment):
    """An action (or an amendment) should never have been recorded: it no longer counts."""

    kind: ClassVar[str] = "retraction"

    target: ActionRef

    @property
    def targets(self) -> tuple[ActionRef, ...]:
        return (self.target,)


@frozen(kw_only=True)
class DuplicateLink(Amendment):
    """These actions report one and the same incident: it counts once."""

    kind: ClassVar[str] = "duplicate"

    same: tuple[ActionRef, ...] = field(converter=tuple)

    @same.validator
    def _at_least_two(self, _attribute: object, value: tuple[ActionRef, ...]) -> None:
        if len(set(value)) < 2:
            raise ValueError("a duplicate link names at least two different actions")

    @property
    def targets(self) -> tuple[ActionRef, ...]:
        return self.same


@frozen(kw_only=True)
class Preference(Amendment):
    """Where linked reports of one incident disagree, use this one's figures (overrides the rule)."""

    kind: ClassVar[str] = "preference"

    target: ActionRef

    @property
    def targets(self) -> tuple[ActionRef, ...]:
        return (self.target,)


AMENDMENT_KINDS: dict[str, type[Amendment]] = {
    cls.kind: cls for cls in (Correction, Retraction, DuplicateLink, Preference)
}


# --- What an amendment may point at, and what a correction does ---------------------------------

NOT_CORRECTABLE = frozenset({"id", "split_of"})  # an action's identity and its split are fixed


def corrected(action: ReportedAction, correction: Correction) -> ReportedAction:
    """The action as the correction says it should read. Raises ValueError if it cannot."""
    fields = {spec.name: spec for spec in attrs.fields(type(action))}
    changes: dict[str, Any] = {}
    for change in correction.changes:
        spec = fields.get(change.field)
        if spec is None or change.field in NOT_CORRECTABLE:
            correctable = ", ".join(name for name in fields if name not in NOT_CORRECTABLE)
            raise ValueError(f"a {action.kind} has no correctable field {change.field!r} ({correctable})")
        if change.value is None and spec.default is attrs.NOTHING:
            raise ValueError(
                f"{change.field} is required for a {action.kind}: it can be changed, not removed"
            )
        changes[change.field] = change.value
    try:
        return attrs.evolve(action, **changes)
    except (TypeError, ValueError) as error:
        raise ValueError(f"the corrected {action.kind} is not valid: {error}") from error


def target_problems(amendment: Amendment, targets: Sequence[object]) -> list[str]:
    """Why an amendment cannot apply to the statements it names (in the order of its targets)."""
    if isinstance(amendment, Retraction):
        if isinstance(targets[0], Retraction):
            return ["a retraction cannot be retracted: state the action again in a new report"]
        return []
    actions = [target for target in targets if isinstance(target, ReportedAction)]
    if len(actions) != len(targets):
        return [f"a {amendment.kind} points at actions, not at amendments"]
    if isinstance(amendment, Correction):
        try:
            corrected(actions[0], amendment)
        except ValueError as error:
            return [str(error)]
    if isinstance(amendment, DuplicateLink):
        kinds = sorted({action.kind for action in actions})
        if len(kinds) > 1:
            return [f"only actions of one type can be one incident, got {', '.join(kinds)}"]
    return []
