"""The read model's own form of the values it stores (actions, sources): positional JSON
arrays, written and read by functions generated from the attrs classes themselves.

The event store keeps every value in the transcoder's self-describing form
(``{"_type_": "DateSpan", "_data_": {"start": {"_type_": "date", ...}, ...}}``), which any
later code can read, upcast and check: that is the log's format and it never changes. The read
model is different: it is derived, disposable, and written only by the code whose fingerprint it
carries (``schema.SCHEMA_VERSION``, which covers this module and the domain's classes). So it
stores each value as the array of its fields in the class's own order, headed by the class's
place in the registry: a killed action is ``[20, "a7", [0, "2014-01-16", "2014-01-16", "day"],
...]``, 250 bytes where the transcoder's form is 630, and its JSON scan a quarter of the time.

Reading it back builds the objects without calling the classes' initialisers: every value was
checked when the projector built it from the log (the validators, the converters, the post-init
rules), and the array holds exactly its fields' values, so setting them again is the same
object (a test decodes every kind of action and source and compares it, type and all). That and
the scan are what make an answer's entries cheap enough to decode when it shows them: about a
quarter of the transcoder's cost per action.

Values that recur (spans, names, counts, places) are made once per process while the memory
lasts (``Compact.forget`` clears it): one object for each, keyed exactly (a number's or a flag's
type is part of its key, since ``1 == 1.0 == True``; a nested value by the object it is).

The class's place in the registry (its tag) is only ever read by the code that wrote it: the
registry's order is fixed by the transcodings, which are part of the fingerprint.
"""

from __future__ import annotations

import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import attrs

Decoder = Callable[[list[Any]], Any]
Encoder = Callable[[Any], list[Any]]

_SCALARS = (str, int, float, bool)
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
# The JSON scanner itself (C), without ``json.loads``' checks for whitespace around the value: the
# text is what ``_ENCODE`` wrote, one value and nothing else.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


class Compact:
    """Encodes and decodes instances of ``roots`` and of what they nest, drawn from ``registry``
    (the attrs classes the transcoder registers, in its order): other attrs classes, dates,
    enums, tuples, optional values, scalars. A field of any other type is refused here, when
    the functions are made."""

    def __init__(self, registry: Iterable[type[Any]], roots: Iterable[type[Any]]) -> None:
        program = _program(tuple(registry), tuple(roots))
        env = dict(program.constants)
        self._memos: list[dict[Any, Any]] = []
        for name in program.memos:
            memo: dict[Any, Any] = {}
            env[name] = memo
            self._memos.append(memo)
        self._decoders: list[Decoder] = []
        self._encoders: dict[type[Any], Encoder] = {}
        env["_decoders"], env["_encoders"] = self._decoders, self._encoders
        exec(program.code, env)  # (source made by ``_Program`` from the classes' own fields)
        self._decoders += [env[f"_decode_{cls.__name__}"] for cls in program.classes]
        self._encoders.update({cls: env[f"_encode_{cls.__name__}"] for cls in program.classes})

    def encode(self, value: Any) -> str:
        """The compact JSON of ``value``, an instance of one of the classes."""
        encoder = self._encoders.get(type(value))
        if encoder is None:
            raise TypeError(f"the read model's compact form has no {type(value).__name__}")
        return _ENCODE(encoder(value))

    def decode(self, text: str) -> Any:
        """The value whose compact JSON is ``text``."""
        array, _end = _SCAN(text, 0)
        return self._decoders[array[0]](array)

    def forget(self) -> None:
        """Forget the recurring values made so far (later decodings make and share them anew)."""
        for memo in self._memos:
            memo.clear()

    def remembered(self) -> int:
        """How many recurring values are remembered."""
        return sum(len(memo) for memo in self._memos)


@functools.cache
def _program(registry: tuple[type[Any], ...], roots: tuple[type[Any], ...]) -> _Program:
    """The functions of the classes, generated and compiled once per process (a ``Compact`` runs
    them in a namespace of its own, with its own shared values)."""
    return _Program(registry, roots)


