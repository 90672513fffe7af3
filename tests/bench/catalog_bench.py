"""Catalog benchmark: reading catalogs of growing size, and refusing the alias bomb.

    .venv/bin/python tests/bench/catalog_bench.py --sizes 1000 10000 20000

Prints a Markdown table of seconds per size (a linear reader keeps seconds per 1,000 entries
flat) and the time to refuse the 568-byte alias bomb. Run on purpose; nothing here is a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from nianbao.convert.catalog import parse_catalog  # noqa: E402
from test_catalog import ALIAS_BOMB, make_big_catalog  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000])
    args = parser.parse_args()
    print("| entries | bytes | seconds | s per 1,000 |")
    print("| ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        text, names = make_big_catalog(size)
        start = time.perf_counter()
        entries, problems = parse_catalog(text, Path("catalog.yml"), names)
        seconds = time.perf_counter() - start
        assert len(entries) == size and not problems
        print(
            f"| {size:,} | {len(text.encode()):,} | {seconds:.2f} | {seconds / size * 1000:.3f} |"
        )
    start = time.perf_counter()
    _, problems = parse_catalog(ALIAS_BOMB, Path("catalog.yml"), {"r.txt"})
    seconds = time.perf_counter() - start
    print(f"\nalias bomb ({len(ALIAS_BOMB.encode())} bytes): refused in {seconds * 1000:.1f} ms —")
    print(f"  {problems[0].message}")


if __name__ == "__main__":
    main()
