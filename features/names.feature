Feature: Names
  Operations, actors and places have aliases, and places resolve to the administrative units of
  the gazetteer. A name the reference data does not know is kept as written and flagged, never
  guessed.

  Rule: The seed dataset's reference data resolves the names of the seed reports

    Background:
      Given the seed reports are loaded

    Scenario: Karma is the sub-district Al-Garma
      Then Karma resolves to Al-Garma in Al-Falluja, Al-Anbar
      And Karma and Al-Garma are the same place
      And Salahuddin resolves to Salah Al-Din
      And Saladin and Salah ad-Din are the same place

    Scenario: One operation, several names
      Then Will to Victory and Will of Victory are the same operation
      And Irada al-Nasr is an alias of the operation Will of Victory

    Scenario: One force, several names
      Then PMF and Hashd al-Shaabi are the same actor
      And Popular Mobilisation Forces and PMU are the same actor
      And Hashd al-Shaabi is an alias of the actor PMF
      And PMF and US-led coalition are different actors

    Scenario: Places that are not administrative units are kept as written and flagged
      Then Khairat is an unknown place
      And Karma Island is an unknown place
      And the load flags "place 'Khairat' is not in the gazetteer (kept as written)"

    Scenario: Counts and listings use the canonical names
      When I ask for the totals as of 2019-08-28 by actor and operation
      Then ISIS killed by Hashd al-Shaabi is 3
      And ISIS killed during Will to Victory is 5
      And ISIS killed during Irada al-Nasr is 5
      When I replay the log until 2019-08-28
      Then the replay shows "operation Will of Victory launched to end all ISIS presence in Iraq"
      And the replay does not show "Will to Victory"

  Rule: Reference data can be named explicitly, and without it names are kept as written

    Scenario: Inline reports resolve names with the chosen reference data
      Given names resolve with the reference data in "seeds/aliases.yaml"
      And a report by "Wire" published 2019-08-28 states:
        | type   | occurred   | side  | actor           | count |
        | killed | 2019-08-24 | Daesh | Hashd al-Shaabi | 1     |
        | killed | 2019-08-25 | ISIS  | PMU             | 2     |
      When I ask for the totals as of 2019-08-28 by actor
      Then ISIS killed by PMF is 3

    Scenario: Without reference data, different names stay different
      Given a report by "Wire" published 2019-08-28 states:
        | type   | occurred   | side | actor           | count |
        | killed | 2019-08-24 | ISIS | Hashd al-Shaabi | 1     |
        | killed | 2019-08-25 | ISIS | PMF             | 2     |
      When I ask for the totals as of 2019-08-28 by actor
      Then ISIS killed by PMF is 2
      And ISIS killed by Hashd al-Shaabi is 1
      And Hashd al-Shaabi is an unknown actor
      And the load flags "actor 'PMF' is not in the alias data (kept as written)"
