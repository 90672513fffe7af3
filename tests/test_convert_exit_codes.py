"""The converter's exit codes and messages: each bad input named in Chinese with the reason, the
rest converted, and the code saying one thing (0 all converted, 1 some skipped, 2 usage or
catalog, 3 a bug); the Makefile builds the site on 0 and 1 only."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, convert_reports
from mkdocs.utils.meta import get_data

GOOD = "某县医疗保障局2023年工作总结\n一、工作开展情况\n（一）参保扩面。参保率达99.50％。\n"
SCRIPT = REPO / "scripts" / "convert.py"
ROOT = os.geteuid() == 0  # root reads a file whatever its mode


def _good(folder: Path, name: str = "good.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(GOOD.replace("某县", "甲县"), encoding="utf-8")
    return path


def _symlink_outside(folder: Path) -> list[str]:
    outside = folder.parent / "elsewhere.txt"
    outside.write_text(GOOD, encoding="utf-8")
    (folder / "linked.txt").symlink_to(outside)
    return []


def _dangling(folder: Path) -> list[str]:
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    return []


def _folder_link_outside(folder: Path) -> list[str]:
    outside = folder.parent / "other-archive"
    _good(outside, "other.txt")
    (folder / "other").symlink_to(outside, target_is_directory=True)
    return []


def _too_big(folder: Path) -> list[str]:
    (folder / "big.txt").write_text(GOOD + "参保扩面。" * 200, encoding="utf-8")
    return ["--max-bytes", "1000"]


def _socket(folder: Path) -> list[str]:
    server = socket.socket(socket.AF_UNIX)
    os.chdir(folder)  # a socket path is limited to 108 bytes: bind by its short name
    server.bind("sock.txt")
    server.close()
    return []


def _too_long_path(folder: Path) -> list[str]:
    """A folder chain whose full path passes the system's 4,096-byte limit (made with relative
    paths, as an extracted archive can)."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        for _ in range(20):
            os.mkdir("长" * 80)  # 240 bytes a name
            os.chdir("长" * 80)
        Path("deep.txt").write_text(GOOD, encoding="utf-8")
    finally:
        os.chdir(here)
    return []


def _unreadable_file(folder: Path) -> list[str]:
    path = folder / "secret.txt"
    path.write_text(GOOD, encoding="utf-8")
    path.chmod(0)
    return []


def _unreadable_folder(folder: Path) -> list[str]:
    sub = folder / "locked"
    _good(sub, "inside.txt")
    sub.chmod(0)
    return []


