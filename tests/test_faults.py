"""Faults injected into `make build` / `make update` (scripts/build.py, run as the Makefile runs
it): a build killed with SIGKILL while converting, rendering and indexing; cache entries
corrupted, truncated and deleted; a report withdrawn after the cache was deleted; two updates at
once; a full disk. In every case the published site stays whole until a good build replaces it,
and the next build publishes what a clean build of the same reports publishes.

"What a clean build publishes" is compared file by file, byte for byte, the search index
included (Pagefind's files are reproducible: nianbao.search.pagefind_stable); the search index's
records
(every fragment, decompressed) are compared as well, so that a failure names what differs.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_REPORTS
from nianbao.build.lock import lock_path
from nianbao.build.publish import builds_dir
from nianbao.speed.cache import DATABASE_FILE, scoped_root

pytestmark = pytest.mark.build

KILL_WITHIN = 300.0  # seconds a phase may take to begin before the test gives up
POLL = 0.005
WITHDRAWN = "004_98663ce6772e791d"  # a sample report that is withdrawn


class Project:
    """A copy of the project's site set-up in a folder of its own, built as `make` builds it."""

    def __init__(self, root: Path, reports: Path) -> None:
        self.root = root
        self.reports = reports
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "hooks", root / "hooks")
        if (REPO / "overrides").is_dir():  # the theme's overrides (mkdocs.yml: custom_dir)
            shutil.copytree(REPO / "overrides", root / "overrides")
        shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("reports"))
        self.out = root / "docs" / "reports"
        self.site = root / "site"
        self.cache = root / ".cache" / "nianbao"

    def command(self, mode: str) -> list[str]:
        return [
            sys.executable,
            str(REPO / "scripts" / "build.py"),
            mode,
            "--reports",
            str(self.reports),
            "--out",
            str(self.out),
            "--site",
            str(self.site),
            "--config",
            str(self.root / "mkdocs.yml"),
            "--cache",
            str(self.cache),
        ]

    def start(self, mode: str) -> subprocess.Popen[str]:
        """Start a build in a process group of its own (so that all of it can be killed)."""
        return subprocess.Popen(
            self.command(mode),
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            start_new_session=True,
        )

    def run(self, mode: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(mode),
            cwd=self.root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )

    def build_ok(self, mode: str = "build") -> str:
        done = self.run(mode)
        assert done.returncode == 0, f"{' '.join(self.command(mode))}\n{done.stderr}"
        return done.stderr

    def unpublished_builds(self) -> list[Path]:
        """Build folders being written (not the published one)."""
        published = self.site.resolve() if self.site.is_symlink() else None
        builds = builds_dir(self.site)
        if not builds.is_dir():
            return []
        return [p for p in builds.iterdir() if p.is_dir() and p != published]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _search_records(site: Path) -> list[str]:
    """What the search index holds: every fragment's record, in a stable order."""
    records = []
    for fragment in site.glob("pagefind/*/fragment/*.pf_fragment"):
        record = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
        records.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return sorted(records)


def _published(site: Path) -> tuple[dict[str, str], list[str]]:
    """The site's files (digest by path) and the search index's records."""
    files = {path: hashlib.sha256(data).hexdigest() for path, data in _files(site).items()}
    return files, _search_records(site)


def _assert_same_site(site: Path, clean: Path, how: str) -> None:
    ours, theirs = _published(site), _published(clean)
    differ = sorted(
        path
        for path in ours[0].keys() | theirs[0].keys()
        if ours[0].get(path) != theirs[0].get(path)
    )
    assert differ == [], f"{how}: files differ from a clean build: {differ[:10]}"
    assert ours[1] == theirs[1], f"{how}: the search index holds other records than a clean one"
    assert ours[1], "the search index is empty"


@pytest.fixture(scope="module")
def reports_without(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample reports with one withdrawn."""
    reports = tmp_path_factory.mktemp("withdrawn") / "reports"
    shutil.copytree(SAMPLE_REPORTS, reports)
    (reports / f"{WITHDRAWN}.txt").unlink()
    return reports


@pytest.fixture(scope="module")
def clean_without(tmp_path_factory: pytest.TempPathFactory, reports_without: Path) -> Path:
    """A clean build of the sample reports with one withdrawn: what every fault must end in
    (its pages beside it, in `docs/reports`)."""
    project = Project(tmp_path_factory.mktemp("clean"), reports_without)
    project.build_ok()
    return project.site


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A project whose site was built from all the sample reports."""
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLE_REPORTS, reports)
    built = Project(tmp_path / "project", reports)
    built.build_ok()
    return built


