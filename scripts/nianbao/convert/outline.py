"""Outline parsing: the numbering Chinese official documents use, run-in headings, 一是… lists.

`parse_outline(lines)` turns cleaned lines into blocks (headings h2–h5, paragraphs, lists) and lists
numbering anomalies; it does no I/O and never changes the author's numbering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from nianbao.convert.clean import Line

_HAN_DIGITS = "一二三四五六七八九十"
# (level, pattern); the group holds the number as written.
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(rf"^([{_HAN_DIGITS}百]+)、")),
    (3, re.compile(rf"^[（(]([{_HAN_DIGITS}]+)[）)]")),
    (4, re.compile(r"^(\d{1,2})(?:[、．]|\.(?!\d))")),
    (5, re.compile(r"^[（(](\d{1,2})[）)]")),
)
# A heading longer than this (before its first 。) is a numbered paragraph, not a heading.
MAX_HEADING_CHARS = 50
# 一是 … 十二是: inline enumeration markers, at the start of a sentence.
_ENUM_MARKER = re.compile(rf"(?:^|(?<=[。；;！？!?：:]))([{_HAN_DIGITS}]{{1,3}})是")
_SENTENCE_STOP = "。"
MIN_TABLE_CELLS = 2


@dataclass(frozen=True)
class Heading:
    """An outline heading: level 2 (一、) to 5 (（1）), its text as written less a run-in 。."""

    level: int
    number: int
    text: str
    line: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text."""

    text: str
    line: int


@dataclass(frozen=True)
class EnumList:
    """An inline enumeration (一是…。二是…。) as list items, each keeping its text."""

    items: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Table:
    """Rows of cells the author wrote as a table: a 信息公开 report's statutory tables, pasted
    from a portal page with tabs or ` | ` between cells, or a table the input format carried
    (a .docx or portal page's table)."""

    rows: tuple[tuple[str, ...], ...]
    line: int  # of the first row
    row_lines: tuple[int, ...] = ()  # of each row


Block = Heading | Paragraph | EnumList | Table


@dataclass(frozen=True)
class Anomaly:
    """Something odd in the outline worth a warning (line is 1-based in the raw file)."""

    line: int
    message: str


@dataclass
class Outline:
    """The blocks of a report body and the anomalies found while parsing it."""

    blocks: list[Block] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)


def han_number(numeral: str) -> int:
    """Return the value of a Chinese numeral up to 百 (一 → 1, 十二 → 12, 二十 → 20)."""
    if numeral.isdigit():
        return int(numeral)
    values = {ch: i for i, ch in enumerate(_HAN_DIGITS[:9], start=1)}
    if "百" in numeral:
        hundreds, _, rest = numeral.partition("百")
        return values.get(hundreds, 1) * 100 + (han_number(rest) if rest else 0)
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return values.get(tens, 1) * 10 + (values.get(units, 0) if units else 0)
    return values.get(numeral, 0)


def match_heading(text: str) -> tuple[int, int, str] | None:
    """Return (level, number, marker) when `text` starts with an outline number."""
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            return level, han_number(match.group(1)), match.group()
    return None


def parse_outline(
    lines: Sequence[Line], known: Mapping[int, Heading | Table] | None = None
) -> Outline:
    """Parse body lines (title line already removed) into headings, paragraphs and lists.

    Args:
        lines: the cleaned body lines.
        known: blocks the input format already decided, by line number: a heading whose level
            the format states (its run-in text after a 。 still becomes a paragraph), or a table.
    """
    outline = Outline()
    rows: list[tuple[str, ...]] = []
    row_lines: list[int] = []
    for index, line in enumerate(lines):
        decided = known.get(line.number) if known else None
        if decided is not None:
            if rows:
                outline.blocks.append(_table(rows, row_lines))
                rows, row_lines = [], []
            if isinstance(decided, Table):
                outline.blocks.append(decided)
            else:
                outline.blocks.extend(_known_heading(decided, line))
            continue
        cells = table_cells(line.text)
        if (
            cells is None
            and rows
            and _next_is_row(lines, index)
            and len(line.text) <= MAX_HEADING_CHARS
            and not _next_part(line.text, outline.blocks)
        ):
            cells = (line.text,)  # a row whose empty cells were trimmed off with the line's end
        if cells and (rows or _next_is_row(lines, index)):
            rows.append(cells)
            row_lines.append(line.number)
            continue
        if rows:
            outline.blocks.append(_table(rows, row_lines))
            rows, row_lines = [], []
        outline.blocks.extend(_blocks_of_line(line))
    if rows:
        outline.blocks.append(_table(rows, row_lines))
    outline.blocks = _merge_enumerations(outline.blocks)
    outline.anomalies = _numbering_anomalies(outline.blocks)
    return outline


