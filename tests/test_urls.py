"""The site's URL helper (nianbao.site.urls) gives the URLs and relative links MkDocs gives.

The helper does not import MkDocs (pure code); these tests hold it to MkDocs' own
`get_relative_url` and `File.url` over the kinds of paths the archive's pages link between.
"""

from __future__ import annotations

import itertools
import urllib.parse

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from nianbao.site.urls import file_link, link, page_link, page_url, relative_url

# Docs paths of the kinds the archive has: home, folder indexes, listings, reports (Han names,
# dots and nested folders in slugs), a topic page.
DOCS_PATHS = (
    "index.md",
    "years/index.md",
    "years/2023.md",
    "orgs/index.md",
    "orgs/xx-county-edu.md",
    "types/政府信息公开工作年度报告.md",
    "topics/营商环境.md",
    "reports/2023-某县教育局-工作总结.md",
    "reports/2022/某县卫生健康局.md",
    "reports/v1.2-draft.md",
    "reports/a/b/c/deep.md",
    "maintainers/index.md",
)
# Files that are not pages: originals, data downloads.
FILE_PATHS = (
    "data/figures.csv",
    "data/orgs/xx-county-edu.json",
    "reports/sources/2023-某县教育局-工作总结.txt",
    "reports/sources/2023-x/%E5%B9%B4%E6%8A%A5.pdf",
    "reports/sources/v1.2-draft/原件.docx",
)


def _mkdocs_page_url(src_uri: str, directory_urls: bool) -> str:
    """`Page.url` as MkDocs gives it, Han characters as written (the archive does not encode
    them: browsers do)."""
    url = File(src_uri, "/docs", "/site", directory_urls).url
    return "" if url in (".", "./") else urllib.parse.unquote(url)


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
@pytest.mark.parametrize("src_uri", DOCS_PATHS)
def test_page_url_is_mkdocs_page_url(src_uri: str, directory_urls: bool) -> None:
    assert page_url(src_uri, directory_urls) == _mkdocs_page_url(src_uri, directory_urls)


def _url_pairs() -> list[tuple[str, str]]:
    """(url, other) pairs: every page and file URL from every page URL, both URL styles, every
    docs path from every docs path, and hand-made paths with `.`, `..`, empty parts and
    trailing slashes."""
    pairs = []
    for directory_urls in (True, False):
        pages = [page_url(p, directory_urls) for p in DOCS_PATHS]
        targets = pages + list(FILE_PATHS)
        pairs += list(itertools.product(targets, pages))
    pairs += list(itertools.product(DOCS_PATHS, repeat=2))  # Markdown links between docs paths
    odd = ["", "/", "./", "a/../b/", "a/./b", "a//b/", "../x", "a/b/..", "x.y/z", "a/b.c/"]
    pairs += list(itertools.product(odd, [*odd, "a/b/index.html", "a/b.c", "reports/x/"]))
    return pairs


def test_relative_url_is_mkdocs_get_relative_url() -> None:
    pairs = _url_pairs()
    assert len(pairs) > 600
    differing = [
        (url, other, relative_url(url, other), get_relative_url(url, other))
        for url, other in pairs
        if relative_url(url, other) != get_relative_url(url, other)
    ]
    assert differing == []


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_page_link_resolves_to_the_target_page(directory_urls: bool) -> None:
    """Followed from the page's URL, the link lands on the target's URL."""
    for here, there in itertools.product(DOCS_PATHS, repeat=2):
        href = page_link(here, there, directory_urls)
        base = "https://example.org/" + page_url(here, directory_urls)
        landed = urllib.parse.urljoin(base, href)
        assert landed == "https://example.org/" + page_url(there, directory_urls), (here, there)


def test_page_link_to_home_keeps_its_slash() -> None:
    """The home page's URL is empty: a link to it still names a folder, as MkDocs' nav does."""
    assert page_link("reports/2022/某县卫生健康局.md", "index.md") == "../../../"
    assert page_link("index.md", "index.md") == "./"
    assert page_link("years/2023.md", "years/2023.md") == "./"
    assert page_link("years/2023.md", "index.md", directory_urls=False) == "../index.html"


def test_file_link_from_a_report_to_its_source() -> None:
    src = "reports/2023-某县教育局-工作总结.md"
    target = "reports/sources/2023-某县教育局-工作总结.txt"
    assert file_link(src, target) == "../sources/2023-某县教育局-工作总结.txt"
    assert file_link(src, target, directory_urls=False) == "sources/2023-某县教育局-工作总结.txt"


def test_markdown_link_is_relative_to_the_docs_folder() -> None:
    assert link("years/index.md", "years/2023.md") == "2023.md"
    assert link("index.md", "orgs/index.md") == "orgs/index.md"
    report = "reports/2022/某县卫生健康局.md"
    assert link("orgs/x.md", report) == "../reports/2022/某县卫生健康局.md"
    assert link("years/2023.md", "years/2023.md") == "2023.md"
