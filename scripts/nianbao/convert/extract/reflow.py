"""Reflow of paged text: positioned glyphs per page become the paragraphs and headings of a report.

Called by `extract/pdf.py`, `extract/ofd.py` and the OCR path (`extract/image.py`) with the glyphs
(or recognised text runs) of each page; does no I/O. Lines are rebuilt by position, page numbers and
running headers are dropped by where they sit and what they say, lines are rejoined into paragraphs
by first-line indent and by where the previous line ends, a centred title wrapped over two lines is
joined, and the spaces justified text leaves between Han characters are removed.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from nianbao.convert.extract.blocks import Block
from nianbao.convert.outline import MAX_HEADING_CHARS, match_heading

# A page-number line, alone in the top or bottom margin: — 3 —, - 3 -, 第3页, 第3页 共9页, 3/9, 3.
_FOLIO = re.compile(
    r"^(?:[—–\-－一\u2010]+\s*\d{1,4}\s*[—–\-－一\u2010]+|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4}|[(（]?\s*\d{1,4}\s*[)）]?)$"
)
# Share of the page height at the top and at the foot where page numbers and running heads sit.
_TOP_BAND, _FOOT_BAND = 0.12, 0.12
# Outline levels (nianbao.convert.outline) of 一、 and （一）, as the block levels 1 and 2.
_BLOCK_LEVELS = {2: 1, 3: 2}
# Characters that keep a space between them: Latin letters, digits and ASCII punctuation.
_SPACED = re.compile(r"[!-~]")
_WORD = re.compile(r"[0-9A-Za-z]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


@dataclass(frozen=True)
class Glyph:
    """A character, or a run of characters set as one, with its box (y grows downwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    """One page's glyphs and size, in the format's own unit (points, millimetres, pixels)."""

    width: float
    height: float
    glyphs: Sequence[Glyph]


@dataclass(frozen=True)
class Line:
    """A rebuilt line of text and its box; `size` is the median glyph height (the em)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class _Measure:
    """Where body text sits: its margins, its em (median line height), whether sizes are exact."""

    left: float
    right: float
    em: float
    exact_sizes: bool


def reflow(pages: Sequence[Page], exact_sizes: bool = True) -> list[Block]:
    """Turns pages of positioned glyphs into paragraph and heading blocks in reading order.

    Args:
        pages: the document's pages, in order.
        exact_sizes: glyph boxes are the font's (PDF, OFD), so a change of size starts a new
            block; False for OCR, whose boxes follow the ink and vary by a third from line to line.

    Returns:
        The blocks; a paragraph that is a whole 一、 or （一） heading line is a heading block
        (level 1 or 2), a run-in heading stays in its paragraph for the outline step.
    """
    page_lines = [lines_of(page) for page in pages]
    page_lines = _drop_furniture(page_lines, pages)
    body = [line for lines in page_lines for line in lines]
    if not body:
        return []
    em = statistics.median(line.size for line in body)
    text_size = [line for line in body if abs(line.size - em) < 0.2 * em]
    measure = _Measure(
        left=_mode(line.x0 for line in text_size),
        right=_mode(line.x1 for line in text_size),
        em=em,
        exact_sizes=exact_sizes,
    )
    paragraphs: list[list[Line]] = []
    previous: Line | None = None
    previous_centred = False
    for lines in page_lines:
        pitch = _line_pitch(lines)
        for index, line in enumerate(lines):
            centred = _is_centred(line, measure)
            if previous is None or _starts_paragraph(
                previous, line, measure, (previous_centred, centred), pitch, index == 0
            ):
                paragraphs.append([line])
            else:
                paragraphs[-1].append(line)
            previous, previous_centred = line, centred
    return [block_of(_join(lines)) for lines in paragraphs]


def lines_of(page: Page) -> list[Line]:
    """Groups a page's glyphs into lines by vertical overlap, top to bottom, left to right."""
    glyphs = sorted(
        (g for g in page.glyphs if g.text and g.bottom > g.top),
        key=lambda g: ((g.top + g.bottom) / 2, g.x0),
    )
    rows: list[list[Glyph]] = []
    for glyph in glyphs:
        middle = (glyph.top + glyph.bottom) / 2
        if rows:
            row = rows[-1]
            top = statistics.median(g.top for g in row[-8:])
            bottom = statistics.median(g.bottom for g in row[-8:])
            if top <= middle <= bottom:
                row.append(glyph)
                continue
        rows.append([glyph])
    return [_line(sorted(row, key=lambda g: g.x0)) for row in rows]


def normalise_spaces(text: str) -> str:
    """Removes spaces next to Han characters or full-width punctuation; keeps one between Latin
    words and numbers (`XX 局 2023 年` → `XX局2023年`, `ISO 9001` stays)."""
    parts = _SPACES.split(text.strip())
    out = parts[0]
    for part in parts[1:]:
        if out and part and _SPACED.match(out[-1]) and _SPACED.match(part[0]):
            out += " "
        out += part
    return out


def _line(glyphs: list[Glyph]) -> Line:
    heights = [g.bottom - g.top for g in glyphs]
    size = statistics.median(heights)
    # Fake bold: producers draw a bold title two to four times, offset by a fraction of a point.
    glyphs = [
        g
        for i, g in enumerate(glyphs)
        if not any(
            o.text == g.text and abs(o.x0 - g.x0) < 0.2 * size and abs(o.top - g.top) < 0.2 * size
            for o in glyphs[max(0, i - 4) : i]
        )
    ]
    gaps = [b.x0 - a.x1 for a, b in pairwise(glyphs)]
    # Justified text spreads every gap of a line alike; a gap wider than the usual one by a
    # quarter em is a space between words that the text layer may not spell out.
    usual = statistics.median(gaps) if gaps else 0.0
    text = glyphs[0].text
    for gap, glyph in zip(gaps, glyphs[1:], strict=True):
        if gap > usual + 0.25 * size:
            text += " "
        text += glyph.text
    return Line(
        text=normalise_spaces(text),
        x0=glyphs[0].x0,
        x1=max(g.x1 for g in glyphs),
        top=min(g.top for g in glyphs),
        bottom=max(g.bottom for g in glyphs),
        size=size,
    )


def _drop_furniture(page_lines: list[list[Line]], pages: Sequence[Page]) -> list[list[Line]]:
    """Drops page numbers and running heads/feet: lines in the top or foot band that are a folio
    pattern, or whose text (digits aside) recurs in that band on at least two pages."""

    def in_band(line: Line, page: Page) -> str | None:
        if line.bottom <= page.height * _TOP_BAND:
            return "top"
        if line.top >= page.height * (1 - _FOOT_BAND):
            return "foot"
        return None

    recurring: Counter[tuple[str, str]] = Counter()
    for lines, page in zip(page_lines, pages, strict=True):
        seen = {
            (band, re.sub(r"\d+", "#", line.text))
            for line in lines
            if (band := in_band(line, page)) is not None
        }
        recurring.update(seen)
    kept: list[list[Line]] = []
    for lines, page in zip(page_lines, pages, strict=True):
        keep = []
        for line in lines:
            band = in_band(line, page)
            if band is not None and (
                _FOLIO.match(line.text)
                or (len(pages) > 1 and recurring[(band, re.sub(r"\d+", "#", line.text))] >= 2)
            ):
                continue
            keep.append(line)
        kept.append(keep)
    return kept


def _starts_paragraph(
    previous: Line,
    line: Line,
    measure: _Measure,
    centring: tuple[bool, bool],
    pitch: float | None,
    first_on_page: bool,
) -> bool:
    """Whether `line` starts a new block after `previous` (`centring`: whether each is centred;
    `pitch`: the page's usual gap between lines)."""
    previous_centred, centred = centring
    exact_sizes, em = measure.exact_sizes, measure.em
    if centred or previous_centred:
        # Consecutive centred lines of one size are one title wrapped; anything else breaks.
        same_size = not exact_sizes or abs(line.size - previous.size) < 0.15 * max(
            line.size, previous.size
        )
        return not (centred and previous_centred and same_size)
    if exact_sizes and abs(line.size - previous.size) > 0.2 * max(line.size, previous.size):
        return True
    if line.x0 > measure.left + 0.8 * em:  # first-line indent
        return True
    # The previous line stopped short: its paragraph ended. OCR may lose a line's last mark
    # (、 ，) and its boxes end at the ink, so a recognised line may end almost two em short.
    if previous.x1 < measure.right - (1.2 if exact_sizes else 1.8) * em:
        return True
    # A blank line between block paragraphs (not across a page break).
    return not first_on_page and pitch is not None and line.top - previous.bottom > 1.8 * pitch


def _is_centred(line: Line, measure: _Measure) -> bool:
    margin_left, margin_right = line.x0 - measure.left, measure.right - line.x1
    return (
        margin_left > 2 * line.size
        and margin_right > 2 * line.size
        and abs(margin_left - margin_right) < 1.5 * line.size
    )


def _line_pitch(lines: Sequence[Line]) -> float | None:
    gaps = [b.top - a.bottom for a, b in pairwise(lines) if b.top > a.bottom]
    return statistics.median(gaps) if gaps else None


def _join(lines: Sequence[Line]) -> str:
    text = lines[0].text
    for line in lines[1:]:
        # Only Latin words wrapped at the line end need their space back (a number or a word is
        # never broken across lines, so letters or digits on both sides are two words).
        if text and line.text and _WORD.match(text[-1]) and _WORD.match(line.text[0]):
            text += " "
        text += line.text
    return normalise_spaces(text)


def block_of(text: str) -> Block:
    """A paragraph's block: a heading when it is a whole 一、 (level 1) or （一） (level 2) line."""
    if len(text) <= MAX_HEADING_CHARS and "。" not in text:
        heading = match_heading(text)
        if heading and heading[0] in _BLOCK_LEVELS:
            return Block("heading", text, level=_BLOCK_LEVELS[heading[0]])
    return Block("paragraph", text)


def _mode(values: object) -> float:
    """The most common value, rounded to whole units (margins repeat on every line)."""
    counts = Counter(round(v) for v in values)  # type: ignore[attr-defined]
    return float(counts.most_common(1)[0][0])
