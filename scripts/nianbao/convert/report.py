"""The parsed form of one raw report: title line, cleaned body lines and outline (pure, no I/O).

`parse_report(text)` parses plain text, `parse_blocks(blocks)` what a structured format was
extracted to (nianbao.convert.extract); metadata inference and rendering read the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nianbao.convert.clean import Line, clean_lines
from nianbao.convert.extract.blocks import Block
from nianbao.convert.head import Head, read_head
from nianbao.convert.outline import Heading, Outline, Table, match_heading, parse_outline


@dataclass
class Report:
    """A raw report, cleaned and parsed."""

    title_line: Line | None  # the title (joined when wrapped), numbered by its first line
    body: list[Line]
    outline: Outline
    residue_removed: int  # paywall markers removed
    head: Head = field(default_factory=Head)  # portal labels and 文号 above or below the title

    @property
    def body_text(self) -> str:
        """The body as plain text, one line a paragraph."""
        return "\n".join(line.text for line in self.body)

    @property
    def full_text(self) -> str:
        """Title line (if any) and body as plain text."""
        title = [self.title_line.text] if self.title_line else []
        return "\n".join([*title, *(line.text for line in self.body)])


def parse_report(text: str) -> Report:
    """Clean and parse decoded report text."""
    lines, residue = clean_lines(text)
    head = read_head(lines)
    lines = lines[head.body_start :]
    return Report(
        title_line=head.title,
        body=lines,
        outline=parse_outline(lines),
        residue_removed=residue,
        head=head,
    )


def parse_blocks(blocks: Sequence[Block], title: str | None = None) -> Report:
    """Clean and parse extracted blocks: paragraphs as text lines (head and outline detection as
    for plain text), headings at the level their format states, tables kept as tables.

    Line numbers count the blocks' lines as a text file of them would: for a single block of plain
    text they are the file's (and the result is `parse_report`'s); for a .docx or portal page, a
    paragraph is a line.

    Args:
        blocks: what `nianbao.convert.extract.extract_file` returned.
        title: the title the format carries (a portal's ArticleTitle, a Word Title paragraph):
            a first line that reads the same is the title line, and without one it is the title.
    """
    lines: list[Line] = []
    known: dict[int, Heading | Table] = {}
    residue = offset = 0
    levels = _outline_levels(blocks)
    for block in blocks:
        if block.kind == "table":
            cells = " ".join(cell for row in block.rows for cell in row if cell.strip())
            if cells:
                offset += 1
                lines.append(Line(offset, cells))
                known[offset] = Table(rows=block.rows, line=offset)
            continue
        text = block.text.replace("\r\n", "\n").replace("\r", "\n")
        block_lines, removed = clean_lines(text)
        residue += removed
        lines.extend(Line(offset + line.number, line.text) for line in block_lines)
        if block.kind == "heading" and block_lines:
            first = offset + block_lines[0].number
            found = match_heading(block_lines[0].text)
            level = found[0] if found else levels.get(block.level or 0)
            if level is not None:
                known[first] = Heading(level, found[1] if found else 0, "", first)
        offset += text.count("\n") + 1
    _number_unnumbered(lines, known)
    head = _head_of(lines, known, title)
    body = lines[head.body_start :]
    return Report(
        title_line=head.title or (Line(0, title) if title else None),
        body=body,
        outline=parse_outline(body, known),
        residue_removed=residue,
        head=head,
    )


def _head_of(lines: list[Line], known: dict[int, Heading | Table], title: str | None) -> Head:
    """The head as plain text's, where no line the format marked (a heading, a table) is taken
    for a title or portal line; a first line reading as the carried title is the title."""
    head = read_head(lines)
    taken = lines[: max(head.body_start, 1 if head.title else 0)]
    if any(line.number in known for line in taken):
        head = Head()
    if head.title is None and title and head.body_start < len(lines):
        first = lines[head.body_start]
        if first.number not in known and _compact(first.text) == _compact(title):
            head.title, head.title_lines = first, 1
            head.body_start += 1
    return head


def _outline_levels(blocks: Sequence[Block]) -> dict[int, int]:
    """Outline level (h2–h5) of each heading level a format uses: as its numbered headings show
    (Heading 1 holding 一、 is h2), else by rank (the format's highest level is h2)."""
    seen: dict[int, int] = {}
    for block in blocks:
        if block.kind == "heading" and block.level is not None:
            found = match_heading(block.text.strip(" \t\u3000"))
            if found:
                seen.setdefault(block.level, found[0])
    used = sorted({b.level for b in blocks if b.kind == "heading" and b.level is not None})
    return {level: seen.get(level, min(5, 2 + rank)) for rank, level in enumerate(used)}


def _number_unnumbered(lines: list[Line], known: dict[int, Heading | Table]) -> None:
    """Count headings written without a numeral (their format numbers them, or nothing does), so
    that the outline's numbering check sees them in sequence."""
    counters: dict[int, int] = {}
    for line in lines:
        heading = known.get(line.number)
        if not isinstance(heading, Heading):
            continue
        for deeper in [level for level in counters if level > heading.level]:
            del counters[deeper]
        number = heading.number or counters.get(heading.level, 0) + 1
        counters[heading.level] = number
        known[line.number] = Heading(heading.level, number, heading.text, heading.line)


def _compact(text: str) -> str:
    return "".join(text.split())
