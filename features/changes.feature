Feature: What changed since, and what differs between two points of view
  The log keeps every report, correction, retraction and link with when it was recorded, so a
  downstream user can ask what changed since their last download, and an analyst can say why a
  figure moved between two readings of the log, with the sources that moved it.

  Background:
    Given the seed reports are loaded

  Rule: The change feed lists what was recorded after a position, with what each amendment changed

    Scenario: Since the position before the correction, the feed lists exactly that correction
      When the count of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is corrected to 2
      And I ask what changed since position 27
      Then the changes list 1 statement
      And the changes include the correction of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" from 1 to 2
      And the answer includes these rows:
        | kind       | changes      | source                   | recorded_by |
        | correction | count 1 -> 2 | analyst: spec author     | spec author |

    Scenario: A retraction of a corrected action says it no longer counts
      When the count of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is corrected to 2
      And "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is retracted
      And I ask what changed since position 27
      Then the changes list 2 statements
      And the changes include the retraction of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed"

    Scenario: A duplicate link says which report now counts once as the other
      Given a report by "Wire" published 2019-08-25 states:
        | id         | type   | occurred   | side | actor | count | quote                                     |
        | pmf-killed | killed | 2019-08-24 | ISIS | PMF   | 3     | The PMF said it killed three on Saturday. |
      When "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.2" and "spec-report-1/pmf-killed" are linked as one incident
      And I ask what changed since position 29
      Then the changes list 1 statement
      And the changes include the duplicate link of "spec-report-1/pmf-killed"

    Scenario: What became known after a day is what was published after it
      When I ask what changed known since 2019-08-27
      Then the changes list 9 statements

  Rule: A difference between two points of view is explained by the events that make it

    Scenario: Recorded before and after the correction, ISIS killed went from 5 to 6 because of it
      When the count of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is corrected to 2
      And I ask what differs between recorded at position 27 and now as of 2019-08-28
      Then ISIS killed went from 5 to 6 because of the correction of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed"

    Scenario: Known at the start and at the end of August, Rudaw's report makes the difference
      When I ask what differs between known at 2019-08-01 and known at 2019-09-01 as of 2019-08-28
      Then ISIS killed went from 0 to 5 because of the report of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed"

    Scenario: One point of view against itself differs in nothing
      When I ask what differs between recorded at position 27 and now as of 2019-08-28
      Then nothing differs

  Rule: Reporting lag is the reported clock as data

    Scenario: Rudaw reported phase 4 one to four days after it happened
      When I ask for the reporting lag by outlet
      Then the median lag of "Rudaw English" is 1-4 days
