Feature: Phases as a timeline
  An operation is launched in numbered phases, and several outlets announce each launch. An
  analyst asks for the phases to see, for each operation, when each phase was launched and ended,
  where, under whom, and on whose word. Each phase is listed once: a source that numbers or dates
  a launch differently is shown on the row it disputes, never as a second phase of that number.

  Background:
    Given the seed reports are loaded

  Rule: Each phase is listed once, with its launch, regions, supervisor and sources

    Scenario: The seeds give two phases of Will of Victory
      When I ask for the phases
      Then the answer is exactly these rows:
        | operation       | phase | status    | launched              | regions                                          | supervisor                            | sources                                   |
        | Will of Victory | 2     | under way | 2019-07-21/2019-07-24 | north of Baghdad, Diyala, Salah Al-Din, Al-Anbar |                                       | Al-Shahid Witness (2019-07-28/2019-07-31) |
        | Will of Victory | 4     | under way | 2019-08-24            |                                                  | Iraqi Prime Minister Adil Abdul-Mahdi | Rudaw English (2019-08-28)                |
      And phase 4 is not marked

    Scenario: A phase is listed from the day its launch has happened, was known, was recorded
      When I ask for the phases as of 2019-08-23
      Then the answer has 1 row
      And phase 2 of Irada al-Nasr was launched between 2019-07-21/2019-07-24
      When I ask for the phases as of 2019-08-28 known at 2019-08-27
      Then the answer has 1 row
      When I ask for the phases as of 2019-07-22
      Then the answer has 0 rows

    Scenario: A phase's end is dated on its row
      Given a report by "Iraqi News Agency" published 2019-08-12 states:
        | id          | type        | occurred   | operation       | phase | quote                                 |
        | phase-2-end | phase_ended | 2019-08-10 | Will of Victory | 2     | The second phase ended on Saturday.   |
      When I ask for the phases of Will of Victory
      Then phase 2 ended on 2019-08-10
      And the answer includes these rows:
        | phase | status    |
        | 2     | ended     |
        | 4     | under way |
      When I ask for the phases as of 2019-08-09
      Then the answer includes these rows:
        | phase | status    |
        | 2     | under way |

  Rule: Two outlets announcing one launch are one launch once linked, and the vaguer date never wins

    Background:
      Given a report by "Iraqi News Agency" published 2019-07-22 states:
        | id     | type           | occurred   | operation       | phase | regions      | forces           | quote                                          |
        | launch | phase_launched | 2019-07-21 | Will of Victory | 2     | [Anbar]      | [Federal Police] | The second phase of Will of Victory began on Sunday. |

    Scenario: Unlinked, the second announcement is pointed out as a likely duplicate
      When I ask for the conflicts
      Then "alshahid-2019-07-anti-isis-operations-clear-villages/phase-2-launched" and "spec-report-1/launch" are pointed out as likely duplicates
      When I ask for the phases
      Then phase 2 is listed once, from 2 sources in 2 launches
      And phase 2 is marked "not linked: incidents link"
      And phase 2 was launched on 2019-07-21

    Scenario: Linked, phases shows one launch with two sources, on the more precise date
      When "alshahid-2019-07-anti-isis-operations-clear-villages/phase-2-launched" and "spec-report-1/launch" are linked as one incident
      And I ask for the phases
      Then phase 2 is listed once, from 2 sources in 1 launch
      And phase 2 was launched on 2019-07-21
      And phase 2 is not marked
      And the answer includes these rows:
        | phase | regions                                          | forces                                                                                      | sources                                                               |
        | 2     | north of Baghdad, Diyala, Salah Al-Din, Al-Anbar | 10th Brigade, 42nd Brigade, PMF, Operations Command of north Baghdad and Salahuddin, Federal Police | Al-Shahid Witness (2019-07-28/2019-07-31), Iraqi News Agency (2019-07-22) |
      When I ask for the conflicts
      Then no conflict is listed

  Rule: A launch another source numbers or dates differently is marked on the row it claims

    Scenario: A militia numbers its own second phase differently from the government
      Given a report by "Iraqi Security Media Cell" published 2019-08-11 states:
        | id      | type           | occurred   | operation       | phase | quote                                          |
        | phase-3 | phase_launched | 2019-08-10 | Will of Victory | 3     | The third phase of Will of Victory began today. |
      And a report by "PMF media" published 2019-08-12 states:
        | id      | type           | occurred   | operation       | phase | quote                                                 |
        | phase-2 | phase_launched | 2019-08-10 | Will of Victory | 2     | The Hashd launched the second phase of its operations. |
      When I ask for the phases
      Then the answer has 3 rows
      And phase 2 was launched between 2019-07-21/2019-07-24
      And phase 2 is marked "phase 2 dated 2019-08-10 here"
      And phase 3 was launched on 2019-08-10
      And phase 3 is marked "PMF media, 2019-08-12 numbers the launch of 2019-08-10 phase 2"
      When I ask for the conflicts
      Then the answer includes these rows:
        | kind            | field    | used                                                                 |
        | phase dates     | occurred | alshahid-2019-07-anti-isis-operations-clear-villages/phase-2-launched |
        | phase numbering | phase    |                                                                      |
      When I replay the log until 2019-08-28
      Then the replay marks "spec-report-2/phase-2" with "phase 2 dated 2019-08-10 here"
      And the replay marks "spec-report-1/phase-3" with "numbers the launch of 2019-08-10 phase 2"

    Scenario: Two outlets number Saturday's launch differently until they are linked
      Given a report by "Wire" published 2019-08-25 states:
        | id      | type           | occurred   | operation       | phase | quote                           |
        | phase-3 | phase_launched | 2019-08-24 | Will of Victory | 3     | The third phase began Saturday. |
      When I ask for the phases
      Then phase 3 is marked "Rudaw English, 2019-08-28 numbers the launch of 2019-08-24 phase 4"
      And phase 4 is marked "Wire, 2019-08-25 numbers the launch of 2019-08-24 phase 3"
      When "spec-report-1/phase-3" and "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-launched" are linked as one incident
      And I ask for the phases
      Then the answer has 2 rows
      And phase 4 is listed once, from 2 sources in 1 launch
      And phase 4 is marked "phase: 4 (Rudaw English, 2019-08-28); 3 (Wire, 2019-08-25), used: 4"
