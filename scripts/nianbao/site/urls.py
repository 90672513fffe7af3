"""The site's URLs: a page's URL from its docs path, and relative links between pages (pure).

The one place the site's pages compute where they link: the listings, the metadata block, the
year-over-year links and the figures' downloads all call it. It gives what MkDocs gives
(`mkdocs.utils.get_relative_url`, `File.url`), without importing MkDocs: pure code stays usable
outside a build. tests/test_urls.py compares it with MkDocs over many pairs.
"""

from __future__ import annotations


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site root) MkDocs gives the page at docs path `src_uri`.

    Args:
        src_uri: the page's path in the docs folder (`reports/x.md`, `index.md`).
        directory_urls: MkDocs' `use_directory_urls`.
    """
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def relative_url(url: str, other: str) -> str:
    """`url` relative to the page at `other` (both relative to the site root), as
    `mkdocs.utils.get_relative_url` gives it.

    The last part of `other` is its file when it holds a dot (`x.html`, `x.md`); `.` and `..`
    parts are resolved, never above the root; a trailing slash of `url` is kept. (Paths that
    start with two slashes, which MkDocs keeps apart, are not site paths.)
    """
    folder, _, name = other.rpartition("/")
    if "." in name:
        other = folder
    here, there = _parts(other), _parts(url)
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def link(from_uri: str, to_uri: str) -> str:
    """A relative Markdown link target from one docs page to another (MkDocs resolves it)."""
    return relative_url(to_uri, from_uri)


def page_link(from_uri: str, to_uri: str, directory_urls: bool = True) -> str:
    """A relative URL from one page to another (docs paths), for links written as HTML.

    A link to a folder's page ends with a slash, the site's home page (URL "") included.
    """
    target = page_url(to_uri, directory_urls) or "/"
    return relative_url(target, page_url(from_uri, directory_urls))


def file_link(from_uri: str, path: str, directory_urls: bool = True) -> str:
    """A relative URL from a page (docs path) to the site's file at `path`: a file that is not a
    page (a source file: its path relative to the docs folder, as in the site)."""
    return relative_url(path, page_url(from_uri, directory_urls))


def _parts(path: str) -> list[str]:
    """The parts of a slash-separated path, `.` and empty parts dropped and `..` resolved."""
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return parts
