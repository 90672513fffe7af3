"""Decoding raw report bytes: detect the encoding deterministically, or say why not (converter)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Leading bytes of file kinds that are not plain text, with what to tell the maintainer.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP 压缩包（改了扩展名的 .docx/.xlsx？）：请另存为纯文本"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word/Excel（OLE）文件：请另存为纯文本"),
    (b"%PDF", "PDF 文件：请先提取其中的文字"),
    (b"{\\rtf", "RTF 文件：请另存为纯文本"),
    (b"\x89PNG", "PNG 图片，不是报告"),
    (b"\xff\xd8\xff", "JPEG 图片，不是报告"),
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
            raise DecodeError(f"不是文本文件，而是{what}")
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
            raise DecodeError("文件含二进制数据（NUL 字节），不是文本报告：请检查文件来源")
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
            f"第 {failed_at} 字节起的内容不是 UTF-8、UTF-16 或 GB18030 编码：请把文件另存为 UTF-8"
        )
    raise DecodeError("只能按 GB18030 解码，解出的又不是可读的中文：请确认文件的编码并另存为 UTF-8")


def _strict(data: bytes, encoding: str, *, with_bom: bool) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bom = "（带 BOM）" if with_bom else ""
        raise DecodeError(
            f"看起来是 {encoding}{bom} 编码，但第 {exc.start} 字节起无效："
            "文件不完整或已损坏，请重新获取"
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
        raise DecodeError("文件是空的（或只有空白），没有可发布的内容：请放入报告全文或删除此文件")
    return Decoded(text=text, encoding=encoding)
