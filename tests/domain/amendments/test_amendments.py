"""Corrections, retractions, duplicate links and preferences: read from report files, checked
when loaded, and applied by every query on the three clocks."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.application import IncidentLog
from incidents.domain.actions import Metric
from incidents.domain.amendments import ActionRef, Correction, DuplicateLink
from incidents.domain.values import Estimate
from incidents.formats.errors import InvalidInputError
from incidents.projections.clocks import Viewpoint
from incidents.projections.conflicts import find_conflicts
from incidents.projections.ledger import read_ledger
from incidents.projections.provenance import explain, history
from incidents.projections.resolution import resolve
from incidents.projections.totals import totals
from tests.domain.amendments.conftest import PMF_KILL, RUDAW, WIRE, AddReport, report

AUGUST_28 = Viewpoint(as_of=date(2019, 8, 28))

CORRECTION = report(
    "pmf-statement-2019-08-30",
    "2019-08-30",
    f"""  - type: correction
    target: {PMF_KILL}
    changes: {{count: 2}}
    reason: the PMF's full statement names two militants
    quote: Two more militants were killed.
""",
    outlet="PMF media",
)

LINK = report(
    "analyst-links",
    "2019-09-01",
    f"""  - type: duplicate
    same: [{RUDAW}/phase-4-first-day-killed.2, wire-2019-08-25/pmf-killed]
    reason: the same PMF claim for Saturday
""",
    outlet="analyst",
)


def isis_killed(log: IncidentLog, viewpoint: Viewpoint = AUGUST_28) -> Estimate:
    ledger = read_ledger(log)
    rows = totals(resolve(ledger, viewpoint).entries, viewpoint).rows
    return next(row.estimate for row in rows if row.metric is Metric.KILLED and row.side == "ISIS")


def test_a_correction_in_a_report_file_changes_the_total(seeded: IncidentLog, add_report: AddReport) -> None:
    before = seeded.recorder.max_notification_id()
    assert isis_killed(seeded) == Estimate.exactly(5)
    add_report(CORRECTION)
    assert isis_killed(seeded) == Estimate.exactly(6)
    # The store as it was before the correction still says 5: nothing was overwritten.
    assert isis_killed(seeded, Viewpoint(as_of=date(2019, 8, 28), recorded_at=before)) == Estimate.exactly(5)
    # Before the correction was published, it was not known.
    known_before = Viewpoint(as_of=date(2019, 8, 28), known_at=date(2019, 8, 29))
    assert isis_killed(seeded, known_before) == Estimate.exactly(5)


def test_the_correction_is_parsed_like_the_field_it_corrects(
    seeded: IncidentLog, add_report: AddReport
) -> None:
    [loaded] = add_report(CORRECTION)
    [correction] = loaded.report.amendments
    assert isinstance(correction, Correction)
    assert correction.target == ActionRef(RUDAW, "pmf-statement-killed")
    assert [(c.field, c.value) for c in correction.changes] == [("count", Estimate.exactly(2))]


def test_a_bare_target_names_an_action_of_the_same_report(seeded: IncidentLog, add_report: AddReport) -> None:
    text = report(
        "self-correcting",
        "2019-08-30",
        """  - id: killed
    type: killed
    occurred: 2019-08-24
    side: ISIS
    count: 4
    quote: Four were killed.
  - type: correction
    target: killed
    changes: {count: 3, occurred: 2019-08-25}
    reason: the update says three, on Sunday
