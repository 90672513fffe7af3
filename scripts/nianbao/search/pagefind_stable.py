"""Byte-identical Pagefind bundles: the same records always give the same files.

Pagefind (1.5) writes its filter indexes and the metadata file that lists them in an arbitrary
order (a hash map's), so two runs on the same records name and fill those files differently
(the fragments and word indexes are stable). Pagefind has no setting for this; here each filter
file's values are sorted, the files renamed after their new content, and the metadata file and
`pagefind-entry.json` rewritten to match. The files stay in Pagefind's own format — gzip of
"pagefind_dcd" and CBOR — which is decoded and re-encoded only after checking that the encoder
gives back Pagefind's exact bytes (a later Pagefind format is refused, never garbled).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
ENTRY_FILE = "pagefind-entry.json"
FILTER_DIR = "filter"

CborValue = int | str | bytes | list["CborValue"] | dict["CborValue", "CborValue"]


class UnstableBundle(RuntimeError):
    """A Pagefind file this module cannot rewrite faithfully."""


def stabilise(bundle: Path) -> None:
    """Rewrite a freshly written Pagefind bundle so that its bytes depend on its records only.

    Raises:
        UnstableBundle: naming the file, when Pagefind's format is not the one known here.
    """
    entry_path = bundle / ENTRY_FILE
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renamed: dict[str, str] = {}  # old filter file hash → new
    for path in sorted((bundle / FILTER_DIR).glob("*.pf_filter")):
        language, _ = path.stem.split("_", 1)
        filters = _read(path)
        if not isinstance(filters, list) or len(filters) != 2:
            raise UnstableBundle(f"{path}: not a filter index of the known form")
        name, values = filters
        if not isinstance(values, list):
            raise UnstableBundle(f"{path}: not a filter index of the known form")
        values = sorted(
            ([value, sorted(pages)] for value, pages in values),  # type: ignore[misc]
            key=lambda item: str(item[0]),
        )
        data = _pack([name, values])
        new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
        renamed[path.stem] = new_hash
        path.unlink()
        _write(path.with_name(f"{new_hash}.pf_filter"), data)
    for language, about in entry["languages"].items():
        meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _renamed(_read(meta_path), renamed)
        data = _pack(meta)
        about["hash"] = f"{language}_{hashlib.sha256(data).hexdigest()[:11]}"
        meta_path.unlink()
        _write(bundle / f"pagefind.{about['hash']}.pf_meta", data)
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _renamed(value: CborValue, renamed: dict[str, str]) -> CborValue:
    """The metadata with each filter file's new name, its list of filters sorted by name."""
    if isinstance(value, str):
        return renamed.get(value, value)
    if isinstance(value, list):
        items = [_renamed(item, renamed) for item in value]
        pairs = all(isinstance(i, list) and len(i) == 2 for i in value) and value
        if pairs and all(isinstance(i[1], str) and i[1] in renamed for i in value):  # type: ignore[index]
            items.sort(key=lambda item: str(item[0]))  # type: ignore[index]
        return items
    return value


def _read(path: Path) -> CborValue:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise UnstableBundle(f"{path}: no {SIGNATURE.decode()} signature")
    body = raw[len(SIGNATURE) :]
    try:
        value, end = _decode(body, 0)
        same = end == len(body) and _encode(value) == body
    except (UnstableBundle, IndexError, UnicodeDecodeError) as exc:
        raise UnstableBundle(f"{path}: {exc}") from exc
    if not same:
        raise UnstableBundle(f"{path}: CBOR that this module would not write back unchanged")
    return value


def _pack(value: CborValue) -> bytes:
    return SIGNATURE + _encode(value)


def _write(path: Path, data: bytes) -> None:
    # mtime 0 and no file name: the gzip header carries nothing of the moment it was written.
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


# ---- the subset of CBOR (RFC 8949) Pagefind writes: integers, strings, arrays, maps ----


def _decode(data: bytes, at: int) -> tuple[CborValue, int]:
    major, argument, at = _head(data, at)
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        chunk = data[at : at + argument]
        return (chunk if major == 2 else chunk.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping: dict[CborValue, CborValue] = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)  # type: ignore[index]
        return mapping, at
    raise UnstableBundle(f"CBOR major type {major} at byte {at}")


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    first = data[at]
    major, info = first >> 5, first & 0x1F
    at += 1
    if info < 24:
        return major, info, at
    sizes = {24: 1, 25: 2, 26: 4, 27: 8}
    if info not in sizes:
        raise UnstableBundle(f"CBOR indefinite length or reserved value at byte {at - 1}")
    size = sizes[info]
    return major, int.from_bytes(data[at : at + size], "big"), at + size


def _encode(value: CborValue) -> bytes:
    if isinstance(value, bool):
        raise UnstableBundle("CBOR booleans are not written by Pagefind")
    if isinstance(value, int):
        return _encode_head(0, value) if value >= 0 else _encode_head(1, -1 - value)
    if isinstance(value, bytes):
        return _encode_head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _encode_head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _encode_head(4, len(value)) + b"".join(map(_encode, value))
    if isinstance(value, dict):
        parts = [_encode(k) + _encode(v) for k, v in value.items()]
        return _encode_head(5, len(value)) + b"".join(parts)
    raise UnstableBundle(f"cannot write {type(value).__name__} as CBOR")


def _encode_head(major: int, argument: int) -> bytes:
    """The shortest head for an argument (as CBOR's preferred serialisation writes it)."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if argument < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, argument)
    raise UnstableBundle(f"CBOR integer {argument} is too large")
