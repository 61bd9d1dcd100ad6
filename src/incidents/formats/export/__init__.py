"""Data out: the log as a viewpoint sees it, written as a JSON bundle, a CSV action table,
GeoJSON or ACLED's CSV layout; and the JSON bundle and the CSV action table read back in.

- ``exported``: what is exported (amendments applied, excluded actions left out),
- ``report_writer``: an action as a report file writes it (the JSON bundle's reports),
- ``bundle``: the JSON bundle ``incidents/export v1``, written and read,
- ``action_table``: the CSV action table, one row per action, written and read,
- ``geojson``, ``acled``: export only,
- ``reparse``: exported reports read back through the report-file parser,
- ``reading``: which reader a file needs (``incidents load`` asks it first).

The formats, their columns and what they lose are documented in docs/data-format.md
("Export formats").
"""
