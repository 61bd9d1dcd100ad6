Feature: Area status
  An area is threatened, being cleared, or cleared, as sources report it; its status as of a
  date is the latest counted report, and its history keeps every report with its source.

  Rule: Seven areas were cleared in phase 2, late July 2019; Khairat and Karma remain threatened

    Background:
      Given the seed reports are loaded

    Scenario: By 1 August the seven areas are cleared
      When I ask for the areas as of 2019-08-01
      Then these areas are cleared:
        | area             |
        | Umm Najm         |
        | Al-Awad          |
        | Al-Hamra         |
        | Al-Busaaf        |
        | Niba'a           |
        | Eastern Qusaybah |
        | Al-Qasarat       |
      And 7 areas are cleared
      And Umm Najm is cleared since 2019-07-21/2019-07-31
      And desert areas towards Samarra is clearing

    Scenario: Khairat and Karma are still threatened
      When I ask for the areas as of 2019-08-01
      Then Khairat is threatened
      And Karma is threatened
      And Al-Garma is threatened
      And Karma Island is threatened
      And Khairat is not cleared

    Scenario: On 19 July none of them was cleared yet
      When I ask for the areas as of 2019-07-19
      Then no areas are cleared
      And these areas have no status:
        | area             |
        | Umm Najm         |
        | Al-Awad          |
        | Al-Hamra         |
        | Al-Busaaf        |
        | Niba'a           |
        | Eastern Qusaybah |
        | Al-Qasarat       |

    Scenario: While the clearing's dates straddle the day, its status is uncertain
      When I ask for the areas as of 2019-07-25
      Then the status of Umm Najm is uncertain
      And Umm Najm is not cleared
      And Umm Najm has no status

    Scenario: Karma's history, under the name the gazetteer gives it
      When I ask for the history of Karma
      Then the history shows threatened on 2019-07-28/2019-07-31 reported by Al-Shahid Witness
      And the answer is exactly these rows:
        | area     | written | status     | occurred              | standing | source            |
        | Al-Garma | Karma   | threatened | 2019-07-28/2019-07-31 | counted  | Al-Shahid Witness |

  Rule: Status follows the reports: threatened, cleared, and threatened again on a later report

    Background:
      Given a report "june-report" by "Wire" published 2019-07-12 states:
        | type            | occurred   | area    | actor |
        | threat_reported | 2019-07-01 | Khairat | ISIS  |
        | area_cleared    | 2019-07-10 | Khairat |       |
      And a report "august-report" by "Wire" published 2019-08-02 states:
        | type            | occurred   | area    | actor |
        | threat_reported | 2019-08-01 | Khairat | ISIS  |

    Scenario Outline: Khairat's status on each day
      When I ask for the areas as of <day>
      Then Khairat is <status> since <since>

      Examples:
        | day        | status     | since      |
        | 2019-07-05 | threatened | 2019-07-01 |
        | 2019-07-15 | cleared    | 2019-07-10 |
        | 2019-08-05 | threatened | 2019-08-01 |

    Scenario: The history keeps every transition with its source
      When I ask for the history of Khairat
      Then the answer is exactly these rows:
        | status     | occurred   | standing | published  |
        | threatened | 2019-07-01 | counted  | 2019-07-12 |
        | cleared    | 2019-07-10 | counted  | 2019-07-12 |
        | threatened | 2019-08-01 | counted  | 2019-08-02 |

    Scenario: Known before the later report, Khairat was cleared
      When I ask for the areas as of 2019-08-05 known at 2019-08-01
      Then Khairat is cleared

  Rule: A question can ask for the areas of some provinces, or of some statuses, only

    Background:
      Given the seed reports are loaded

    Scenario: Of the areas in Anbar, only Karma has a status
      When I ask for the areas in Anbar as of 2019-08-01
      Then the answer has 1 row
      And Karma is threatened

    Scenario: The threatened areas by 1 August leave the cleared ones out
      When I ask for the threatened areas as of 2019-08-01
      Then no areas are cleared
      And 4 areas are threatened
      And Khairat is threatened
      And Karma Island is threatened

    Scenario: The cleared areas in Anbar: none
      When I ask for the cleared areas in "Al-Anbar" as of 2019-08-01
      Then the answer has 0 rows
