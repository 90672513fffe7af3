"""Chinese text analysis for search: the same tokens at index time (here) and query time (JS).

Recall does not depend on any dictionary: every run of Han characters is indexed as its
overlapping character bigrams (a lone character as itself), the way Lucene's CJK analyzer does,
so any substring a reader copies from a page finds that page (a one-character query matches
as a prefix of the bigrams that begin with it; the last character of a run is indexed alone;
numbers and Latin words are indexed with their suffixes, so a copied "85%" finds "99.85%").
jieba, with a user dictionary built from the corpus (quoted names, organisation names, the
topic vocabulary), decides where those names stand as words: their bigrams are then indexed
twice, so a match of a whole name ranks above a match that straddles words. Tokens are spelled
in ASCII (`h` + three base-35 digits a character, `t` + other words) so the search engine
applies none of its own segmentation or stemming to them.

Queries are read as on a web search engine (`parse_query`: quoted phrases, `-词` to exclude,
`A | B` / `A OR B` for either). `docs/assets/javascripts/search.js` implements `parse_query`,
`query_token_sets` and `query_terms` in the browser; `tests/test_browser_search.py` runs both
implementations on the same strings.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from nianbao.redact import REDACTION

if TYPE_CHECKING:
    import jieba

# Han ideographs: CJK unified (and extension A), compatibility ideographs, U+3007.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007"
# A Han run, or a run of other letters/digits (never Han).
TOKEN_RUN = re.compile(rf"([{HAN}]+)|((?:(?![{HAN}])[^\W_])+)")
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
# Suffixes indexed of a non-Han word (numbers, Latin): enough for any number a report states.
MAX_SUFFIXES = 16
MAX_CUTS = 200_000  # jieba cuts of runs an analyzer keeps (for pages' records and updates)
HAN_PREFIX = "h"
WORD_PREFIX = "t"
# Quoted names worth adding to jieba's dictionary: 3–12 characters, not slogans of a whole line.
_QUOTED = re.compile(r"[“「『]([^“”「」『』]{3,12})[”」』]")
_HAN_ONLY = re.compile(rf"^[{HAN}]+$")


@functools.cache
def _jieba_module() -> ModuleType:
    """jieba, imported when first needed: a build that analyses nothing afresh is spared the
    import (jieba imports pkg_resources)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def normalise(text: str) -> str:
    """NFKC, lower case, invisible characters removed: what both index and query match on."""
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).lower()


# Each Han character is spelled in three base-35 digits (its offset from U+3400); a character
# beyond that range as "z" and five hex digits. Every character has one spelling, so the token of
# a character is a prefix of the tokens of the bigrams it begins.
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxy"
_BASE = len(_DIGITS)
_FIRST = 0x3400


def _spell(char: str) -> str:
    offset = ord(char) - _FIRST
    if not 0 <= offset < _BASE**3:
        return f"z{ord(char):05x}"
    return _DIGITS[offset // _BASE**2] + _DIGITS[offset // _BASE % _BASE] + _DIGITS[offset % _BASE]


@functools.lru_cache(maxsize=1 << 20)  # a corpus has some hundred thousand distinct bigrams
def han_token(chars: str) -> str:
    """Spell one or two Han characters as an ASCII token (three characters each)."""
    return HAN_PREFIX + "".join(_spell(ch) for ch in chars)


def word_token(word: str) -> str:
    """Spell a run of non-Han letters/digits as a token."""
    return WORD_PREFIX + word


def query_tokens(query: str) -> list[str]:
    """Tokens a query's results must all hold (the first of `query_token_sets`)."""
    return query_token_sets(query)[0]


def query_token_sets(query: str) -> list[list[str]]:
    """The token lists to ask the engine for, one search each; their results together hold
    every report that can match. Terms that must all occur give tokens to every list; the
    first either-or group gives one list per alternative (other either-or groups and excluded
    terms are left to the check of each result's text: `Query.matches`)."""
    parsed = parse_query(query)
    required: list[str] = []
    for group in parsed.groups:
        if len(group) == 1:
            required.extend(_term_tokens(group[0]))
    either = next((group for group in parsed.groups if len(group) > 1), ())
    sets = [required + _term_tokens(term) for term in either] or [required]
    return [list(dict.fromkeys(tokens)) for tokens in sets]


def _term_tokens(term: str) -> list[str]:
    tokens: list[str] = []
    for han, other in TOKEN_RUN.findall(term):
        tokens.extend(_bigrams(han) if han else [word_token(other)])
    return tokens


def query_terms(query: str) -> list[str]:
    """Every term a query asks for (any alternative), normalised, once each: what is marked in
    an excerpt."""
    return list(dict.fromkeys(term for group in parse_query(query).groups for term in group))


@dataclass(frozen=True)
class Query:
    """A parsed query: every group must occur (any one of its terms), no excluded term may."""

    groups: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...]

    def matches(self, text: str) -> bool:
        """Whether a normalised text holds every group and no excluded term."""
        return all(any(term in text for term in group) for group in self.groups) and not any(
            term in text for term in self.excluded
        )

    def as_lists(self) -> list[list[object]]:
        """[[group, …], excluded] as lists (what the search box's `parseQuery` returns)."""
        return [[list(group) for group in self.groups], list(self.excluded)]


