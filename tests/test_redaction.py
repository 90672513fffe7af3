"""Redaction is respected: a redacted copy names and links nothing of its original, a `public`
build leaves the original out everywhere (pages, listings, search, figures, data files) and
says so in its log, an `internal` one keeps both and labels the pair."""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    SAMPLE_REPORTS,
    BuiltSite,
    ServedSite,
    build_site,
    report_meta,
    run_mkdocs,
    serve,
)
from mkdocs.exceptions import Abort
from nianbao.site.audience import audience_of, left_out

pytestmark = pytest.mark.build

ORIGINAL = "000_49c4854f0d4b78b1"  # 县医疗保障局2023年党建工作汇报
COPY = "001_e65edd4454997b99"  # its XX-redacted copy
ORIGINAL_TITLE = "县医疗保障局2023年党建工作汇报"
ONLY_IN_ORIGINAL = "医保红管家"  # the copy writes XX红管家


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuiltSite, list[str]]]:
    records = _Records()
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.INFO)  # as `mkdocs build` logs
    try:
        site = build_site(SAMPLE_REPORTS, tmp_path_factory.mktemp("public"), audience="public")
    finally:
        logger.removeHandler(records)
        logger.setLevel(level)
    yield site, records.messages


def _every_file_text(site: Path) -> Iterator[tuple[Path, str]]:
    """Every file of the site as text (Pagefind's gzip files unpacked)."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", errors="replace")


def test_public_build_publishes_the_copy_and_leaves_the_original_out_everywhere(
    public_site: tuple[BuiltSite, list[str]],
) -> None:
    site, log = public_site
    assert (site.site_dir / "reports" / COPY / "index.html").is_file()
    assert not list(site.site_dir.rglob(f"*{ORIGINAL}*")), "no page or source file of 000"
    leaks = [
        str(path.relative_to(site.site_dir))
        for path, text in _every_file_text(site.site_dir)
        if ORIGINAL in text or ORIGINAL_TITLE in text
    ]
    assert leaks == [], site.reproduce
    figures = json.loads((site.site_dir / "data" / "figures.json").read_text(encoding="utf-8"))
    assert {row["report"] for row in figures} >= {COPY} and ORIGINAL not in {
        row["report"] for row in figures
    }
    links = json.loads((site.site_dir / "data" / "links.json").read_text(encoding="utf-8"))
    assert COPY in links and ORIGINAL not in links
    # The copy takes the original's place on the topic pages.
    topic = (site.site_dir / "topics" / "党建" / "index.html").read_text(encoding="utf-8")
    assert f"reports/{COPY}/#" in topic
    # The build log names what it left out.
    left_out_lines = [m for m in log if "left out" in m and ORIGINAL in m]
    assert any(f"reports/{ORIGINAL}.md" in line and COPY in line for line in left_out_lines)
    assert any(f"reports/sources/{ORIGINAL}.txt" in line for line in left_out_lines)


def test_public_search_finds_the_copy_and_not_the_original(
    page: object, public_site: tuple[BuiltSite, list[str]]
) -> None:
    site, _ = public_site
    with serve(site.site_dir) as served:
        page.goto(served.url, wait_until="networkidle")  # type: ignore[attr-defined]
        only_original = page.evaluate("q => window.nianbaoSearch.all(q)", ONLY_IN_ORIGINAL)  # type: ignore[attr-defined]
        both = page.evaluate("q => window.nianbaoSearch.all(q)", "战斗堡垒作用")  # type: ignore[attr-defined]
    assert only_original == []
    assert f"reports/{COPY}/" in both and not any(ORIGINAL in url for url in both)


def test_an_update_to_public_ends_with_the_public_site(
    tmp_path: Path, public_site: tuple[BuiltSite, list[str]]
) -> None:
    """An internal build updated (`make update`) as public gives the clean public build's files."""
    site = build_site(SAMPLE_REPORTS, tmp_path / "updated")
    assert (site.site_dir / "reports" / ORIGINAL).exists()
    run_mkdocs(site.docs_dir, site.site_dir, dirty=True, audience="public")
    public, _ = public_site

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    updated, clean = files(site.site_dir), files(public.site_dir)
    assert sorted(updated) == sorted(clean)
    assert [name for name in clean if updated[name] != clean[name]] == []


def test_a_redacted_copy_neither_links_to_nor_names_its_original(sample_site: BuiltSite) -> None:
    html = sample_site.html(f"reports/{COPY}/")
    assert ORIGINAL not in html and ORIGINAL_TITLE not in html
    assert "隐去信息的版本" in html and "不链接、不显示未隐去的原文" in html
    # Its organisation (inferred from the original) is not a link.
    meta = html[html.index('class="nb-meta"') : html.index("</table>", html.index("nb-meta"))]
    assert "/orgs/" not in meta and "orgs/" not in re.sub(r"<td>机构</td><td>[^<]*", "", meta)


def test_internal_build_keeps_both_and_labels_the_pair(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    original = sample_site.html(f"reports/{ORIGINAL}/")
    assert "另有隐去信息的版本" in original and f"../{COPY}/" in original
    # A topic page lists the sections once, from the original.
    topic = sample_site.html("topics/党建/")
    assert f"reports/{ORIGINAL}/#" in topic and f"reports/{COPY}/#" not in topic
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    box = page.locator(".nb-search__input")  # type: ignore[attr-defined]
    box.fill("战斗堡垒作用")
    box.press("Enter")
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelector('.nb-search-results').getAttribute('aria-busy') === 'false'"
        " && /^找到/.test(document.querySelector('.nb-search-status').textContent)"
    )
    about = {
        re.sub(r"^.*?(reports/[^/]+/)$", r"\1", href): text
        for href, text in zip(
            page.locator(".nb-result__title").evaluate_all(  # type: ignore[attr-defined]
                "a => a.map(x => new URL(x.href).pathname)"
            ),
            page.locator(".nb-result__about").all_inner_texts(),  # type: ignore[attr-defined]
            strict=True,
        )
    }
    assert about[f"reports/{COPY}/"].endswith("隐去信息的版本")
    assert about[f"reports/{ORIGINAL}/"].endswith("另有隐去信息的版本")


def test_003_redacted_org_shows_no_region_from_its_body(sample_site: BuiltSite) -> None:
    """003 names itself XX县医疗保障局; its body names 遂溪. The metadata block must not say it."""
    (page,) = [p for p in (sample_site.site_dir / "reports").glob("003_*/index.html")]
    html = page.read_text(encoding="utf-8")
    meta = html[html.index('class="nb-meta"') : html.index("</table>", html.index("nb-meta"))]
    assert "遂溪" not in meta, meta


def test_only_originals_whose_copy_is_in_the_archive_are_left_out() -> None:
    reports = [
        report_meta("a", variants=["b"]),
        report_meta("b", variant_of="a"),
        report_meta("c", variants=["x"]),
    ]
    assert list(left_out(reports, "public")) == ["a"]
    assert left_out(reports, "internal") == {}


def test_an_unknown_audience_stops_the_build_naming_the_setting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert audience_of({}) == "internal"
    with pytest.raises(ValueError, match=r"extra\.audience: 'everyone' 不是可用的取值"):
        audience_of({"audience": "everyone"})
    with pytest.raises(Abort):
        build_site(SAMPLE_REPORTS, tmp_path, audience="everyone")
    assert (
        "mkdocs.yml: extra.audience: 'everyone' 不是可用的取值（internal / public）" in caplog.text
    )
