"""Splitting a rendered report page into searchable sections (h2/h3 with their anchors).

Called by nianbao.build.report_pages on the page's content HTML; the metadata block, notes and
permalink marks are not report text and are left out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose text is not report text.
_SKIP_CLASSES = frozenset(
    {"nb-meta", "nb-path", "admonition", "headerlink", "nb-thread", "nb-figures"}
)
_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "div", "br"})
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr"})
SECTION_LEVELS = ("h2", "h3")


@dataclass(frozen=True)
class Section:
    """A part of a report page: its heading, anchor and plain text (as written, redactions kept)."""

    anchor: str  # the h1's for the text before the first h2 ("" if the page has no h1 id)
    heading: str
    level: int  # 1 for the opening part, 2 or 3
    text: str = ""  # one block a line


@dataclass
class _Open:
    """A section while its page is parsed: its text still in pieces."""

    anchor: str
    heading: str
    level: int
    parts: list[str] = field(default_factory=list)

    def close(self) -> Section:
        lines = "".join(self.parts).split("\n")
        text = "\n".join(line for line in lines if line.strip())
        return Section(self.anchor, self.heading, self.level, text)


@functools.lru_cache(maxsize=1)
def split_sections(content_html: str) -> tuple[Section, ...]:
    """Split a page's content HTML at its h2/h3 headings.

    The search and year-over-year hooks both call this on the same page's HTML in turn: the
    last page's sections are kept, so it is parsed once. Callers do not modify the sections.
    """
    parser = _SectionParser()
    parser.feed(content_html)
    parser.close()
    sections = (section.close() for section in parser.sections)
    return tuple(s for s in sections if s.text or s.level > 1)


class _SectionParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[_Open] = [_Open(anchor="", heading="", level=1)]
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and not self._skip_depth:
                self.sections[-1].parts.append("\n")
            return
        classes = set((dict(attrs).get("class") or "").split())
        skip = bool(classes & _SKIP_CLASSES)
        self._stack.append((tag, skip))
        if skip:
            self._skip_depth += 1
            return
        if tag in SECTION_LEVELS and not self._skip_depth:
            anchor = dict(attrs).get("id") or ""
            self.sections.append(_Open(anchor=anchor, heading="", level=int(tag[1])))
            self._heading = []
        elif tag in _BLOCKS and not self._skip_depth:
            if tag == "h1" and len(self.sections) == 1:
                # The opening part links to the page title: its URL must differ from the page's.
                self.sections[0].anchor = dict(attrs).get("id") or ""
            self.sections[-1].parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self._stack:
            open_tag, skip = self._stack.pop()
            if skip:
                self._skip_depth -= 1
            if open_tag == tag:
                break
        if tag in SECTION_LEVELS and self._heading is not None:
            self.sections[-1].heading = "".join(self._heading).strip()
            self._heading = None
        elif tag in _BLOCKS and not self._skip_depth:
            self.sections[-1].parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._heading is not None:
            self._heading.append(data)
        else:
            self.sections[-1].parts.append(data)
