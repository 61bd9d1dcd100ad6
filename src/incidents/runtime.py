"""A long-running process of ``incidents`` (``incidents serve``): the setting that lets it take
writes (``TOKEN_VARIABLE``), and how it sets up the interpreter's cycle collector, once it has
started.

What the process holds by then (modules, the app, the open store) lives as long as it does, and
the read model's remembered entries are many long-lived objects that contain no cycles: they are
freed by their reference counts when forgotten, never by the collector. Left as it is, the
collector walks all of them in each full pass, and starts one each time the answers have added a
quarter as many again (a full pass took about 60 ms at 100,000 events, and set the areas
answers' p99). So the process freezes what it holds at start (``gc.freeze``: frozen objects are
still freed when their last reference goes) and collects less often: the young generation every
50,000 allocations instead of 700, which is what lets an answer's entries live and go without a
pass (docs/performance.md, "The cycle collector of a serving process").
"""

from __future__ import annotations

import gc

# The token a serving process takes writes with (``incidents serve --token``, ``incidents.web.writes``).
TOKEN_VARIABLE = "INCIDENTS_TOKEN"

# The collector's thresholds in a serving process (the interpreter's defaults: 700, 10, 10).
SERVING_THRESHOLDS = (50_000, 20, 10)


def tune_for_serving() -> None:
    """Set the cycle collector up for a process that serves answers from now on."""
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
