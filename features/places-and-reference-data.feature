Feature: Places below the gazetteer, and reference data that composes
  The gazetteer stops at sub-districts, but sources name villages: a place can say where it lies,
  so that it counts in its province and district and, with coordinates, is drawn where it is. A
  folder of new reports reuses another dataset's names (the seeds') by including them, and adds
  its own; a name that would mean two things anywhere in them is refused.

  Rule: A folder of new reports beside the seeds reuses their names and gazetteer without copying

    Scenario: A later report resolves with the seeds' aliases and one of its own
      Given the seed reports are loaded
      When the reports in "features/datasets/beside-the-seeds" are loaded
      Then the load records 1 report
      When I ask for the totals as of 2019-09-30 by actor and operation
      Then ISIS killed by PMF during Will of Victory is 6
      And ISIS killed during Irada al-Nasr is 8

    Scenario: The folder's names are the seeds' names and its own
      Given names resolve with the reference data in "features/datasets/beside-the-seeds/aliases.yaml"
      Then Tanzim al-Dawla and Daesh are the same actor
      And Karma resolves to Al-Garma in Al-Falluja, Al-Anbar
      And Irada al-Nasr is an alias of the operation Will of Victory

    Scenario: An alias listed under another canonical name is refused with both lines
      When I try to load the reports in "features/datasets/clashing-aliases"
      Then the load fails with an error in "clashing-aliases/aliases.yaml" on line 3 for field "actors.PMF" saying "'ISIS militants' is listed under PMF"
      And the load fails with an error saying "under ISIS ("
      And nothing was written

    Scenario: Reference files that include one another are refused
      When I try to load the reports in "features/datasets/circular-aliases"
      Then the load fails with an error in "circular-aliases/shared/aliases.yaml" on line 2 for field "include" saying "include one another in a circle"
      And nothing was written

  Rule: A place below the gazetteer counts where it lies

    Background:
      Given the seed reports are loaded
      And the reports in "features/datasets/beside-the-seeds" are loaded

    Scenario: A village in Diyala counts in Diyala
      When I ask for the totals as of 2019-09-30 by province
      Then the answer includes these rows:
        | metric | side | province | best |
        | killed | ISIS | Diyala   | 3    |
      And Mukhaisa is an unknown place

    Scenario: Its area status is listed with its province
      When I ask for the areas as of 2019-09-30
      Then Mukhaisa is cleared since 2019-09-02
      And the answer includes these rows:
        | area     | province | resolved |
        | Mukhaisa | Diyala   | no       |

    Scenario: A place written within a district gets the district too
      Given this report file "baladruz.yaml" is loaded:
        """
        format: incidents/report v1
        id: wire-baladruz
        source: {outlet: Wire, url: "https://wire.example/baladruz", published: 2019-09-10}
        actions:
          - {type: arrested, occurred: 2019-09-08, side: ISIS, count: 4, place: {name: Albu Khalil, within: IQG10Q03}, quote: Four suspects were arrested in Albu Khalil.}
        """
      When I ask for the totals as of 2019-09-30 by province and district
      Then the answer includes these rows:
        | metric   | side | province | district | best |
        | arrested | ISIS | Diyala   | Baladruz | 4    |

  Rule: Names that resolve to nothing come with near matches

    Scenario: A misspelt sub-district is suggested, never taken
      Given names resolve with the reference data in "seeds/aliases.yaml"
      When I try to load this report file "tarmiyah.yaml":
        """
        format: incidents/report v1
        id: wire-tarmiyah
        source: {outlet: Wire, url: "https://wire.example/tarmiyah", published: 2019-09-10}
        actions:
          - {type: killed, occurred: 2019-09-08, side: Deash, count: 2, place: Tarmiyah, quote: Two militants were killed in Tarmiyah.}
        """
      Then the load flags "place 'Tarmiyah' is not in the gazetteer; did you mean Al-Tarmiya, Al-Kadhmiyah, Baghdad (IQG08Q02N04)?"
      And the load flags "actor 'Deash' is not in the alias data; did you mean 'ISIS'?"
      And Tarmiyah is an unknown place
