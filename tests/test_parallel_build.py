"""Building on all cores — report pages rendered by worker processes (nianbao.prerender), the
search index built a year a job beside MkDocs' own work (nianbao.index_jobs) — gives the same
site as building in one process (`NIANBAO_WORKERS=1`), and a warning raised while a worker
rendered a page still fails a strict build."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, build_site, run_mkdocs
from mkdocs.exceptions import Abort
from nianbao.index_jobs import INDEXING
from nianbao.prerender import PRERENDER
from test_incremental import _digest

pytestmark = pytest.mark.build

YOY = FIXTURES / "yoy"


def test_a_build_on_all_cores_equals_a_build_in_one_process(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIANBAO_WORKERS", "2")
    parallel = build_site(YOY, tmp_path / "parallel")
    handed, index_workers = PRERENDER.handed, INDEXING.workers
    monkeypatch.setenv("NIANBAO_WORKERS", "1")
    serial = build_site(YOY, tmp_path / "serial")
    reports = len(list((parallel.docs_dir / "reports").glob("*.md")))
    assert reports >= 4
    assert handed == reports  # every report page took its worker's rendering …
    assert index_workers == 2  # … and the years were indexed in two processes
    assert PRERENDER.handed == 0 and INDEXING.workers == 0  # all in one process
    assert _digest(parallel.site_dir) == _digest(serial.site_dir)


def test_a_warning_raised_in_a_worker_fails_a_strict_build(
    tmp_path: pytest.TempPathFactory,
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
