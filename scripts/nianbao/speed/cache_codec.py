"""The cache's data format: JSON that reads back into this package's own records only
(nianbao.speed.cache).

A cached value is plain data — numbers, strings, lists, dicts — and the dataclass records of
this package (a page's sections, its figures, the build state …). Reading a value can construct
those records and nothing else: unlike pickle, an entry someone wrote into the cache cannot name
a function to call. A record is written as a dict of its fields (`to_plain`) tagged with its
module and class name; it is read back by calling that dataclass with those fields
(`decode`) — only a dataclass defined in a `nianbao.` module qualifies — so a field that no
longer exists fails the read (the entry is then recomputed) instead of being ignored. Any record
of the package qualifies, so that a record a new feature adds to a cached value needs no list
kept in step here.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import json
from typing import Any

TAG = "\u0000t"  # key of a dict that stands for a record, a tuple, a set or bytes
PACKAGE = "nianbao."  # records are dataclasses of this package's modules


class CodecError(ValueError):
    """An entry that is not a value this format writes."""


def encode(value: object) -> bytes:
    """The bytes of `value` in the cache's format."""
    return json.dumps(to_plain(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> object:
    """The value written by `encode` (CodecError when `data` is not one)."""
    try:
        return json.loads(data, object_hook=_from_tagged)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise CodecError(str(exc)) from exc


def to_plain(value: object) -> Any:
    """`value` as JSON data: records as dicts of their fields tagged with their name."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and TAG not in value:
            return {key: to_plain(item) for key, item in value.items()}
        return {TAG: "dict", "v": [[to_plain(k), to_plain(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": [to_plain(item) for item in value]}
    if isinstance(value, set | frozenset):
        kind = "set" if isinstance(value, set) else "frozenset"
        return {TAG: kind, "v": [to_plain(item) for item in value]}
    if isinstance(value, bytes):
        return {TAG: "bytes", "v": base64.b64encode(value).decode("ascii")}
    kind = type(value)
    if dataclasses.is_dataclass(value) and kind.__module__.startswith(PACKAGE):
        fields = {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {TAG: f"{kind.__module__}:{kind.__qualname__}", **fields}
    raise TypeError(f"the cache does not keep {type(value).__qualname__}")


def _from_tagged(plain: dict[str, Any]) -> object:
    """A tagged dict read back: a container, or a record built from its fields."""
    kind = plain.get(TAG)
    if kind is None:
        return plain
    if kind in _CONTAINERS:
        return _CONTAINERS[kind](plain["v"])
    record = _record_type(kind)
    fields = {key: value for key, value in plain.items() if key != TAG}
    try:
        return record(**fields)
    except TypeError as exc:
        raise CodecError(f"{kind}: {exc}") from exc


_CONTAINERS: dict[str, Any] = {
    "tuple": tuple,
    "set": set,
    "frozenset": frozenset,
    "bytes": lambda text: base64.b64decode(text, validate=True),
    "dict": lambda pairs: {_hashable(key): value for key, value in pairs},
}


def _hashable(key: object) -> object:
    if isinstance(key, list):
        raise CodecError("a list as a dict key")
    return key


def _record_type(name: str) -> type:
    """The record class a tag names: a dataclass defined in a module of this package."""
    module, _, qualname = name.partition(":")
    if not module.startswith(PACKAGE) or not qualname.isidentifier():
        raise CodecError(f"not a record of this package: {name!r}")
    try:
        record = getattr(importlib.import_module(module), qualname, None)
    except ImportError as exc:
        raise CodecError(f"no module {module!r}") from exc
    if not (
        isinstance(record, type)
        and dataclasses.is_dataclass(record)
        and record.__module__ == module
    ):
        raise CodecError(f"{name} is not a record")
    return record
