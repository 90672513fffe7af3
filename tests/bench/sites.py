"""Building benchmark sites: this project's, and Material's default of the same Markdown.

Each build runs in a child process so its wall time and peak memory (ru_maxrss from wait4) are
its own. Used by `search_bench.py` and `scale_bench.py`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Material's default site with its own Chinese support switched on (jieba is installed; the
# search plugin segments Han text with it when `lang` includes zh). The Markdown extensions are
# ours, copied from mkdocs.yml, so both sites render the same pages.
_MATERIAL_CONFIG = """site_name: 年报库（Material 默认）
theme:
  name: material
  language: zh
  font: false
  features: [{features}]
plugins:
  - search:
      lang: [zh]
"""


def _markdown_extensions() -> str:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    block = text[text.index("\nmarkdown_extensions:") :]
    end = next(i for i, line in enumerate(block.splitlines()[2:], 2) if line[:1].isalpha())
    return "\n".join(block.splitlines()[1:end]) + "\n"


_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
dirty = sys.argv[4:] == ["--dirty"]
config = load_config(sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3], strict=False)
config.plugins.on_startup(command="build", dirty=dirty)
build(config, dirty=dirty)
config.plugins.on_shutdown()
"""


@dataclass
class Run:
    """Wall time (s) and peak resident memory (MB) of one child process."""

    seconds: float
    peak_mb: float


def run(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a command, failing loudly; return its wall time and peak RSS."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode not in (0, 1) or (child.returncode == 1 and "convert.py" not in command[1]):
        tail = errors.decode("utf-8", "replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} failed ({child.returncode}):\n{tail}")
    return Run(seconds, usage.ru_maxrss / 1024)


def convert(corpus: Path, docs: Path, *extra: str) -> Run:
    """Our converter over a corpus into `docs/reports` (the docs folder is ours, copied first:
    afresh each time, so a benchmark never runs stale pages or scripts), with its cache beside
    the docs folder, where the build's is (`cache_dir`)."""
    shutil.copytree(
        REPO / "docs", docs, ignore=shutil.ignore_patterns("reports"), dirs_exist_ok=True
    )
    command = [sys.executable, str(REPO / "scripts" / "convert.py"), str(corpus)]
    command += [str(docs / "reports"), "--quiet", "--cache", str(cache_dir(docs))]
    return run([*command, *extra])


def cache_dir(docs: Path) -> Path:
    """Where our converter and build keep their cache for a docs folder (as `make` does)."""
    return docs.parent / ".cache" / "nianbao"


def build_ours(docs: Path, site: Path, *, dirty: bool = False) -> Run:
    """MkDocs build with the project's mkdocs.yml (hooks, Pagefind index); `dirty` is
    `mkdocs build --dirty`, the build of `make update`."""
    command = [sys.executable, "-c", _BUILD, str(REPO / "mkdocs.yml"), str(docs), str(site)]
    return run(command + (["--dirty"] if dirty else []))


def material_docs(our_docs: Path, docs: Path) -> None:
    """The same converted report pages, without our generated archive pages or assets."""
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(our_docs / "reports", docs / "reports")
    (docs / "index.md").write_text("# 年报库\n", encoding="utf-8")


def build_material(docs: Path, site: Path, *, prune: bool = False) -> Run:
    """Material's default build (its search + jieba) of `docs`; `prune` adds navigation.prune."""
    config = _MATERIAL_CONFIG.format(features="navigation.prune" if prune else "")
    config_file = docs.parent / ("mkdocs-material-prune.yml" if prune else "mkdocs-material.yml")
    config_file.write_text(config + _markdown_extensions(), encoding="utf-8")
    return run([sys.executable, "-c", _BUILD, str(config_file), str(docs), str(site)])


def size_mb(folder: Path) -> float:
    """Bytes of all files under a folder, in MB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
