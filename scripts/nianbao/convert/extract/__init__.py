"""The extraction layer: an input file's bytes become an `Extracted` (blocks, carried metadata).

`extract_file(name, data)` decides the format from the leading bytes — never from the extension,
which lies (a `.doc` that is RTF or HTML, a `.wps` that is MS Works, a portal page saved as
`.txt`) — and calls that format's module. The converter (nianbao.convert.pipeline) calls it once
per file,
in its worker processes. Modules of formats that need heavy libraries are imported only when a file
of that format comes.
"""

from __future__ import annotations

import io
import re
import zipfile

from nianbao.convert.decode import DecodeError, decode_report
from nianbao.convert.extract.blocks import Block, Extracted, ExtractError

__all__ = ["Block", "ExtractError", "Extracted", "extract_file", "sniff_format"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Markup that only HTML starts with (after a BOM and white space), lower-cased.
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<!--", b"<?xml")
# What WPS Office writes into the OLE summary of its documents (as the creating application).
_WPS_MARKS = (b"WPS Office", "WPS Office".encode("utf-16-le"), b"Kingsoft", b"KSOProductBuildVer")
# Control characters other than tab and line ends: binary data, never text.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]")
_HTML_TAGS = (b"<html", b"<body", b"<div", b"<p>", b"<p ", b"<table", b"<meta")


def sniff_format(data: bytes) -> str:
    """The format of a file from its leading bytes: one of `Extracted.format`'s values, or
    "zip" (a ZIP that is neither .docx nor OFD), "ole" (an OLE file that is not a Word or Works
    document), "rtf", "unknown" (binary data of no known kind) or "txt"."""
    head = data[:8]
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head == OLE_MAGIC:
        return _ole_kind(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if any(data.startswith(magic) for magic in _IMAGE_MAGIC):
        return "image"
    if _looks_like_html(data):
        return "html"
    if (b"\x00" in data[:4096] or _CONTROL.search(data[:4096])) and not _maybe_utf16(data):
        return "unknown"
    return "txt"


def extract_file(name: str, data: bytes) -> Extracted:
    """Extract the blocks and carried metadata of one input file.

    Args:
        name: the file's name (only for messages: the format comes from `data`).
        data: the file's bytes.

    Raises:
        ExtractError: with a Chinese message saying why the file cannot be read and what to do.
    """
    if not data.strip():
        raise ExtractError("文件为空（或只有空白）：没有可发布的内容，请换成完整的文件")
    kind = sniff_format(data)
    if kind == "txt":
        return _extract_txt(data)
    if kind == "html":
        from nianbao.convert.extract.html import extract_html

        return extract_html(data)
    if kind == "docx":
        from nianbao.convert.extract.docx import extract_docx

        return extract_docx(data)
    if kind == "rtf":
        from nianbao.convert.extract.rtf import extract_rtf

        return extract_rtf(data)
    if kind in ("doc", "wps", "works"):
        from nianbao.convert.extract.doc import extract_doc

        return extract_doc(data, kind)
    if kind == "pdf":
        return _optional("pdf", "extract_pdf", data, "PDF")
    if kind == "ofd":
        return _optional("ofd", "extract_ofd", data, "OFD")
    if kind == "image":
        return _optional("image", "extract_image", data, "图片")
    raise ExtractError(_UNREADABLE[kind])


_UNREADABLE = {
    "zip": "是 ZIP 压缩包，但不是 Word 文档（.docx）或 OFD 文件，也可能已损坏或加密："
    "请解压后放入其中的报告文件，或另存为 .docx",
    "zip-corrupt": "是损坏的 ZIP 容器（.docx/.ofd 未完整保存或下载中断）：请重新获取原文件",
    "zip-encrypted": "是加密（设有密码）的文档：请去掉密码后另存，再放入报告目录",
    "ole": "是旧版 Office 文件，但不是 Word 或 Works 文档（可能是 Excel/PowerPoint 或加密文档）："
    "请另存为 .docx 或纯文本",
    "unknown": "是无法识别的二进制文件，不是报告：请确认文件类型，另存为 .docx、PDF 或纯文本",
}


def _extract_txt(data: bytes) -> Extracted:
    try:
        decoded = decode_report(data)
    except DecodeError as exc:
        raise ExtractError(str(exc)) from None  # decode.py's message, as for every text file
    # One block for the whole text: the outline parser then numbers lines as the file does.
    return Extracted(
        blocks=[Block("paragraph", decoded.text)], format="txt", encoding=decoded.encoding
    )


def _optional(module: str, function: str, data: bytes, label: str) -> Extracted:
    """Call an extractor whose module may be absent from this installation."""
    import importlib

    try:
        extractor = getattr(importlib.import_module(f"nianbao.convert.extract.{module}"), function)
    except (ImportError, AttributeError):
        raise ExtractError(
            f"是{label}文件，但本安装没有{label}转换模块：请按 README 安装完整的转换依赖后重试"
        ) from None
    return extractor(data)  # type: ignore[no-any-return]


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if any(info.flag_bits & 0x1 for info in infos):
                return "zip-encrypted"
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return "zip-corrupt"
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}:
        return "ofd"
    return "zip"


def _ole_kind(data: bytes) -> str:
    """Word 97–2003 (.doc), WPS Writer (.wps, stored like Word) or MS Works (.wps).

    The directory entries of an OLE file name its streams in UTF-16: a Word or WPS Writer
    document has a `WordDocument` stream; an MS Works document has `MatOST` (its text) instead.
    An encrypted Word document keeps its streams but marks itself; antiword then says so.
    """
    if "WordDocument".encode("utf-16-le") in data:
        return "wps" if any(mark in data for mark in _WPS_MARKS) else "doc"
    if "MatOST".encode("utf-16-le") in data:
        return "works"
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "zip-encrypted"  # an encrypted .docx is stored in an OLE wrapper
    return "ole"


def _looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return False
    if head.startswith(_HTML_STARTS[:-2]):
        return True
    return sum(head.count(tag) for tag in _HTML_TAGS) >= 2


def _maybe_utf16(data: bytes) -> bool:
    """Whether bytes with NULs or control characters may be UTF-16 text (decode.py then decides):
    they decode in one byte order with hardly a control character."""
    sample = data[: 4096 - 4096 % 2] if len(data) >= 4096 else data[: len(data) - len(data) % 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
        if controls * 100 <= len(text):
            return True
    return False
