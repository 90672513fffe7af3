"""Redaction placeholders (XX, *, ××× …) and Markdown escaping of report text (converter).

A placeholder stays visible exactly as written; it is wrapped in a styled span and its `*`s are
escaped so Markdown never turns them into emphasis. All other text is escaped so that nothing in a
report can become live HTML or Markdown in a page.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable

# A run of redaction marks: XX (not inside a Latin word such as XXL), any run of *, ××× (a lone ×
# is a multiplication sign), 某某, ○○.
REDACTION = re.compile(r"(?<![A-Za-z])X{2,}(?![A-Za-z])|\*+|×{2,}|某某+|○{2,}")
REDACTION_TITLE = "原文已隐去"
REDACTION_CLASS = "nb-redacted"

# Markdown's inline specials (Python-Markdown escapes each with a backslash).
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]|!#])")
# Block syntax a paragraph could start with: headings, quotes, lists, rules, admonitions.
_BLOCK_START = re.compile(r"^(>|-|\+|=|\d+[.)]|!!!|\?\?\?|:)")


def count_redactions(text: str) -> int:
    """Return how many redaction runs the text holds."""
    return sum(1 for _ in REDACTION.finditer(text))


def render_inline(text: str) -> str:
    """Return `text` as Markdown: escaped, with each redaction run wrapped in a styled span."""
    marks = functools.partial(_INLINE_SPECIALS.sub, r"\\\1")
    return _escape_block_start(_with_spans(text, escape_markdown, marks))


def render_html(text: str) -> str:
    """Return `text` as HTML element content: escaped, with each redaction run wrapped in a
    styled span."""
    return _with_spans(text, _escape_content, _escape_content)


def _escape_content(text: str) -> str:
    return html.escape(text, quote=False)


def _with_spans(text: str, escape: Callable[[str], str], marks: Callable[[str], str]) -> str:
    parts: list[str] = []
    position = 0
    for match in REDACTION.finditer(text):
        parts.append(escape(text[position : match.start()]))
        span = marks(match.group())
        parts.append(f'<span class="{REDACTION_CLASS}" title="{REDACTION_TITLE}">{span}</span>')
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def escape_markdown(text: str) -> str:
    """Escape text so Markdown shows it literally (HTML specials included)."""
    return _INLINE_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def _escape_block_start(rendered: str) -> str:
    match = _BLOCK_START.match(rendered)
    if not match:
        return rendered
    head = match.group()
    if head[0].isdigit():
        return head[:-1] + "\\" + head[-1] + rendered[len(head) :]
    return "\\" + rendered
