Feature: Corrections, duplicates and conflicts
  Nothing recorded is ever overwritten. A correction, a retraction or a link of duplicates is
  recorded beside what it amends, with its own source, and every question can look back past it.

  Background:
    Given the seed reports are loaded

  Rule: A correction changes the figure from when it is recorded and known

    Scenario: The PMF's additional kill was two: six killed, five before the correction
      When the count of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is corrected to 2
      And I ask for the totals as of 2019-08-28
      Then ISIS killed is 6
      And ISIS killed by PMF is 4
      When I ask for the totals as of 2019-08-28 recorded at position 27
      Then ISIS killed is 5

    Scenario: A correction published later is not known before it
      Given a report by "PMF media" published 2019-08-30 states:
        | type       | target                                                         | changes     | reason                     |
        | correction | rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed | {count: 2}  | the statement names two    |
      When I ask for the totals as of 2019-08-28 known at 2019-08-29
      Then ISIS killed is 5
      When I ask for the totals as of 2019-08-28 known at 2019-08-30
      Then ISIS killed is 6

    Scenario: The history shows the action and its correction, each with its source
      When the count of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is corrected to 2
      And I ask for the history of the action "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed"
      Then the history lists stated by Rudaw English, correction by analyst: spec author
      And the answer includes these rows:
        | event      | what                   | standing  |
        | stated     | ISIS killed 1 by PMF   | in effect |
        | correction | count to 2             | in effect |

    Scenario: Explain shows the corrected figure and where it comes from
      When the count of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is corrected to 2
      And I ask where ISIS killed comes from as of 2019-08-28
      Then "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is counted
      And the answer includes these rows:
        | id                   | standing | best | source        |
        | pmf-statement-killed | counted  | 2    | Rudaw English |

  Rule: A retraction takes an action out, and says why

    Scenario: A retracted action no longer counts
      When "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is retracted
      And I ask where ISIS killed comes from as of 2019-08-28
      Then "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is excluded because retracted
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 4

  Rule: Reports of one incident count once when linked, and are pointed out until then

    Background:
      Given a report by "Wire" published 2019-08-25 states:
        | id               | type   | occurred   | side | actor            | count | quote                                          |
        | pmf-killed       | killed | 2019-08-24 | ISIS | PMF              | 3     | The PMF said it killed three on Saturday.      |
        | coalition-killed | killed | 2019-08-24 | ISIS | US-led coalition | 2     | Two militants died in coalition airstrikes.    |

    Scenario: Unlinked, a likely duplicate is pointed out
      When I ask for the conflicts
      Then "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.1" and "spec-report-1/coalition-killed" are pointed out as likely duplicates

    Scenario: Linked, the incident counts once, as the most recently published report
      When "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.2" and "spec-report-1/pmf-killed" are linked as one incident
      And I ask for the totals as of 2019-08-28
      Then ISIS killed by PMF is 3
      When I ask for the conflicts
      Then sources disagree on the count of "spec-report-1/pmf-killed" and totals use "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.2"

    Scenario: A preference overrides the rule
      When "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.2" and "spec-report-1/pmf-killed" are linked as one incident
      And the figures of "spec-report-1/pmf-killed" are preferred
      And I ask for the totals as of 2019-08-28
      Then ISIS killed by PMF is 4
      When I ask where ISIS killed comes from as of 2019-08-28
      Then "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.2" is excluded because counted once

  Rule: Sources that number a phase differently are a conflict

    Scenario: The Wire calls Saturday's launch the third phase
      Given a report by "Wire" published 2019-08-25 states:
        | id      | type           | occurred   | operation       | phase | quote                          |
        | phase-3 | phase_launched | 2019-08-24 | Will of Victory | 3     | The third phase began Saturday. |
      When I ask for the conflicts
      Then the answer includes these rows:
        | kind            | field | refs                                                                                |
        | phase numbering | phase | spec-report-1/phase-3, rudaw-2019-08-28-will-of-victory-phase-4/phase-4-launched |
      When "spec-report-1/phase-3" and "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-launched" are linked as one incident
      And I ask for the conflicts
      Then sources disagree on the phase of "spec-report-1/phase-3" and the log uses "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-launched"

    Scenario: The seeds alone disagree on nothing
      When I ask for the conflicts
      Then no conflict is listed
