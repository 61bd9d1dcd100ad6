"""What a process remembers between answers, bounded: the least recently used is forgotten first.

An ``OrderedDict``, because a plain dict used this way (a hit popped and inserted again to make
it the most recent, the oldest found by iterating from the front) fills with deleted slots: the
front of its entries is a run of holes every ``next(iter(...))`` walks, and its hash index a mesh
of dummies every lookup probes. At a million events that was a fifth of an areas answer (22 µs
to make room for one item). ``move_to_end`` and ``popitem(last=False)`` are constant time.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """At most ``bound`` items by key, each hit made the most recently used."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self._items: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        """The item remembered under ``key``, now the most recently used, or None."""
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __setitem__(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)

    def make_room(self, coming: int, keep: int = 0) -> None:
        """Forget the least recently used, so that ``coming`` more stay within the bound (but never
        the ``keep`` most recently used: the ones the answer at hand needs)."""
        excess = min(len(self._items) + coming - self.bound, len(self._items) - keep)
        for _ in range(max(excess, 0)):
            self._items.popitem(last=False)
