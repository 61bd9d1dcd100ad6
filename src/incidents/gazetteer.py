"""Names: aliases of operations, actors and places, and the administrative units places resolve to.

Pure lookups over reference data that ``formats.reference`` reads from files. A name that
matches nothing, or matches several unrelated units, is kept as written and flagged: the index
never guesses.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from attrs import field, frozen

from incidents.domain.values import AdminUnit, Name, Place, normalise_name

_ARTICLE = re.compile(r"^(al|el|ad|ar|as|an|at|az)\s+")
NEAR_MATCHES = 3  # suggestions for a name that resolves to nothing
NEAR_CUTOFF = 0.8  # how alike (difflib's ratio of the looked-up spellings) a suggestion must be
_ADMIN_SUFFIX = re.compile(r"\s+(province|governorate|district|sub district|subdistrict|nahiya|qadha)$")


def name_keys(name: str) -> set[str]:
    """The spellings a name is looked up under: normalised, without the Arabic article, without
    an administrative suffix ("Salahuddin Province")."""
    base = normalise_name(name)
    keys = {base, _ADMIN_SUFFIX.sub("", base)}
    keys |= {_ARTICLE.sub("", key) for key in keys}
    return {key for key in keys if key}


@frozen
class Resolution:
    """The outcome of resolving a place name: the place, and a note when it is flagged."""

    place: Place
    note: str | None = None


@frozen
class NameIndex:
    """Aliases and gazetteer, indexed for lookup."""

    operations: Mapping[str, str] = field(factory=dict)  # name key -> canonical name
    actors: Mapping[str, str] = field(factory=dict)
    place_aliases: Mapping[str, str] = field(factory=dict)  # name key -> P-code
    units: Mapping[str, AdminUnit] = field(factory=dict)  # P-code -> unit
    units_by_name: Mapping[str, tuple[AdminUnit, ...]] = field(factory=dict)
    # Suggestions already found, by (kind, written): a load flags the same names again and again.
    _near: dict[tuple[str, str], tuple[Any, ...]] = field(factory=dict, eq=False, repr=False, alias="_near")

    @classmethod
    def build(
        cls,
        *,
        operations: Mapping[str, Iterable[str]] = {},
        actors: Mapping[str, Iterable[str]] = {},
        places: Mapping[str, Iterable[str]] = {},
        units: Iterable[AdminUnit] = (),
    ) -> NameIndex:
        clashes = [
            *alias_clashes(operations),
            *alias_clashes(actors),
            *alias_clashes(places, canonical_is_a_name=False),
        ]
        if clashes:
            raise ValueError("; ".join(str(clash) for clash in clashes))
        unit_map = {unit.pcode: unit for unit in units}
        unknown = sorted(pcode for pcode in places if pcode not in unit_map)
        if unknown:
            raise ValueError(f"place aliases name P-codes the gazetteer lacks: {', '.join(unknown)}")
        by_name: defaultdict[str, list[AdminUnit]] = defaultdict(list)
        for unit in unit_map.values():
            for key in name_keys(unit.name):
                by_name[key].append(unit)
        return cls(
            operations=_alias_map(operations),
            actors=_alias_map(actors),
            place_aliases={
                key: pcode for pcode, aliases in places.items() for a in aliases for key in name_keys(a)
            },
            units=unit_map,
            units_by_name={key: tuple(found) for key, found in by_name.items()},
        )

    def operation(self, written: str) -> Name:
        return _lookup(self.operations, written)

    def actor(self, written: str) -> Name:
        return _lookup(self.actors, written)

    def _place_within(self, written: str, qualifier: str | None, within: str) -> Resolution:
        container = self.units.get(within.strip())
        outer = Resolution(Place(within, container)) if container else self.place(within)
        if outer.place.unit is None:
            # Where it lies is itself unknown: the name resolves as it would alone, flagged.
            alone = self.place(written, qualifier)
            note = f"the place {written!r} lies within is unknown: {outer.note}"
            return Resolution(attrs.evolve(alone.place, within=outer.place), note)
        unit = outer.place.unit
        keys = name_keys(written)
        named = [self.units[self.place_aliases[key]] for key in keys if key in self.place_aliases]
        named += [found for key in keys for found in self.units_by_name.get(key, ())]
        inside = {found.pcode: found for found in named if found.pcode.startswith(unit.pcode)}
        place = Place(written, None, qualifier, within=outer.place)
        if inside:
            widest = _containing_all(list(inside.values()))
            if widest is not None:
                return Resolution(attrs.evolve(place, unit=widest))
            listed = "; ".join(f"{found} ({found.pcode})" for found in inside.values())
            return Resolution(
                place, f"place {written!r} is ambiguous within {unit} ({listed}); add an alias to pick one"
            )
        if named:
            listed = "; ".join(f"{found} ({found.pcode})" for found in dict.fromkeys(named))
            return Resolution(
                place,
                f"place {written!r} names {listed}, not within {unit}: kept as a place within {unit.name}",
            )
        near = [found for found in self.near_places(written) if found.pcode.startswith(unit.pcode)]
        if near:
            listed = "; ".join(f"{found} ({found.pcode})" for found in near)
            return Resolution(
                place, f"place {written!r} is not in the gazetteer within {unit}; did you mean {listed}?"
            )
        return Resolution(place)  # below the gazetteer, where the source says it lies: not flagged

    def near_names(self, kind: str, written: str) -> list[str]:
        """Canonical names (``kind`` "actor" or "operation") whose spellings are close to
        ``written``: suggestions for a name that resolves to none, never used to resolve it."""
        found = self._near.get((kind, written))
        if found is None:
            index = self.actors if kind == "actor" else self.operations
            found = self._near[(kind, written)] = tuple(_unique(index[key] for key in _close(written, index)))
        return list(found)

    def near_places(self, written: str) -> list[AdminUnit]:
        """Units whose names or place aliases are close to ``written`` ("Tarmiyah": Al-Tarmiya),
        nearest first: suggestions for a place that resolves to none, never used to resolve it."""
        known = self._near.get(("place", written))
        if known is not None:
            return list(known)
        keys = _close(written, {**self.place_aliases, **dict.fromkeys(self.units_by_name, "")})
        found: list[AdminUnit] = []
        for key in keys:
            units = [self.units[self.place_aliases[key]]] if key in self.place_aliases else []
            units += self.units_by_name.get(key, ())
            for unit in units:
                if unit not in found:
                    found.append(unit)
        self._near[("place", written)] = tuple(found[:NEAR_MATCHES])
        return found[:NEAR_MATCHES]

    def place(self, written: str, qualifier: str | None = None, within: str | None = None) -> Resolution:
        """The place ``written`` names. With ``within`` (a unit's name, alias or P-code: where
        the source says it lies), only units inside that one are candidates, and a place that
        none of them names is a place below the gazetteer: kept as written, in that unit."""
        if within is not None:
            return self._place_within(written, qualifier, within)
        keys = name_keys(written)
        for key in keys:
            if key in self.place_aliases:
                unit = self.units[self.place_aliases[key]]
                return Resolution(Place(written, unit, qualifier))
        candidates = {unit.pcode: unit for key in keys for unit in self.units_by_name.get(key, ())}
        if not candidates:
            near = "; ".join(f"{unit} ({unit.pcode})" for unit in self.near_places(written))
            hint = f"; did you mean {near}?" if near else ""
            return Resolution(
                Place(written, None, qualifier), f"place {written!r} is not in the gazetteer{hint}"
            )
        widest = _containing_all(list(candidates.values()))
        if widest is None:
            listed = "; ".join(f"{unit} ({unit.pcode})" for unit in candidates.values())
            return Resolution(
                Place(written, None, qualifier),
                f"place {written!r} is ambiguous ({listed}); add an alias to pick one",
            )
        return Resolution(Place(written, widest, qualifier))


@frozen
class AliasClash:
    """One name listed under two canonical names (or P-codes): each as (canonical, as written)."""

    first: tuple[str, str]
    second: tuple[str, str]

    def __str__(self) -> str:
        (one, as_one), (other, as_other) = self.first, self.second
        return f"{as_other!r} (under {other}) is also {as_one!r} (under {one}): a name has one meaning"


def alias_clashes(
    groups: Mapping[str, Iterable[str]], *, canonical_is_a_name: bool = True
) -> list[AliasClash]:
    """The names (as looked up: see ``name_keys``) listed under two canonical names, in order:
    each clash once, the earlier listing first. Under one canonical name twice is no clash."""
    seen: dict[str, tuple[str, str]] = {}
    clashes: dict[tuple[tuple[str, str], tuple[str, str]], None] = {}
    for canonical, aliases in groups.items():
        names = (canonical, *aliases) if canonical_is_a_name else tuple(aliases)
        for alias in names:
            for key in sorted(name_keys(alias)):
                first = seen.setdefault(key, (canonical, alias))
                if first[0] != canonical:
                    clashes.setdefault((first, (canonical, alias)))
    return [AliasClash(first, second) for first, second in clashes]


def _alias_map(groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in groups.items():
        for alias in (canonical, *aliases):
            for key in name_keys(alias):
                index[key] = canonical
    return index


def _lookup(index: Mapping[str, str], written: str) -> Name:
    for key in sorted(name_keys(written), key=len, reverse=True):
        if key in index:
            return Name(index[key], written)
    return Name(written.strip(), written, known=False)


def _close(written: str, index: Mapping[str, str]) -> list[str]:
    """The keys of ``index`` close to a spelling of ``written``, nearest first."""
    scored: dict[str, float] = {}
    for spelling in name_keys(written):
        matcher = difflib.SequenceMatcher(b=spelling)
        for key in index:
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() >= NEAR_CUTOFF and matcher.quick_ratio() >= NEAR_CUTOFF:
                ratio = matcher.ratio()
                if ratio >= NEAR_CUTOFF:
                    scored[key] = max(ratio, scored.get(key, 0.0))
    return sorted(scored, key=lambda key: (-scored[key], key))


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))[:NEAR_MATCHES]


def _containing_all(units: list[AdminUnit]) -> AdminUnit | None:
    """The one unit that contains every other candidate (a district and its namesake
    sub-district), or None when the candidates are unrelated."""
    widest = min(units, key=lambda unit: unit.level)
    for unit in units:
        inside = unit.pcode.startswith(widest.pcode)
        if not inside:
            return None
    return widest
