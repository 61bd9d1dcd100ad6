"""What changed

Steps that ask what changed since a point of a clock (``incidents changes``), what differs
between two points of view (``incidents diff``), and how late sources report (``incidents
lag``), and check the answers. An action is named ``"REPORT/ACTION"``; a count as elsewhere
(``SIDE METRIC``); a value as the command prints it ("1", "2", "retracted").
"""

from __future__ import annotations

from collections.abc import Iterable

from pytest_bdd import parsers, then, when

from incidents.output import rows
from incidents.output.describe import value_text
from incidents.service import ChangeEntry, Changes, Diff, Lag, TotalDifference, Viewpoint
from incidents.specs.phrases import METRIC, Clocks, read_clocks, read_day, read_metric, unquote
from incidents.specs.world import Asked, Question, World

NOW = "now"


def _feed(changes: Changes) -> str:
    lines = [
        f"  #{row.position} {row.kind} {row.ref}: {row.what}"
        + (f" ({'; '.join(row.changes)})" if row.changes else "")
        for row in (rows.change_row(change) for change in changes.entries)
    ]
    return "\n".join(lines) or "  (nothing)"


@when(
    parsers.re(
        r"I ask what changed(?: since position (?P<since>\d+))?(?: until position (?P<until>\d+))?"
        r"(?: known since (?P<known>\S+))?"
    )
)
def ask_changes(incidents_world: World, since: str | None, until: str | None, known: str | None) -> None:
    """Every action stated and every amendment recorded after a position (or published after a
    day), each with what it changed (``incidents changes``).

    Example::

        When I ask what changed since position 27
        When I ask what changed since position 5 until position 20
        When I ask what changed known since 2019-08-27
    """
    service = incidents_world.service
    answer = service.changes(
        since=None if since is None else int(since),
        until=None if until is None else int(until),
        known_since=None if known is None else read_day(known),
    )
    clocks = Clocks(recorded_at=None if since is None else int(since))
    incidents_world.question = Question(
        Asked.CHANGES, clocks, Viewpoint(), answer, rows.changes_result(answer)
    )


def _changes(world: World) -> Changes:
    answer = world.asked(Asked.CHANGES).answer
    assert isinstance(answer, Changes)
    return answer


def _of_kind(changes: Changes, kind: str) -> list[ChangeEntry]:
    return [change for change in changes.entries if change.kind == kind]


@then(
    parsers.re(
        r'the changes include the correction of "(?P<ref>[^"]+)" from (?P<before>.+?) to (?P<after>.+)'
    )
)
def includes_correction(incidents_world: World, ref: str, before: str, after: str) -> None:
    """A correction of that action, changing a field from one value to the other.

    Example::

        Then the changes include the correction of "spec-report-1/pmf-killed" from 3 to 2
    """
    changes = _changes(incidents_world)
    wanted = (unquote(ref), unquote(before), unquote(after))
    for change in _of_kind(changes, "correction"):
        if any((str(e.ref), value_text(e.before), value_text(e.after)) == wanted for e in change.effects):
            return
    raise AssertionError(f"no correction of {ref} from {before} to {after} in the changes:\n{_feed(changes)}")


@then(
    parsers.re(r'the changes include the (?P<kind>retraction|duplicate link|preference) of "(?P<ref>[^"]+)"')
)
def includes_amendment(incidents_world: World, kind: str, ref: str) -> None:
    """A retraction (or a duplicate link, or a preference) that changed how that action stands.

    Example::

        Then the changes include the retraction of "spec-report-1/pmf-killed"
        Then the changes include the duplicate link of "spec-report-1/pmf-killed"
    """
    changes = _changes(incidents_world)
    stored = "duplicate" if kind == "duplicate link" else kind
    for change in _of_kind(changes, stored):
        if any(str(effect.ref) == unquote(ref) and effect.field == "standing" for effect in change.effects):
            return
    raise AssertionError(f"no {kind} changing how {ref} stands in the changes:\n{_feed(changes)}")


@then(parsers.re(r"the changes list (?P<count>\d+) statements?"))
def changes_count(incidents_world: World, count: str) -> None:
    """How many statements (actions stated, amendments) the changes list.

    Example::

        Then the changes list 1 statement
    """
    changes = _changes(incidents_world)
    assert len(changes.entries) == int(count), f"{len(changes.entries)} listed:\n{_feed(changes)}"


def _side(world: World, text: str) -> Viewpoint:
    return Viewpoint() if text.strip() == NOW else world.viewpoint(read_clocks(" " + text.strip()))


