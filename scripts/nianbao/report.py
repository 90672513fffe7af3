"""The parsed form of one raw report: title line, cleaned body lines and outline (pure, no I/O).

`parse_report(text)` is the converter's core entry point; metadata inference and rendering read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.clean import Line, clean_lines
from nianbao.head import Head, read_head
from nianbao.outline import Outline, parse_outline


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
