"""Shared test fixtures: convert a reports folder, build the real site with MkDocs, serve it on
loopback, and drive it in Debian's headless Chromium through Playwright; and `report_meta`, the
one maker of a report's front matter for the unit tests.

Build fixtures are session-scoped: the sample site is converted and built once per test run.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import http.server
import shutil
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nianbao.schema import ReportMeta

REPO = Path(__file__).resolve().parent.parent
SAMPLE_REPORTS = REPO / "reports"
FIXTURES = REPO / "tests" / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")

# Flags for a closed network: without them Chromium keeps calling out to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def report_meta(
    slug: str,
    *,
    org_id: str = "anping",
    org: str = "安平县医疗保障局",
    year: int = 2023,
    **fields: Any,
) -> ReportMeta:
    """A report's front matter for a unit test, the fields it does not name filled in.

    The filler: title "<org><year>年工作总结", type 工作总结, source "<slug>.txt", UTF-8, 100
    characters, no redactions. A test that asserts on a value passes it in `fields` (any field
    of ReportMeta) rather than relying on the filler.
    """
    values: dict[str, Any] = {
        "title": f"{org}{year}年工作总结",
        "type": "工作总结",
        "source": f"{slug}.txt",
        "source_sha256": "0" * 64,
        "encoding": "utf-8",
        "chars": 100,
        "redactions": 0,
        **fields,
    }
    return ReportMeta(slug=slug, org_id=org_id, org=org, year=year, **values)


@dataclass
class BuiltSite:
    """A site built from a reports folder: where its pages' sources and output are."""

    docs_dir: Path
    site_dir: Path
    convert: subprocess.CompletedProcess[str]
    reproduce: str  # a shell command that builds the same site by hand

    def html(self, url_path: str) -> str:
        """Return the HTML of the page at `url_path` (e.g. "reports/000_x/")."""
        path = self.site_dir / url_path
        if url_path.endswith("/") or not url_path:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def convert_reports(
    reports_dir: Path, out_dir: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run the converter CLI as a maintainer would (its cache beside `out_dir`'s docs folder,
    not in the repository, unless `extra` says otherwise)."""
    if not {"--cache", "--no-cache"} & set(extra):
        extra = (*extra, "--cache", str(out_dir.parent.parent / ".cache" / "nianbao"))
    return subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "convert.py"),
            str(reports_dir),
            str(out_dir),
            *extra,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def build_site(
    reports_dir: Path, workdir: Path, site_url: str | None = None, audience: str | None = None
) -> BuiltSite:
    """Convert `reports_dir` and build the real site into `workdir` with MkDocs (strict), for
    `audience` (mkdocs.yml's `extra: audience`) when given."""
    docs = workdir / "docs"
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns("reports"))
    converted = convert_reports(reports_dir, docs / "reports")
    if converted.returncode not in (0, 1):
        raise AssertionError(f"converter failed ({converted.returncode}):\n{converted.stderr}")
    site = workdir / "site"
    run_mkdocs(docs, site, site_url=site_url, audience=audience)
    reproduce = f"make build REPORTS={reports_dir} SITE={site}"
    if audience:
        reproduce = f"NIANBAO_AUDIENCE={audience} {reproduce}"
    return BuiltSite(docs_dir=docs, site_dir=site, convert=converted, reproduce=reproduce)


def run_mkdocs(
    docs: Path,
    site: Path,
    site_url: str | None = None,
    dirty: bool = False,
    audience: str | None = None,
) -> None:
    """Build the site from `docs` into `site` with MkDocs (strict), as `mkdocs build [--dirty]`
    (for `audience`, as NIANBAO_AUDIENCE sets it, when given)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides: dict[str, object] = {"docs_dir": str(docs), "site_dir": str(site), "strict": True}
    if site_url:
        overrides["site_url"] = site_url
    config = load_config(str(REPO / "mkdocs.yml"), **overrides)
    if audience:
        config.extra["audience"] = audience
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()
        # The shutdown hook freezes the collector for the process's exit; this one goes on.
        gc.unfreeze()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class ServedSite:
    """A built site served on loopback; `url` ends with "/"."""

    url: str
    origin: str


class _HeadersHandler(_QuietHandler):
    """Sends `extra_headers` with every answer, as a hosting server's configuration does."""

    extra_headers: dict[str, str] = {}  # noqa: RUF012 (set per server on a subclass)

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


@contextlib.contextmanager
def serve(
    root: Path, sub_path: str = "", headers: dict[str, str] | None = None
) -> Iterator[ServedSite]:
    """Serve `root` over HTTP on 127.0.0.1; with `sub_path` ("nianbao/") the site sits below it;
    `headers` are sent with every answer."""
    if sub_path:
        parent = root.parent / f"{root.name}-served"
        target = parent / sub_path.strip("/")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(root, target_is_directory=True)
        root = parent
    handler_class = type("Handler", (_HeadersHandler,), {"extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(root))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield ServedSite(
            url=f"{origin}/{sub_path.strip('/') + '/' if sub_path else ''}", origin=origin
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site of the embedded sample corpus (reports/), built once per test run."""
    return build_site(SAMPLE_REPORTS, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def served_sample(sample_site: BuiltSite) -> Iterator[ServedSite]:
    """The sample site served at the root of a loopback origin."""
    with serve(sample_site.site_dir) as served:
        yield served


@pytest.fixture(scope="session")
def sub_path_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[BuiltSite, ServedSite]]:
    """The sample site built for, and served under, the sub-path /nianbao/."""
    site = build_site(
        SAMPLE_REPORTS, tmp_path_factory.mktemp("subpath"), "http://127.0.0.1/nianbao/"
    )
    with serve(site.site_dir, sub_path="nianbao/") as served:
        yield site, served


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: run `apt-get install -y chromium` (.ci/run does)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page (own context: no cache shared between tests)."""
    context = browser.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()
