"""Hosting hardened: the built site served with the security headers of the nginx example
(scripts/deploy/nginx-nianbao.conf) loads every page kind and searches in Chromium with no
Content-Security-Policy violation — it needs no inline script and nothing from outside."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, BuiltSite, serve

pytestmark = [pytest.mark.build]

NGINX = REPO / "scripts" / "deploy" / "nginx-nianbao.conf"
S004 = "004_98663ce6772e791d"


def nginx_headers() -> dict[str, str]:
    """The `add_header NAME "VALUE" always;` lines of the nginx example."""
    text = NGINX.read_text(encoding="utf-8")
    return dict(re.findall(r'^\s*add_header\s+(\S+)\s+"([^"]*)"\s+always;', text, re.M))


def test_nginx_example_sends_the_security_headers() -> None:
    headers = nginx_headers()
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in headers["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # no 'unsafe-inline'
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


class _Scripts(HTMLParser):
    """The page's inline scripts that a browser would run (JSON data blocks do not run)."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self._open = dict(attrs)

    def handle_data(self, data: str) -> None:
        runs = self._open is not None and "src" not in self._open
        kind = (self._open or {}).get("type") or "text/javascript"
        if runs and data.strip() and kind in ("text/javascript", "module"):
            self.inline.append(data.strip()[:80])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def test_no_page_holds_an_inline_script_or_event_handler(sample_site: BuiltSite) -> None:
    found: dict[str, list[str]] = {}
    for path in sorted(sample_site.site_dir.rglob("*.html")):
        parser = _Scripts()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.inline or parser.handlers:
            found[path.relative_to(sample_site.site_dir).as_posix()] = (
                parser.inline + parser.handlers
            )
    assert found == {}, sample_site.reproduce


def _pages(site: Path) -> dict[str, str]:
    org = next(p for p in sorted((site / "orgs").iterdir()) if p.is_dir())
    return {
        "home": "",
        "year": "years/2023/",
        "organisation": f"orgs/{org.name}/",
        "report": f"reports/{S004}/",
        "search results": "?q=参保",
    }


@pytest.mark.browser
def test_every_page_kind_and_search_work_under_the_policy(
    page: object, sample_site: BuiltSite
) -> None:
    violations: list[str] = []
    page.on(  # type: ignore[attr-defined]
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.add_init_script(  # type: ignore[attr-defined]
        "document.addEventListener('securitypolicyviolation', e => (window.__violations ="
        " window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    seen: dict[str, list[str]] = {}
    with serve(sample_site.site_dir, headers=nginx_headers()) as served:
        for kind, path in _pages(sample_site.site_dir).items():
            response = page.goto(served.url + path, wait_until="networkidle")  # type: ignore[attr-defined]
            assert "default-src 'self'" in response.headers["content-security-policy"]
            if kind == "search results":
                # The search of the ?q= link, then one typed into the box.
                page.locator(".nb-result").first.wait_for()  # type: ignore[attr-defined]
                box = page.locator(".nb-search__input")  # type: ignore[attr-defined]
                box.fill("医疗保障")
                box.press("Enter")
                page.wait_for_function(  # type: ignore[attr-defined]
                    "() => document.querySelector('.nb-search-results')"
                    ".getAttribute('aria-busy') === 'false'"
                    " && document.querySelectorAll('.nb-result').length > 0"
                )
                titles = page.locator(".nb-result__title").all_inner_texts()  # type: ignore[attr-defined]
                assert titles, "search found nothing under the policy"
            # The theme's start-up script ran (from its file): Material's globals are there.
            assert page.evaluate("() => typeof __md_get === 'function'"), kind  # type: ignore[attr-defined]
            seen[kind] = page.evaluate("() => window.__violations || []")  # type: ignore[attr-defined]
    assert violations == [], f"{violations} ({sample_site.reproduce})"
    assert seen == {kind: [] for kind in seen}, seen