# Paired quotation marks that make a phrase (after NFKC, the full-width ASCII quotes are these).
# 《…》 quotes a title: the reader wants the words of the title, not the brackets.
QUOTES = {'"': '"', "“": "”", "”": "”", "‘": "’", "'": "'", "「": "」", "『": "』", "《": "》"}
_OR_WORDS = frozenset({"|", "OR"})
# Punctuation that may end or begin a term without being searched for (a "%" is part of a number).
_KEPT_PUNCTUATION = frozenset("%‰#@&")


def parse_query(query: str) -> Query:
    """Read a query as people type one into a web search engine.

    White space (full-width too) separates terms, and every term must occur. A phrase in quotes
    of any kind ("…", “…”, ‘…’, 「…」, 『…』, 《…》) is one term, quotes not searched for.
    `-词` excludes reports holding the term; `A | B` and `A OR B` ask for either. Punctuation
    around a term (a sentence's final 。 or ？) is not part of it.
    """
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", query))
    groups: list[list[str]] = []
    excluded: list[str] = []
    either = False  # the previous word was | or OR
    for word, negated, phrase in _words(text):
        if not phrase and word in _OR_WORDS:
            either = bool(groups)
            continue
        term = _clean_term(word)
        if not term:
            continue
        if negated:
            excluded.append(term)
        elif either and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        either = False
    unique = {tuple(dict.fromkeys(group)): None for group in groups}
    return Query(tuple(unique), tuple(dict.fromkeys(excluded)))


def _words(text: str) -> Iterator[tuple[str, bool, bool]]:
    """(word, excluded?, quoted phrase?) in order; `|` is a word of its own."""
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        if char == "|":
            yield "|", False, False
            position += 1
            continue
        negated = char == "-" and position + 1 < end and not text[position + 1].isspace()
        if negated:
            position += 1
            char = text[position]
        close = text.find(QUOTES[char], position + 1) if char in QUOTES else -1
        if close != -1:
            yield text[position + 1 : close], negated, True
            position = close + 1
            continue
        stop = position
        while stop < end and not text[stop].isspace() and text[stop] != "|":
            stop += 1
        yield text[position:stop], negated, False
        position = stop


def _clean_term(word: str) -> str:
    """A term as matched: lower case, punctuation at its ends (an unpaired quote, a final 。)
    dropped; empty when nothing searchable is left. Quotes inside a word stay: text copied
    from a page (个“牛鼻子”) is searched as written."""
    word = " ".join(word.split())
    start, stop = 0, len(word)
    while start < stop and _edge_punctuation(word[start]):
        start += 1
    while stop > start and _edge_punctuation(word[stop - 1]):
        stop -= 1
    term = word[start:stop].lower()
    return term if TOKEN_RUN.search(term) else ""


def _edge_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P") and char not in _KEPT_PUNCTUATION


