"""Building on all cores — report pages rendered by worker processes (nianbao.prerender), the
search index built a year a job beside MkDocs' own work (nianbao.index_jobs) — gives the same
site as building in one process (`NIANBAO_WORKERS=1`), and a warning raised while a worker
rendered a page still fails a strict build. The converter's process pools (from PARALLEL_FROM
files) write the same pages and front-matter cache as one process."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, REPO, build_site, convert_reports, run_mkdocs
from mkdocs.exceptions import Abort
from nianbao import prerender
from nianbao.cache import DATABASE_FILE, scoped_root
from nianbao.index_jobs import INDEXING
from nianbao.pipeline import PARALLEL_FROM
from nianbao.prerender import PRERENDER
from nianbao.schema import FRONT_MATTER_CACHE
from test_incremental import _digest

pytestmark = pytest.mark.build

YOY = FIXTURES / "yoy"
BENCH = REPO / "tests" / "bench"


def test_a_build_on_all_cores_equals_a_build_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIANBAO_WORKERS", "2")
    parallel = build_site(YOY, tmp_path / "parallel")
    handed, index_workers = PRERENDER.handed, INDEXING.workers
    # Several pages a task, as in a large archive (a small one gets one page a task).
    monkeypatch.setattr(prerender, "batch_size", lambda pages, workers: 3)
    batched = build_site(YOY, tmp_path / "batched")
    handed_in_batches = PRERENDER.handed
    monkeypatch.setenv("NIANBAO_WORKERS", "1")
    serial = build_site(YOY, tmp_path / "serial")
    reports = len(list((parallel.docs_dir / "reports").glob("*.md")))
    assert reports >= 4
    assert handed == handed_in_batches == reports  # every report page took its worker's …
    assert index_workers == 2  # … rendering, and the years were indexed in two processes
    assert PRERENDER.handed == 0 and INDEXING.workers == 0  # all in one process
    assert _digest(parallel.site_dir) == _digest(serial.site_dir) == _digest(batched.site_dir)


def test_a_warning_raised_in_a_worker_fails_a_strict_build(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("NIANBAO_WORKERS", "2")
    site = build_site(YOY, tmp_path / "site")
    page = sorted((site.docs_dir / "reports").glob("*.md"))[0]
    with page.open("a", encoding="utf-8") as handle:
        handle.write("\n[另见](../missing-page.md)\n")
    with pytest.raises(Abort):
        run_mkdocs(site.docs_dir, tmp_path / "again")
    assert PRERENDER.handed >= 1
    assert any(
        "missing-page.md" in r.getMessage() for r in caplog.records if r.levelname == "WARNING"
    )


def _make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", BENCH / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entries(cache: Path, namespace: str) -> dict[str, bytes]:
    """A namespace's entries in the cache database under `cache`."""
    with sqlite3.connect(cache / DATABASE_FILE) as database:
        rows = database.execute(
            "SELECT key, value FROM entries WHERE namespace = ?", (namespace,)
        ).fetchall()
    return dict(rows)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_converter_on_all_cores_writes_what_it_writes_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "reports"
    _make_corpus().make_corpus(PARALLEL_FROM + 20, reports)  # enough for its process pools
    outputs = {}
    for workers in ("2", "1"):
        monkeypatch.setenv("NIANBAO_WORKERS", workers)
        out = tmp_path / workers / "docs" / "reports"
        converted = convert_reports(reports, out, "--quiet")
        assert converted.returncode == 0, converted.stderr
        cache = scoped_root(out.parent.parent / ".cache" / "nianbao", out.parent)
        outputs[workers] = (_files(out), _entries(cache, FRONT_MATTER_CACHE))
    pages, front_matter = outputs["2"]
    assert len([name for name in pages if name.endswith(".md")]) == PARALLEL_FROM + 20
    assert len(front_matter) == PARALLEL_FROM + 20  # each page's front matter, for the build
    assert outputs["2"] == outputs["1"]
