Feature: Claims
  A cumulative claim ("this brings the total killed to seven") is kept beside the itemised
  incidents in its scope, with the remainder they do not account for. It is never added to
  the totals.

  Rule: The Rudaw claims of 7 killed and 13 arrested over the operation leave 2 and 6 unaccounted for

    Background:
      Given the seed reports are loaded

    Scenario: The operation's claimed totals against its itemised incidents
      When I ask for the claims as of 2019-08-28
      Then the claim of ISIS killed is 7 against 5 itemised
      And the claim of ISIS killed shows a remainder of 2
      And the claim of ISIS arrested is 13 against 7 itemised
      And the claim of ISIS arrested shows a remainder of 6
      And the answer is exactly these rows:
        | metric   | side | scope           | as_of      | claimed | itemised | remainder | source        |
        | killed   | ISIS | Will of Victory | 2019-08-27 | 7       | 5        | 2         | Rudaw English |
        | arrested | ISIS | Will of Victory | 2019-08-27 | 13      | 7        | 6         | Rudaw English |

    Scenario: The claim is about the operation, whatever name it is given
      When I ask for the claims as of 2019-08-28
      Then the claim of ISIS arrested during Will to Victory shows a remainder of 6

    Scenario: The claims are not added to the totals
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 5
      And ISIS arrested is 7

    Scenario: Before the claim was made there is no claim
      When I ask for the claims as of 2019-08-26
      Then the answer has 0 rows

  Rule: A claim is never added to the totals, and its remainder may be negative

    Background:
      Given a report by "Wire" published 2019-08-28 states:
        | type          | occurred   | side | count | operation       | phase | metric |
        | killed        | 2019-08-24 | ISIS | 4     | Will of Victory | 4     |        |
        | total_claimed | 2019-08-27 | ISIS | 7     | Will of Victory |       | killed |
        | total_claimed | 2019-08-27 | ISIS | 3     | Will of Victory | 4     | killed |

    Scenario: Totals count the incidents, not the claims
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 4

    Scenario: Each claim shows what the incidents in its scope leave unaccounted for
      When I ask for the claims as of 2019-08-28
      Then the claim of ISIS killed during Will of Victory in phase 4 shows a remainder of -1
      And the answer includes these rows:
        | scope                   | claimed | itemised | remainder |
        | Will of Victory         | 7       | 4        | 3         |
        | Will of Victory phase 4 | 3       | 4        | -1        |
