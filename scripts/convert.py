#!/usr/bin/env python3
"""Convert raw reports into the site's Markdown pages: `python scripts/convert.py [REPORTS] [OUT]`.

Exit codes: 0 all converted; 1 some reports skipped (each named on stderr); 2 bad usage or a bad
catalog (nothing written); with --strict, warnings count as failures (exit 1).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from nianbao.cache import DEFAULT_ROOT
from nianbao.catalog import CATALOG_NAME
from nianbao.pipeline import Summary, convert_folder

PROGRESS_EVERY = 500  # reports between progress lines on large folders
WARNINGS_PER_FILE = 5  # warnings printed per file; the rest are counted


def build_parser() -> argparse.ArgumentParser:
    """The command line: kept here so the README test can check every flag is documented."""
    parser = argparse.ArgumentParser(
        prog="convert.py",
        description="把 reports/ 中的原始报告转换为站点的 Markdown 页面 / "
        "convert raw reports into Markdown pages",
    )
    parser.add_argument(
        "reports", nargs="?", default="reports", help="原始报告目录 (default: reports)"
    )
    parser.add_argument(
        "out", nargs="?", default="docs/reports", help="输出目录 (default: docs/reports)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="把警告当作失败 / fail (exit 1) on warnings"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="只输出问题，不输出汇总 / problems only"
    )
    parser.add_argument(
        "--cache",
        default=str(DEFAULT_ROOT),
        metavar="DIR",
        help=f"解析缓存目录 / cache of parsed files (default: {DEFAULT_ROOT})",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="不读写缓存，全部重新解析 / parse every file afresh"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the converter; return the exit code."""
    args = build_parser().parse_args(argv)
    reports_dir, out_dir = Path(args.reports), Path(args.out)
    if not reports_dir.is_dir():
        print(f"error: {reports_dir}: no such folder of reports", file=sys.stderr)
        return 2
    if (
        out_dir.resolve() == reports_dir.resolve()
        or reports_dir.resolve() in out_dir.resolve().parents
    ):
        print(f"error: {out_dir}: output must not be inside the reports folder", file=sys.stderr)
        return 2
    summary = convert_folder(
        reports_dir,
        out_dir,
        progress=None if args.quiet else _progress,
        cache_dir=None if args.no_cache else Path(args.cache),
    )
    for problem in summary.catalog_errors:
        print(f"错误：{problem}", file=sys.stderr)
    shown: Counter[Path] = Counter()
    for warning in summary.warnings:
        shown[warning.path] += 1
        if shown[warning.path] <= WARNINGS_PER_FILE:
            print(f"warning: {warning}", file=sys.stderr)
    for path, count in shown.items():
        if count > WARNINGS_PER_FILE:
            hidden = count - WARNINGS_PER_FILE
            print(f"warning: {path}: {hidden} more warnings not shown", file=sys.stderr)
    for skipped in summary.skipped:
        print(f"error: {skipped}", file=sys.stderr)
    if not args.quiet:
        _print_summary(summary)
    if summary.catalog_errors:
        print(
            f"目录文件 {reports_dir / CATALOG_NAME} 有 {len(summary.catalog_errors)} 处错误"
            "（见上）：改正后重新转换；在此之前不构建站点（退出码 2）",
            file=sys.stderr,
        )
        return 2
    if summary.skipped or (args.strict and summary.warnings):
        return 1
    return 0


def _progress(done: int, total: int) -> None:
    if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
        print(f"… {done}/{total}", file=sys.stderr)


def _print_summary(summary: Summary) -> None:
    rows = (
        ("已转换 converted", len(summary.converted)),
        ("缓存 from cache", summary.cached),
        ("已写入 written", len(summary.written)),
        ("已移除 removed", len(summary.removed)),
        ("警告 warnings", len(summary.warnings)),
        ("已跳过 skipped", len(summary.skipped)),
        ("已忽略 ignored", len(summary.ignored)),
    )
    for label, count in rows:
        print(f"{label:<20}{count:>7}", file=sys.stderr)
    if summary.ignored:
        print(f"已忽略（不是报告的文件）ignored: {_by_extension(summary.ignored)}", file=sys.stderr)


def _by_extension(paths: list[Path]) -> str:
    """`.css 3、.gif 8、(无扩展名) 1`: what the ignored files are, without a line for each."""
    counts = Counter(path.suffix.lower() or "（无扩展名）" for path in paths)
    return "、".join(f"{suffix} {count}" for suffix, count in sorted(counts.items()))


if __name__ == "__main__":
    sys.exit(main())
