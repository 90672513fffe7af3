"""Rendering report pages on all cores, ahead of MkDocs' own page loop (which uses one).

MkDocs reads and renders the pages one after the other in one process, and Markdown is the
largest part of a build. Before that loop starts (in the `prerender` hook's on_nav, the last
hook's), a pool of forked worker processes — each with a copy of the build's config, files and
hooks — does for each report page what the loop would do (read the source, run the
page_markdown events, `Page.render`) and works out the sections, figures and topics the
archive-wide hooks need (nianbao.page_cache), storing them in the cache.

In the loop, the hook gives each page its worker's rendering in place of rendering it again,
but only when the Markdown MkDocs has for the page is the one the worker rendered (same
digest); otherwise, or when a worker failed, MkDocs renders the page itself, as it would
without this module. Warnings logged while a worker rendered a page are logged again in the
build (strict mode counts them). The pool needs `fork` (Linux); elsewhere, or with
`NIANBAO_WORKERS=1`, pages render in the loop as usual.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mkdocs.structure.pages import Page

from nianbao.page_cache import PAGES, RenderedPage
from nianbao.schema import ReportMeta, report_meta_or_problem
from nianbao.sections import split_sections
from nianbao.workers import fork_context, pool_stopped, worker_count

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.toc import TableOfContents

MIN_PAGES = 2  # fewer pages than this render in the loop (a pool would not pay off)
# Pages a worker renders per task. Every task and its result pass through the pool's thread in
# the build process, which hands tasks out a few at a time: with one page a task, the workers
# were idle for about 4 % of the rendering (both cores busy 96 % of it; 99 % with batches).
BATCH = 8


@dataclass
class Prerendered:
    """What `Page.render` sets on a page, as a worker worked it out, and the page's record."""

    digest: str  # of the Markdown that was rendered
    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # by src_uri of the page linked to
    record: RenderedPage | None  # a report page's sections, figures and topics
    logs: list[tuple[str, int, str]]  # logger, level, message of each record logged

    def apply(self, page: Page, files: Files) -> None:
        """Set on `page` what rendering it sets, and log again what rendering it logged."""
        page.content = self.content
        page.toc = self.toc
        page._title_from_render = self.title
        page.present_anchor_ids = self.anchors
        if self.links_to_anchors is not None:
            links = {}
            for src_uri, anchors in self.links_to_anchors.items():
                linked = files.get_file_from_path(src_uri)
                if linked is not None:
                    links[linked] = anchors
            page.links_to_anchors = links
        for name, level, message in self.logs:
            logging.getLogger(name).log(level, "%s", message)


def markdown_digest(markdown: str) -> str:
    """The digest that tells whether a page's Markdown is the one a worker rendered."""
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


@dataclass
class Prerenderer:
    """The pool of one build, and the renderings it has handed out."""

    records: dict[str, RenderedPage] = field(default_factory=dict)  # src_uri → record
    handed: int = 0  # pages of this build that took a worker's rendering
    # src_uri → the future of the batch that renders it, and the page's place in the batch
    _futures: dict[str, tuple[Future[list[Prerendered | None]], int]] = field(default_factory=dict)
    _pool: ProcessPoolExecutor | None = None

    def start(self, config: MkDocsConfig, files: Files, src_uris: Sequence[str]) -> int:
        """Start rendering these pages on all cores; return how many workers render them."""
        self.close()
        self.records.clear()
        self.handed = 0
        workers = min(worker_count(), len(src_uris))
        if workers < 2 or len(src_uris) < MIN_PAGES or _IN_WORKER:
            return 0
        context = fork_context()
        if context is None:
            return 0
        _BUILD.update(config=config, files=files)
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker
        )
        size = batch_size(len(src_uris), workers)
        for start in range(0, len(src_uris), size):
            batch = list(src_uris[start : start + size])
            future = self._pool.submit(_render_batch, batch)
            self._futures.update((src, (future, place)) for place, src in enumerate(batch))
        return workers

    def take(self, src_uri: str) -> Prerendered | None:
        """The worker's rendering of a page (waiting for it), or None if it has none."""
        batch = None if _IN_WORKER else self._futures.pop(src_uri, None)
        if batch is None:
            return None
        try:
            future, place = batch
            result = future.result()[place]
        finally:
            if not self._futures:
                self.close()
        if result is not None and result.record is not None:
            self.records[src_uri] = result.record
        return result

    def close(self) -> None:
        """Stop the pool (dropping what it has not rendered yet)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            pool_stopped()
        self._pool = None
        self._futures.clear()
        _BUILD.clear()


PRERENDER = Prerenderer()  # the current build's (MkDocs runs one build at a time)

# What a worker renders with: the build's config and files, inherited from the build process.
_BUILD: dict[str, object] = {}
_IN_WORKER = False


class _Capture(logging.Handler):
    """Keeps what is logged in a worker, to be logged again by the build."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_CAPTURED = _Capture()


def _init_worker() -> None:
    global _IN_WORKER
    _IN_WORKER = True
    logger = logging.getLogger("mkdocs")
    logger.handlers = [_CAPTURED]
    logger.propagate = False


def batch_size(pages: int, workers: int) -> int:
    """Pages a task: BATCH, fewer when there are few pages (so that every worker gets some)."""
    return max(1, min(BATCH, pages // (4 * workers)))


def _render_batch(src_uris: list[str]) -> list[Prerendered | None]:
    return [_render(src_uri) for src_uri in src_uris]


def _render(src_uri: str) -> Prerendered | None:
    """Do for one page what MkDocs' loop does up to rendering; None if that failed (MkDocs
    then renders the page itself and reports the failure)."""
    config: MkDocsConfig = _BUILD["config"]  # type: ignore[assignment]
    files: Files = _BUILD["files"]  # type: ignore[assignment]
    file = files.get_file_from_path(src_uri)
    if file is None:
        return None
    page = file.page or Page(None, file, config)
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(
            page.markdown, page=page, config=config, files=files
        )
        _CAPTURED.records.clear()
        page.render(config, files)
        logs = [(r.name, r.levelno, r.getMessage()) for r in _CAPTURED.records]
    except Exception:
        return None
    finally:
        config._current_page = None
    assert page.content is not None and page.markdown is not None
    links = None
    if page.links_to_anchors is not None:
        links = {linked.src_uri: dict(a) for linked, a in page.links_to_anchors.items()}
    return Prerendered(
        digest=markdown_digest(page.markdown),
        content=page.content,
        toc=page.toc,
        title=page._title_from_render,
        anchors=set(page.present_anchor_ids or ()),
        links_to_anchors=links,
        record=_record(page),
        logs=logs,
    )


def _record(page: Page) -> RenderedPage | None:
    """A report page's record (stored in the cache here, as the build would store it)."""
    meta = report_meta_or_problem(page.meta)
    if not isinstance(meta, ReportMeta) or page.content is None:
        return None
    record = RenderedPage.from_sections(
        page.file.src_uri, page.url, meta, split_sections(page.content)
    )
    PAGES.store(record)
    return record
