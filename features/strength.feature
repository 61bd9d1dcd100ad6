Feature: Strength estimates
  An estimate of a side's strength ("14-18,000 remaining militants") is usually a range, and
  is kept as one: no best figure is made up.

  Rule: The US Department of Defense put ISIS at 14,000 to 18,000 in August 2019

    Background:
      Given the seed reports are loaded

    Scenario: The estimate is a range with no best figure
      When I ask for the strength estimates as of 2019-08-28
      Then the strength of ISIS is 14000-18000
      And the strength of ISIS is 14000 to 18000
      And the strength of ISIS is between 10000 and 20000
      And the answer is exactly these rows:
        | side | low   | best | high  | region         | estimator                | occurred              | source        |
        | ISIS | 14000 |      | 18000 | Iraq and Syria | US Department of Defense | 2019-08-01/2019-08-28 | Rudaw English |

    Scenario: Before August there is no estimate
      When I ask for the strength estimates as of 2019-07-31
      Then there is no strength estimate of ISIS

  Rule: The latest estimate is the side's strength, and keeps a best figure when a source gives one

    Scenario: A later estimate with a best figure
      Given a report by "Wire" published 2019-09-30 states:
        | type               | occurred   | side | count                                 | estimator |
        | strength_estimated | 2019-08-15 | ISIS | 14,000-18,000                         | Pentagon  |
        | strength_estimated | 2019-09-20 | ISIS | {low: 10000, best: 12000, high: 15000} | UN        |
      When I ask for the strength estimates as of 2019-08-31
      Then the strength of ISIS is 14000-18000
      When I ask for the strength estimates as of 2019-09-30
      Then the strength of ISIS is between 10000 and 15000
      And the answer includes these rows:
        | low   | best  | high  | estimator |
        | 10000 | 12000 | 15000 | UN        |
