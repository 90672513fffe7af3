"""Finding and reading the report files below the reports folder (the converter's input edge).

Called by the converter's run (nianbao.build.convert_run). Every file or folder that cannot be
used is named with the reason in Chinese and what to do, and the walk goes on: an unreadable
folder, a symbolic link that leaves the reports folder, a path the system cannot open, a file
larger than the limit. File names that are not UTF-8 (ZIP archives made on Chinese Windows write
GBK bytes) are shown and published under their GB18030 reading; the file itself is read under
its name as it is.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.convert.catalog import CATALOG_NAME

# Files that are never reports: listed as ignored, not read. (Photos and scans — .jpg, .png,
# .tif — are read: a scanned report is an image; icons and page furniture — .gif, .ico, .svg —
# are not, nor anything in a saved page's `_files` folder.)
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
IGNORED_SUFFIXES = frozenset(
    {".yml", ".yaml", ".json", ".md", ".css", ".js", ".ini", ".db", ".lnk", ".url", ".tmp"}
    | {".gif", ".ico", ".svg"}
    | {".py", ".sh", ".bat", ".exe", ".dll"}  # programs kept beside the reports
)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # 5 MB: a long annual report is well under 1 MB of text

# What an OS error means to a maintainer, and what to do about it.
_OS_REASONS = {
    errno.EACCES: "没有访问权限：请让运行转换的用户可以读写它（chmod/chown）",
    errno.EPERM: "没有访问权限：请让运行转换的用户可以读写它（chmod/chown）",
    errno.ENOSPC: "磁盘已满：请释放空间后重新转换",
    errno.EROFS: "文件系统是只读的：请换一个可写的输出目录",
    errno.ENAMETOOLONG: "路径太长，系统无法打开：请缩短文件夹或文件的名称",
    errno.ELOOP: "符号链接循环：请删除或改正这个链接",
    errno.EIO: "读取时发生输入输出错误（磁盘或网络存储故障？）：请检查存储后重新转换",
    errno.ENOENT: "文件在转换过程中消失了（或链接指向的文件不存在）：请确认后重新转换",
}


@dataclass(frozen=True)
class Refused:
    """A file or folder below the reports folder that is not converted, and why (Chinese)."""

    path: Path
    reason: str


@dataclass
class Found:
    """The report files below the reports folder, and what was refused on the way."""

    files: list[Path] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)  # files that are not reports (not read)


def find_reports(reports_dir: Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Found:
    """Every report file below `reports_dir` (any format: nianbao.convert.extract reads its bytes),
    in a
    stable order; hidden, lock and system files, programs, and a saved page's `<name>_files`
    folder are listed as ignored, and the catalog is neither.

    Symbolic links are followed only while they stay inside the folder (a linked folder is not
    entered: its files are read from where they are); the rest is refused with its reason.
    """
    found = Found()
    root = _resolved(reports_dir)

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else reports_dir
        found.refused.append(Refused(where, _UNREADABLE_FOLDER + why(exc)))

    for folder, dirs, names in os.walk(reports_dir, onerror=unreadable):
        base = Path(folder)
        entered = []
        for name in sorted(dirs):
            sub = base / name
            try:
                leaves = sub.is_symlink() and not _inside(sub, root)
            except OSError as exc:  # e.g. a path too long to look at: not entered either
                found.refused.append(Refused(sub, _UNREADABLE_FOLDER + why(exc)))
                continue
            if leaves:
                found.refused.append(Refused(sub, _LEAVES))
            entered.append(name)  # a linked folder stays listed: os.walk does not enter it
        dirs[:] = entered
        for name in names:
            path = base / name
            relative = path.relative_to(reports_dir)
            if relative.as_posix() == CATALOG_NAME:
                continue
            if _ignored(relative):
                found.ignored.append(path)
                continue
            refusal = _refusal(path, root, max_bytes)
            if refusal:
                found.refused.append(Refused(path, refusal))
            else:
                found.files.append(path)
    found.files.sort(key=os.fsencode)
    found.ignored.sort(key=os.fsencode)
    found.refused.sort(key=lambda r: os.fsencode(r.path))
    return found


def read_report(path: Path) -> bytes | Refused:
    """The bytes of a report file, or why they cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return Refused(path, f"无法读取：{why(exc)}")


def why(exc: OSError) -> str:
    """A Chinese reason for an OS error, with what to do."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason:
        return reason
    return f"系统报告 {exc.strerror or exc}：请检查这个文件后重新转换"


def shown_path(path: Path) -> str:
    """The path as a maintainer reads it: each name not in UTF-8 decoded as GB18030."""
    return "/".join(shown_name(part) for part in path.as_posix().split("/"))


def shown_name(name: str) -> str:
    """A file name as its author wrote it: bytes that are not UTF-8 read as GB18030 (GBK)."""
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


_MB = 1024 * 1024
_UNREADABLE_FOLDER = "无法读取这个文件夹，其中的报告未转换："
_LEAVES = "是指向报告文件夹之外的符号链接，未读取：请把报告复制到报告文件夹中"


def _ignored(relative: Path) -> bool:
    folders = relative.parts[:-1]
    name = relative.name.lower()
    return (
        name.startswith((".", "~$"))
        or name in IGNORED_NAMES
        or relative.suffix.lower() in IGNORED_SUFFIXES
        or any(part.startswith(".") or part.endswith(("_files", ".files")) for part in folders)
    )


def _refusal(path: Path, root: Path, max_bytes: int | None) -> str | None:
    try:
        if path.is_symlink():
            target = _target(path)
            if target is None:
                return "是无效的符号链接（指向的文件不存在，或链接成环），未读取：请删除或改正它"
            if not _within(target, root):
                return _LEAVES
        info = path.stat()
    except OSError as exc:
        return f"无法读取：{why(exc)}"
    if stat.S_ISDIR(info.st_mode):
        return None  # a folder whose name ends in .txt: os.walk enters it
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件（管道、套接字或设备），未读取：请换成普通文本文件"
    if max_bytes is not None and info.st_size > max_bytes:
        return (
            f"文件大小 {info.st_size / _MB:.1f} MB，超过上限 {max_bytes / _MB:.1f} MB，未转换："
            "请确认它确是一篇报告；确实需要时用 --max-bytes 放宽上限"
        )
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _target(path: Path) -> Path | None:
    """Where a symbolic link ends; None for a dangling link or a loop."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


def _within(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def _inside(path: Path, root: Path) -> bool:
    """Whether a symbolic link ends inside `root` (a loop or a dangling link does not)."""
    target = _target(path)
    return target is not None and _within(target, root)
