"""MkDocs hook: front-matter texts that the theme writes as HTML reach it escaped.

MkDocs renders templates without autoescaping, and Material writes `page.meta.title` (a report's
title, from its first line or the catalog) into the page header and `page.title` into the
navigation and footer as HTML: a title `<img src=x onerror=…>` ran in the reader's browser. Once
every page is rendered (the other hooks read the front matter as text until then), each page's
texts of this kind are replaced by their HTML-escaped form, which the browser shows as written.
The `<title>` element is escaped in overrides/main.html.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nianbao.escape import escape_page_meta

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_env(env: Environment, *, config: MkDocsConfig, files: Files, **kwargs: object) -> None:
    """Escape the front-matter texts of every page before any template is rendered."""
    for file in files.documentation_pages():
        if file.page is not None and file.page.meta:
            escape_page_meta(file.page.meta)