def _wait_for(found: Callable[[], bool], build: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + KILL_WITHIN
    while not found():
        if build.poll() is not None:
            raise AssertionError(f"the build ended before {what}:\n{build.stdout.read()}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {KILL_WITHIN} s")
        time.sleep(POLL)


def _kill(build: subprocess.Popen[str]) -> None:
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert build.stdout is not None
    build.stdout.close()


def _converting(project: Project) -> Callable[[], bool]:
    """The converter has made its staging copy of the page folder and not yet swapped it in."""
    return lambda: any(project.out.parent.glob(".reports.staging-*"))


def _rendering(project: Project) -> Callable[[], bool]:
    """MkDocs writes report pages into the new build folder."""
    return lambda: any(
        any((folder / "reports").glob("*/index.html")) for folder in project.unpublished_builds()
    )


def _indexing(project: Project) -> Callable[[], bool]:
    """The search index of the new build is being written."""
    return lambda: any((folder / "pagefind").is_dir() for folder in project.unpublished_builds())


@pytest.mark.parametrize(
    "moment", [_converting, _rendering, _indexing], ids=["converting", "rendering", "indexing"]
)
@pytest.mark.parametrize("mode", ["build", "update"])
def test_a_killed_build_leaves_the_last_site_and_the_next_build_is_clean(
    project: Project,
    reports_without: Path,
    clean_without: Path,
    moment: Callable[[Project], Callable[[], bool]],
    mode: str,
) -> None:
    before = _files(project.site)
    pages_before = _files(project.out)
    (project.reports / f"{WITHDRAWN}.txt").unlink()  # withdrawn, then the build is killed
    build = project.start(mode)
    _wait_for(moment(project), build, moment.__name__)
    _kill(build)
    assert _files(project.site) == before, "the published site changed under a killed build"
    # The page folder holds the last conversion's pages or the new one's, never a mix.
    converted = _files(clean_without.parent / "docs" / "reports")
    assert _files(project.out) in (pages_before, converted), "a mix of old and new pages"

    again = project.build_ok(mode)
    assert "另一个构建正在进行" not in again  # the killed run's lock went with it
    _assert_same_site(project.site, clean_without, f"make {mode} after a kill while {moment}")
    assert not (project.site / "reports" / WITHDRAWN).exists()


def _cache_rows(project: Project, namespace: str) -> list[tuple[str, bytes]]:
    database = scoped_root(project.cache, project.root / "docs") / DATABASE_FILE
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT key, value FROM entries WHERE namespace = ? ORDER BY key", (namespace,)
        ).fetchall()


def _set_value(project: Project, namespace: str, key: str, value: bytes | None) -> None:
    database = scoped_root(project.cache, project.root / "docs") / DATABASE_FILE
    with sqlite3.connect(database) as connection:
        if value is None:
            connection.execute(
                "DELETE FROM entries WHERE namespace = ? AND key = ?", (namespace, key)
            )
        else:
            connection.execute(
                "UPDATE entries SET value = ? WHERE namespace = ? AND key = ?",
                (value, namespace, key),
            )


