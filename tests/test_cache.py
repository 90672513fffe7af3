"""The on-disk cache (nianbao.speed.cache): values round-trip, pruning keeps what was used, and a
cache removed under a running process (`make clean`) only costs time."""

from __future__ import annotations

import shutil
from pathlib import Path

from nianbao.speed import cache
from nianbao.speed.cache import DATABASE_FILE, Cache, code_fingerprint


def test_values_round_trip_by_namespace_and_prune_keeps_the_used(tmp_path: Path) -> None:
    parsed, pages = Cache(tmp_path, "parsed"), Cache(tmp_path, "pages")
    parsed.put("a", {"text": "医保基金"})
    parsed.put("b", [1, 2])
    pages.put("a", "another namespace")
    assert (tmp_path / DATABASE_FILE).is_file()
    reader = Cache(tmp_path, "parsed")
    assert reader.get("a") == {"text": "医保基金"} and reader.get("c") is None
    assert (reader.hits, reader.misses) == (1, 1)
    assert reader.prune() == 1  # "b" was not used by this reader
    assert not reader.has("b") and reader.has("a")
    assert Cache(tmp_path, "pages").get("a") == "another namespace"


def test_a_cache_removed_while_in_use_is_made_again(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    cache = Cache(root, "parsed")
    cache.put("a", 1)
    assert cache.get("a") == 1
    shutil.rmtree(root)  # `make clean` while this process keeps the database open
    assert cache.get("a") is None
    cache.put("a", 2)
    assert Cache(root, "parsed").get("a") == 2 and (root / DATABASE_FILE).is_file()


def test_no_root_keeps_nothing(tmp_path: Path) -> None:
    cache = Cache(None, "parsed")
    cache.put("a", 1)
    assert cache.get("a") is None and not cache.enabled and cache.prune() == 0


def test_a_change_in_a_sub_package_makes_old_entries_stale(tmp_path: Path) -> None:
    """Entries are keyed by the code that computed them: an edit to an input format's reader
    (a module in a sub-package, such as extract/) must change the key, not reuse old parses."""
    source = Path(cache.__file__).parents[1]
    same, edited = tmp_path / "same" / "nianbao", tmp_path / "edited" / "nianbao"
    shutil.copytree(source, same)
    shutil.copytree(source, edited)
    reader = next(edited.glob("convert/extract/*.py"))
    reader.write_text(reader.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert code_fingerprint(same) == code_fingerprint(source)
    assert code_fingerprint(edited) != code_fingerprint(source)
