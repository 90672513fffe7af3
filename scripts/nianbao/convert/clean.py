"""Cleaning decoded report text: line ends, indentation, invisible characters, paywall residue.

Called by the converter before outline parsing. Keeps the author's text otherwise verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Document-site residue: ##paidbegin##, ##paidend## and the same family of ##word## markers.
RESIDUE = re.compile(r"#{2}\s*[A-Za-z_]{2,24}\s*#{2}")
# Zero-width and other invisible characters that must never reach a page.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
# Indentation: ASCII spaces/tabs and the full-width space U+3000.
_INDENT = " \t\u3000\u00a0"
# A line ending in these has finished its sentence; residue at such an end does not join lines.
_SENTENCE_END = "。！？；：”」』）)…"


@dataclass(frozen=True)
class Line:
    """A cleaned, non-empty line of report text and its 1-based line number in the raw file."""

    number: int
    text: str


def clean_lines(text: str) -> tuple[list[Line], int]:
    """Split text into cleaned, non-empty lines.

    Returns:
        The lines, and how many residue markers were removed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    residue_count = 0
    join_next = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _INVISIBLE.sub("", raw)
        line, removed = RESIDUE.subn("", line)
        residue_count += removed
        line = line.strip(_INDENT)
        if not line:
            continue
        if join_next and lines:
            # A marker cut this sentence at a line end: join it back.
            previous = lines.pop()
            line = previous.text + line
            number = previous.number
        join_next = (
            removed > 0
            and RESIDUE.search(raw.rstrip()) is not None
            and not (line.endswith(tuple(_SENTENCE_END)))
            and raw.rstrip(_INDENT).endswith("#")
        )
        lines.append(Line(number=number, text=line))
    return lines, residue_count
