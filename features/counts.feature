Feature: Counts as sources give them, and who did it, who says so
  Sources do not always give a figure: "around twenty", "dozens", "some suspects". They name
  several forces at once, a spokesman who says it, an outlet that reprints another. Totals keep
  what they say, never add unlike things, and always show what rests on a convention.

  Rule: Materiel is summed per item, unless the user asks for its items together

    Scenario: Launchers, IEDs and camps destroyed are three figures, not 62
      Given a report by "Iraqi News Agency" published 2019-07-10 states:
        | id        | type               | occurred   | side | item             | count | quote                              |
        | launchers | materiel_destroyed | 2019-07-09 | ISIS | rocket launchers | 40    | 40 rocket launchers were destroyed |
        | ieds      | materiel_destroyed | 2019-07-09 | ISIS | IEDs             | 8     | eight IEDs were dismantled         |
        | camps     | materiel_destroyed | 2019-07-09 | ISIS | camps            | 14    | and 14 camps destroyed             |
      When I ask for the totals as of 2019-07-31
      Then the answer is exactly these rows:
        | metric    | side | item             | best | events |
        | destroyed | ISIS | IEDs             | 8    | 1      |
        | destroyed | ISIS | camps            | 14   | 1      |
        | destroyed | ISIS | rocket launchers | 40   | 1      |

    Scenario: 40 rocket launchers, 8 IEDs and 14 camps destroyed: per item by default, 62 together when asked
      Given a report by "Iraqi News Agency" published 2019-07-10 states:
        | id        | type               | occurred   | side | item             | count | quote                              |
        | launchers | materiel_destroyed | 2019-07-09 | ISIS | rocket launchers | 40    | 40 rocket launchers were destroyed |
        | ieds      | materiel_destroyed | 2019-07-09 | ISIS | IEDs             | 8     | eight IEDs were dismantled         |
        | camps     | materiel_destroyed | 2019-07-09 | ISIS | camps            | 14    | and 14 camps destroyed             |
        | killed    | killed             | 2019-07-09 | ISIS |                  | 5     | five militants were killed         |
      When I ask for the totals as of 2019-07-31 with materiel items together
      Then the answer is exactly these rows:
        | metric    | side | item | best | events |
        | killed    | ISIS |      | 5    | 1      |
        | destroyed | ISIS |      | 62   | 3      |
      When I ask for the totals as of 2019-07-31
      Then the answer includes these rows:
        | metric    | side | item             | best | events |
        | destroyed | ISIS | rocket launchers | 40   | 1      |

  Rule: An approximate count keeps its figure as the best estimate, with bounds by the stated rule

    Scenario: "Around twenty" is 16 to 24, best 20, and the total says one count is approximate
      Given a report by "Shafaq News" published 2019-07-10 states:
        | id     | type   | occurred   | side | count        | quote                                 |
        | around | killed | 2019-07-09 | ISIS | {about: 20}  | around twenty militants were killed   |
        | exact  | killed | 2019-07-09 | ISIS | 3            | three more were killed in the raid    |
      When I ask for the totals as of 2019-07-31
      Then ISIS killed is between 19 and 27
      And the answer includes these rows:
        | metric | side | best | low | high | events | approximate | unknown |
        | killed | ISIS | 23   | 19  | 27   | 2      | 1           | 0       |

    Scenario: Bounds the source states are kept
      Given a report by "Shafaq News" published 2019-07-10 states:
        | id   | type   | occurred   | side | count                         | quote                  |
        | some | killed | 2019-07-09 | ISIS | {about: 15, low: 12, high: 20} | some 15, perhaps 20    |
      When I ask for the totals as of 2019-07-31
      Then the answer includes these rows:
        | metric | side | best | low | high | approximate |
        | killed | ISIS | 15   | 12  | 20   | 1           |

  Rule: An unknown count is recorded with its word and counted by the convention, always visibly

    Scenario: "Dozens" counts as 12 and "some suspects" as at least one
      Given a report by "Security Media Cell" published 2019-07-10 states:
        | id      | type     | occurred   | side | count             | quote                             |
        | dozens  | killed   | 2019-07-09 | ISIS | {unknown: dozens} | dozens of militants were killed   |
        | suspect | arrested | 2019-07-09 | ISIS | {unknown: some}   | some suspects were arrested       |
      When I ask for the totals as of 2019-07-31
      Then the answer includes these rows:
        | metric   | side | best | low | high | events | unknown |
        | killed   | ISIS | 12   | 12  | 12   | 1      | 1       |
        | arrested | ISIS | 1    | 1   | 1    | 1      | 1       |
      When I ask where ISIS killed comes from as of 2019-07-31
      Then the answer includes these rows:
        | id     | given  | best |
        | dozens | dozens | 12   |

  Rule: A joint action is counted once, under its joint group

    Scenario: The army and the PMF together, and the PMF alone
      Given a report by "Iraqi News Agency" published 2019-07-10 states:
        | id    | type   | occurred   | side | count | actors                | actor | quote                                  |
        | joint | killed | 2019-07-09 | ISIS | 6     | [Iraqi Army, PMF]     |       | a joint force of the army and the PMF  |
        | alone | killed | 2019-07-09 | ISIS | 2     |                       | PMF   | the PMF killed two more                |
      When I ask for the totals as of 2019-07-31 by actor
      Then the answer is exactly these rows:
        | metric | side | actor            | best | events |
        | killed | ISIS | Iraqi Army + PMF | 6    | 1      |
        | killed | ISIS | PMF              | 2    | 1      |
      When I ask for the totals as of 2019-07-31
      Then ISIS killed is 8

  Rule: Who says so is kept on any action, and a reprint keeps its original

    Scenario: A claim of responsibility, reprinted by another outlet
      Given this report file "reprint.yaml" is loaded:
        """
        format: incidents/report v2
        source:
          outlet: Shafaq News
          url: https://shafaq.example/2019/07/10/reprint
          published: 2019-07-10
          via: {outlet: Iraqi News Agency, url: https://ina.example/2019/07/10/original, published: 2019-07-10}
        actions:
          - id: claimed
            type: killed
            occurred: 2019-07-09
            side: Federal Police
            actor: ISIS
            claimant: ISIS
            count: 2
            quote: ISIS claimed the attack that killed two policemen
        """
      When I ask where Federal Police killed comes from as of 2019-07-31
      Then the answer includes these rows:
        | id      | source                                 | summary                                                 |
        | claimed | Shafaq News (via Iraqi News Agency)    | Federal Police killed 2 by ISIS (says ISIS)             |

  Rule: Displacement is counted, people apart from families

    Scenario: Families and people displaced are two figures
      Given a report by "UNHCR" published 2019-07-10 states:
        | id       | type      | occurred   | side      | count | unit     | quote                       |
        | families | displaced | 2019-07-09 | civilians | 90    | families | 90 families fled            |
        | people   | displaced | 2019-07-09 | civilians | 300   | people   | some 300 people were moved  |
      When I ask for the totals as of 2019-07-31
      Then the answer includes these rows:
        | metric    | side      | item     | best |
        | displaced | civilians | families | 90   |
        | displaced | civilians | people   | 300  |

    Scenario: Families and people stay apart even when materiel items are summed together
      Given a report by "UNHCR" published 2019-07-10 states:
        | id       | type      | occurred   | side      | count | unit     | quote                       |
        | families | displaced | 2019-07-09 | civilians | 90    | families | 90 families fled            |
        | people   | displaced | 2019-07-09 | civilians | 300   | people   | some 300 people were moved  |
      When I ask for the totals as of 2019-07-31 with materiel items together
      Then the answer is exactly these rows:
        | metric    | side      | item     | best |
        | displaced | civilians | families | 90   |
        | displaced | civilians | people   | 300  |

  Rule: A declaration is dated like any action, so sources that date it apart disagree

    Scenario: Victory declared in December 2017, or in 2018
      Given a report by "Reuters" published 2017-12-10 states:
        | id      | type        | occurred | declared          | quote                                 |
        | victory | declaration | 2017-12  | victory over ISIS | victory over ISIS was declared        |
      And a report by "Wire" published 2018-06-01 states:
        | id      | type        | occurred | declared          | quote                                 |
        | victory | declaration | 2018-01  | Victory over ISIS | victory was declared in January 2018  |
      When I ask for the conflicts
      Then sources disagree on the occurred of "spec-report-1/victory" and the log uses "spec-report-2/victory"

  Rule: What report files v2 added needs format v2; a v1 file reads as it always did

    Scenario: A file that declares v1 cannot give an approximate count
      When I try to load this report file "old.yaml":
        """
        format: incidents/report v1
        id: old-format
        source: {outlet: Shafaq News, url: "https://shafaq.example/old", published: 2019-07-10}
        actions:
          - type: killed
            occurred: 2019-07-09
            side: ISIS
            count: {about: 20}
            quote: around twenty militants were killed
        """
      Then the load fails with an error in "old.yaml" on line 8 for field "actions[0].count"
      And nothing was written
