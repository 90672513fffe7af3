"""Paged-format benchmark: character recall, outline and time per document for PDF, OFD and scans.

Writes the sample reports 002 and 003 with tests/fixtures/formats/make_paged.py (text PDF, OFD per
line and per glyph, image-only PDF scanned at 200 dpi), extracts each as the converter does and
compares it with the .txt: character recall (difflib, non-whitespace characters in order; for OCR
also with full/half widths folded, since ％/% and ，/, look alike on paper), the outline the
converter's outline step finds (h2/h3 counts), and the wall time of one extraction (median of
--runs; one run for scans). Prints a Markdown table. Run on purpose; nothing here is a test.

    .venv/bin/python tests/bench/paged_bench.py            # pdf, ofd, scan
    .venv/bin/python tests/bench/paged_bench.py --no-scan  # without OCR (seconds, not minutes)
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from nianbao.convert.clean import Line
from nianbao.convert.extract.blocks import Extracted
from nianbao.convert.extract.ofd import extract_ofd
from nianbao.convert.extract.pdf import extract_pdf
from nianbao.convert.outline import Heading, parse_outline

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"


def _make_paged() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_paged", FIXTURES / "make_paged.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def recall(expected: str, got: str) -> float:
    a, b = re.sub(r"\s", "", expected), re.sub(r"\s", "", got)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(a)


def outline(lines: Sequence[str]) -> str:
    parsed = parse_outline([Line(n, t) for n, t in enumerate(lines[1:], start=2)])
    levels = [b.level for b in parsed.blocks if isinstance(b, Heading)]
    return f"{levels.count(2)} h2, {levels.count(3)} h3"


def measure(
    extract: Callable[[bytes], Extracted], data: bytes, runs: int
) -> tuple[Extracted, float]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = extract(data)
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per text document (median)")
    parser.add_argument("--no-scan", action="store_true", help="skip the OCR rows")
    args = parser.parse_args(argv)
    paged = _make_paged()
    rows = []
    for number in ("002", "003"):
        header = paged.HEADER_003 if number == "003" else None
        text = paged.report_text(number)
        txt_lines = [line.strip() for line in text.splitlines() if line.strip()]
        cases = [
            ("pdf", extract_pdf, paged.text_pdf(number, header), args.runs),
            ("ofd (per line)", extract_ofd, paged.ofd(number, False, header), args.runs),
            ("ofd (per glyph)", extract_ofd, paged.ofd(number, True, header), args.runs),
        ]
        if not args.no_scan:
            cases.append(("scan (pdf, 200 dpi)", extract_pdf, paged.scanned_pdf(number), 1))
        for name, extract, data, runs in cases:
            extracted, seconds = measure(extract, data, runs)
            got = "\n".join(b.text for b in extracted.blocks)
            raw = recall(text, got)
            folded = recall(unicodedata.normalize("NFKC", text), unicodedata.normalize("NFKC", got))
            rows.append(
                f"| {number} | {name} | {extracted.pages} | {raw:.2%} | {folded:.2%} | "
                f"{outline([b.text for b in extracted.blocks])} (txt: {outline(txt_lines)}) | "
                f"{len(extracted.blocks)} ({len(txt_lines)}) | {seconds:.2f} s |"
                + (
                    f" {extracted.ocr_engine}, {extracted.ocr_confidence}"
                    if extracted.ocr_engine
                    else ""
                )
            )
            print(rows[-1], file=sys.stderr, flush=True)
    print(
        "| report | format | pages | recall | recall, widths folded | outline as converted | "
        "blocks (txt lines) | time per document | OCR |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
