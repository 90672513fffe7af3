"""RTF files (often saved as `.doc`) as paragraph blocks, read with striprtf.

Called by `nianbao.convert.extract.extract_file` for bytes starting `{\\rtf`. striprtf follows the
file's
code page (`\\ansicpg936`: GBK byte pairs) and Unicode escapes, and skips font tables, style
sheets and other destinations.
"""

from __future__ import annotations

from striprtf.striprtf import rtf_to_text

from nianbao.convert.extract.blocks import Block, Extracted, ExtractError


def extract_rtf(data: bytes) -> Extracted:
    """Extract an RTF file's paragraphs.

    Raises:
        ExtractError: when no text is found.
    """
    # RTF itself is 7-bit text; bytes beyond are escaped (\'hh), so latin-1 loses nothing.
    text = rtf_to_text(data.decode("latin-1"), errors="replace")
    blocks = [Block("paragraph", line.strip()) for line in text.splitlines() if line.strip()]
    if not blocks:
        raise ExtractError("RTF 文件中没有正文文字：请用 Word 或 WPS 另存为 .docx")
    return Extracted(blocks=blocks, format="rtf")
