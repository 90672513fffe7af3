#!/usr/bin/env python3
"""Convert and build the site, publishing it only when every step succeeded:
`python scripts/build.py build|update [--reports DIR] [--out DIR] [--site DIR]` (`make build`,
`make update`).

One run at a time per site and per output folder (nianbao.build.lock); the converter writes into a
copy of its output folder and MkDocs into a new build folder, and the site is switched to it at
the end (nianbao.build.publish). A failed or killed run leaves the last good site as it was. The
Makefile converts first (`make convert`, whose exit code decides whether to build) and passes
`--converted`; the page folder's lock is held while MkDocs reads it, so a conversion running
meanwhile cannot swap it under the build.

Exit codes: 0 published (some reports may have been skipped: the converter named them); the
converter's own code when it failed (2 usage or catalog, other codes a crash); MkDocs' code when
the build failed; 3 when the site could not be published (e.g. the disk is full).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from nianbao.build.lock import lend_env, lock_path, output_lock
from nianbao.build.publish import (
    BASE_ENV,
    SITE_ENV,
    begin_site_build,
    discard_site_build,
    publish_site,
)
from nianbao.speed.cache import DEFAULT_ROOT, report_damaged

REPO = Path(__file__).resolve().parent.parent
CONVERTED = (0, 1)  # the converter's codes on which the site is built (1: some files skipped)
PUBLISH_FAILED = 3
FULL_BELOW = 4 * 1024 * 1024  # bytes free under which a failure is put down to a full disk


def build_parser() -> argparse.ArgumentParser:
    """The command line (every flag is in the README)."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="转换报告并构建、发布网站 / convert, build and publish"
    )
    parser.add_argument("mode", choices=("build", "update"), help="build 全量；update 增量")
    parser.add_argument("--reports", default="reports", help="原始报告目录 (default: reports)")
    parser.add_argument("--out", default="docs/reports", help="页面目录 (default: docs/reports)")
    parser.add_argument("--site", default="site", help="网站目录 (default: site)")
    parser.add_argument("--config", default="mkdocs.yml", help="MkDocs 配置 (default: mkdocs.yml)")
    parser.add_argument("--cache", default=str(DEFAULT_ROOT), metavar="DIR", help="缓存目录")
    parser.add_argument(
        "--no-wait", action="store_true", help="另一个构建正在进行时立即退出 / do not wait"
    )
    parser.add_argument(
        "--converted",
        action="store_true",
        help="页面已由 make convert 转换，不再转换 / pages converted already (the Makefile's way)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Convert, build and publish; return the exit code."""
    args = build_parser().parse_args(argv)
    site, out = Path(args.site), Path(args.out)
    try:
        with output_lock(site, wait=not args.no_wait), output_lock(out, wait=not args.no_wait):
            code = _convert_build_publish(args, site, out)
    except OSError as exc:  # the lock file itself (a read-only or full disk)
        _say(f"错误：{exc.filename or site}：{exc.strerror}；网站未更新")
        return PUBLISH_FAILED
    damaged = report_damaged(Path(args.cache))
    if damaged:
        _say(
            f"警告：缓存中有 {damaged} 个条目已损坏（校验和不符或无法读取），已重新计算；"
            f"如反复出现，请运行 make clean-cache"
        )
    return code


def _convert_build_publish(args: argparse.Namespace, site: Path, out: Path) -> int:
    env = lend_env([lock_path(site), lock_path(out)])
    convert = [sys.executable, str(REPO / "scripts" / "convert.py"), args.reports, args.out]
    if args.converted:  # `make convert` ran it (and decided on its exit code)
        converted = subprocess.CompletedProcess(convert, 0)
    else:
        converted = subprocess.run([*convert, "--cache", args.cache], env=env, check=False)
    if converted.returncode not in CONVERTED:
        full = _disk_full(out.parent)
        code = converted.returncode
        _say(f"错误：转换失败（退出码 {code}）{full}，网站未更新，仍是上一版：{site}")
        return converted.returncode
    try:
        build = begin_site_build(site, update=args.mode == "update")
    except OSError as exc:
        full = _disk_full(site.parent)
        _say(f"错误：{exc.filename or site}：{exc.strerror}{full}；网站未更新，仍是上一版：{site}")
        return PUBLISH_FAILED
    env[SITE_ENV] = os.path.abspath(site)
    if build.base is not None:
        env[BASE_ENV] = build.base.name
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", args.config]
    mkdocs += ["--site-dir", str(build.folder), *(["--dirty"] if build.base else [])]
    built = subprocess.run(mkdocs, env=env, check=False)
    if built.returncode != 0:
        discard_site_build(build)
        full = _disk_full(build.folder.parent)
        _say(f"错误：构建失败（退出码 {built.returncode}）{full}，网站未更新，仍是上一版：{site}")
        return built.returncode
    try:
        publish_site(build)
    except OSError as exc:
        discard_site_build(build)
        full = _disk_full(site.parent)
        _say(f"错误：{exc.filename or site}：{exc.strerror}{full}；网站未更新，仍是上一版：{site}")
        return PUBLISH_FAILED
    _say(f"已发布：{site} → {build.folder.name}")
    return 0


def _disk_full(folder: Path) -> str:
    """A note when the disk holding `folder` is (nearly) full — the likely cause of a failure."""
    try:
        usage = shutil.disk_usage(folder)
    except OSError:
        return ""
    if usage.free >= FULL_BELOW:
        return ""
    return f"：磁盘已满（{folder} 所在磁盘仅剩 {usage.free // 1024} KB），请腾出空间后重试"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
