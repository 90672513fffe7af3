"""Escaping the texts of reports and of the catalog for the places they land (pure).

Called by nianbao.build.report_pages (the theme's header, navigation and footer) and by the
writers of the data files (nianbao.site.data_files: CSV cells a spreadsheet would run as formulas).
"""

from __future__ import annotations

import html
from collections.abc import MutableMapping

# Front-matter keys that Material's templates write into the page as HTML, unescaped.
THEME_HTML_KEYS = ("title", "description", "author")
# A cell beginning with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP, "CSV Injection"): tab and carriage return too, since some programs strip them first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_page_meta(meta: MutableMapping[str, object]) -> None:
    """Replace each text in `meta` that the theme writes as HTML by its escaped form."""
    for key in THEME_HTML_KEYS:
        value = meta.get(key)
        if isinstance(value, str):
            meta[key] = html.escape(value, quote=True)


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs: a text beginning like a formula gets a leading `'`.

    Numbers (int, float) are left as numbers, so that a negative change stays a number; a text
    that merely looks like a negative number (`-3.5`) is prefixed like any other, as OWASP
    advises, because a cell such as `-1+cmd|' /C calc'!A0` also starts with a minus.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
