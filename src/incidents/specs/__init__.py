"""Specs in domain language: a Gherkin step library for checking an incident log.

Analysts write ``.feature`` files ("Given the seed reports are loaded / When I ask for the
totals as of 2019-08-28 / Then ISIS killed is 5") and run them with pytest and this library
(``pytest_plugins = ["incidents.specs.steps"]``). docs/writing-specs.md is the tutorial and the
step catalogue.

- ``steps``: the pytest plugin (the ``incidents_world`` fixture, and the step modules),
- ``loading_steps``, ``query_steps``, ``count_steps``, ``area_steps``, ``answer_steps``,
  ``reading_steps``: the steps, by concept,
- ``world``: a scenario's state; ``phrases``: reading the words of steps; ``inline``: tables as
  report files; ``catalogue``: the list of steps and their examples.
"""
