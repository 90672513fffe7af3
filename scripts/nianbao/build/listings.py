"""The archive's reports as the listings see them: each report page's front matter, the reports
a public build leaves out, and the listing pages — home overview, per year, organisation, type,
topic — generated in memory, their tables of reports put in place once rendered.

Front matter is read once per content (nianbao.speed.memo); bad front matter is a warning naming
the page and key. A `public` build (nianbao.site.audience) removes every report that has a
redacted copy, with the files published beside it, before any other step reads the files.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File

from nianbao.schema import ReportMeta
from nianbao.site.audience import left_out
from nianbao.site.listings import (
    OVERVIEW_MARKER,
    REPORTS_DIR,
    TABLE_MARKER,
    listing_pages,
    overview_markdown,
)
from nianbao.speed.memo import FRONT_MATTER_CACHE, front_matter_of

if TYPE_CHECKING:
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from nianbao.build.state import Build

log = get_plugin_logger(__name__)


class ListingFile(File):
    """A generated listing page (year, organisation, type, topic) that an incremental build
    leaves as it is when neither its Markdown nor the reports it compares changed: MkDocs
    renders every other generated page on every build."""

    render_again = True
    signature = ""  # a digest of what the page shows apart from year-over-year comparisons

    def is_modified(self) -> bool:
        return self.render_again or not os.path.isfile(self.abs_dest_path)


def read_reports(build: Build, files: Files) -> None:
    """Read every report page's front matter, leave out what the audience must not see, and add
    the generated listing pages to `files`."""
    cache = build.cache(FRONT_MATTER_CACHE)
    outcomes = {
        file.src_uri: front_matter_of(cache, file.content_bytes)
        for file in files.documentation_pages()
        if file.src_uri.startswith(f"{REPORTS_DIR}/")
    }
    out = left_out((m for m in outcomes.values() if isinstance(m, ReportMeta)), build.audience)
    _leave_out(build.audience, out, files)
    for src_uri, outcome in outcomes.items():
        if files.get_file_from_path(src_uri) is None:
            continue  # left out
        if isinstance(outcome, ReportMeta):
            build.reports[src_uri] = outcome
        elif outcome is not None:
            problem = f"元数据（front matter）有误：{outcome}——该页不列入列表页"
            log.warning("%s: %s", src_uri, problem)
    cache.prune()
    for page in listing_pages(list(build.reports.values()), build.config.use_directory_urls):
        if files.get_file_from_path(page.src_uri) is None:
            file = ListingFile.generated(build.config, page.src_uri, content=page.markdown)
            file.signature = hashlib.sha256(f"{page.markdown}\0{page.table}".encode()).hexdigest()
            files.append(file)
            build.tables[page.src_uri] = page.table


def _leave_out(audience: str, out: dict[str, str], files: Files) -> None:
    """Remove the reports left out, and every file published beside them (the source text…)."""
    for file in list(files):
        slug = PurePosixPath(file.src_uri).stem
        if slug in out and file.src_uri.startswith(f"{REPORTS_DIR}/"):
            files.remove(file)
            log.info("%s build: left out %s — %s", audience, file.src_uri, out[slug])
    if out:
        log.info(
            "%s build: %d report(s) left out, their redacted copies published", audience, len(out)
        )


def fill_overview(build: Build, markdown: str, page: Page) -> str | None:
    """The home page's Markdown with its overview in place (None for other pages)."""
    if OVERVIEW_MARKER not in markdown:
        return None
    overview, build.tables[page.file.src_uri] = overview_markdown(
        list(build.reports.values()), page.file.src_uri, build.config.use_directory_urls
    )
    return markdown.replace(OVERVIEW_MARKER, overview)


def put_table(build: Build, html: str, page: Page) -> str:
    """A rendered listing's HTML with its table of reports in place (other pages as they are)."""
    table = build.tables.get(page.file.src_uri)
    return html if table is None else html.replace(TABLE_MARKER, table, 1)
