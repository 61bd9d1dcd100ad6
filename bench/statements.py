"""Where an answer's SQL time goes: the CPU time of each statement the read model runs, per
query, for one kind of query (``totals`` or ``areas``) from random viewpoints on one clock.

    .venv/bin/python bench/statements.py DB QUERY [QUERIES] [CLOCK] [SEED]

QUERY is ``totals`` or ``areas``; CLOCK is ``as-of`` (the default), ``known-at`` (a few weeks
after the day) or ``recorded-at`` (a random position), as ``bench/clocks.py`` draws them. It
prints the answers' CPU p50 and mean, then the statements that took the most CPU, each with its
milliseconds and its executions per query (statements are told apart by their first words).
Like ``bench/clocks.py`` it also runs on older code (``PYTHONPATH=TREE``), to compare the
statements of two read models of the same events.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from typing import Any

from clocks import FIRST, KNOWN_AT_LATER, LAST, WARM, _open, _tune_for_serving

SHOWN = 8  # statements printed


def main(db: str, query: str, queries: int = 30, clock: str = "as-of", seed: int = 7) -> None:
    from incidents.projections.clocks import Viewpoint
    from incidents.readmodel import database

    spent: Counter[str] = Counter()
    executed: Counter[str] = Counter()
    rows = database.Transaction.rows

    def timed_rows(self: Any, sql: str, parameters: Any = ()) -> Any:
        started = time.process_time()
        found = rows(self, sql, parameters)
        name = " ".join(sql.split()[:8])[:90]
        spent[name] += time.process_time() - started
        executed[name] += 1
        return found

    database.Transaction.rows = timed_rows  # type: ignore[method-assign]
    log, model = _open(db)
    model.catch_up()
    _tune_for_serving()
    rng = random.Random(seed)
    days = [FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1)) for _ in range(queries + WARM)]
    last = log.recorder.max_notification_id() or 1
    if clock == "as-of":
        viewpoints = [Viewpoint(as_of=day) for day in days]
    elif clock == "known-at":
        viewpoints = [
            Viewpoint(as_of=day, known_at=day + timedelta(days=rng.randrange(KNOWN_AT_LATER))) for day in days
        ]
    elif clock == "recorded-at":
        viewpoints = [Viewpoint(as_of=day, recorded_at=rng.randrange(1, last + 1)) for day in days]
    else:
        raise SystemExit(f"CLOCK must be as-of, known-at or recorded-at, not {clock!r}")
    answer = getattr(model, query)
    for viewpoint in viewpoints[:WARM]:
        answer(viewpoint)
    spent.clear()
    executed.clear()
    cpu = []
    for viewpoint in viewpoints[WARM:]:
        started = time.process_time()
        answer(viewpoint)
        cpu.append(time.process_time() - started)
    sql = 1000 * sum(spent.values()) / queries
    print(
        f"{query} {clock}, {queries} queries: CPU p50 {1000 * statistics.median(cpu):.1f} ms, "
        f"mean {1000 * statistics.mean(cpu):.1f} ms; SQL {sql:.1f} ms a query"
    )
    for name, seconds in spent.most_common(SHOWN):
        print(f"{1000 * seconds / queries:8.2f} ms {executed[name] / queries:6.1f}x  {name}")


if __name__ == "__main__":
    arguments: list[Any] = [int(a) if a.isdigit() else a for a in sys.argv[1:]]
    if len(arguments) < 2:
        raise SystemExit(__doc__)
    main(*arguments)