class _Program:
    """The source of one encoding and one decoding function per class, compiled; the names the
    source reads (``constants``) and the shared-value tables it fills (``memos``)."""

    def __init__(self, registry: tuple[type[Any], ...], roots: tuple[type[Any], ...]) -> None:
        self._roots = roots
        self.classes = _closure(list(registry), list(roots))
        self._tags = {cls: tag for tag, cls in enumerate(self.classes)}
        self.constants: dict[str, Any] = {
            "_new": object.__new__,
            "_set": object.__setattr__,
            "_date": date.fromisoformat,
            "_tuple": tuple,
            "_id": id,
        }
        self.memos: list[str] = []
        self._memoised = {cls for cls in self.classes if self._can_memoise(cls, set())}
        source = [line for cls in self.classes for line in self._generate(cls)]
        self.code = compile("\n".join(source), "<incidents.readmodel.compact>", "exec")

    def _subclasses(self, base: type[Any]) -> list[type[Any]]:
        return [cls for cls in self.classes if issubclass(cls, base)]

    def _can_memoise(self, cls: type[Any], seen: set[type[Any]]) -> bool:
        """Whether a value of ``cls`` can be shared by an exact key: no tuples, and whatever it
        nests is itself shared (a key names it by the object it is). Actions and sources are
        not (the roots: each is its report's own)."""
        if issubclass(cls, self._roots):
            return False
        if cls in seen:  # (a place within a place: shared if the rest of it can be)
            return True
        for spec in attrs.fields(cls):
            for part in _parts(spec.type):
                if typing.get_origin(part) is tuple:
                    return False
                if attrs.has(part) and not (
                    self._subclasses(part) == [part] and self._can_memoise(part, seen | {cls})
                ):
                    return False
        return True

    def _expression(self, kind: Any, value: str, decoding: bool) -> str:
        """Python source that decodes (or encodes) the field value ``value`` of type ``kind``."""
        origin, arguments = typing.get_origin(kind), typing.get_args(kind)
        if origin in (typing.Union, types.UnionType):
            present = [argument for argument in arguments if argument is not type(None)]
            if all(argument in _SCALARS for argument in present):
                return value
            if len(present) != 1:
                raise TypeError(f"the compact form reads no field of type {kind}")
            inner = self._expression(present[0], value, decoding)
            return value if inner == value else f"(None if {value} is None else {inner})"
        if origin is tuple:
            if len(arguments) != 2 or arguments[1] is not Ellipsis:
                raise TypeError(f"the compact form reads no field of type {kind}")
            inner = self._expression(arguments[0], "_e", decoding)
            if decoding:
                return f"_tuple({value})" if inner == "_e" else f"_tuple([{inner} for _e in {value}])"
            return f"list({value})" if inner == "_e" else f"[{inner} for _e in {value}]"
        if kind in _SCALARS:
            return value
        if kind is date:
            return f"_date({value})" if decoding else f"{value}.isoformat()"
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            members = f"_members_{kind.__name__}"
            self.constants[members] = {member.value: member for member in kind}
            return f"{members}[{value}]" if decoding else f"{value}.value"
        if isinstance(kind, type) and attrs.has(kind):
            if self._subclasses(kind) == [kind]:
                return (
                    f"_decode_{kind.__name__}({value})" if decoding else f"_encode_{kind.__name__}({value})"
                )
            if not self._subclasses(kind):
                raise TypeError(f"the compact form has no class for a field of type {kind.__name__}")
            return f"_decoders[{value}[0]]({value})" if decoding else f"_encoders[type({value})]({value})"
        raise TypeError(f"the compact form reads no field of type {kind}")

    def _generate(self, cls: type[Any]) -> list[str]:
        name = cls.__name__
        specs = attrs.fields(cls)
        self.constants[f"_class_{name}"] = cls
        decoding = [f"def _decode_{name}(v):"]
        for number, spec in enumerate(specs, start=1):
            decoding.append(f"    f{number} = {self._expression(spec.type, f'v[{number}]', True)}")
        memoised = cls in self._memoised
        if memoised:
            self.memos.append(f"_memo_{name}")
            key = ", ".join(_key_part(spec.type, f"f{n}") for n, spec in enumerate(specs, start=1))
            decoding += [
                f"    key = ({key},)",
                f"    o = _memo_{name}.get(key)",
                "    if o is not None:",
                "        return o",
            ]
        decoding.append(f"    o = _new(_class_{name})")
        decoding += [f"    _set(o, {spec.name!r}, f{n})" for n, spec in enumerate(specs, start=1)]
        if memoised:
            decoding.append(f"    _memo_{name}[key] = o")
        decoding.append("    return o")
        fields = "".join(f", {self._expression(spec.type, f'o.{spec.name}', False)}" for spec in specs)
        encoding = [f"def _encode_{name}(o):", f"    return [{self._tags[cls]}{fields}]"]
        return [*decoding, *encoding]


def _closure(registry: list[type[Any]], roots: list[type[Any]]) -> list[type[Any]]:
    """The classes of ``registry`` that ``roots`` are or nest (a field of a base class stands for
    every subclass of it the registry holds), in the registry's order."""
    for cls in registry:
        attrs.resolve_types(cls)
    wanted: set[type[Any]] = set()
    waiting = [cls for cls in registry if any(issubclass(cls, root) for root in roots)]
    while waiting:
        cls = waiting.pop()
        if cls in wanted:
            continue
        wanted.add(cls)
        for spec in attrs.fields(cls):
            for part in _parts(spec.type):
                for inner in (*typing.get_args(part), part):
                    if isinstance(inner, type) and attrs.has(inner):
                        waiting += [other for other in registry if issubclass(other, inner)]
    return [cls for cls in registry if cls in wanted]


def _parts(kind: Any) -> tuple[Any, ...]:
    """The types a field's type is made of (the members of an optional or a union, else itself)."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return tuple(part for part in typing.get_args(kind) if part is not type(None))
    return (kind,)


def _key_part(kind: Any, value: str) -> str:
    """A shared value's key part for a field: the value, with its type where values of two types
    can be equal (numbers and flags), or the nested object's identity (itself shared)."""
    parts = _parts(kind)
    if any(isinstance(part, type) and attrs.has(part) for part in parts):
        return f"_id({value})"
    if any(part in (int, float, bool) for part in parts):
        return f"{value}, {value}.__class__"
    return value
