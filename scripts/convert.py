#!/usr/bin/env python3
"""Convert raw reports into the site's Markdown pages: `python scripts/convert.py [REPORTS] [OUT]`.

Exit codes (the Makefile builds the site on 0 and 1 only):
  0  every report converted;
  1  some files were named and skipped (each on stderr, with the reason); the rest converted;
     with --strict, warnings count as such failures too;
  2  bad usage, no reports found, the output folder cannot be written, or a catalog problem;
  3  a bug in the converter (one Chinese line, then the traceback).
Every message reads `错误：<文件>[:<行>]：<原因>` or `警告：…`.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
BUG = (
    "错误：转换程序自身出错（这是程序的缺陷，不是报告的问题），网站未更新：请把下面的信息交给维护者"
)


def _crashed(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An exception that escaped main() (an import that fails included) exits 3, not Python's 1,
    which the Makefile would read as "some files skipped" and build the old pages."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        sys.stderr.flush()
        os._exit(130)
    print(BUG, file=sys.stderr)
    traceback.print_exception(kind, exc, tb)
    sys.stderr.flush()
    os._exit(EXIT_BUG)


if __name__ == "__main__":
    sys.excepthook = _crashed

# After the hook: a broken install is a crash (exit 3) too.
from nianbao.build.convert_run import convert_folder  # noqa: E402
from nianbao.build.lock import output_lock  # noqa: E402
from nianbao.build.publish import staged_folder  # noqa: E402
from nianbao.convert.catalog import CATALOG_NAME  # noqa: E402
from nianbao.convert.inputs import DEFAULT_MAX_BYTES, find_reports, shown_path, why  # noqa: E402
from nianbao.convert.pipeline import Summary  # noqa: E402
from nianbao.speed.cache import DEFAULT_ROOT  # noqa: E402

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
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="单个报告文件的大小上限（字节），更大的文件点名跳过 / larger files are named and "
        f"skipped (default: {DEFAULT_MAX_BYTES})",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="报告目录为空时也继续（发布空档案）/ an empty reports folder is not an error",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the converter; return the exit code (see the module docstring)."""
    args = build_parser().parse_args(argv)
    # A file name that is not UTF-8 must never stop the run while it is being named.
    sys.stderr.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        return _run(args)
    except Exception:
        print(BUG, file=sys.stderr)
        traceback.print_exc()
        return EXIT_BUG


def _run(args: argparse.Namespace) -> int:
    reports_dir, out_dir = Path(args.reports), Path(args.out)
    if not reports_dir.is_dir():
        return _usage(reports_dir, "报告目录不存在（未挂载？）：请检查路径")
    if (
        out_dir.resolve() == reports_dir.resolve()
        or reports_dir.resolve() in out_dir.resolve().parents
    ):
        return _usage(out_dir, "输出目录不能在报告目录之内：请换一个输出目录")
    if args.max_bytes <= 0:
        return _usage(Path("--max-bytes"), "上限必须是正整数（字节）")
    found = find_reports(reports_dir, None)
    if not args.allow_empty and not found.files:
        for refused in found.refused:
            print(f"错误：{shown_path(refused.path)}：{refused.reason}", file=sys.stderr)
        return _usage(
            reports_dir,
            "没有找到任何报告文件（目录为空、未挂载或无法读取？）：请检查路径；"
            "确实要发布空档案时加 --allow-empty",
        )
    try:
        # One conversion at a time per output folder; it writes into a copy that replaces the
        # folder only when the run gets to its end (a killed run leaves the previous pages).
        with output_lock(out_dir), staged_folder(out_dir) as staging:
            summary = convert_folder(
                reports_dir,
                staging,
                progress=None if args.quiet else _progress,
                cache_dir=None if args.no_cache else Path(args.cache),
                max_bytes=args.max_bytes,
            )
    except OSError as exc:  # the output, the cache or the catalog: not one report's problem
        where = Path(exc.filename) if exc.filename else out_dir
        return _usage(where, f"无法读写，转换中止、网站未构建：{why(exc)}")
    _print_problems(summary)
    if not args.quiet:
        _print_summary(summary)
    if summary.catalog_errors:
        print(
            f"目录文件 {shown_path(reports_dir / CATALOG_NAME)} 有 {len(summary.catalog_errors)} "
            "处错误（见上）：改正后重新转换；在此之前不构建站点（退出码 2）",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if summary.skipped or (args.strict and summary.warnings):
        return EXIT_SKIPPED
    return EXIT_OK


def _usage(path: Path, reason: str) -> int:
    print(f"错误：{shown_path(path)}：{reason}", file=sys.stderr)
    return EXIT_USAGE


def _print_problems(summary: Summary) -> None:
    for problem in summary.catalog_errors:
        print(f"错误：{problem}", file=sys.stderr)
    shown: Counter[Path] = Counter()
    for warning in summary.warnings:
        shown[warning.path] += 1
        if shown[warning.path] <= WARNINGS_PER_FILE:
            print(f"警告：{warning}", file=sys.stderr)
    for path, count in shown.items():
        if count > WARNINGS_PER_FILE:
            hidden = count - WARNINGS_PER_FILE
            print(f"警告：{shown_path(path)}：另有 {hidden} 条警告未显示", file=sys.stderr)
    for skipped in summary.skipped:
        print(f"错误：{skipped}（已跳过，其余照常转换）", file=sys.stderr)


def _progress(done: int, total: int) -> None:
    if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
        print(f"… {done}/{total}", file=sys.stderr)


def _print_summary(summary: Summary) -> None:
    rows = (
        ("已转换", len(summary.converted)),
        ("来自缓存", summary.cached),
        ("已写入", len(summary.written)),
        ("已移除", len(summary.removed)),
        ("警告", len(summary.warnings)),
        ("已跳过", len(summary.skipped)),
        ("已忽略", len(summary.ignored)),
        ("目录文件有误", len(summary.catalog_errors)),
    )
    for label, count in rows:
        print(f"{label}{' ' * (12 - 2 * len(label))}{count:>7}", file=sys.stderr)
    if summary.ignored:
        print(f"已忽略（不是报告的文件）：{_by_extension(summary.ignored)}", file=sys.stderr)


def _by_extension(paths: list[Path]) -> str:
    """`.css 3、.gif 8、（无扩展名） 1`: what the ignored files are, without a line for each."""
    counts = Counter(path.suffix.lower() or "（无扩展名）" for path in paths)
    return "、".join(f"{suffix} {count}" for suffix, count in sorted(counts.items()))


if __name__ == "__main__":
    sys.exit(main())
