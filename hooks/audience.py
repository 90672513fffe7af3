"""MkDocs hook: the build's audience (`extra: audience: internal | public` in mkdocs.yml).

A `public` build leaves out every report that has a redacted copy in the archive (nianbao.
audience): its page is removed from the build's files before any other hook reads them, so the
listings, search, figures and data files never see it. The build log names each report left out.
Listed first among the hooks in mkdocs.yml: the others read the files this one has filtered.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from nianbao.schema import ReportMeta
from nianbao.site.audience import INTERNAL, audience_of, left_out
from nianbao.site.listings import REPORTS_DIR
from nianbao.speed.cache import Cache, build_cache_root
from nianbao.speed.memo import FRONT_MATTER_CACHE, front_matter_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = get_plugin_logger(__name__)


def on_config(config: MkDocsConfig, **kwargs: object) -> None:
    """Check the audience setting (a wrong value stops the build, naming the setting)."""
    try:
        audience_of(config.extra)
    except ValueError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from exc


def on_files(files: Files, *, config: MkDocsConfig, **kwargs: object) -> Files | None:
    """For a public build, remove the originals of redacted copies (and their files) from the
    build."""
    audience = audience_of(config.extra)
    if audience == INTERNAL:
        return None
    # The front matter as the listings read it, from the same cache (parsed once per content).
    cache = Cache(build_cache_root(config.docs_dir), FRONT_MATTER_CACHE)
    pages = {}
    for file in files.documentation_pages():
        if file.src_uri.startswith(f"{REPORTS_DIR}/"):
            outcome = front_matter_of(cache, file.content_bytes)
            meta = outcome if isinstance(outcome, ReportMeta) else None
            if meta is not None:
                pages[meta.slug] = (file, meta)
    if not pages:
        return None
    out = left_out((meta for _, meta in pages.values()), audience)
    # Its page, and every file published beside it (the source text offered for download…).
    for file in list(files):
        slug = PurePosixPath(file.src_uri).stem
        if slug in out and file.src_uri.startswith(f"{REPORTS_DIR}/"):
            files.remove(file)
            log.info("%s build: left out %s — %s", audience, file.src_uri, out[slug])
    if out:
        log.info(
            "%s build: %d report(s) left out, their redacted copies published", audience, len(out)
        )
    return files