""",
    )
    add_report(text)
    assert isis_killed(seeded) == Estimate.exactly(5 + 3)
    entries = resolve(read_ledger(seeded), Viewpoint()).entries
    [fixed] = [e for e in entries if e.report.key == "self-correcting"]
    assert str(fixed.action.occurred) == "2019-08-25"


def test_history_shows_the_action_and_its_correction_with_sources(
    seeded: IncidentLog, add_report: AddReport
) -> None:
    add_report(CORRECTION)
    story = history(read_ledger(seeded), Viewpoint(), [ActionRef(RUDAW, "pmf-statement-killed")])
    assert [h.entry.report.source.outlet for h in story] == ["Rudaw English", "PMF media"]
    assert [h.standing for h in story] == ["in effect", "in effect"]
    recorded_before = Viewpoint(recorded_at=story[1].position - 1)
    earlier = history(read_ledger(seeded), recorded_before, [ActionRef(RUDAW, "pmf-statement-killed")])
    assert [h.standing for h in earlier] == ["in effect", "not in view"]


def test_explain_lists_the_correction_beside_the_counted_action(
    seeded: IncidentLog, add_report: AddReport
) -> None:
    add_report(CORRECTION)
    explanation = explain(read_ledger(seeded), AUGUST_28, Metric.KILLED, "isis")
    [corrected] = [c for c in explanation.contributions if c.entry.action.id == "pmf-statement-killed"]
    [change] = corrected.changes
    assert (change.field, change.before, change.after) == ("count", Estimate.exactly(1), Estimate.exactly(2))
    assert change.correction.report.source.outlet == "PMF media"
    assert sum((c.entry.action.count for c in explanation.counted()), Estimate.zero()) == Estimate.exactly(6)


def test_a_retraction_takes_the_action_out_and_explain_says_why(
    seeded: IncidentLog, add_report: AddReport
) -> None:
    add_report(
        report(
            "retraction",
            "2019-09-02",
            f"""  - type: retraction
    target: {PMF_KILL}
    reason: the PMF withdrew the statement
""",
        )
    )
    assert isis_killed(seeded) == Estimate.exactly(4)
    explanation = explain(read_ledger(seeded), AUGUST_28, Metric.KILLED, "ISIS")
    [retracted] = [c for c in explanation.contributions if c.entry.action.id == "pmf-statement-killed"]
    assert retracted.verdict.standing.value == "excluded"
    assert "retracted by retraction/1" in (retracted.verdict.reason or "")
    assert "withdrew" in (retracted.verdict.reason or "")


def test_retracting_a_correction_restores_the_value_first_recorded(
    seeded: IncidentLog, add_report: AddReport
) -> None:
    add_report(CORRECTION)
    add_report(
        report(
            "second-thoughts",
            "2019-09-03",
            """  - type: retraction
    target: pmf-statement-2019-08-30/1
    reason: the full statement was misread
""",
        )
    )
    assert isis_killed(seeded) == Estimate.exactly(5)
    story = history(read_ledger(seeded), Viewpoint(), [ActionRef(RUDAW, "pmf-statement-killed")])
    assert [(h.entry.report.key, h.standing) for h in story] == [
        (RUDAW, "in effect"),
        ("pmf-statement-2019-08-30", "retracted"),
        ("second-thoughts", "in effect"),
    ]


def test_linked_duplicates_count_once_as_the_latest_published(
    seeded: IncidentLog, add_report: AddReport
) -> None:
    add_report(WIRE)
    assert isis_killed(seeded) == Estimate.exactly(5 + 3 + 2)
    add_report(LINK)
    # Rudaw (published the 28th) is later than the Wire (the 25th): its 2 counts, not the Wire's 3.
    assert isis_killed(seeded) == Estimate.exactly(5 + 2)
    resolved = resolve(read_ledger(seeded), AUGUST_28)
    [incident] = resolved.incidents
    assert incident.chosen.ref == ActionRef(RUDAW, "phase-4-first-day-killed.2")
    assert {resolution.field for resolution in incident.merged.disagreements} == {"count"}


def test_a_preference_overrides_the_rule(seeded: IncidentLog, add_report: AddReport) -> None:
    add_report(WIRE)
    add_report(LINK)
    add_report(
        report(
            "preference",
            "2019-09-04",
            """  - type: preference
    target: wire-2019-08-25/pmf-killed
    reason: the Wire's count comes from the hospital
""",
        )
    )
    assert isis_killed(seeded) == Estimate.exactly(5 + 3 - 2 + 2)
    [conflict] = [
        c for c in find_conflicts(resolve(read_ledger(seeded), AUGUST_28), AUGUST_28) if c.kind == "incident"
    ]
    assert conflict.used is not None
    assert conflict.used.ref == ActionRef("wire-2019-08-25", "pmf-killed")
    assert "preferred by preference/1" in conflict.rule


def test_a_link_is_not_applied_before_it_is_known(seeded: IncidentLog, add_report: AddReport) -> None:
    add_report(WIRE)
    add_report(LINK)
    assert isis_killed(
        seeded, Viewpoint(as_of=date(2019, 8, 28), known_at=date(2019, 8, 31))
    ) == Estimate.exactly(10)


def test_unlinked_reports_of_one_incident_are_pointed_out(seeded: IncidentLog, add_report: AddReport) -> None:
    add_report(WIRE)
    resolved = resolve(read_ledger(seeded), AUGUST_28)
    likely = [c for c in find_conflicts(resolved, AUGUST_28) if c.kind == "likely duplicate"]
    assert [{str(m.ref) for m in c.members} for c in likely] == [
        {f"{RUDAW}/phase-4-first-day-killed.1", "wire-2019-08-25/coalition-killed"}
    ]
    assert "incidents link" in likely[0].rule


def test_different_phase_numbers_for_one_launch_are_a_conflict(
    seeded: IncidentLog, add_report: AddReport
) -> None:
    add_report(
        report(
            "numbering",
            "2019-08-25",
            """  - type: phase_launched
    occurred: 2019-08-24
    operation: Will of Victory
    phase: 3
    quote: The third phase began on Saturday.
