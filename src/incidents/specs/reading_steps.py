"""Names and dates (no question needed)

Names resolve with the scenario's reference data (see "names resolve with the reference data
in ..."; by default, that of the first folder loaded). Relative dates resolve as report files'
``occurred`` does, against a publication date; a PRECISION is ``day``, ``range``,
``month-part``, ``month`` or ``year``.
"""

from __future__ import annotations

from pytest_bdd import parsers, then

from incidents.domain.relative_dates import resolve_relative
from incidents.domain.values import AdminUnit, DateSpan, Precision, normalise_name
from incidents.gazetteer import NameIndex
from incidents.specs.phrases import KIND, PhraseError, read_span, unquote
from incidents.specs.world import World


def _no_reference_data(world: World) -> str:
    if world.aliases is None:
        return ' (no reference data: load a dataset, or say which with "names resolve with ...")'
    return f" (reference data: {world.aliases})"


def _identity(names: NameIndex, kind: str, written: str) -> tuple[str, bool]:
    """What a name stands for (canonical name, or P-code) and whether the reference data knows it."""
    if kind == "actor":
        name = names.actor(written)
        return name.canonical, name.known
    if kind == "operation":
        name = names.operation(written)
        return name.canonical, name.known
    place = names.place(written).place
    return place.key, place.resolved


@then(parsers.re(rf"(?P<first>.+?) and (?P<second>.+?) are the same {KIND}"))
def same_thing(incidents_world: World, first: str, second: str, kind: str) -> None:
    """Two names are aliases of one actor, operation or place.

    Example::

        Then PMF and Hashd al-Shaabi are the same actor
        Then Will to Victory and Will of Victory are the same operation
        Then Karma and Al-Garma are the same place
    """
    names = incidents_world.names
    found = [_identity(names, kind, unquote(name)) for name in (first, second)]
    if not (found[0][1] and found[1][1] and found[0][0] == found[1][0]):
        raise AssertionError(
            f"{first} is {found[0][0]!r}{'' if found[0][1] else ' (unknown)'}, "
            f"{second} is {found[1][0]!r}{'' if found[1][1] else ' (unknown)'}"
            + _no_reference_data(incidents_world)
        )


@then(parsers.re(rf"(?P<first>.+?) and (?P<second>.+?) are different {KIND}s"))
def different_things(incidents_world: World, first: str, second: str, kind: str) -> None:
    """Two names do not stand for the same actor, operation or place.

    Example::

        Then PMF and US-led coalition are different actors
    """
    names = incidents_world.names
    found = [_identity(names, kind, unquote(name)) for name in (first, second)]
    assert normalise_name(found[0][0]) != normalise_name(found[1][0]), (
        f"{first} and {second} are both {found[0][0]!r}" + _no_reference_data(incidents_world)
    )


@then(parsers.re(r"(?P<written>.+?) is an alias of the (?P<kind>actor|operation) (?P<canonical>.+)"))
def alias_of(incidents_world: World, written: str, kind: str, canonical: str) -> None:
    """A name resolves to this canonical name (the one totals and listings show).

    Example::

        Then Hashd al-Shaabi is an alias of the actor PMF
        Then Irada al-Nasr is an alias of the operation Will of Victory
    """
    found, known = _identity(incidents_world.names, kind, unquote(written))
    if not known or found != unquote(canonical):
        unknown = "" if known else " (unknown)"
        raise AssertionError(
            f"{written} resolves to {found!r}{unknown}" + _no_reference_data(incidents_world)
        )


@then(parsers.re(rf"(?P<written>.+?) is an unknown {KIND}"))
def unknown_name(incidents_world: World, written: str, kind: str) -> None:
    """The reference data does not know the name: it is kept as written and flagged.

    Example::

        Then Khairat is an unknown place
    """
    found, known = _identity(incidents_world.names, kind, unquote(written))
    assert not known, f"{written} resolves to {found!r}" + _no_reference_data(incidents_world)


def _unit_text(unit: AdminUnit) -> str:
    """ "Al-Garma in Al-Falluja, Al-Anbar": a unit and what contains it."""
    within = [part for part in (unit.district if unit.level == 3 else None, unit.province) if part]
    within = within if unit.level > 1 else []
    return unit.name + (f" in {', '.join(within)}" if within else "")


@then(parsers.re(r"(?P<written>.+?) resolves to (?P<unit>.+?)(?: in (?P<within>.+))?"))
def resolves_to(incidents_world: World, written: str, unit: str, within: str | None) -> None:
    """A place name resolves to an administrative unit of the gazetteer (and what contains it:
    district and province for a sub-district, province for a district).

    Example::

        Then Karma resolves to Al-Garma in Al-Falluja, Al-Anbar
        Then Salahuddin resolves to Salah Al-Din
    """
    resolution = incidents_world.names.place(unquote(written))
    found = resolution.place.unit
    expected = unquote(unit) + (f" in {within.strip()}" if within else "")
    assert found is not None, f"{written} does not resolve: {resolution.note}" + _no_reference_data(
        incidents_world
    )
    assert normalise_name(_unit_text(found)) == normalise_name(expected), (
        f"{written} resolves to {_unit_text(found)} ({found.pcode}), expected {expected}"
    )


@then(
    parsers.re(
        r'"(?P<phrase>[^"]+)" in a report published (?P<published>\S+) means (?P<span>\S+)'
        r"(?: \((?P<precision>[a-z-]+)\))?"
    )
)
def relative_date(phrase: str, published: str, span: str, precision: str | None) -> None:
    """How a date in a report's prose resolves against its publication date (a day or a span;
    an undated report's span gives a span). The precision is optional.

    Example::

        Then "on Saturday" in a report published 2019-08-28 means 2019-08-24
        Then "at the end of June" in a report published 2019-07-31 means 2019-06-21/2019-06-30 (month-part)
    """
    published_span = read_span(published)
    try:
        found = DateSpan.parse(phrase)
    except ValueError:
        try:
            found = resolve_relative(phrase, published_span)
        except ValueError as error:
            raise PhraseError(str(error)) from None
    expected = read_span(span)
    assert (found.start, found.end) == (expected.start, expected.end), (
        f"{phrase!r} published {published_span} means {found} ({found.precision.value}), expected {expected}"
    )
    if precision is not None:
        try:
            wanted = Precision(precision)
        except ValueError:
            choices = ", ".join(p.value for p in Precision)
            raise PhraseError(f"expected a precision ({choices}), got {precision!r}") from None
        assert found.precision is wanted, (
            f"{phrase!r} has precision {found.precision.value}, expected {precision}"
        )
