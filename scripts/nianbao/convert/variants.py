"""Near-duplicate detection: which report is a redacted copy (variant) of which (converter).

Two reports are variants when their bodies differ only where one of them has redaction marks
(and by at most a sliver of other text). Candidates come from shared sampled shingles, so the
work stays near linear in the number of reports; each candidate pair is then aligned.
"""

from __future__ import annotations

import difflib
import itertools
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Mapping

from nianbao.redact import REDACTION

SHINGLE = 8  # characters per shingle
SAMPLE_MODULUS = 4  # keep one shingle in four (by hash), the same ones in every report
MAX_POSTING = 64  # shingles shared by more reports than this are boilerplate, not evidence
MIN_SHARED = 0.5  # share of the smaller report's sampled shingles two candidates must share
MAX_OTHER_DIFF = 0.02  # share of text that may differ outside redactions
MAX_NEW_NUMBERS = 2  # numbers a copy may have that its original has not
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def find_variants(
    bodies: Mapping[str, str], shingles: Mapping[str, set[int]] | None = None
) -> dict[str, str]:
    """Return {slug of redacted copy: slug of the report it copies} for every variant pair.

    Args:
        bodies: report body text (title line excluded) by slug.
        shingles: `sampled_shingles` of each body, when already computed (in parallel).
    """
    sampled = {
        slug: shingles[slug] if shingles else sampled_shingles(text)
        for slug, text in bodies.items()
    }
    # Only shingles that two to MAX_POSTING reports share are evidence: most are in one report,
    # and the boilerplate ones in hundreds (counted in C, then left out before the slow part).
    reports_of = Counter(itertools.chain.from_iterable(sampled.values()))
    evidence = {shingle for shingle, n in reports_of.items() if 2 <= n <= MAX_POSTING}
    postings: dict[int, list[str]] = defaultdict(list)
    for slug in sorted(sampled):
        for shingle in sampled[slug] & evidence:
            postings[shingle].append(slug)
    shared: Counter[tuple[str, str]] = Counter()
    for slugs in postings.values():
        shared.update(itertools.combinations(slugs, 2))  # counted in C: 10,000s of pairs
    sizes = {slug: len(shingles) for slug, shingles in sampled.items()}
    candidates = sorted(
        pair
        for pair, count in shared.items()
        if count / (min(sizes[pair[0]], sizes[pair[1]]) or 1) >= MIN_SHARED
    )
    copies: dict[str, str] = {}
    numbers: dict[str, Counter[str]] = {}
    for first, second in candidates:
        for slug in (first, second):
            if slug not in numbers:
                numbers[slug] = Counter(_NUMBER.findall(bodies[slug]))
        if not _numbers_fit(numbers[first], numbers[second]):
            continue
        if not _differ_only_by_redactions(bodies[first], bodies[second]):
            continue
        copy, original = _copy_and_original(first, second, bodies)
        if copy not in copies:
            copies[copy] = original
    return copies


def _numbers_fit(first: Counter[str], second: Counter[str]) -> bool:
    """A redacted copy only hides numbers: one side's numbers are (almost) all in the other's.

    A cheap test that rules out most look-alike pairs (reports made from one template, with
    other figures) before the costly alignment.
    """
    return min(sum((first - second).values()), sum((second - first).values())) <= MAX_NEW_NUMBERS


def sampled_shingles(text: str) -> set[int]:
    """The sampled shingles of a body text: what near-duplicates share (CRC-32 of each run of
    SHINGLE characters, hashed in C over the text's UTF-32 bytes; kept by value, so the same
    shingles are sampled in every report)."""
    data = REDACTION.sub("", text).encode("utf-32-le")
    width = 4 * SHINGLE
    windows = [data[start : start + width] for start in range(0, len(data) - width + 1, 4)]
    return {value for value in map(zlib.crc32, windows) if value % SAMPLE_MODULUS == 0}


def _differ_only_by_redactions(first: str, second: str) -> bool:
    """Align lines first, then characters within changed lines; stop once too much differs."""
    limit = MAX_OTHER_DIFF * max(len(first), len(second))
    first_lines, second_lines = first.splitlines(), second.splitlines()
    lines = difflib.SequenceMatcher(None, first_lines, second_lines, autojunk=False)
    other = 0
    for tag, a0, a1, b0, b1 in lines.get_opcodes():
        if tag == "equal":
            continue
        if a1 - a0 == b1 - b0:
            pairs = list(zip(first_lines[a0:a1], second_lines[b0:b1], strict=True))
        else:
            pairs = [("\n".join(first_lines[a0:a1]), "\n".join(second_lines[b0:b1]))]
        for left, right in pairs:
            other += _other_changes(left, right)
            if other > limit:
                return False
    return True


def _other_changes(first: str, second: str) -> int:
    """Characters changed between two texts other than by redaction."""
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    other = 0
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        left, right = first[a0:a1], second[b0:b1]
        # A change is a redaction when one side of it is only redaction marks.
        if _only_redactions(left) or _only_redactions(right):
            continue
        other += max(len(left), len(right))
    return other


def _only_redactions(text: str) -> bool:
    return bool(text) and not REDACTION.sub("", text).strip()


def _copy_and_original(first: str, second: str, bodies: Mapping[str, str]) -> tuple[str, str]:
    """The copy is the more redacted one; on a tie, the later slug."""
    first_marks = len(REDACTION.findall(bodies[first]))
    second_marks = len(REDACTION.findall(bodies[second]))
    if first_marks > second_marks:
        return first, second
    return second, first
