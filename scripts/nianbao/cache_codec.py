"""The cache's data format: JSON that reads back into our own record types only (nianbao.cache).

A cached value is plain data — numbers, strings, lists, dicts — and the dataclass records listed
in `RECORDS` (a page's sections, its figures, the build state …). Reading a value can construct
those records and nothing else: unlike pickle, an entry someone wrote into the cache cannot name
a function to call. A record is written as a dict of its fields (`to_plain`) with its name under
`TAG`; it is read back by calling the dataclass with those fields (`from_plain`), so a field
that no longer exists fails the read (the entry is then recomputed) instead of being ignored.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import json
from typing import Any

TAG = "\u0000t"  # key of a dict that stands for a record, a tuple, a set or bytes
# Every type the cache may hold, by the name written into the entry.
RECORDS = {
    "Anomaly": "nianbao.outline",
    "BuildState": "nianbao.page_cache",
    "EnumList": "nianbao.outline",
    "Figure": "nianbao.figures",
    "Heading": "nianbao.outline",
    "Inferred": "nianbao.metadata",
    "Line": "nianbao.clean",
    "Outline": "nianbao.outline",
    "PageInfo": "nianbao.page_cache",
    "Paragraph": "nianbao.outline",
    "ParsedFile": "nianbao.pipeline",
    "Plan": "nianbao.threads",
    "PlanItem": "nianbao.threads",
    "RenderedPage": "nianbao.page_cache",
    "Report": "nianbao.report",
    "ReportMeta": "nianbao.schema",
    "Section": "nianbao.sections",
    "SectionRef": "nianbao.threads",
    "SkippedFile": "nianbao.pipeline",
    "Texts": "nianbao.pipeline",
    "Thread": "nianbao.threads",
}


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
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and RECORDS.get(name) == type(value).__module__:
        fields = {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {TAG: name, **fields}
    raise TypeError(f"the cache does not keep {type(value).__qualname__}")


def _from_tagged(plain: dict[str, Any]) -> object:
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
    module = RECORDS.get(name)
    if module is None:
        raise CodecError(f"unknown record type {name!r}")
    record = getattr(importlib.import_module(module), name, None)
    if not (isinstance(record, type) and dataclasses.is_dataclass(record)):
        raise CodecError(f"{module}.{name} is not a record")
    return record
