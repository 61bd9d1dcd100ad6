"""Golden stored events: rows written by an earlier version of the code, frozen forever."""
