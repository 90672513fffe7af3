"""The intermediate every input format is extracted to: ordered blocks plus the metadata it carries.

Each `extract/<format>.py` turns a file's bytes into an `Extracted`; the converter then sends its
blocks through the same cleaning, outline, redaction and metadata steps as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "table"]


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or table, in reading order."""

    kind: BlockKind
    text: str = ""  # heading or paragraph text as written, numbering (一、/（一）) included
    level: int | None = None  # heading level when the format knows it (1 = 一、, 2 = （一）)
    rows: tuple[tuple[str, ...], ...] = ()  # a table's cells, row by row


@dataclass
class Extracted:
    """What one input file holds: its blocks and what the format says about it."""

    blocks: list[Block]
    format: str  # "txt", "html", "docx", "doc", "wps", "pdf", "ofd", "image"
    # title, publisher, published, written, index_no, doc_no, topic — as the file states them
    carried: dict[str, str] = field(default_factory=dict)
    pages: int | None = None  # page count, for paged formats
    text_source: str = "text"  # "text", or "ocr" when recognised from images
    ocr_engine: str | None = None
    ocr_confidence: float | None = None  # mean confidence 0–1 of the recognised text
    encoding: str | None = None  # for text formats: the encoding the bytes were decoded with


class ExtractError(ValueError):
    """A file that cannot be extracted; the message (Chinese) says why and what to do."""
