"""The parsed form of one raw report: title line, cleaned body lines and outline (pure, no I/O).

`parse_report(text)` is the converter's core entry point; metadata inference and rendering read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.clean import Line, clean_lines
from nianbao.outline import Outline, match_heading, parse_outline

# Words that name a kind of report; a short first line holding one is a title.
_TITLE_WORDS = re.compile(r"总结|报告|思路|计划|要点|发言|讲话|汇报|情况|材料|述职")
_SENTENCE_END = tuple("。！？；：，,.!?;:")
MAX_TITLE_CHARS = 80


@dataclass
class Report:
    """A raw report, cleaned and parsed."""

    title_line: Line | None  # the first line, when it is a title
    body: list[Line]
    outline: Outline
    residue_removed: int  # paywall markers removed

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
    title: Line | None = None
    if lines and is_title_line(lines[0].text, has_body=len(lines) > 1):
        title, lines = lines[0], lines[1:]
    return Report(
        title_line=title, body=lines, outline=parse_outline(lines), residue_removed=residue
    )


def is_title_line(text: str, *, has_body: bool) -> bool:
    """Whether a first line is the report's title rather than its first sentence."""
    if not has_body or len(text) > MAX_TITLE_CHARS or text.endswith(_SENTENCE_END):
        return False
    if match_heading(text) or "。" in text:
        return False
    return bool(_TITLE_WORDS.search(text))
