"""How a process of ``incidents`` sets up the interpreter's cycle collector: a long-running one
(``incidents serve``) once it has started, a command (the console script) as it starts; and the
setting that lets a serving process take writes (``TOKEN_VARIABLE``).

A serving process: what it holds once started (modules, the app, the open store) lives as long
as it does, and the read model's remembered entries are many long-lived objects that contain no
cycles: they are freed by their reference counts when forgotten, never by the collector. Left
as it is, the collector walks all of them in each full pass, and starts one each time the
answers have added a quarter as many again (a full pass took about 60 ms at 100,000 events, and
set the areas answers' p99). So the process freezes what it holds at start (``gc.freeze``:
frozen objects are still freed when their last reference goes) and collects less often: the
young generation every 50,000 allocations instead of 700, which is what lets an answer's
entries live and go without a pass (docs/performance.md, "The cycle collector of a serving
process").

A command collects as seldom (``tune_for_a_command``), without freezing: what it builds is
mostly objects without cycles (the answer's entries and states, the rows), freed by their
reference counts, and at the interpreter's threshold (a young collection every 700 allocations)
the areas command at a million events ran about 180 young collections and a full one: without
them it takes 5-10 % less CPU (docs/performance.md, "Session 11"). A command is the whole
process, and ends: nothing else in it depends on the collector's pace.
"""

from __future__ import annotations

import gc

# The token a serving process takes writes with (``incidents serve --token``, ``incidents.web.writes``).
TOKEN_VARIABLE = "INCIDENTS_TOKEN"

# The collector's thresholds in a serving process, and in a command's (the interpreter's
# defaults: 700, 10, 10).
SERVING_THRESHOLDS = (50_000, 20, 10)


def tune_for_a_command() -> None:
    """Set the cycle collector up for a command's process (``incidents.cli.run``)."""
    gc.set_threshold(*SERVING_THRESHOLDS)


def tune_for_serving() -> None:
    """Set the cycle collector up for a process that serves answers from now on: a command's
    thresholds, what it holds by now frozen."""
    gc.freeze()
    tune_for_a_command()
