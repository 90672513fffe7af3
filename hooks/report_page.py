"""MkDocs hook: the metadata block and variant note at the top of a report page.

Puts the block (nianbao.site.meta_block: HTML) under the page's title once the page's Markdown is
rendered; pages that are not reports are left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from nianbao.schema import page_report_meta, read_front_matter
from nianbao.site.meta_block import breadcrumbs, metadata_block

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
_TITLE_END = "</h1>"


def on_page_content(
    html: str, *, page: Page, config: MkDocsConfig, files: Files, **kwargs: object
) -> str | None:
    """Put the breadcrumbs above a report page's title and the metadata block under it (both
    at the top without a title)."""
    meta = page_report_meta(page.meta, page.file.src_uri, log, "不显示元数据表")
    if meta is None:
        return None
    # The titles of its redacted copies (a copy's page names none of its original).
    titles = {slug: _title_of(files, slug) for slug in meta.variants}
    block = metadata_block(meta, titles, config.use_directory_urls)
    path = breadcrumbs(meta, config.use_directory_urls)
    title_end = html.find(_TITLE_END) if html.startswith("<h1") else -1
    if title_end == -1:
        return path + block + html
    title_end += len(_TITLE_END)
    rest = html[title_end:].lstrip("\n")
    return f"{path}{html[:title_end]}\n{block}{rest}"


def _title_of(files: Files, slug: str) -> str:
    file = files.get_file_from_path(f"reports/{slug}.md")
    if file is None:
        log.warning("reports/%s.md：被列为隐去信息的版本，但档案中没有这一篇", slug)
        return slug
    meta = read_front_matter(file.content_string)
    return str(meta.get("title", slug))
