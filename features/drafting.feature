Feature: Drafting a report from an article's text
  Encoding an article by hand takes minutes to a quarter of an hour. `incidents draft` reads the
  article and proposes every action it states, each with its sentence as the quote, its dates
  resolved against the publication date and its names through the reference data, so that the
  analyst reviews a draft instead of typing one.

  Background:
    Given names resolve with the reference data in "seeds/aliases.yaml"

  Scenario: Rudaw's report on phase 4: counts, a split total, claims and a range
    When I draft a report from the article "tests/fixtures/drafting/articles/rudaw-2019-08-28-will-of-victory-phase-4.txt" published 2019-08-28 by "Rudaw English" at "https://rudaw.net/english/middleeast/iraq/280820193"
    Then the draft proposes a phase_launched with operation Will of Victory, phase 4, occurred 2019-08-24
    And the draft proposes a killed with side ISIS, count 4, occurred 2019-08-24, breakdown [{count: 2, actor: US-led coalition, means: airstrike}, {count: 2, actor: PMF}]
    And the draft proposes an arrested with side ISIS, actor PMF, count 7, occurred 2019-08-24/2019-08-27
    And the draft proposes a total_claimed with metric killed, count 7, occurred 2019-08-27
    And the draft proposes a total_claimed with metric arrested, count 13
    And the draft proposes a strength_estimated with side ISIS, count 14000-18000, occurred 2019-08-01/2019-08-28
    And the draft proposes 8 actions
    And the draft lists as missed the sentence "Iraq announced the territorial defeat"
    And the draft validates

  Scenario: Words for numbers, approximate and unknown counts
    When I draft a report from this article published 2019-08-28:
      """
      Twenty-five ISIS militants were killed on Saturday. Around twenty others were arrested yesterday.
      Dozens of families were displaced a week ago.
      """
    Then the draft proposes a killed with side ISIS, count 25, occurred 2019-08-24
    And the draft proposes an arrested with side ISIS, count {about: 20}, occurred 2019-08-27
    And the draft proposes a displaced with count {unknown: dozens}, unit families, occurred 2019-08-21
    And the draft validates
