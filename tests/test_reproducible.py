"""Reproducible output: two clean builds of the same reports give the same site, byte for byte,
every file compared — Pagefind's index included (nianbao.search.pagefind_stable)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from conftest import FIXTURES, build_site
from nianbao.search.pagefind_stable import SIGNATURE, UnstableBundle, _read

pytestmark = pytest.mark.build


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build_site(FIXTURES / "yoy", tmp_path / "first")
    second = build_site(FIXTURES / "yoy", tmp_path / "second")
    one, two = _files(first.site_dir), _files(second.site_dir)
    assert sorted(one) == sorted(two), first.reproduce
    differing = sorted(name for name in one if one[name] != two[name])
    assert differing == [], f"{first.reproduce}, then again into another folder"
    # Pagefind's filter indexes are among them (they came out in random order before).
    assert any(name.endswith(".pf_filter") for name in one)


def test_a_pagefind_file_of_an_unknown_form_is_refused_not_rewritten(tmp_path: Path) -> None:
    odd = tmp_path / "zxx_0000000.pf_filter"
    odd.write_bytes(gzip.compress(SIGNATURE + b"\xf5"))  # CBOR `true`: Pagefind writes none
    with pytest.raises(UnstableBundle, match=r"zxx_0000000\.pf_filter: CBOR major type 7"):
        _read(odd)
