Feature: Real data in and out
  A public dataset imports with its own figures intact, and an export loads back into a fresh
  log with the same answers.

  Scenario: UCDP GED deaths keep their sides and years
    Given the UCDP GED file "tests/fixtures/ucdp/ucdp-ged-syria-slice.csv" is imported
    When I ask for the totals as of 2016-12-31
    Then Civilians killed is 830
    When I ask for the totals
    Then Civilians killed is 834

  Scenario Outline: An export as <format> loads back with the same totals
    Given the seed reports are loaded
    When the count of "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed" is corrected to 2
    And the log is exported as <format> as of 2019-08-28 and loaded into a fresh log
    And I ask for the totals as of 2019-08-28 by actor
    Then ISIS killed is 6
    And ISIS killed by PMF is 4
    And ISIS arrested is 7
    And Federal Police wounded is 3
    When I ask for the areas as of 2019-08-28
    Then Karma is threatened

    Examples:
      | format |
      | csv    |
      | json   |
