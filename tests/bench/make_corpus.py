"""Synthetic corpus for benchmarks: N raw reports made from the sample corpus (`reports/`).

Each report takes one seed report and gives it an organisation of its own (a made-up county
name in place of the seed's, redacted or not), a year (every year written in the text shifts
with it), other numbers (same number of digits) and a random fifth of its sentences left out,
so that reports differ from each other as real ones do: which words a report holds varies.
Organisations have reports over several years. Output is deterministic for a given --seed.

Copies of five seeds repeat their phrases far more than real reports do, which rewards any step
that remembers repeated text. So a share of each copy's words (`--vary`) is swapped for other
dictionary words of the same length and part of speech (jieba's dictionary), which makes the
share of distinct Han runs close to the seed reports' own; `distinct_run_share` measures it and
the corpus's share is printed beside every benchmark that uses it.

    python tests/bench/make_corpus.py 1000 /tmp/corpus-1000
"""

from __future__ import annotations

import argparse
import bisect
import functools
import random
import re
from collections.abc import Iterable
from pathlib import Path

import jieba

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
# Share of dictionary words swapped in each copy: at 1,000 reports it puts the corpus's share of
# distinct Han runs near the seed reports' own (both are printed by `main`).
VARY_WORDS = 0.6
# Han runs as the search analysis cuts them (scripts/nianbao/search/analysis.py); runs of three or
# more
# characters are the ones jieba is asked to cut.
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007]{3,}")
_HAN_WORD = re.compile("^[\u4e00-\u9fff]{2,4}$")
# Swap candidates: words of middling frequency in jieba's dictionary (the rarest are odd
# characters, the commonest function words whose swap would not read as another report's wording).
_MIN_FREQ, _MAX_FREQ = 20, 20_000


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


def distinct_run_share(texts: Iterable[str]) -> tuple[float, int]:
    """Return (distinct Han runs / all Han runs, all Han runs) over `texts`."""
    runs = [run for text in texts for run in _HAN_RUN.findall(text)]
    return (len(set(runs)) / len(runs) if runs else 0.0), len(runs)


@functools.cache
def _swap_words() -> dict[tuple[int, str], tuple[list[str], list[int]]]:
    """Dictionary words by (length, part of speech): the words and their cumulative frequencies."""
    groups: dict[tuple[int, str], tuple[list[str], list[int]]] = {}
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        if _HAN_WORD.match(word) and _MIN_FREQ <= int(freq) <= _MAX_FREQ:
            words, cumulative = groups.setdefault((len(word), tag), ([], []))
            words.append(word)
            cumulative.append(int(freq) + (cumulative[-1] if cumulative else 0))
    return groups


@functools.cache
def _tags() -> dict[str, str]:
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    return {
        word: tag
        for word, _, tag in (
            line.split(" ") for line in dictionary.read_text(encoding="utf-8").splitlines()
        )
    }


def vary_wording(text: str, share: float, chooser: random.Random) -> str:
    """Swap `share` of the text's dictionary words for others of the same length and tag.

    Numbering, numbers and punctuation stay, so the outline and the figures still parse.
    """
    if share <= 0:
        return text
    groups, tags = _swap_words(), _tags()
    out = []
    for word in jieba.lcut(text, HMM=False):
        group = groups.get((len(word), tags.get(word, "")))
        if group and _HAN_WORD.match(word) and chooser.random() < share:
            words, cumulative = group
            pick = bisect.bisect_right(cumulative, chooser.random() * cumulative[-1])
            word = words[min(pick, len(words) - 1)]
        out.append(word)
    return "".join(out)


def make_corpus(
    count: int, out_dir: Path, seed: int = 2023, word_share: float = VARY_WORDS
) -> list[Path]:
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
        text = _vary_body(vary(seed_text, counties[org], year, chooser), word_share, chooser)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _vary_body(text: str, share: float, chooser: random.Random) -> str:
    """Vary the wording of all but the title line and headings' first sentences.

    Those keep their words: they carry the outline, the plan year and the organisation, and real
    reports repeat their headings' wording far more than their paragraphs'.
    """
    lines = text.splitlines(keepends=True)
    out = lines[:1]
    for line in lines[1:]:
        kept = ""
        if _HEADING.match(line):
            end = line.find("。") + 1 or len(line)
            kept, line = line[:end], line[end:]
        out.append(kept + vary_wording(line, share, chooser))
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of reports")
    parser.add_argument("out_dir", type=Path, help="folder to write them into")
    parser.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    parser.add_argument(
        "--vary",
        type=float,
        default=VARY_WORDS,
        help=f"share of dictionary words swapped in each copy (default {VARY_WORDS}; 0: none)",
    )
    args = parser.parse_args(argv)
    paths = make_corpus(args.count, args.out_dir, args.seed, args.vary)
    print(f"{len(paths)} reports in {args.out_dir}")
    print(share_line(args.out_dir))
    return 0


def share_line(corpus: Path) -> str:
    """One line comparing the corpus's share of distinct Han runs with the seed reports'."""
    ours, runs = distinct_run_share(p.read_text(encoding="utf-8") for p in corpus.glob("*.txt"))
    seeds, seed_runs = distinct_run_share(
        p.read_text(encoding="utf-8-sig") for p in SEEDS.glob("*.txt")
    )
    return (
        f"distinct Han runs (3+ characters): corpus {ours:.0%} of {runs:,}; "
        f"seed reports {seeds:.0%} of {seed_runs:,}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
