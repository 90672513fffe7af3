"""Decoding raw report bytes: detect the encoding deterministically, or say why not (converter)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Leading bytes of file kinds that are not plain text, with what to tell the maintainer.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP container (a .docx/.xlsx renamed to .txt?): save it as plain text"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel (OLE) file: save it as plain text"),
    (b"%PDF", "a PDF file: extract its text first"),
    (b"{\\rtf", "an RTF file: save it as plain text"),
    (b"\x89PNG", "a PNG image, not a report"),
    (b"\xff\xd8\xff", "a JPEG image, not a report"),
)


# Control characters other than tab and line ends never occur in a text report.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not a text report in a supported encoding; the message says what to do."""


@dataclass(frozen=True)
class Decoded:
    """Text of a raw report and the encoding it was read with."""

    text: str
    encoding: str


def decode_report(data: bytes) -> Decoded:
    """Decode a raw report: UTF-8 or UTF-16 LE/BE (each with or without BOM), or GB18030.

    Raises:
        DecodeError: for binary data, an empty or whitespace-only file, or bytes valid in none of
            the supported encodings.
    """
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"not a text file: {what}")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _non_empty(_strict(data[len(bom) :], encoding, with_bom=True), encoding)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise DecodeError("binary data (NUL bytes) in a .txt file: not a text report")
        return _non_empty(utf16.text, utf16.encoding)
    try:
        return _non_empty(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        text, failed_at = "", exc.start
    else:
        failed_at = -1
        if _looks_like_chinese_text(text):
            return _non_empty(text, "gb18030")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _non_empty(utf16.text, utf16.encoding)
    if failed_at >= 0:
        raise DecodeError(
            f"bytes at offset {failed_at} are valid in none of UTF-8, UTF-16, GB18030: "
            "re-save the file as UTF-8"
        )
    raise DecodeError(
        "decodes only as GB18030 and then is not readable Chinese text: "
        "check the file's encoding and re-save it as UTF-8"
    )


def _strict(data: bytes, encoding: str, *, with_bom: bool) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bom = "with BOM " if with_bom else ""
        raise DecodeError(
            f"looks like {encoding} {bom}but bytes at offset {exc.start} are invalid: "
            "the file is truncated or damaged"
        ) from None


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM: the byte order whose text reads as Chinese, if exactly one does."""
    if len(data) % 2:
        return None
    readable: list[Decoded] = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_chinese_text(text) and not _CONTROL.search(text):
            readable.append(Decoded(text=text, encoding=encoding))
    return readable[0] if len(readable) == 1 else None


def _looks_like_chinese_text(text: str) -> bool:
    """Most characters of a GB18030 report are common Han, ASCII or CJK punctuation."""
    if not text:
        return True
    plausible = sum(
        1
        for ch in text
        if ch.isascii()
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or ch in "“”‘’…—·"
    )
    return plausible / len(text) >= 0.95


def _non_empty(text: str, encoding: str) -> Decoded:
    if not text.strip().strip("\ufeff\u200b"):
        raise DecodeError("the file is empty (or only white space): nothing to publish")
    return Decoded(text=text, encoding=encoding)
