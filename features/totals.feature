Feature: Totals
  Killed, wounded and arrested people, summed by side from the itemised incidents of every
  report, as of a date, and narrowed by who did it, in which operation and phase.

  Rule: The seed reports give five ISIS killed and seven arrested by 28 August 2019

    Background:
      Given the seed reports are loaded

    Scenario: ISIS losses by the last seed report
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 5
      And ISIS arrested is 7
      And nothing is listed as uncertain

    Scenario: Two were killed by coalition airstrikes and three by the PMF
      When I ask for the totals as of 2019-08-28 by actor
      Then ISIS killed by US-led coalition is 2
      And ISIS killed by PMF is 3
      And ISIS arrested by PMF is 7
      And the answer includes these rows:
        | metric   | side | actor            | best | low | high | events |
        | killed   | ISIS | US-led coalition | 2    | 2   | 2    | 1      |
        | killed   | ISIS | PMF              | 3    | 3   | 3    | 2      |
        | arrested | ISIS | PMF              | 7    | 7   | 7    | 1      |

    Scenario: All of them in phase 4 of the operation
      When I ask for the totals as of 2019-08-28 by operation and phase
      Then ISIS killed during Will of Victory in phase 4 is 5
      And ISIS killed in phase 4 is between 4 and 7
      And ISIS killed in phase 2 is 0
      And ISIS arrested during Will of Victory in phase 4 is at least 7

    Scenario: Federal police casualties at the end of June 2019
      When I ask for the totals as of 2019-06-30
      Then Federal Police killed is 1
      And Federal Police wounded is 3
      And ISIS killed is 0

  Rule: A split total is its parts, and the parts must add up to the stated total

    Scenario: Parts that add up are counted once, each with its actor
      Given a report by "Rudaw English" published 2019-08-28 states:
        | id        | type   | occurred   | side | count | breakdown                                                                      |
        | first-day | killed | 2019-08-24 | ISIS | 4     | [{count: 2, actor: US-led coalition, means: airstrike}, {count: 2, actor: PMF}] |
      When I ask for the totals as of 2019-08-28 by actor
      Then ISIS killed is 4
      And ISIS killed by US-led coalition is 2
      And ISIS killed by PMF is 2

    Scenario: Parts that do not add up are rejected
      When I try to record a report by "Rudaw English" published 2019-08-28 stating:
        | type   | occurred   | side | count | breakdown                                                   |
        | killed | 2019-08-24 | ISIS | 4     | [{count: 2, actor: US-led coalition}, {count: 1, actor: PMF}] |
      Then the load fails with an error on row 1 for field "actions[0].breakdown" saying "the parts add up to 3 but the stated total is 4"
      And nothing was written

    Scenario: A split total in a report file that does not add up is rejected at its line
      When I try to load this report file "split.yaml":
        """
        format: incidents/report v1
        id: split-mismatch
        source: {outlet: Rudaw English, url: "https://rudaw.net/x", published: 2019-08-28}
        actions:
          - type: killed
            occurred: 2019-08-24
            side: ISIS
            count: 4
            quote: Four ISIS militants were killed; two by airstrikes and one by the PMF.
            breakdown:
              - {count: 2, actor: US-led coalition}
              - {count: 1, actor: PMF}
        """
      Then the load fails with an error in "split.yaml" on line 11 for field "actions[0].breakdown"
      And nothing was written

  Rule: Counts are estimates: a range has no best figure unless a source gives one

    Scenario: Ranges add up as ranges
      Given a report by "Wire" published 2019-08-28 states:
        | type   | occurred   | side | count |
        | killed | 2019-08-20 | ISIS | 3-5   |
        | killed | 2019-08-21 | ISIS | 2     |
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 5-7
      And ISIS killed is between 5 and 7
      And ISIS killed is at least 5
      And ISIS killed is at most 7
      And the answer is exactly these rows:
        | metric | side | best | low | high | events |
        | killed | ISIS |      | 5   | 7    | 2      |
