"""Incremental builds (`make update`: convert, then `mkdocs build --dirty` with the `incremental`
hook): the converter reuses the parsing of unchanged files; the site re-renders only the pages a
change reaches, removes the pages of gone reports, and ends up the same as a full build of the
same input."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import FIXTURES, BuiltSite, build_site, convert_reports, run_mkdocs
from nianbao.speed.cache import DATABASE_FILE, scoped_root

pytestmark = pytest.mark.build

YOY = FIXTURES / "yoy"
NEW_SENTENCE = "全年开展春雷护航专项检查十二次。"


def _digest(site: Path) -> dict[str, str]:
    """Every file of a site, Pagefind's included, by its digest."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def _update(site: BuiltSite, reports: Path) -> None:
    converted = convert_reports(reports, site.docs_dir / "reports", "--quiet")
    assert converted.returncode == 0, converted.stderr
    run_mkdocs(site.docs_dir, site.site_dir, dirty=True)


@pytest.fixture
def yoy_copy(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    shutil.copytree(YOY, reports)
    return reports


def test_a_changed_report_re_renders_its_organisation_only_and_matches_a_full_build(
    yoy_copy: Path, tmp_path: Path
) -> None:
    site = build_site(yoy_copy, tmp_path / "incremental")
    before = _mtimes(site.site_dir)
    with (yoy_copy / "anping_2023.txt").open("a", encoding="utf-8") as handle:
        handle.write(NEW_SENTENCE + "\n")
    _update(site, yoy_copy)
    after = _mtimes(site.site_dir)
    rendered = {page for page in after if after[page] != before.get(page)}
    assert "reports/anping_2023/index.html" in rendered
    assert "reports/anping_2021/index.html" in rendered  # its year-over-year links may change
    assert "reports/qinghe_2022/index.html" not in rendered  # another organisation
    assert "maintainers/schema/index.html" not in rendered
    assert "orgs/test-anping/index.html" in rendered  # compares the changed report's figures
    assert "years/2023/index.html" in rendered
    assert "orgs/test-qinghe/index.html" not in rendered  # a listing the change does not reach
    assert "years/2022/index.html" not in rendered
    assert NEW_SENTENCE in (site.site_dir / "reports/anping_2023/index.html").read_text("utf-8")
    full = build_site(yoy_copy, tmp_path / "full")
    assert _digest(site.site_dir) == _digest(full.site_dir)


def test_a_removed_report_leaves_no_page_and_matches_a_full_build(
    yoy_copy: Path, tmp_path: Path
) -> None:
    site = build_site(yoy_copy, tmp_path / "incremental")
    org_pages = {p.name for p in (site.site_dir / "orgs").iterdir()}
    (yoy_copy / "qinghe_2022.txt").unlink()
    catalog = yoy_copy / "catalog.yml"
    entry = "  qinghe_2022.txt:\n    org_id: test-qinghe\n"
    assert entry in catalog.read_text("utf-8")
    catalog.write_text(catalog.read_text("utf-8").replace(entry, ""), "utf-8")
    _update(site, yoy_copy)
    assert not (site.site_dir / "reports" / "qinghe_2022").exists()
    assert len({p.name for p in (site.site_dir / "orgs").iterdir()}) == len(org_pages) - 1
    full = build_site(yoy_copy, tmp_path / "full")
    assert _digest(site.site_dir) == _digest(full.site_dir)
    assert "qinghe" not in (site.site_dir / "data" / "links.json").read_text("utf-8")


def test_a_changed_set_up_re_renders_every_page(yoy_copy: Path, tmp_path: Path) -> None:
    site = build_site(yoy_copy, tmp_path / "incremental")
    before = _mtimes(site.site_dir)
    url = "http://intranet.example/nianbao/"
    run_mkdocs(site.docs_dir, site.site_dir, site_url=url, dirty=True)
    after = _mtimes(site.site_dir)
    assert all(after[page] != before[page] for page in before if page.startswith("reports/"))
    assert url in (site.site_dir / "index.html").read_text("utf-8")


def test_converter_reuses_the_parsing_of_unchanged_files(yoy_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = convert_reports(yoy_copy, tmp_path / "a", "--cache", str(cache))
    assert re.search(r"来自缓存\s+0\n", first.stderr), first.stderr
    (yoy_copy / "anping_2023.txt").write_text(
        (yoy_copy / "anping_2023.txt").read_text("utf-8") + NEW_SENTENCE + "\n", "utf-8"
    )
    second = convert_reports(yoy_copy, tmp_path / "b", "--cache", str(cache))
    total = len(list(yoy_copy.glob("*.txt")))
    assert re.search(rf"来自缓存\s+{total - 1}\n", second.stderr), second.stderr
    uncached = convert_reports(yoy_copy, tmp_path / "c", "--no-cache")
    pages = sorted(p.name for p in (tmp_path / "c").glob("*.md"))
    assert pages
    for name in pages:
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "c" / name).read_bytes()
    assert uncached.returncode == second.returncode == 0


def test_a_corrupt_cache_entry_is_parsed_again(yoy_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    convert_reports(yoy_copy, tmp_path / "a", "--cache", str(cache))
    with sqlite3.connect(scoped_root(cache, yoy_copy) / DATABASE_FILE) as database:
        spoilt = database.execute(
            "UPDATE entries SET value = ? WHERE namespace = 'parsed'", (b"not a record",)
        ).rowcount
    assert spoilt == len(list(yoy_copy.glob("*.txt")))
    again = convert_reports(yoy_copy, tmp_path / "b", "--cache", str(cache))
    assert again.returncode == 0, again.stderr
    assert re.search(r"来自缓存\s+0\n", again.stderr), again.stderr
    for page in (tmp_path / "a").glob("*.md"):
        assert (tmp_path / "b" / page.name).read_bytes() == page.read_bytes()
