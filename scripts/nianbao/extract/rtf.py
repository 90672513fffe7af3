"""RTF files (often saved as `.doc`) as paragraph blocks: a small reader of RTF's text.

Called by `nianbao.extract.extract_file` for bytes starting `{\\rtf`. Reads paragraphs (`\\par`),
Unicode escapes (`\\uN`) and code-page bytes (`\\'hh`, in the document's `\\ansicpg`, GB18030 for
Chinese documents); skips font tables, style sheets, pictures and other destinations.
"""

from __future__ import annotations

import re

from nianbao.extract.blocks import Block, Extracted, ExtractError

_TOKEN = re.compile(
    rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]"
)
# Destinations whose text is not the document's (tables of fonts, colours, styles; metadata).
_SKIP = {b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"header",
         b"footer", b"headerl", b"headerr", b"footerl", b"footerr", b"listtable",
         b"listoverridetable", b"rsidtbl", b"generator", b"themedata", b"datastore",
         b"latentstyles", b"xmlnstbl", b"fldinst", b"bkmkstart", b"bkmkend"}  # fmt: skip
_CODEPAGES = {936: "gb18030", 950: "big5", 1252: "cp1252", 65001: "utf-8"}


def extract_rtf(data: bytes) -> Extracted:
    """Extract an RTF file's paragraphs.

    Raises:
        ExtractError: when no text is found.
    """
    codepage = "cp1252"
    match = re.search(rb"\\ansicpg(\d+)", data[:2048])
    if match:
        codepage = _CODEPAGES.get(int(match.group(1)), f"cp{int(match.group(1))}")
    paragraphs: list[str] = []
    current: list[str] = []
    pending = bytearray()  # \'hh bytes, decoded together (a Han character is two of them)
    stack: list[tuple[bool, int]] = []
    skip, uc, to_skip = False, 1, 0

    def flush_bytes() -> None:
        if pending:
            current.append(pending.decode(codepage, errors="replace"))
            pending.clear()

    for token in _TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, text = token.groups()
        if hexbyte is None:
            flush_bytes()
        if brace == b"{":
            stack.append((skip, uc))
        elif brace == b"}":
            skip, uc = stack.pop() if stack else (False, 1)
        elif skip:
            continue
        elif symbol == b"*":
            skip = True
        elif word is not None:
            if word in _SKIP:
                skip = True
            elif word in (b"par", b"line", b"row"):
                paragraphs.append("".join(current))
                current = []
            elif word == b"cell":
                current.append("\t")
            elif word == b"tab":
                current.append(" ")
            elif word == b"uc":
                uc = int(arg or 1)
            elif word == b"u":
                value = int(arg or 0)
                current.append(chr(value + 65536 if value < 0 else value))
                to_skip = uc
        elif hexbyte is not None:
            if to_skip:
                to_skip -= 1
            else:
                pending.append(int(hexbyte, 16))
        elif symbol is not None:
            current.append(
                {b"~": "\u00a0", b"-": "", b"_": "-"}.get(symbol, symbol.decode("latin-1"))
            )
        elif text is not None:
            chunk = text.decode(codepage, errors="replace")
            if to_skip:
                chunk, to_skip = chunk[to_skip:], max(0, to_skip - len(chunk))
            current.append(chunk)
    flush_bytes()
    paragraphs.append("".join(current))
    blocks = [Block("paragraph", p.strip()) for p in paragraphs if p.strip()]
    if not blocks:
        raise ExtractError("RTF 文件中没有正文文字：请用 Word 或 WPS 另存为 .docx")
    return Extracted(blocks=blocks, format="rtf")
