"""A report page as it renders: its record kept for the archive-wide steps, the breadcrumbs and
metadata block put at its top (nianbao.site.meta_block), and, once every page is rendered, the
front-matter texts the theme writes as HTML escaped (nianbao.escape).

MkDocs renders templates without autoescaping, and Material writes `page.meta.title` and
`page.title` into the header, navigation and footer as HTML: a title `<img src=x onerror=…>`
would run in the reader's browser. The `<title>` element is escaped in overrides/main.html.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from nianbao.escape import escape_page_meta
from nianbao.schema import page_report_meta
from nianbao.site.listings import REPORTS_DIR
from nianbao.site.meta_block import breadcrumbs, metadata_block
from nianbao.site.pages import ReportPage
from nianbao.site.sections import split_sections

if TYPE_CHECKING:
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from nianbao.build.state import Build

log = get_plugin_logger(__name__)
_TITLE_END = "</h1>"


def report_page(build: Build, html: str, page: Page, files: Files) -> str:
    """Keep a rendered report page's sections and figures (in the cache, too), then put the
    breadcrumbs above its title and the metadata block under it (both at the top without a
    title); other pages are left as they are."""
    meta = page_report_meta(
        page.meta, page.file.src_uri, log, "不进入检索和逐年对照，也不显示元数据表"
    )
    if meta is None:
        return html
    build.pages.add(
        ReportPage.from_sections(page.file.src_uri, page.url, meta, split_sections(html))
    )
    # The titles of its redacted copies (a copy's page names none of its original).
    titles = {slug: _title_of(build, files, slug) for slug in meta.variants}
    directory_urls = build.config.use_directory_urls
    block = metadata_block(meta, titles, directory_urls)
    path = breadcrumbs(meta, directory_urls)
    title_end = html.find(_TITLE_END) if html.startswith("<h1") else -1
    if title_end == -1:
        return path + block + html
    title_end += len(_TITLE_END)
    rest = html[title_end:].lstrip("\n")
    return f"{path}{html[:title_end]}\n{block}{rest}"


def escape_titles(files: Files) -> None:
    """Escape the front-matter texts of every page before any template is rendered (the steps
    before read them as text)."""
    for file in files.documentation_pages():
        if file.page is not None and file.page.meta:
            escape_page_meta(file.page.meta)


def _title_of(build: Build, files: Files, slug: str) -> str:
    src_uri = f"{REPORTS_DIR}/{slug}.md"
    if files.get_file_from_path(src_uri) is None:
        log.warning("%s：被列为隐去信息的版本，但档案中没有这一篇", src_uri)
        return slug
    meta = build.reports.get(src_uri)
    return meta.title if meta is not None else slug
