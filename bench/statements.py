"""Where an answer's SQL time goes: the CPU time of each statement the read model runs, per
query, for one kind of query (``totals`` or ``areas``) from random viewpoints on one clock.

    .venv/bin/python bench/statements.py DB QUERY [QUERIES] [CLOCK] [SEED]

QUERY is ``totals`` or ``areas``; CLOCK is ``as-of`` (the default), ``known-at`` or
``recorded-at``, the viewpoints drawn as ``bench/clocks.py`` draws them (``draw_viewpoints``).
It prints the answers' CPU p50 and p99, then the statements that took the most CPU, each with
its milliseconds and its executions per query (statements are told apart by their first words).
Like ``bench/clocks.py`` it also runs on older code (``PYTHONPATH=TREE``), to compare the
statements of two read models of the same events.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from functools import partial
from typing import Any

from clocks import WARM, _open, _tune_for_serving, draw_viewpoints, timed

SHOWN = 8  # statements printed


def main(db: str, query: str, queries: int = 30, clock: str = "as-of", seed: int = 7) -> None:
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
    drawn = draw_viewpoints(log, queries, seed)
    if clock not in drawn:
        raise SystemExit(f"CLOCK must be {', '.join(list(drawn)[:-1])} or {list(drawn)[-1]}, not {clock!r}")
    answer = getattr(model, query)
    for viewpoint in drawn[clock][:WARM]:
        answer(viewpoint)
    spent.clear()
    executed.clear()
    figures = timed([partial(answer, viewpoint) for viewpoint in drawn[clock][WARM:]])
    sql = 1000 * sum(spent.values()) / queries
    print(
        f"{query} {clock}, {queries} queries: CPU p50 {figures['cpu_p50_ms']:.1f} ms, "
        f"p99 {figures['cpu_p99_ms']:.1f} ms; SQL {sql:.1f} ms a query"
    )
    for name, seconds in spent.most_common(SHOWN):
        print(f"{1000 * seconds / queries:8.2f} ms {executed[name] / queries:6.1f}x  {name}")


if __name__ == "__main__":
    arguments: list[Any] = [int(a) if a.isdigit() else a for a in sys.argv[1:]]
    if len(arguments) < 2:
        raise SystemExit(__doc__)
    main(*arguments)
