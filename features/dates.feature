Feature: Dates and clocks
  Sources give dates in prose ("on Saturday", "a week ago"); they resolve against the
  publication date into a day or a span, never a made-up day. Every question can be asked on
  three clocks: as of (when it happened), known at (when it was published), recorded (when it
  was entered in the log).

  Rule: Relative dates resolve against the publication date, and stay spans when it is one

    Scenario: Rudaw's dates, published on Wednesday 28 August 2019
      Then "on Saturday" in a report published 2019-08-28 means 2019-08-24 (day)
      And "yesterday" in a report published 2019-08-28 means 2019-08-27
      And "July 7" in a report published 2019-08-28 means 2019-07-07
      And "in August" in a report published 2019-08-28 means 2019-08-01/2019-08-28 (month)

    Scenario: Al-Shahid's dates, published some day between 28 and 31 July 2019
      Then "a week ago" in a report published 2019-07-28/2019-07-31 means 2019-07-21/2019-07-24 (range)
      And "over three weeks ago" in a report published 2019-07-28/2019-07-31 means 2019-06-30/2019-07-09
      And "at the end of June" in a report published 2019-07-28/2019-07-31 means 2019-06-21/2019-06-30 (month-part)

    Scenario: "Last Saturday" in a Saturday paper is the week before
      Then "last Saturday" in a report published 2019-08-24 means 2019-08-17 (day)
      And "on Saturday" in a report published 2019-08-24 means 2019-08-24 (day)
      And "last Saturday" in a report published 2019-08-23/2019-08-25 means 2019-08-17/2019-08-24 (range)

  Rule: A date can be told from another action of the same report

    Scenario: The second day of operations and the Monday after the launch
      Given this report file "phase-6.yaml" is loaded:
        """
        format: incidents/report v1
        id: wire-phase-6
        source: {outlet: Wire, url: "https://wire.example/phase-6", published: 2019-09-04}
        actions:
          - {type: phase_launched, id: phase-6-launched, occurred: on Saturday, operation: Will of Victory, phase: 6, quote: The sixth phase was launched on Saturday.}
          - {type: killed, occurred: {after: phase-6-launched, day: 2}, side: ISIS, count: 3, quote: Three militants were killed on the second day of operations.}
          - {type: arrested, occurred: {after: phase-6-launched, weekday: Monday}, side: ISIS, count: 5, quote: Five suspects were arrested on Monday.}
        """
      When I ask for the totals as of 2019-08-31
      Then ISIS killed is 0
      When I ask for the totals as of 2019-09-01
      Then ISIS killed is 3
      And ISIS arrested is 0
      When I ask for the totals as of 2019-09-02
      Then ISIS arrested is 5

    Scenario: A day of operations after a launch known only to a span is itself a span
      Given this report file "undated-launch.yaml" is loaded:
        """
        format: incidents/report v1
        id: undated-launch
        source: {outlet: Wire, url: "https://wire.example/undated", published: 2019-08-30}
        actions:
          - {type: phase_launched, id: launch, occurred: 2019-08-24/2019-08-27, operation: Will of Victory, phase: 4, quote: The phase began in the last week of August.}
          - {type: killed, occurred: {after: launch, day: 2}, side: ISIS, count: 2, quote: Two were killed on its second day.}
        """
      When I ask for the totals as of 2019-08-26
      Then ISIS killed is 0
      And 2 ISIS killed are listed as uncertain
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 2

    Scenario: A date told from an action the report does not have is refused
      When I try to load this report file "dangling.yaml":
        """
        format: incidents/report v1
        id: dangling
        source: {outlet: Wire, url: "https://wire.example/dangling", published: 2019-09-04}
        actions:
          - {type: phase_launched, id: phase-6-launched, occurred: on Saturday, operation: Will of Victory, phase: 6, quote: q}
          - {type: killed, occurred: {after: phase-5-launched, day: 2}, side: ISIS, count: 3, quote: q}
        """
      Then the load fails with an error in "dangling.yaml" on line 6 for field "actions[1].occurred" saying "no action 'phase-5-launched' in this report"
      And nothing was written

    Scenario: Dates told from one another in a circle are refused
      When I try to load this report file "circle.yaml":
        """
        format: incidents/report v1
        id: circle
        source: {outlet: Wire, url: "https://wire.example/circle", published: 2019-09-04}
        actions:
          - {type: killed, id: a, occurred: {after: b, day: 2}, side: ISIS, count: 3, quote: q}
          - {type: killed, id: b, occurred: {after: a, weekday: Monday}, side: ISIS, count: 1, quote: q}
        """
      Then the load fails with an error in "circle.yaml" on line 5 for field "actions[0].occurred" saying "in a circle (a -> b -> a)"
      And nothing was written

  Rule: As of a date, what happened by then is counted; what straddles it is listed as uncertain

    Scenario: No ISIS deaths in phase 4 before it began on 24 August
      Given the seed reports are loaded
      When I ask for the totals as of 2019-08-23 by phase
      Then ISIS killed in phase 4 is 0
      And nothing is listed as uncertain

    Scenario: On its first day, four; the PMF's further kill may be later
      Given the seed reports are loaded
      When I ask for the totals as of 2019-08-24 by phase
      Then ISIS killed in phase 4 is 4
      And 1 ISIS killed by PMF in phase 4 is listed as uncertain
      And 7 ISIS arrested are listed as uncertain

    Scenario: The federal police casualties came before the operation was launched on 7 July
      Given the seed reports are loaded
      When I replay the log until 2019-07-07
      Then the replay shows "Federal Police killed 1 by ISIS" before "operation Will of Victory launched"
      And the running total of Federal Police killed ends at 1
      And the running total of Federal Police wounded ends at 3
      When I replay the log until 2019-06-30
      Then the replay shows "Federal Police wounded 3 by ISIS"
      And the replay does not show "operation Will of Victory launched"

    Scenario Outline: An incident somewhere between 24 and 27 August
      Given a report by "Wire" published 2019-08-28 states:
        | type   | occurred              | side | actor | count |
        | killed | 2019-08-24/2019-08-27 | ISIS | PMF   | 1     |
      When I ask for the totals as of <day>
      Then ISIS killed is <counted>
      And <uncertain> ISIS killed is listed as uncertain

      Examples:
        | day        | counted | uncertain |
        | 2019-08-23 | 0       | 0         |
        | 2019-08-24 | 0       | 1         |
        | 2019-08-26 | 0       | 1         |
        | 2019-08-27 | 1       | 0         |

  Rule: Known at a date, only what had been published by then is seen

    Background:
      Given a report "early" by "Early Wire" published 2019-08-25 states:
        | type   | occurred   | side | count |
        | killed | 2019-08-24 | ISIS | 2     |
      And a report "late" by "Late Wire" published 2019-08-30 states:
        | type   | occurred   | side | count |
        | killed | 2019-08-24 | ISIS | 3     |

    Scenario: A report published later changes what had happened, not what was known
      When I ask for the totals as of 2019-08-28 known at 2019-08-28
      Then ISIS killed is 2
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 5
      When I ask for the totals as of 2019-08-28 known at 2019-08-24
      Then ISIS killed is 0

    Scenario: A report whose publication date straddles the day is uncertain
      Given a report "undated" by "Undated Page" published 2019-08-27/2019-08-31 states:
        | type   | occurred   | side | count |
        | killed | 2019-08-24 | ISIS | 4     |
      When I ask for the totals known at 2019-08-28
      Then ISIS killed is 2
      And 4 ISIS killed are listed as uncertain

  Rule: Recorded at a point of the log, only what the log held then is seen

    Scenario: Before the Rudaw report was recorded
      Given the seed reports are loaded
      When I ask for the totals as of 2019-08-28 recorded before "rudaw-2019-08-28-will-of-victory-phase-4"
      Then ISIS killed is 0
      And Federal Police killed is 1
      When I ask for the totals as of 2019-08-28 recorded at position 0
      Then the answer has 0 rows