# (make the bad input, what stderr must say, the exit code)
CASES: dict[str, tuple[Callable[[Path], list[str]], str, int]] = {
    "symlink-leaving": (_symlink_outside, r"linked\.txt：是指向报告文件夹之外的符号链接", 1),
    "symlink-dangling": (_dangling, r"dangling\.txt：是无效的符号链接", 1),
    "folder-link-leaving": (_folder_link_outside, r"/other：是指向报告文件夹之外的符号链接", 1),
    "over-max-bytes": (_too_big, r"big\.txt：文件大小 0\.0 MB，超过上限.*--max-bytes", 1),
    "socket": (_socket, r"sock\.txt：不是普通文件", 1),
    "path-too-long": (_too_long_path, r"路径太长，系统无法打开：请缩短", 1),
    "unreadable-file": (_unreadable_file, r"secret\.txt：无法读取：没有访问权限", 1),
    "unreadable-folder": (_unreadable_folder, r"locked：无法读取这个文件夹.*没有访问权限", 1),
}
# Root reads any file whatever its mode: these cases run the converter as user `nobody`.
AS_ANOTHER_USER = {"unreadable-file", "unreadable-folder"}
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_named_in_chinese_and_the_rest_converts(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, message, code = CASES[case]
    as_nobody = case in AS_ANOTHER_USER and ROOT
    work = Path(tempfile.mkdtemp(prefix="nianbao-")) if as_nobody else tmp_path
    work.chmod(0o777)  # `nobody` writes the output there
    try:
        reports = work / "reports"
        _good(reports)
        monkeypatch.chdir(work)
        extra = make(reports)
        command = [sys.executable, str(SCRIPT), str(reports), str(work / "out"), "--no-cache"]
        result = subprocess.run(
            [*(NOBODY if as_nobody else []), *command, *extra],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        pages = sorted(p.name for p in (work / "out").glob("*.md"))
    finally:
        for path in (work / "reports" / "locked", work / "reports" / "secret.txt"):
            if path.exists():
                path.chmod(stat.S_IRWXU)  # let the folder be removed
        if as_nobody:
            shutil.rmtree(work)
    assert result.returncode == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert len(errors) == 1, result.stderr
    assert re.search(message, errors[0]), errors[0]
    assert errors[0].endswith("（已跳过，其余照常转换）")
    assert re.search(r"^已跳过\s+1$", result.stderr, re.M), result.stderr
    assert pages == ["good.md"]


@pytest.mark.parametrize(
    ("setup", "args", "message", "code"),
    [
        ("empty", [], r"错误：.*reports：没有找到任何报告文件.*--allow-empty", 2),
        ("empty", ["--allow-empty"], r"^已转换\s+0$", 0),
        ("missing", [], r"错误：.*reports：报告目录不存在", 2),
        ("good", ["--max-bytes", "0"], r"错误：--max-bytes：上限必须是正整数", 2),
        ("out-is-a-file", [], r"错误：.*out.*：无法读写，转换中止", 2),
        ("good", ["--no-such-flag"], r"unrecognized arguments", 2),
    ],
    ids=["empty", "empty-allowed", "missing", "bad-max-bytes", "out-not-writable", "bad-flag"],
)
def test_usage_problems_exit_2_and_nothing_is_built(
    tmp_path: Path, setup: str, args: list[str], message: str, code: int
) -> None:
    reports, out = tmp_path / "reports", tmp_path / "out"
    if setup in ("empty", "out-is-a-file", "good"):
        reports.mkdir()
    if setup in ("out-is-a-file", "good"):
        _good(reports)
    if setup == "out-is-a-file":
        out.write_text("not a folder", encoding="utf-8")
    result = convert_reports(reports, out, *args)
    assert result.returncode == code, result.stderr
    assert re.search(message, result.stderr, re.M), result.stderr


def test_a_gbk_file_name_is_shown_in_chinese_and_the_report_published(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    # As a ZIP made on Chinese Windows extracts: the name's bytes are GBK, not UTF-8.
    name = os.fsdecode("南浔区医保局2023年总结.txt".encode("gbk"))
    (reports / name).write_text(GOOD, encoding="utf-8")
    (reports / "other.txt").write_text(GOOD + "一、后续\n（一）其他。\n", encoding="utf-8")
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "out" / "南浔区医保局2023年总结.md"
    _, meta = get_data(page.read_text(encoding="utf-8"))
    assert meta["source"] == "南浔区医保局2023年总结.txt"
    source_copy = tmp_path / "out" / "sources" / "南浔区医保局2023年总结.txt"
    assert source_copy.read_text(encoding="utf-8") == GOOD


def test_a_gbk_name_that_reads_as_a_utf8_name_beside_it_is_named_not_lost(
    tmp_path: Path,
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "报告.txt").write_text(GOOD, encoding="utf-8")
    (reports / os.fsdecode("报告.txt".encode("gbk"))).write_text(
        GOOD.replace("某县", "乙县"), encoding="utf-8"
    )
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    clash = r"错误：.*报告\.txt：文件名按 GB18030 解读后与 .*报告\.txt 相同"
    assert re.search(clash, result.stderr), result.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.md")] == ["报告.md"]


def _convert_module() -> object:
    spec = importlib.util.spec_from_file_location("convert_cli", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_bug_exits_3_with_one_chinese_line_and_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    convert = _convert_module()

    def bug(*args: object, **kwargs: object) -> None:
        raise KeyError("a converter bug")

    monkeypatch.setattr(convert, "convert_folder", bug)
    _good(tmp_path / "reports")
    code = convert.main([str(tmp_path / "reports"), str(tmp_path / "out")])  # type: ignore[attr-defined]
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith("错误：转换程序自身出错（这是程序的缺陷")
    assert "Traceback" in err and "KeyError: 'a converter bug'" in err


def test_a_crash_before_main_exits_3_not_1(tmp_path: Path) -> None:
    """An exception outside main() (here: the converter's package cannot be imported) would
    exit 1 in plain Python, which reads as "some files skipped"."""
    _good(tmp_path / "reports")
    code = (
        "import runpy, sys; sys.modules['nianbao.convert.inputs'] = None; "
        f"sys.argv = ['convert.py', {str(tmp_path / 'reports')!r}, {str(tmp_path / 'out')!r}]; "
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert result.returncode == 3, result.stderr
    assert result.stderr.startswith("错误：转换程序自身出错")
    assert "ModuleNotFoundError" in result.stderr or "ImportError" in result.stderr


@pytest.mark.parametrize("code", [0, 1, 2, 3, 137])
def test_make_builds_the_site_only_when_the_converter_exits_0_or_1(
    tmp_path: Path, code: int
) -> None:
    """`make build` with a stand-in environment whose converter exits with `code` and whose
    `mkdocs` leaves a mark: the Makefile's own decision, nothing else."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    # The build step (scripts/build.py, which runs MkDocs) leaves the mark too.
    mark = f'case "$1" in */build.py) touch {tmp_path / "built"}; exit 0;; esac'
    python.write_text(f"#!/bin/sh\n{mark}\nexit {code}\n", encoding="utf-8")
    mkdocs = venv / "bin" / "mkdocs"
    mkdocs.write_text(f"#!/bin/sh\ntouch {tmp_path / 'built'}\n", encoding="utf-8")
    for tool in (python, mkdocs):
        tool.chmod(0o755)
    (venv / ".installed").touch()
    result = subprocess.run(
        ["make", "-s", "-C", str(REPO), "build", f"VENV={venv}", f"SITE={tmp_path / 'site'}"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    built = (tmp_path / "built").exists()
    assert built == (code in (0, 1)), result.stderr
    assert (result.returncode == 0) == (code in (0, 1))
    if code > 1:
        assert f"错误：转换未完成（退出码 {code}），网站未构建" in result.stderr


def test_a_50_mb_report_is_named_and_skipped_and_the_rest_converts(tmp_path: Path) -> None:
    """Bounded input: the outcome only (the time is tests/bench/big_report_bench.py's)."""
    reports = tmp_path / "reports"
    _good(reports)
    line = "（一）参保扩面。截至2023年9月，参保人数49.29万余人，参保率99.85％。\n".encode()
    with (reports / "huge.txt").open("wb") as huge:
        huge.write("辛县医疗保障局2023年工作总结\n一、工作开展情况\n".encode())
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            huge.write(line)
    result = convert_reports(reports, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert re.search(
        r"^错误：.*huge\.txt：文件大小 50\.0 MB，超过上限 5\.0 MB，未转换：.*--max-bytes",
        result.stderr,
        re.M,
    ), result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == ["good.md"]