@when(
    parsers.re(r"I ask what differs between (?P<before>.+?) and (?P<after>now|.+?)(?: as of (?P<as_of>\S+))?")
)
def ask_diff(incidents_world: World, before: str, after: str, as_of: str | None) -> None:
    """Totals, areas and claims that differ between two points of view, with the events that
    make each difference (``incidents diff``). A side is ``now`` or clocks: ``recorded at
    position N``, ``known at DATE``, ``recorded before "REPORT-ID"``.

    Example::

        When I ask what differs between recorded at position 27 and now as of 2019-08-28
        When I ask what differs between known at 2019-08-01 and known at 2019-09-01 as of 2019-08-28
    """
    day = None if as_of is None else read_day(as_of)
    earlier, later = _side(incidents_world, before), _side(incidents_world, after)
    answer = incidents_world.service.diff(before=earlier, after=later, as_of=day)
    clocks = Clocks(as_of=day)
    incidents_world.question = Question(Asked.DIFF, clocks, later, answer, rows.diff_result(answer))


def _differences(world: World) -> Diff:
    answer = world.asked(Asked.DIFF).answer
    assert isinstance(answer, Diff)
    return answer


def _total_listing(totals: Iterable[TotalDifference]) -> str:
    return "\n".join(f"  {d.side} {d.metric.value}: {d.before} -> {d.after}" for d in totals) or "  (none)"


@then(
    parsers.re(
        rf"(?P<side>.+?) {METRIC} went from (?P<before>\S+) to (?P<after>\S+)"
        r"(?: because of the (?P<kind>correction|retraction|duplicate|preference|report)"
        r' of "(?P<ref>[^"]+)")?'
    )
)
def total_went(
    incidents_world: World, side: str, metric: str, before: str, after: str, kind: str | None, ref: str | None
) -> None:
    """A total that differs between the two points of view, and (optionally) the event that
    explains it: an amendment naming that action, or the report stating it.

    Example::

        Then ISIS killed went from 5 to 6
        Then ISIS killed went from 3 to 2 because of the correction of "spec-report-1/pmf-killed"
    """
    answer = _differences(incidents_world)
    wanted = read_metric(metric)
    found = [d for d in answer.totals if d.metric is wanted and d.side.casefold() == unquote(side).casefold()]
    listing = _total_listing(answer.totals)
    assert found, f"{side} {metric} does not differ; the totals that do:\n{listing}"
    [difference] = found
    shown = (value_text(difference.before or 0), value_text(difference.after or 0))
    assert shown == (before, after), f"{side} {metric} went from {shown[0]} to {shown[1]}"
    if kind is None or ref is None:
        return
    named = unquote(ref)
    for cause in difference.causes:
        entry = cause.entry
        if kind == "report" and cause.kind == "stated" and str(entry.ref) == named:
            return
        targets = getattr(getattr(entry, "amendment", None), "targets", ())
        if cause.kind == kind and named in {str(target) for target in targets}:
            return
    causes = "\n".join(f"  {rows.cause_text(cause)}" for cause in difference.causes) or "  (none)"
    raise AssertionError(f"no {kind} of {ref} explains it; its causes:\n{causes}")


@then("nothing differs")
def nothing_differs(incidents_world: World) -> None:
    """The two points of view agree on every total, area and claim.

    Example::

        Then nothing differs
    """
    answer = _differences(incidents_world)
    assert (answer.totals, answer.areas, answer.claims) == ((), (), ()), _total_listing(answer.totals)


@when(parsers.re(r"I ask for the reporting lag(?: by (?P<by>outlet|metric|operation))?"))
def ask_lag(incidents_world: World, by: str | None) -> None:
    """How many days after an action occurred its source published it (``incidents lag``).

    Example::

        When I ask for the reporting lag by outlet
    """
    answer = incidents_world.service.lag(by=by or "outlet")
    viewpoint = Viewpoint()
    incidents_world.question = Question(
        Asked.LAG, Clocks(), viewpoint, answer, rows.lag_result(answer, viewpoint)
    )


@then(parsers.re(r'the median lag of "(?P<group>[^"]+)" is (?P<days>\d+(?:-\d+)?) days?'))
def median_lag(incidents_world: World, group: str, days: str) -> None:
    """The median lag of a group, in days: a range (low-high) where dates are spans.

    Example::

        Then the median lag of "Rudaw English" is 1-4 days
    """
    answer = incidents_world.asked(Asked.LAG).answer
    assert isinstance(answer, Lag)
    found = {str(g.key): g for g in answer.groups}
    assert group in found, f"no group {group!r}; the groups: {', '.join(found)}"
    assert str(found[group].median) == days, f"the median lag of {group} is {found[group].median} days"
