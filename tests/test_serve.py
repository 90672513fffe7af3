"""`make serve` and `make build` for a maintainer: the site's own Chinese 404 page for a missing
address, a busy port told in one Chinese line before anything is built, and a second archive
built beside the sample without disturbing it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, BuiltSite

SERVE = REPO / "scripts" / "serve.py"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def _wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


@pytest.mark.build
def test_missing_address_gets_the_sites_chinese_404_page(sample_site: BuiltSite) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(SERVE), "127.0.0.1", str(port), str(sample_site.site_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/")
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/reports/no-such-report/", timeout=5)
        assert missing.value.code == 404
        with missing.value:
            body = missing.value.read().decode("utf-8")
        assert "未找到此页面" in body and "Error response" not in body
        assert missing.value.headers["Content-Type"] == "text/html; charset=utf-8"
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server.stdout is not None
    with server.stdout:
        assert server.stdout.readline().startswith(f"年报库：http://127.0.0.1:{port}/")


def test_busy_port_is_one_chinese_line(busy_port: int) -> None:
    checked = subprocess.run(
        [sys.executable, str(SERVE), "--check", "127.0.0.1", str(busy_port)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert checked.returncode == 2
    assert checked.stderr.count("\n") == 1, checked.stderr
    assert checked.stderr.startswith(f"错误：端口 {busy_port}（127.0.0.1）已被占用")
    assert f"PORT={busy_port + 1}" in checked.stderr


def test_make_serve_on_a_busy_port_stops_before_building(busy_port: int, tmp_path: Path) -> None:
    site = tmp_path / "site"
    served = subprocess.run(
        ["make", "--no-print-directory", "serve", f"PORT={busy_port}", f"SITE={site}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert served.returncode != 0
    assert f"错误：端口 {busy_port}" in served.stderr
    assert "Traceback" not in served.stderr and "convert.py" not in served.stdout
    assert not site.exists()


def _snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.build
def test_another_archive_gets_its_own_pages_and_cache(tmp_path: Path) -> None:
    """`make build REPORTS=other` leaves the sample's generated pages and cache as they were."""
    other = tmp_path / "yoy"
    shutil.copytree(FIXTURES / "yoy", other)
    sample_pages = _snapshot(REPO / "docs" / "reports")
    sample_cache = _snapshot(REPO / ".cache" / "nianbao")
    earlier = set((REPO / ".archives").glob("yoy-*"))
    built = subprocess.run(
        ["make", "--no-print-directory", "build", f"REPORTS={other}", f"SITE={tmp_path / 'site'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=600,
    )
    archives = sorted(set((REPO / ".archives").glob("yoy-*")) - earlier)
    try:
        assert built.returncode == 0, built.stderr
        assert len(archives) == 1, archives
        assert sorted(p.name for p in (archives[0] / "docs" / "reports").glob("*.md")) == [
            "anping_2020.md",
            "anping_2021.md",
            "anping_2023.md",
            "anping_2024.md",
            "qinghe_2022.md",
        ]
        assert (archives[0] / ".cache" / "nianbao").is_dir()
        assert (tmp_path / "site" / "reports" / "anping_2023" / "index.html").is_file()
        assert _snapshot(REPO / "docs" / "reports") == sample_pages
        assert _snapshot(REPO / ".cache" / "nianbao") == sample_cache
    finally:
        for archive in archives:
            shutil.rmtree(archive)
