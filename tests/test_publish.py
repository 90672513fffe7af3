"""The build layer without a build: the cache's format and checksums (nianbao.speed.cache_codec,
nianbao.speed.cache), staged folders and the site link (nianbao.build.publish), and the lock
(nianbao.build.lock).
The whole-build faults are in test_faults.py."""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import report_meta
from nianbao.build.lock import LockBusy, lock_path, output_lock
from nianbao.build.plan import BuildState, PageInfo
from nianbao.build.publish import (
    begin_site_build,
    discard_site_build,
    publish_site,
    recover_folder,
    staged_folder,
)
from nianbao.site.figures import Figure
from nianbao.site.pages import ReportPage
from nianbao.site.sections import Section
from nianbao.site.threads import SectionRef
from nianbao.speed.cache import DATABASE_FILE, Cache, report_damaged, scoped_root
from nianbao.speed.cache_codec import CodecError, decode, encode


def test_records_round_trip_through_the_cache_format() -> None:
    section = Section("s1", "一、基本情况", 2, "参保人数123456人。")
    figure = Figure("参保人数", 123456.0, "123456人", "人", "", False, "2023年", "参保…", "s1")
    page = ReportPage(
        "reports/a.md",
        "reports/a/",
        report_meta("a", tags=["医保基金"], provenance={"year": "推断"}),
        (section,),
        (figure,),
        (("医保", SectionRef("a", "s1", "一")),),
    )
    state = BuildState("setup", {"reports/a.md": PageInfo("k", "a", "o", ("b",), 2023)}, {"x"})
    value = {"page": page, "state": state, 3: b"\x00\xff", "set": {1, 2}, "t": (1, "二")}
    assert decode(encode(value)) == value


@pytest.mark.parametrize(
    "entry",
    [
        b'{"\\u0000t":"subprocess:Popen","args":["true"]}',  # not a record of ours
        b'{"\\u0000t":"nianbao.build.lock:LockBusy","path":"x","pid":1}',  # ours, not a record
        b'{"\\u0000t":"nianbao.no_such:Thing"}',
        pickle.dumps(Figure("a", 1.0, "1", "人", "", False, "", "", "")),
        b'{"\\u0000t":"nianbao.site.figures:Figure","indicator":"a"}',  # fields missing
        b"\x80\x04garbage",
    ],
    ids=["other module", "not a dataclass", "no module", "pickle", "missing fields", "garbage"],
)
def test_an_entry_that_is_not_our_format_is_refused(entry: bytes) -> None:
    with pytest.raises(CodecError):
        decode(entry)


def test_a_damaged_entry_is_a_miss_removed_and_counted(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "a", "pages")
    cache.put("edited", {"value": 123456})
    cache.put("cut", "参保人数" * 10)
    cache.put("sound", [1, 2])
    with sqlite3.connect(tmp_path / "a" / DATABASE_FILE) as database:
        database.execute(
            "UPDATE entries SET value = ? WHERE key = 'edited'", (b'{"value":923456}',)
        )
        database.execute("UPDATE entries SET value = substr(value, 1, 5) WHERE key = 'cut'")
    reader = Cache(tmp_path / "a", "pages")
    assert reader.get("edited") is None and not reader.has("cut")
    assert reader.get("sound") == [1, 2]
    assert reader.damaged == 2 and not reader.has("edited")  # removed: now simply missing
    assert report_damaged(tmp_path) == 2
    assert report_damaged(tmp_path) == 0  # reported once


def test_each_input_folder_has_its_own_entries(tmp_path: Path) -> None:
    one, two = scoped_root(tmp_path, tmp_path / "r1"), scoped_root(tmp_path, tmp_path / "r2")
    assert one != two and one == scoped_root(tmp_path, tmp_path / "x" / ".." / "r1")
    Cache(one, "parsed").put("k", 1)
    assert Cache(two, "parsed").get("k") is None
    assert Cache(two, "parsed").prune() == 0 and Cache(one, "parsed").get("k") == 1


def test_a_staged_folder_replaces_the_folder_only_when_the_block_ends(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "a.md").write_text("旧", encoding="utf-8")
    with pytest.raises(RuntimeError), staged_folder(out) as staging:
        (staging / "a.md").unlink()
        (staging / "a.md").write_text("新", encoding="utf-8")
        raise RuntimeError("the conversion crashed")
    assert (out / "a.md").read_text(encoding="utf-8") == "旧"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    with staged_folder(out) as staging:
        (staging / "a.md").unlink()
        (staging / "a.md").write_text("新", encoding="utf-8")
        assert (out / "a.md").read_text(encoding="utf-8") == "旧"  # a hard link was replaced
    assert (out / "a.md").read_text(encoding="utf-8") == "新"


def test_a_swap_cut_off_between_its_renames_is_repaired(tmp_path: Path) -> None:
    old = tmp_path / ".reports.old"
    old.mkdir()
    (old / "a.md").write_text("旧", encoding="utf-8")
    recover_folder(tmp_path / "reports")
    assert (tmp_path / "reports" / "a.md").read_text(encoding="utf-8") == "旧"


def test_the_site_is_switched_by_one_link_and_a_failed_build_leaves_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("v0", encoding="utf-8")  # from before atomic publishing
    first = begin_site_build(site, update=True)
    assert first.base is None  # a folder never published by us: built afresh
    (first.folder / "index.html").write_text("v1", encoding="utf-8")
    publish_site(first)
    assert site.is_symlink() and (site / "index.html").read_text(encoding="utf-8") == "v1"
    update = begin_site_build(site, update=True)
    assert update.base == first.folder
    assert (update.folder / "index.html").read_text(encoding="utf-8") == "v1"  # a copy
    (update.folder / "index.html").write_text("v2", encoding="utf-8")
    assert (site / "index.html").read_text(encoding="utf-8") == "v1"
    discard_site_build(update)
    assert (site / "index.html").read_text(encoding="utf-8") == "v1"
    (site / "index.html").unlink()  # a published site changed by hand: the update starts afresh
    assert begin_site_build(site, update=True).base is None


def test_a_second_run_waits_for_the_lock_or_stops_naming_the_holder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import sys, time
                from pathlib import Path
                from nianbao.build.lock import output_lock
                with output_lock(Path({str(site)!r})):
                    print("held", flush=True)
                    sys.stdin.read()
            """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LockBusy) as busy, output_lock(site, wait=False):
            pass
        assert str(busy.value).startswith(f"另一个构建正在进行（PID {holder.pid}）")
    finally:
        holder.communicate("")
    said: list[str] = []
    with output_lock(site, say=said.append) as path:
        assert path == lock_path(site)
        assert lock_path(site).read_text(encoding="ascii") == f"{os.getpid()}\n"
    assert said == [] and holder.returncode == 0
