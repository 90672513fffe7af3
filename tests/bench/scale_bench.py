"""Scale benchmark: build time, peak memory and site size at N reports, against Material's
default build of the same converted Markdown, in the same run; and the time to rebuild after
one report changes.

For each size: make a synthetic corpus (make_corpus.py), then
- 年报库, full: convert (fresh output, empty cache) + MkDocs build with the project's mkdocs.yml;
- 年报库, one report changed, `make update`: edit one raw report, convert again (the other
  files' parsing from the cache; only that page rewritten) + `mkdocs build --dirty` (only the
  pages the change reaches re-rendered; the rest's sections, analysis and links from the cache);
- 年报库, one more report changed, `make build`: the same with a full MkDocs build (every page
  rendered, the cache still used for analysis and links) — what an update costs without
  `--dirty`;
- Material default: the same report pages, Material with its search plugin (`lang: zh`); above
  `--prune-from` reports with `navigation.prune`, since the default nav of every page grows
  with N² (tens of GB at 10,000 reports).

    .venv/bin/python tests/bench/scale_bench.py --sizes 1000 10000

Prints a Markdown table. Run on purpose; nothing here is a test.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from make_corpus import make_corpus, share_line  # noqa: E402
from search_bench import table  # noqa: E402
from sites import (  # noqa: E402
    Run,
    build_material,
    build_ours,
    cache_dir,
    convert,
    material_docs,
    size_mb,
)


def _change_one(corpus: Path, index: int) -> None:
    changed = sorted(corpus.glob("*.txt"))[index]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text + "本段为基准测试追加的一句话。\n", encoding="utf-8")


def _sum(*runs: Run) -> Run:
    return Run(sum(r.seconds for r in runs), max(r.peak_mb for r in runs))


def _row(size: int, system: str, run: Run, site: Path | None) -> list[str]:
    return [
        str(size),
        system,
        f"{run.seconds:.1f}",
        f"{run.peak_mb:.0f}",
        f"{size_mb(site):.0f}" if site else "—",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scale benchmark (see module docstring).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument(
        "--prune-from",
        type=int,
        default=5000,
        help="from this size on, Material is built with navigation.prune",
    )
    parser.add_argument(
        "--material-max",
        type=int,
        default=10**9,
        help="largest size to build with Material too (at 10,000 reports Material's build ran "
        "for over 26 minutes and wrote over 22 GB before it was stopped)",
    )
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="nianbao-scale-bench-"))
    print(f"work folder: {root}")
    lines = []
    for size in args.sizes:
        work = root / f"n{size}"
        corpus = work / "corpus"
        if not corpus.exists():
            make_corpus(size, corpus)
        print(f"n={size}: {share_line(corpus)}", flush=True)
        docs, site = work / "docs", work / "site"
        for stale in (docs, site, cache_dir(docs)):
            shutil.rmtree(stale, ignore_errors=True)
        full = _sum(convert(corpus, docs), build_ours(docs, site))
        lines.append(_row(size, "年报库 full build (convert + build)", full, site))
        print(lines[-1], flush=True)
        _change_one(corpus, size // 2)
        incremental = _sum(convert(corpus, docs), build_ours(docs, site, dirty=True))
        lines.append(_row(size, "年报库 one report changed: make update", incremental, None))
        print(lines[-1], flush=True)
        _change_one(corpus, size // 3)
        cached = _sum(convert(corpus, docs), build_ours(docs, site))
        lines.append(_row(size, "年报库 one report changed: make build", cached, None))
        print(lines[-1], flush=True)
        if size > args.material_max:
            continue
        prune = size >= args.prune_from
        material_docs(docs, work / "material-docs")
        material_site = work / "material-site"
        shutil.rmtree(material_site, ignore_errors=True)
        material = build_material(work / "material-docs", material_site, prune=prune)
        name = "Material + navigation.prune" if prune else "Material default"
        lines.append(_row(size, name, material, material_site))
        print(lines[-1], flush=True)
        print(
            f"n={size}: full build ours/Material {full.seconds / material.seconds:.2f}; "
            f"one change (make update) / full {incremental.seconds / full.seconds:.2f}; "
            f"(make build) / full {cached.seconds / full.seconds:.2f}",
            flush=True,
        )
    print()
    print(table(["reports", "build", "wall (s)", "peak RSS (MB)", "site (MB)"], lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