def test_damaged_cache_entries_are_made_again_and_reported_once(
    project: Project, tmp_path: Path
) -> None:
    pages = _cache_rows(project, "pages")
    assert len(pages) == 5
    # One digit of a figure changed (the checksum no longer matches), one entry cut short, one
    # replaced by garbage, one deleted; the analysis and links entries cut short as well.
    # A page whose figures hold a number (a redacted figure's value is null; which page comes
    # first depends on the keys, which change with the code).
    digit_key, digit_value = next((k, v) for k, v in pages if re.search(rb'"value":\d', v))
    edited = re.sub(
        rb'("value":)(\d)',
        lambda m: m[1] + str((int(m[2]) + 8) % 10).encode(),
        digit_value,
        count=1,
    )
    assert edited != digit_value
    damaged = {digit_key: edited}
    others = [(k, v) for k, v in pages if k != digit_key]
    damaged[others[0][0]] = others[0][1][: len(others[0][1]) // 2]
    damaged[others[1][0]] = os.urandom(200)
    for key, value in damaged.items():
        _set_value(project, "pages", key, value)
    _set_value(project, "pages", others[2][0], None)
    for namespace in ("analysis", "threads"):
        key, value = _cache_rows(project, namespace)[0]
        _set_value(project, namespace, key, value[:-3])
    expected = len(damaged) + 2

    clean = Project(tmp_path / "clean", project.reports)
    clean.build_ok()
    said = project.build_ok("update")
    warnings = [line for line in said.splitlines() if "缓存中有" in line]
    assert warnings == [
        f"警告：缓存中有 {expected} 个条目已损坏（校验和不符或无法读取），已重新计算；"
        "如反复出现，请运行 make clean-cache"
    ], said
    _assert_same_site(project.site, clean.site, "make update on a damaged cache")
    # Repaired: the next update finds nothing wrong.
    assert "缓存中有" not in project.build_ok("update")


def test_a_cache_entry_cannot_run_code(project: Project) -> None:
    import pickle

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {project.root / 'ran'}",))

    key, _ = _cache_rows(project, "pages")[0]
    _set_value(project, "pages", key, pickle.dumps(Payload()))
    project.build_ok("update")
    assert not (project.root / "ran").exists()


def test_a_report_withdrawn_after_the_cache_was_deleted_is_gone_everywhere(
    project: Project, clean_without: Path
) -> None:
    (project.reports / f"{WITHDRAWN}.txt").unlink()
    shutil.rmtree(project.cache)
    project.build_ok("update")
    _assert_same_site(project.site, clean_without, "make update without a cache")
    for path, data in _files(project.site).items():
        assert WITHDRAWN.encode() not in data, f"{path} still names the withdrawn report"
    assert not any(WITHDRAWN in record for record in _search_records(project.site))
    assert not any(WITHDRAWN in path for path in _files(project.out))


def test_an_update_puts_back_a_deleted_search_index(project: Project, tmp_path: Path) -> None:
    shutil.rmtree(project.site / "pagefind")
    project.build_ok("update")
    clean = Project(tmp_path / "clean", project.reports)
    clean.build_ok()
    _assert_same_site(project.site, clean.site, "make update after pagefind/ was deleted")


def test_two_updates_at_once_run_one_after_the_other(project: Project, clean_without: Path) -> None:
    (project.reports / f"{WITHDRAWN}.txt").unlink()
    first, second = project.start("update"), project.start("update")
    outputs = []
    for build in (first, second):
        output, _ = build.communicate(timeout=KILL_WITHIN)
        assert build.returncode == 0, output
        outputs.append(output)
    waited = [o for o in outputs if "另一个构建正在进行（PID " in o]
    assert len(waited) == 1, outputs
    _assert_same_site(project.site, clean_without, "two updates at once")


def test_a_stale_lock_of_a_killed_run_is_taken_over(project: Project) -> None:
    ended = subprocess.Popen(["true"])
    ended.wait()  # its PID now names no process (as a run killed with SIGKILL leaves it)
    lock_path(project.site).write_text(f"{ended.pid}\n", encoding="ascii")
    said = project.build_ok("update")
    assert f"上次的构建（PID {ended.pid}）已中止，接管其锁文件" in said


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 24 MB tmpfs (the test runs as root, as CI does)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_leaves_the_last_site_and_says_so(small_disk: Path) -> None:
    reports = small_disk / "reports"
    shutil.copytree(SAMPLE_REPORTS, reports)
    (reports / f"{WITHDRAWN}.txt").unlink()
    project = Project(small_disk / "project", reports)
    project.build_ok()
    before = _files(project.site)
    shutil.copy(SAMPLE_REPORTS / f"{WITHDRAWN}.txt", reports)
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 256 * 1024))
    failed = project.run("build")
    assert failed.returncode != 0
    assert re.search(r"磁盘已满.*网站未更新，仍是上一版", failed.stderr), failed.stderr
    assert _files(project.site) == before
    (small_disk / "filler").unlink()
    project.build_ok()
    assert (project.site / "reports" / WITHDRAWN / "index.html").is_file()
