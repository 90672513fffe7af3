"""Building on all cores — the search index built a year a job beside MkDocs' own work
(nianbao.speed.index_jobs) — gives the same site as building in one process (`NIANBAO_WORKERS=1`).
The converter's process pools (from PARALLEL_FROM files) write the same pages and front-matter
cache as one process."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURES, REPO, build_site, convert_reports
from nianbao.build.convert_run import PARALLEL_FROM, RENDERED_CACHE
from nianbao.speed.cache import DATABASE_FILE, scoped_root
from test_incremental import _digest

pytestmark = pytest.mark.build

YOY = FIXTURES / "yoy"
BENCH = REPO / "tests" / "bench"


def test_a_build_on_all_cores_equals_a_build_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIANBAO_WORKERS", "2")
    parallel = build_site(YOY, tmp_path / "parallel")
    index_workers = _index_workers()
    monkeypatch.setenv("NIANBAO_WORKERS", "1")
    serial = build_site(YOY, tmp_path / "serial")
    assert len(list((parallel.docs_dir / "reports").glob("*.md"))) >= 4
    assert index_workers == 2  # the years were indexed in two processes
    assert _index_workers() == 0  # all in one process
    assert _digest(parallel.site_dir) == _digest(serial.site_dir)


def _index_workers() -> int:
    """The processes the last build indexed in (MkDocs loads a hook under its path's name)."""
    return sys.modules["hooks/build.py"].current().indexing.workers


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
        cache = scoped_root(out.parent.parent / ".cache" / "nianbao", reports)
        outputs[workers] = (_files(out), _entries(cache, RENDERED_CACHE))
    pages, rendered = outputs["2"]
    assert len([name for name in pages if name.endswith(".md")]) == PARALLEL_FROM + 20
    assert len(rendered) == PARALLEL_FROM + 20  # each page, for the next run
    assert outputs["2"] == outputs["1"]
