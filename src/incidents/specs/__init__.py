"""Specs in domain language: a Gherkin step library for checking an incident log.

Analysts write ``.feature`` files ("Given the seed reports are loaded / When I ask for the
totals as of 2019-08-28 / Then ISIS killed is 5") and run them with ``incidents check``, or with
pytest and this library (``pytest_plugins = ["incidents.specs.steps"]``). docs/writing-specs.md
is the tutorial and the step catalogue.

The library:

- ``steps``: the pytest plugin (the ``incidents_world`` fixture, and the step modules),
- ``loading_steps``, ``query_steps``, ``count_steps``, ``area_steps``, ``answer_steps``,
  ``reading_steps``: the steps, by concept,
- ``world``: a scenario's state; ``phrases``: reading the words of steps; ``inline``: tables as
  report files; ``stored``: starting from an existing store, read-only,
- ``catalogue``: the list of steps and their examples; ``catalogue_doc``: the catalogue of
  docs/writing-specs.md, generated from it; ``unknown_steps``: the closest steps to an unknown one.

``incidents check``:

- ``checking``: from paths and options to an exit code; ``feature_files``: finding and parsing
  feature files; ``selection``: ``-k``; ``runner``: pytest underneath; ``recorder``: what each
  step did, as ``results``; ``summary``, ``cucumber_json``, ``html_report``: the results shown.
"""
