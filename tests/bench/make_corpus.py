"""Synthetic corpus for benchmarks: N raw reports made from the sample corpus (`reports/`).

Each report takes one seed report and gives it an organisation of its own (a made-up county
name in place of the seed's, redacted or not), a year (every year written in the text shifts
with it), other numbers (same number of digits) and a random fifth of its sentences left out,
so that reports differ from each other as real ones do: which words a report holds varies.
Organisations have reports over several years. Output is deterministic for a given --seed.

    python tests/bench/make_corpus.py 1000 /tmp/corpus-1000
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "reports"
FIRST_YEAR, LAST_YEAR = 2016, 2024
SEED_YEAR = 2023
# Characters county names are made of (two of them, then 县).
NAME_CHARS = "安宁平和泰丰华兴永康长乐清河阳山东西南北中新福寿临江海云龙凤岭溪桥石林松竹梅兰"
# Where a seed names its organisation or county, redacted or not.
_ORG = re.compile(r"(?:XX|\*\*)?县医疗保障局|XX局")
_COUNTY = re.compile(r"(?:XX|\*\*)县|遂溪县")
_NUMBER = re.compile(r"(20[12]\d)(?=年|－|-)|\d+(?:\.\d+)?")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])")
KEEP_SENTENCE = 0.8


def county_names(count: int, chooser: random.Random) -> list[str]:
    """`count` distinct county names (two characters and 县; three when two run out)."""
    names: list[str] = []
    seen: set[str] = set()
    width = 2
    while len(names) < count:
        if len(seen) > 0.9 * len(NAME_CHARS) ** width:
            width += 1
        name = "".join(chooser.choice(NAME_CHARS) for _ in range(width)) + "县"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def vary(seed_text: str, county: str, year: int, chooser: random.Random) -> str:
    """One synthetic report: the seed with another county, year and numbers, sentences dropped."""
    shift = year - SEED_YEAR

    def number(match: re.Match[str]) -> str:
        if match.group(1):
            return str(int(match.group(1)) + shift)
        digits = [chooser.choice("0123456789") if ch.isdigit() else ch for ch in match.group()]
        if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
            digits[0] = chooser.choice("123456789")
        return "".join(digits)

    text = _ORG.sub(f"{county}医疗保障局", seed_text)
    text = _COUNTY.sub(county, text)
    if county not in text:
        # A seed that names no organisation (000 has no title and says only 我局) would make
        # one organisation of all its copies: give the copy a title line naming its county.
        text = f"{county}医疗保障局{SEED_YEAR}年党建工作总结\n" + text
    text = _NUMBER.sub(number, text)
    lines = []
    for line in text.splitlines():
        sentences = re.findall(r"[^。]*。|[^。]+$", line)
        if len(sentences) < 3 or _HEADING.match(line):
            lines.append(line)
            continue
        kept = [sentences[0]] + [s for s in sentences[1:] if chooser.random() < KEEP_SENTENCE]
        lines.append("".join(kept))
    return "\n".join(lines) + "\n"


def make_corpus(count: int, out_dir: Path, seed: int = 2023) -> list[Path]:
    """Write `count` reports into `out_dir` (which must not hold other .txt files)."""
    chooser = random.Random(seed)
    seeds = [path.read_text(encoding="utf-8-sig") for path in sorted(SEEDS.glob("*.txt"))]
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    org_count = max(1, count // 6)  # about six reports an organisation
    counties = county_names(org_count, chooser)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        org = index % org_count
        year = years[(index // org_count + org) % len(years)]
        seed_text = seeds[(index // org_count + org) % len(seeds)]
        path = out_dir / f"r{index:05d}.txt"
        path.write_text(vary(seed_text, counties[org], year, chooser), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of reports")
    parser.add_argument("out_dir", type=Path, help="folder to write them into")
    parser.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    args = parser.parse_args(argv)
    paths = make_corpus(args.count, args.out_dir, args.seed)
    print(f"{len(paths)} reports in {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
