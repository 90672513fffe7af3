"""Report and catalog texts escaped for where they land (nianbao.escape): front-matter texts the
theme writes as HTML, and CSV cells a spreadsheet would run as formulas (OWASP's rule)."""

from __future__ import annotations

import pytest
from nianbao.escape import csv_cell, escape_page_meta


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","点")', '\'=HYPERLINK("http://x","点")'),
        ("+1+1", "'+1+1"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-3.5", "'-3.5"),  # a text, even one that reads as a number: OWASP prefixes it too
        ("参保率达99.85％", "参保率达99.85％"),
        ("", ""),
        (-3.5, -3.5),  # numbers stay numbers: a negative change is no formula
        (99.85, 99.85),
        (2023, 2023),
        (None, None),
        (True, True),
    ],
    ids=[
        "equals",
        "plus",
        "minus-dde",
        "at",
        "tab",
        "carriage-return",
        "negative-as-text",
        "plain-text",
        "empty",
        "negative-number",
        "number",
        "year",
        "missing",
        "flag",
    ],
)
def test_csv_cells_that_start_a_formula_are_prefixed(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_front_matter_texts_the_theme_writes_as_html_are_escaped() -> None:
    meta: dict[str, object] = {
        "title": '<img src=x onerror="alert(1)">某县&报告',
        "description": "</title><script>alert(2)</script>",
        "author": "'><b>",
        "org": "<svg onload=alert(3)>",  # not written by the theme: left as data
        "year": 2023,
    }
    escape_page_meta(meta)
    assert meta == {
        "title": "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;某县&amp;报告",
        "description": "&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
        "author": "&#x27;&gt;&lt;b&gt;",
        "org": "<svg onload=alert(3)>",
        "year": 2023,
    }
