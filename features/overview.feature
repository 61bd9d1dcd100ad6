Feature: What the log holds
  Before any figure, a reader asks what is in the log: which kinds of action, from how many
  reports, over which days. The overview counts what an export from the same clocks writes:
  amendments applied, and what straddles the as-of date held uncertain, never dropped.

  Background:
    Given the seed reports are loaded

  Scenario: Every action of the two seed reports, by type
    When I ask for the overview
    Then the log holds 25 actions of 2 reports
    And the log holds 4 killed actions
    And the log holds 2 phase_launched actions
    And the log holds 0 phase_ended actions
    And the answer includes these rows:
      | type           | actions | reports | occurred_first | occurred_last | published_first | published_last |
      | phase_launched | 2       | 2       | 2019-07-21     | 2019-08-24    | 2019-07-28      | 2019-08-28     |
      | all            | 25      | 2       | 2019-06-21     | 2019-08-28    | 2019-07-28      | 2019-08-28     |

  Scenario: As of a day, what straddles it is held uncertain and what follows it is left out
    When I ask for the overview as of 2019-08-25
    Then the log holds 23 actions of 2 reports
    And the log holds 4 killed actions, 1 of them uncertain
    And the log holds 1 arrested action, 1 of them uncertain
    And the log holds 0 total_claimed actions

  Scenario: A retracted action leaves the overview
    When "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-arrested" is retracted
    And I ask for the overview
    Then the log holds 24 actions of 2 reports
    And the log holds 0 arrested actions