""",
        )
    )
    conflicts = find_conflicts(resolve(read_ledger(seeded), Viewpoint()), Viewpoint())
    [numbering] = [c for c in conflicts if c.kind == "phase numbering"]
    assert sorted(numbering.values) == [3, 4]  # type: ignore[type-var]
    # Unlinked, neither number is chosen: phases keeps both rows, marked, until they are linked.
    assert numbering.used is None
    assert "incidents link" in numbering.rule


# --- Bad amendments: every problem with file, line and field; nothing written -----------------------


@pytest.mark.parametrize(
    ("actions", "line", "field", "message"),
    [
        (
            "  - type: correction\n    target: nobody/nothing\n    changes: {count: 2}\n",
            5,
            "actions[0].target",
            "no such action: nobody/nothing",
        ),
        (
            f"  - type: correction\n    target: {PMF_KILL}\n    changes: {{colour: red}}\n",
            7,
            "actions[0].changes",
            "cannot correct 'colour'",
        ),
        (
            f"  - type: correction\n    target: {PMF_KILL}\n    changes: {{count: -2}}\n",
            7,
            "actions[0].changes",
            "count",
        ),
        (
            f"  - type: correction\n    target: {RUDAW}/operation-launched\n    changes: {{count: 2}}\n",
            5,
            "actions[0].changes",
            "operation_launched has no correctable field 'count'",
        ),
        (
            f"  - type: correction\n    target: {PMF_KILL}\n    changes: {{}}\n",
            7,
            "actions[0].changes",
            "expected a mapping of fields",
        ),
        (
            f"  - type: duplicate\n    same: [{PMF_KILL}, {RUDAW}/pmf-statement-arrested]\n",
            5,
            "actions[0].same",
            "only actions of one type",
        ),
        (
            f"  - type: duplicate\n    same: [{PMF_KILL}]\n",
            5,
            "actions[0]",
            "at least two different actions",
        ),
        (
            f"  - type: preference\n    target: {PMF_KILL}\n    becauze: typo\n",
            7,
            "actions[0].becauze",
            "unknown field",
        ),
    ],
)
def test_a_bad_amendment_is_refused_with_file_line_and_field(
    seeded: IncidentLog, add_report: AddReport, actions: str, line: int, field: str, message: str
) -> None:
    before = seeded.recorder.max_notification_id()
    with pytest.raises(InvalidInputError) as raised:
        add_report(report("bad-amendment", "2019-09-01", actions))
    [problem] = raised.value.problems
    assert problem.file.endswith("report-1.yaml")
    assert (problem.line, problem.field) == (line, field)
    assert message in problem.message
    assert seeded.recorder.max_notification_id() == before


def test_a_retraction_cannot_be_retracted(seeded: IncidentLog, add_report: AddReport) -> None:
    add_report(
        report("r1", "2019-09-01", f"  - type: retraction\n    target: {PMF_KILL}\n    reason: wrong\n")
    )
    with pytest.raises(InvalidInputError, match="a retraction cannot be retracted"):
        add_report(report("r2", "2019-09-02", "  - type: retraction\n    target: r1/1\n    reason: undo\n"))


def test_a_link_and_its_targets_can_be_loaded_together(seeded: IncidentLog, add_report: AddReport) -> None:
    both = WIRE + LINK.split("actions:\n", 1)[1].replace("wire-2019-08-25/pmf-killed", "pmf-killed")
    [loaded] = add_report(both)
    [link] = loaded.report.amendments
    assert isinstance(link, DuplicateLink)
    assert ActionRef("wire-2019-08-25", "pmf-killed") in link.same
    assert isis_killed(seeded) == Estimate.exactly(5 + 2)
