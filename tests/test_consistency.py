"""Consistency of the project's parts: hooks listed in mkdocs.yml, no network in the config."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its !ENV / !!python tags."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _mkdocs_yml() -> dict[str, object]:
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


def test_every_hook_file_is_listed_in_mkdocs_yml() -> None:
    listed = set(_mkdocs_yml()["hooks"])  # type: ignore[arg-type]
    on_disk = {
        f"hooks/{p.name}" for p in (REPO / "hooks").glob("*.py") if not p.name.startswith("_")
    }
    assert on_disk == listed


def test_theme_is_chinese_and_fetches_no_web_fonts() -> None:
    theme = _mkdocs_yml()["theme"]
    assert theme["language"] == "zh"  # type: ignore[index]
    assert theme["font"] is False  # type: ignore[index]
