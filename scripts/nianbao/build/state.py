"""What one MkDocs build of the archive knows: made at `on_config` by the hook module
(hooks/build.py) and handed to every step of nianbao.build. Its report pages are those rendered
now and, in an incremental build, the rest taken from the cache (nianbao.site.pages.ReportPage
records, keyed by nianbao.build.incremental.page_key)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.site.audience import audience_of
from nianbao.site.pages import ReportPage
from nianbao.speed.cache import Cache, build_cache_root, code_fingerprint
from nianbao.speed.index_jobs import Indexing
from nianbao.speed.pools import before_exit

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from nianbao.build.links import LinkedArchive
    from nianbao.build.plan import Plan
    from nianbao.schema import ReportMeta


@dataclass
class BuildPages:
    """The current build's report pages: those expected (from the files) and those rendered."""

    cache: Cache
    expected: dict[str, str] = field(default_factory=dict)  # src_uri → its record's cache key
    rendered: dict[str, ReportPage] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # expected, neither rendered nor cached
    _all: list[ReportPage] | None = None  # all(), once worked out

    def add(self, page: ReportPage) -> None:
        """Record a page rendered in this build and keep it in the cache."""
        self.rendered[page.src_uri] = page
        key = self.expected.get(page.src_uri)
        if key is not None:
            self.cache.put(key, page)

    def all(self) -> list[ReportPage]:
        """Every report page of the build, by URL: rendered ones, the rest from the cache."""
        if self._all is None:
            pages = dict(self.rendered)
            for src_uri, key in self.expected.items():
                if src_uri in pages:
                    continue
                cached = self.cache.get(key)
                if isinstance(cached, ReportPage):
                    pages[src_uri] = cached
                else:
                    self.missing.append(src_uri)
            self._all = sorted(pages.values(), key=lambda page: page.url)
        return list(self._all)


@dataclass
class Build:
    """One build: its configuration, report pages, listings, outputs, plan, links and index."""

    config: MkDocsConfig
    audience: str  # mkdocs.yml's `extra: audience` (nianbao.site.audience)
    dirty: bool  # `mkdocs build --dirty` (make update): nianbao.build.incremental plans it
    setup: str  # fingerprint of what every page's HTML depends on besides its own Markdown
    cache_root: Path | None
    pages: BuildPages
    reports: dict[str, ReportMeta] = field(default_factory=dict)  # valid front matter, by page
    tables: dict[str, str] = field(default_factory=dict)  # listing page → its table's HTML
    listings: dict[str, str] = field(default_factory=dict)  # generated listing → its digest
    outputs: set[str] = field(default_factory=set)  # dest paths of the build's files
    plan: Plan | None = None  # an incremental build's (nianbao.build.plan)
    linked: LinkedArchive | None = None  # once every report page is rendered
    indexing: Indexing = field(default_factory=Indexing)

    def cache(self, namespace: str) -> Cache:
        """A namespace of the build's cache (`.cache/nianbao/` beside the docs folder)."""
        return Cache(self.cache_root, namespace)

    @property
    def changed_years(self) -> frozenset[int]:
        """Years of the reports that changed or went (an incremental build's; else none)."""
        return self.plan.years if self.plan is not None else frozenset()


def start_build(config: MkDocsConfig, dirty: bool) -> Build:
    """A build of `config` (a wrong audience setting raises ValueError naming it)."""
    audience = audience_of(config.extra)
    cache_root = build_cache_root(config.docs_dir)
    return Build(
        config, audience, dirty, _setup(config), cache_root, BuildPages(Cache(cache_root, "pages"))
    )


def _setup(config: MkDocsConfig) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(Path(config.config_file_path).read_bytes())
    for hook in sorted(Path(module.__file__ or "").resolve() for module in config.hooks.values()):
        digest.update(hook.read_bytes())
    digest.update(f"{config.site_url}|{config.use_directory_urls}".encode())
    return digest.hexdigest()


def end_process() -> None:
    """MkDocs is done (its command ends): let the process exit without collecting garbage."""
    before_exit()
