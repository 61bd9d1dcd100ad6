"""GeoJSON (RFC 7946): one Point feature per exported action that has a location.

The location is the place of the action (``place``, or ``area`` for area actions): coordinates
the source stated, else the centroid of the administrative unit the place resolved to. Actions
with neither (an unresolved name, an operation launched, a phase's list of regions) cannot be
drawn: they are left out, and counted in the collection's ``unlocated`` member (a foreign member,
which GeoJSON readers ignore). Properties are the action table's columns, so a map and a
spreadsheet of one export say the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any

from incidents.formats.export.action_table import table_row
from incidents.formats.export.exported import ExportedAction, Written
from incidents.formats.export.reparse import yaml_safe_json


def write_geojson(exported: Sequence[ExportedAction], query: Mapping[str, Any], stream: IO[str]) -> Written:
    """Write the FeatureCollection feature by feature."""
    stream.write('{"type": "FeatureCollection", ')
    stream.write(f'"query": {yaml_safe_json(dict(query))},\n"features": [')
    written = 0
    for item in exported:
        place = item.action.place_of_action
        location = place.location if place is not None else None
        if location is None:
            continue
        feature = {
            "type": "Feature",
            "id": str(item.ref),
            "geometry": {"type": "Point", "coordinates": [location.lon, location.lat]},
            "properties": table_row(item),
        }
        stream.write(("," if written else "") + "\n" + yaml_safe_json(feature))
        written += 1
    unlocated = len(exported) - written
    stream.write(f'\n],\n"unlocated": {unlocated}}}\n')
    left_out = (
        f"{unlocated} action(s) without a location (no stated point, no resolved unit) are not "
        'features (counted in "unlocated")'
        if unlocated
        else None
    )
    return Written(written, left_out)
