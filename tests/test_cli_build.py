"""`mkdocs build` as the Makefile runs it, in a process of its own: its exit status and output.

The build lets the process exit without Python's final garbage collections
(nianbao.speed.pools.before_exit); a build must still report success and failure as MkDocs does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, BuiltSite


def _project(docs: Path, root: Path) -> Path:
    """A copy of the project's site set-up (mkdocs.yml, hooks, overrides) around a docs folder."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "hooks", root / "hooks")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(docs, root / "docs")
    return root


def _mkdocs_build(root: Path, site: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=root,
    )


def _pages(site: Path) -> list[Path]:
    return sorted(path.relative_to(site) for path in site.rglob("*.html"))


def test_cli_build_succeeds_and_fails_as_mkdocs_does(
    sample_site: BuiltSite, tmp_path: Path
) -> None:
    root = _project(sample_site.docs_dir, tmp_path)
    built = _mkdocs_build(root, "site")
    assert built.returncode == 0, built.stderr
    assert _pages(root / "site") == _pages(sample_site.site_dir)

    # A page with a broken link: strict mode aborts, and says which page.
    broken = "# 断链\n\n[去向](no-such-page.md)\n"
    (root / "docs" / "broken.md").write_text(broken, encoding="utf-8")
    failed = _mkdocs_build(root, "site-broken")
    assert failed.returncode == 1, failed.stderr
    said = failed.stdout + failed.stderr
    assert "'broken.md' contains a link 'no-such-page.md'" in said
    assert "Aborted with 1 warnings in strict mode" in said
