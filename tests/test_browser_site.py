"""The built site in headless Chromium: no request leaves the site's origin, at the root and under a
sub-path, and every asset the pages ask for is there."""

from __future__ import annotations

import pytest
from conftest import BuiltSite, ServedSite

pytestmark = [pytest.mark.browser, pytest.mark.build]

S004 = "004_98663ce6772e791d"


def _pages(site: BuiltSite) -> list[str]:
    org_page = next(p for p in (site.site_dir / "orgs").iterdir() if p.is_dir())
    return ["", "years/2023/", f"orgs/{org_page.name}/", f"reports/{S004}/", "topics/"]


def _visit_all(page: object, served: ServedSite, paths: list[str]) -> tuple[list[str], list[str]]:
    """Load each page; return requests that left the origin and requests that failed."""
    outside: list[str] = []
    failed: list[str] = []
    page.on(  # type: ignore[attr-defined]
        "request",
        lambda request: (
            None if request.url.startswith(served.origin + "/") else outside.append(request.url)
        ),
    )
    page.on(  # type: ignore[attr-defined]
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))  # type: ignore[attr-defined]
    for path in paths:
        page.goto(served.url + path, wait_until="networkidle")  # type: ignore[attr-defined]
        assert page.locator("h1").first.inner_text(), path  # type: ignore[attr-defined]
    return outside, failed


def test_no_request_leaves_the_origin(
    page: object, sample_site: BuiltSite, served_sample: ServedSite
) -> None:
    outside, failed = _visit_all(page, served_sample, _pages(sample_site))
    assert outside == [], f"requests outside the site: {outside} ({sample_site.reproduce})"
    assert failed == []


def test_site_works_under_a_sub_path(
    page: object, sub_path_site: tuple[BuiltSite, ServedSite]
) -> None:
    site, served = sub_path_site
    assert served.url.endswith("/nianbao/")
    outside, failed = _visit_all(page, served, _pages(site))
    assert outside == [] and failed == [], (outside, failed)
    # Following links stays below the sub-path.
    page.goto(served.url, wait_until="networkidle")  # type: ignore[attr-defined]
    page.get_by_role("link", name="2023年").first.click()  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert page.url == served.url + "years/2023/"  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text().startswith("2023年的报告")  # type: ignore[attr-defined]


def test_redaction_marks_show_as_written_with_a_tooltip(
    page: object, served_sample: ServedSite
) -> None:
    page.goto(served_sample.url + f"reports/{S004}/", wait_until="networkidle")  # type: ignore[attr-defined]
    marks = page.locator(".md-content .nb-redacted")  # type: ignore[attr-defined]
    texts = set(marks.all_inner_texts())
    assert {"*", "**", "****"} <= texts
    assert marks.first.get_attribute("title") == "原文已隐去"
    assert page.locator(".md-content strong").count() == 0  # type: ignore[attr-defined]


def test_print_view_keeps_the_metadata_block_and_drops_navigation(
    page: object, served_sample: ServedSite
) -> None:
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    page.goto(served_sample.url + f"reports/{S004}/", wait_until="networkidle")  # type: ignore[attr-defined]
    assert page.locator(".nb-meta").is_visible()  # type: ignore[attr-defined]
    assert not page.locator(".md-sidebar--primary").is_visible()  # type: ignore[attr-defined]
    assert not page.locator(".md-header").is_visible()  # type: ignore[attr-defined]


def test_visible_text_has_no_zero_width_characters(page: object, served_sample: ServedSite) -> None:
    page.goto(served_sample.url, wait_until="networkidle")  # type: ignore[attr-defined]
    text = page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert "\u200b" not in text and "\ufeff" not in text
    assert page.title() == "年报库"  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("lang") == "zh"  # type: ignore[attr-defined]
