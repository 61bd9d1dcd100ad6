Feature: Loading reports
  Report files are evidence: every action cites its source. A load is all or nothing: bad input
  gets a precise error (file, line, field, what was expected) and writes nothing, and loading
  the same report again changes nothing.

  Rule: The seed reports load, with the names they cannot resolve flagged

    Scenario: Loading the seed folder
      When the reports in "seeds" are loaded
      Then the load records 2 reports
      And the load flags "place 'Umm Najm' is not in the gazetteer"

    Scenario: Loading one report file
      Given the report file "seeds/rudaw-2019-08-28-will-of-victory-phase-4.yaml" is loaded
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 5
      And Federal Police killed is 0

  Rule: Loading the same report twice changes nothing

    Scenario: The seed reports loaded again
      Given the seed reports are loaded
      When the reports in "seeds" are loaded again
      Then the load leaves every report unchanged
      And the load records 0 reports and leaves 2 unchanged
      And nothing was written
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 5

    Scenario: A report file loaded twice
      Given this report file "wire.yaml" is loaded:
        """
        format: incidents/report v1
        id: wire-2019-08-25
        source: {outlet: Wire, url: "https://wire.example/1", published: 2019-08-25}
        actions:
          - {type: killed, occurred: 2019-08-24, side: ISIS, count: 2, quote: Two militants were killed.}
        """
      When the report file "wire.yaml" is loaded again
      Then the load leaves every report unchanged
      And nothing was written

    Scenario: A different report under a recorded report's id is refused
      Given this report file "wire.yaml" is loaded:
        """
        format: incidents/report v1
        id: wire-2019-08-25
        source: {outlet: Wire, url: "https://wire.example/1", published: 2019-08-25}
        actions:
          - {type: killed, occurred: 2019-08-24, side: ISIS, count: 2, quote: Two militants were killed.}
        """
      When I try to load this report file "wire-revised.yaml":
        """
        format: incidents/report v1
        id: wire-2019-08-25
        source: {outlet: Wire, url: "https://wire.example/1", published: 2019-08-25}
        actions:
          - {type: killed, occurred: 2019-08-24, side: ISIS, count: 3, quote: Three militants were killed.}
        """
      Then the load fails with an error in "wire-revised.yaml" for field "id" saying "is already recorded with different content"
      And nothing was written

  Rule: Bad input is rejected with its file, line and field, and nothing is written

    Scenario: A report without a source
      When I try to load this report file "no-source.yaml":
        """
        format: incidents/report v1
        id: no-source
        actions:
          - type: killed
            occurred: 2019-08-24
            side: ISIS
            count: 2
            quote: Two militants were killed.
        """
      Then the load fails with an error in "no-source.yaml" on line 1 for field "source" saying "every report needs a source"
      And nothing was written

    Scenario: A negative count
      When I try to load this report file "negative.yaml":
        """
        format: incidents/report v1
        id: negative-count
        source: {outlet: Wire, url: "https://wire.example/2", published: 2019-08-28}
        actions:
          - type: killed
            occurred: 2019-08-24
            count: -2
            side: ISIS
            quote: Two militants were killed.
        """
      Then the load fails with an error in "negative.yaml" on line 7 for field "actions[0].count" saying "a count cannot be negative"
      And nothing was written

    Scenario: An unknown event type
      When I try to load this report file "unknown-type.yaml":
        """
        format: incidents/report v1
        id: unknown-type
        source: {outlet: Wire, url: "https://wire.example/3", published: 2019-08-28}
        actions:
          - type: skirmish
            occurred: 2019-08-24
            quote: There was a skirmish.
        """
      Then the load fails with an error in "unknown-type.yaml" on line 5 for field "actions[0].type" saying "unknown event type 'skirmish'"
      And nothing was written

    Scenario: A date that cannot be read
      When I try to load this report file "bad-date.yaml":
        """
        format: incidents/report v1
        id: bad-date
        source: {outlet: Wire, url: "https://wire.example/4", published: 2019-08-28}
        actions:
          - type: killed
            occurred: sometime soonish
            side: ISIS
            count: 2
            quote: Two militants were killed.
        """
      Then the load fails with an error in "bad-date.yaml" on line 6 for field "actions[0].occurred" saying "got 'sometime soonish'"
      And nothing was written

    Scenario: An impossible publication date
      When I try to load this report file "bad-published.yaml":
        """
        format: incidents/report v1
        id: bad-published
        source: {outlet: Wire, url: "https://wire.example/5", published: 2019-02-30}
        actions: []
        """
      Then the load fails with an error in "bad-published.yaml" on line 3 for field "source.published"
      And nothing was written

    Scenario: A report file already on disk, refused on its own
      Given a report file "incoming/no-count.yaml" containing:
        """
        format: incidents/report v1
        id: no-count
        source: {outlet: Wire, url: "https://wire.example/8", published: 2019-08-28}
        actions:
          - {type: wounded, occurred: 2019-08-25, side: Federal Police, quote: Some were wounded.}
        """
      When I try to load the report file "incoming/no-count.yaml"
      Then the load fails with an error in "incoming/no-count.yaml" on line 5 for field "actions[0].count"
      And nothing was written

    Scenario: A bad row in an inline table names its row
      When I try to record a report by "Wire" published 2019-08-28 stating:
        | type   | occurred   | side | count |
        | killed | 2019-08-24 | ISIS | 2     |
        | killed | 2019-08-25 | ISIS | -1    |
      Then the load fails with an error on row 2 for field "actions[1].count" saying "a count cannot be negative"
      And nothing was written

    Scenario: One bad file in a folder stops the whole load
      Given the seed reports are loaded
      And a report file "batch/good.yaml" containing:
        """
        format: incidents/report v1
        id: good
        source: {outlet: Wire, url: "https://wire.example/6", published: 2019-08-28}
        actions:
          - {type: killed, occurred: 2019-08-25, side: ISIS, count: 2, quote: Two militants were killed.}
        """
      And a report file "batch/bad.yaml" containing:
        """
        format: incidents/report v1
        id: bad
        source: {outlet: Wire, url: "https://wire.example/7", published: 2019-08-28}
        actions:
          - {type: killed, occurred: 2019-08-25, side: ISIS, quote: No count given.}
        """
      When I try to load the reports in "batch"
      Then the load fails with an error in "batch/bad.yaml" on line 5 for field "actions[0].count" saying "required for killed"
      And nothing was written
      When I ask for the totals as of 2019-08-28
      Then ISIS killed is 5
