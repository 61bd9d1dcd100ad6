Feature: One incident from several reports, resolved field by field
  Outlets report one incident with different details: one names the actor and the village, a
  later round-up gives only the month. Linked as one incident, it counts once, and each of its
  details comes from the reports that state it: a report that says nothing of a detail does not
  disagree, the most precise date that no other report contradicts wins, lists are joined, and
  only a real disagreement is a conflict, decided by the preferred report, else the latest.

  Background:
    Given the seed reports are loaded
    And a report by "Wire" published 2019-08-25 states:
      | id           | type   | occurred   | side | actor | count | place | quote                                                 |
      | karma-killed | killed | 2019-08-24 | ISIS | PMF   | 3     | Karma | The PMF killed three militants in Karma on Saturday. |

  Rule: A report that does not state a detail does not disagree

    Scenario: A later, vaguer round-up keeps the actor, the place and the day the first report gave
      Given a report by "Monthly Review" published 2019-09-05 states:
        | id            | type   | occurred | side | count | quote                                   |
        | august-killed | killed | 2019-08  | ISIS | 3     | Three militants were killed in August. |
      When "spec-report-1/karma-killed" and "spec-report-2/august-killed" are linked as one incident
      And I ask for the totals as of 2019-08-28 by actor
      Then ISIS killed by PMF is 6
      When I ask for the totals as of 2019-08-28 by area
      Then the answer includes these rows:
        | metric | side | area     | best | events |
        | killed | ISIS | Al-Garma | 3    | 1      |
      When I ask for the conflicts
      Then no conflict is listed

  Rule: A real disagreement is a conflict, and conflicts describe the report whose value is used

    Background:
      Given a report by "Later Wire" published 2019-08-27 states:
        | id           | type   | occurred   | side | count | quote                                  |
        | karma-update | killed | 2019-08-20 | ISIS | 4     | Four militants died, a source said.    |
      When "spec-report-1/karma-killed" and "spec-report-2/karma-update" are linked as one incident

    Scenario: The latest report's count and date are used, the other details are kept
      When I ask for the totals as of 2019-08-28 by actor
      Then ISIS killed by PMF is 7
      When I ask for the conflicts
      Then sources disagree on the count of "spec-report-1/karma-killed" and totals use "spec-report-2/karma-update"
      And sources disagree on the occurred of "spec-report-1/karma-killed" and totals use "spec-report-2/karma-update"
      And the answer includes these rows:
        | kind     | field    | subject        | used                       |
        | incident | count    | ISIS killed 4  | spec-report-2/karma-update |
        | incident | occurred | ISIS killed 4  | spec-report-2/karma-update |

    Scenario: A preference decides the disagreement the other way
      When the figures of "spec-report-1/karma-killed" are preferred
      And I ask for the totals as of 2019-08-28 by actor
      Then ISIS killed by PMF is 6
      When I ask for the conflicts
      Then sources disagree on the count of "spec-report-2/karma-update" and totals use "spec-report-1/karma-killed"
