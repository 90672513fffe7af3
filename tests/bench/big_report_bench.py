"""One big report: conversion and build time against its size, to see whether any step grows
faster than the text (the converter refuses files over `--max-bytes`, 5 MB by default).

For each size, a report of that many MB is made from the sample report's paragraphs, each
paragraph's figures and wording varied so that it is not one text repeated; it is converted
(with `--max-bytes` raised) and the site built. Prints a Markdown table with seconds per MB:
a column that grows with the size is a step that is worse than linear.

    .venv/bin/python tests/bench/big_report_bench.py --sizes 1 2 4 8

Found with it: the converter is linear (about 0.8 s/MB); the build is not, because
Python-Markdown's raw-HTML block parser copies the rest of the page at the end of every HTML block
(`rawdata[...:]` in markdown/htmlparser.py `handle_endtag`), and a report's paragraphs that hold
redaction marks are HTML blocks (nianbao.convert.render): O(blocks × size). At 16 MB that step
alone took
48 s of a 186 s build (cProfile). The converter's size limit keeps one report well below where
that step dominates.

Run on purpose; nothing here is a test.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from search_bench import table  # noqa: E402
from sites import REPO, build_ours, convert  # noqa: E402

SEED = REPO / "reports" / "002_0764572fe450674b.txt"
WORDS = ("参保", "基金", "监管", "经办", "服务", "改革", "救助", "集采", "结算", "宣传")


def make_report(path: Path, megabytes: float, seed: int = 0) -> float:
    """Write a report of about `megabytes` MB; return the share of distinct paragraphs."""
    rng = random.Random(seed)
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n")[1:] if p.strip()]
    lines = ["辛县医疗保障局2023年工作总结和2024年工作思路"]
    size, target = 0, int(megabytes * 1024 * 1024)
    while size < target:
        paragraph = rng.choice(paragraphs)
        # Vary numbers and a word, as reports differ from each other.
        varied = "".join(str(rng.randint(0, 9)) if ch.isdigit() else ch for ch in paragraph)
        varied = varied.replace(rng.choice(WORDS), rng.choice(WORDS), 1)
        lines.append(varied)
        size += len(varied.encode()) + 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(set(lines)) / len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Big-report benchmark (see module docstring).")
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="nianbao-big-") as scratch:
        root = args.workdir or Path(scratch)
        for megabytes in args.sizes:
            work = root / f"{megabytes:g}mb"
            reports = work / "reports"
            reports.mkdir(parents=True)
            distinct = make_report(reports / "big.txt", megabytes)
            limit = str(int(megabytes * 1024 * 1024) + 1024 * 1024)
            converted = convert(reports, work / "docs", "--no-cache", "--max-bytes", limit)
            built = build_ours(work / "docs", work / "site")
            rows.append(
                [
                    f"{megabytes:g}",
                    f"{distinct:.0%}",
                    f"{converted.seconds:.1f}",
                    f"{converted.seconds / megabytes:.2f}",
                    f"{built.seconds:.1f}",
                    f"{built.seconds / megabytes:.2f}",
                    f"{max(converted.peak_mb, built.peak_mb):.0f}",
                ]
            )
            print(rows[-1], file=sys.stderr)
    header = ["MB", "distinct paragraphs", "convert s", "s/MB", "build s", "s/MB", "peak MB"]
    print(table(header, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