def table_cells(text: str) -> tuple[str, ...] | None:
    """The cells of a table row written with tabs or ` | ` between them; None for other text.
    A Markdown table (a row starting with `|`) stays text, as the author's characters."""
    if text.startswith("|"):
        return None
    if "\t" in text:
        cells = tuple(cell.strip() for cell in text.split("\t"))
    elif " | " in text:
        cells = tuple(cell.strip() for cell in text.split(" | "))
    else:
        return None
    return cells if len(cells) >= MIN_TABLE_CELLS else None


def _table(rows: list[tuple[str, ...]], lines: list[int]) -> Table:
    return Table(rows=tuple(rows), line=lines[0], row_lines=tuple(lines))


def _next_part(text: str, blocks: Sequence[Block]) -> bool:
    """Whether `text` is the heading of the report's next part (一、 … 二、 …), not a row."""
    found = match_heading(text)
    if not found or found[0] != HEADING_PATTERNS[0][0]:
        return False
    numbers = [b.number for b in blocks if isinstance(b, Heading) and b.level == found[0]]
    return found[1] == (numbers[-1] if numbers else 0) + 1


def _next_is_row(lines: Sequence[Line], index: int) -> bool:
    """A table has at least two rows: a lone line with a tab is text."""
    return index + 1 < len(lines) and table_cells(lines[index + 1].text) is not None


def _blocks_of_line(line: Line) -> list[Block]:
    found = match_heading(line.text)
    if found is None:
        return _paragraph_blocks(line.text, line.number)
    level, number, _marker = found
    head, stop, rest = line.text.partition(_SENTENCE_STOP)
    if len(head) > MAX_HEADING_CHARS:
        return _paragraph_blocks(line.text, line.number)
    heading = Heading(level=level, number=number, text=head, line=line.number)
    if not stop:
        return [heading]
    return [heading, *(_paragraph_blocks(rest, line.number) if rest else [])]


def _known_heading(heading: Heading, line: Line) -> list[Block]:
    """A heading at the level the format states, split like a numbered line at its first 。."""
    head, stop, rest = line.text.partition(_SENTENCE_STOP)
    if not stop or len(head) > MAX_HEADING_CHARS:
        head, rest = line.text, ""
    blocks: list[Block] = [Heading(heading.level, heading.number, head, line.number)]
    return [*blocks, *(_paragraph_blocks(rest, line.number) if rest else [])]


def _paragraph_blocks(text: str, line: int) -> list[Block]:
    """A paragraph, split into a lead paragraph and a list when it holds 一是…二是…."""
    markers = [m for m in _ENUM_MARKER.finditer(text)]
    expected = 1
    starts: list[int] = []
    for marker in markers:
        if han_number(marker.group(1)) == expected:
            starts.append(marker.start(1))
            expected += 1
    if len(starts) < 2:
        return [Paragraph(text=text, line=line)]
    blocks: list[Block] = []
    lead = text[: starts[0]]
    if lead:
        blocks.append(Paragraph(text=lead, line=line))
    ends = [*starts[1:], len(text)]
    items = tuple(text[start:end] for start, end in zip(starts, ends, strict=True))
    blocks.append(EnumList(items=items, line=line))
    return blocks


def _merge_enumerations(blocks: list[Block]) -> list[Block]:
    """Join paragraphs written one item a line (一是…⏎二是…⏎) into one list."""
    merged: list[Block] = []
    for block in blocks:
        ordinal = _leading_ordinal(block)
        previous = merged[-1] if merged else None
        if ordinal is not None and ordinal > 1 and previous is not None:
            items = _items_of(previous)
            if items is not None and _leading_ordinal_text(items[-1]) == ordinal - 1:
                merged[-1] = EnumList(items=(*items, *_items_of(block)), line=previous.line)  # type: ignore[misc]
                continue
        merged.append(block)
    return merged


def _items_of(block: Block) -> tuple[str, ...] | None:
    if isinstance(block, EnumList):
        return block.items
    if isinstance(block, Paragraph) and _leading_ordinal_text(block.text) is not None:
        return (block.text,)
    return None


def _leading_ordinal(block: Block) -> int | None:
    if isinstance(block, Paragraph):
        return _leading_ordinal_text(block.text)
    if isinstance(block, EnumList):
        return _leading_ordinal_text(block.items[0])
    return None


def _leading_ordinal_text(text: str) -> int | None:
    match = _ENUM_MARKER.match(text)
    return han_number(match.group(1)) if match else None


def _numbering_anomalies(blocks: Sequence[Block]) -> list[Anomaly]:
    anomalies: list[Anomaly] = []
    last: dict[int, int] = {}
    for block in blocks:
        if not isinstance(block, Heading):
            continue
        previous = last.get(block.level, 0)
        if block.number != previous + 1:
            anomalies.append(
                Anomaly(
                    line=block.line,
                    message=(
                        f"提纲编号：标题“{block.text[:12]}”在第 {block.level - 1} 级编号为 "
                        f"{block.number}，按顺序应为 {previous + 1}（已按原文保留，请核对原文）"
                    ),
                )
            )
        last[block.level] = block.number
        for deeper in [level for level in last if level > block.level]:
            del last[deeper]
    return anomalies