class Analyzer:
    """Index-time analysis with a jieba tokenizer of our own (jieba's global state untouched)."""

    def __init__(
        self, user_words: Iterable[str] = (), load: Callable[[], None] | None = None
    ) -> None:
        self._tokenizer: jieba.Tokenizer | None = None
        # What loads jieba's dictionary when first needed (the build's keeps it in its cache:
        # nianbao.speed.memo.load_dictionary).
        self._load_dictionary = load or load_dictionary
        self.user_words = sorted({w for w in user_words if _HAN_ONLY.match(w) and len(w) >= 2})
        self._known_words = frozenset(self.user_words)
        # A run holding none of the dictionary words is not cut at all (jieba could not find
        # one in it): most runs, so most of jieba's work is skipped, with the same tokens.
        # Words are looked up by their first two characters: a regular expression of all of
        # them is tried at every position with every word, and archives quote thousands.
        self._word_sizes: dict[str, tuple[int, ...]] = {}
        for word in self.user_words:
            sizes = self._word_sizes.get(word[:2], ())
            self._word_sizes[word[:2]] = (*sizes, len(word))
        # Each run jieba has cut: the tokens of the dictionary words it found (see _cut).
        self.cuts: dict[str, list[str]] = {}
        self._recorded: dict[str, list[str]] | None = None

    @property
    def _jieba(self) -> jieba.Tokenizer:
        """jieba with the user dictionary, loaded when first needed (an update whose runs were
        all cut before never loads it)."""
        if self._tokenizer is None:
            self._load_dictionary()
            self._tokenizer = _tokenizer()
            for word in self.user_words:
                self._tokenizer.add_word(word, freq=20000)
        return self._tokenizer

    def remember_cuts(self, cuts: Mapping[str, list[str]]) -> None:
        """Take the cuts of runs made before with the same user dictionary (from the cache)."""
        self.cuts.update(cuts)

    @contextlib.contextmanager
    def recording_cuts(self) -> Iterator[dict[str, list[str]]]:
        """Collect the cuts of every run analysed in the block (to keep them with its page)."""
        self._recorded = recorded = {}
        try:
            yield recorded
        finally:
            self._recorded = None

    def index_tokens(self, text: str) -> list[str]:
        """Tokens of a text for the index: every bigram once; the bigrams of the corpus's own
        names and terms (the user dictionary), where jieba finds them as words, again."""
        plain, names = self.index_token_parts(text)
        return plain + names

    def index_token_parts(self, text: str) -> tuple[list[str], list[str]]:
        """The tokens of `index_tokens` in two parts: every token, and the dictionary words'."""
        tokens: list[str] = []
        names: list[str] = []
        for han, other in TOKEN_RUN.findall(normalise(text)):
            if not han:
                # The word and its suffixes: "23年" copied out of "2023年" still matches.
                tokens.extend(word_token(other[i:]) for i in range(min(len(other), MAX_SUFFIXES)))
                continue
            run_tokens, run_names = self._han_run(han)
            tokens.extend(run_tokens)
            names.extend(run_names)
        return tokens, names

    def _han_run(self, han: str) -> tuple[list[str], list[str]]:
        """A Han run's tokens, and those of the dictionary words jieba finds in it."""
        tokens = _bigrams(han)
        if len(han) > 1:
            # Every character must begin some token: a one-character query is a prefix
            # search, and the last character of a run begins no bigram.
            tokens.append(han_token(han[-1]))
        names: list[str] = []
        if len(han) > 2 and self._holds_word(han):
            names = self._cut(han)
        return tokens, names

    def _holds_word(self, han: str) -> bool:
        """Whether a Han run holds one of the user dictionary's words."""
        for start in range(len(han) - 1):
            sizes = self._word_sizes.get(han[start : start + 2])
            if sizes and any(han[start : start + size] in self._known_words for size in sizes):
                return True
        return False

    def _cut(self, han: str) -> list[str]:
        """The tokens of the dictionary words jieba finds in a run (cut now, or before)."""
        names = self.cuts.get(han)
        if names is None:
            names = []
            for word in self._jieba.cut(han, HMM=False):
                if word in self._known_words:
                    names.extend(_bigrams(word))
            if len(self.cuts) >= MAX_CUTS:
                self.cuts.clear()
            self.cuts[han] = names
        if self._recorded is not None:
            self._recorded[han] = names
        return names

    def words(self, text: str) -> list[str]:
        """jieba's words of a text (for tests and diagnostics)."""
        return [w for w in self._jieba.cut(normalise(text), HMM=False) if w.strip()]


_loaded: list[jieba.Tokenizer] = []  # jieba with its own dictionary only, once loaded


def load_dictionary() -> None:
    """Load jieba's own dictionary now, e.g. while the build waits for something else;
    processes forked later inherit it instead of each loading it again."""
    if not _loaded:
        tokenizer = _jieba_module().Tokenizer()
        tokenizer.initialize()
        _loaded.append(tokenizer)


def use_dictionary(frequencies: dict[str, int], total: int) -> None:
    """Take these word frequencies as jieba's dictionary (as `loaded_dictionary` gave them)."""
    if not _loaded:
        _loaded.append(_tokenizer_with(frequencies, total))


def loaded_dictionary() -> tuple[dict[str, int], int] | None:
    """jieba's dictionary once loaded: its word frequencies and their total."""
    return (_loaded[0].FREQ, _loaded[0].total) if _loaded else None


def _tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer of our own: a copy of the loaded one's word frequencies when jieba's
    dictionary is loaded already, else jieba loads it."""
    if _loaded:
        return _tokenizer_with(dict(_loaded[0].FREQ), _loaded[0].total)
    return _jieba_module().Tokenizer()


def _tokenizer_with(frequencies: dict[str, int], total: int) -> jieba.Tokenizer:
    """A jieba tokenizer whose dictionary is these word frequencies (jieba loads nothing)."""
    tokenizer = _jieba_module().Tokenizer()
    tokenizer.FREQ, tokenizer.total = frequencies, total
    tokenizer.initialized = True
    return tokenizer


def user_dictionary(texts: Iterable[str], names: Iterable[str] = ()) -> list[str]:
    """Words for jieba built from the corpus: quoted names (“南太湖健康保”) and given names.

    Redaction marks split a name; only fully written Han names are kept.
    """
    words: set[str] = set()
    candidates = [quoted for text in texts for quoted in _QUOTED.findall(text)]
    for name in [*candidates, *names]:
        for part in REDACTION.split(name):
            part = normalise(part)
            if _HAN_ONLY.match(part) and 2 <= len(part) <= 12:
                words.add(part)
    return sorted(words)


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [han_token(run)]
    return list(map(han_token, map(operator.add, run, run[1:])))  # run[i] + run[i + 1]
