"""MkDocs hook: the archive's listing pages — home overview, per year, per organisation, per type.

Reads every report page's front matter in `on_files`, generates the listing pages in memory and
fills the home page's overview marker. Bad front matter is a warning naming the page and key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File
from nianbao.archive import OVERVIEW_MARKER, REPORTS_DIR, listing_pages, overview_markdown
from nianbao.schema import PAGE_KIND, ReportMeta, SchemaError, read_front_matter

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

_reports: list[ReportMeta] = []


def on_files(files: Files, *, config: MkDocsConfig, **kwargs: object) -> Files:
    """Read the reports' front matter and add the generated listing pages."""
    _reports[:] = read_reports(files)
    for page in listing_pages(_reports):
        if files.get_file_from_path(page.src_uri) is None:
            files.append(File.generated(config, page.src_uri, content=page.markdown))
    return files


def on_page_markdown(markdown: str, *, page: Page, **kwargs: object) -> str | None:
    """Fill the home page's overview."""
    if OVERVIEW_MARKER not in markdown:
        return None
    return markdown.replace(OVERVIEW_MARKER, overview_markdown(_reports, page.file.src_uri))


def read_reports(files: Files) -> list[ReportMeta]:
    """The validated front matter of every report page; bad pages are warned about and left out."""
    reports: list[ReportMeta] = []
    for file in files.documentation_pages():
        if not file.src_uri.startswith(f"{REPORTS_DIR}/"):
            continue
        meta = read_front_matter(file.content_string)
        if meta.get("kind") != PAGE_KIND:
            continue
        try:
            reports.append(ReportMeta.from_meta(meta))
        except SchemaError as exc:
            log.warning("%s: front matter %s — page left out of the listings", file.src_uri, exc)
    return reports
