"""Word 97–2003 `.doc` and WPS Writer `.wps` files as blocks, read with antiword.

Called by `nianbao.convert.extract.extract_file` for OLE files holding a `WordDocument` stream (and
MS
Works `.wps`). antiword (Debian package `antiword`) reads the text in milliseconds but not the
list numbers Word generates; LibreOffice, when installed, is tried only where antiword fails
(and for MS Works), always behind a hard time-out, because it is known to loop on some real
`.wps` files. Neither is needed to build the site: only to convert such files.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from nianbao.convert.extract.blocks import Block, Extracted, ExtractError

ANTIWORD_TIMEOUT = 30  # seconds; antiword takes milliseconds on a report
LIBREOFFICE_TIMEOUT = 60  # seconds; some .wps files never finish
_LABEL = {"doc": "Word 97–2003 文档（.doc）", "wps": "WPS 文字文档（.wps）",
          "works": "Microsoft Works 文档（.wps）"}  # fmt: skip


def extract_doc(data: bytes, kind: str = "doc") -> Extracted:
    """Extract a .doc / .wps file (`kind` as `nianbao.convert.extract.sniff_format` names it).

    Raises:
        ExtractError: encrypted, damaged, or no tool can read it (the message names the tool).
    """
    label = _LABEL.get(kind, _LABEL["doc"])
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        path = Path(tmp) / f"input.{'wps' if kind != 'doc' else 'doc'}"
        path.write_bytes(data)
        text, why = (None, "") if kind == "works" else _antiword(path)
        if text is None:
            text, lo_why = _libreoffice(path, Path(tmp))
            why = lo_why if kind == "works" or not why else f"{why}；{lo_why}"
    if text is None:
        raise ExtractError(f"{label}无法读取：{why}")
    blocks = blocks_of_lines(text.splitlines())
    if not blocks:
        raise ExtractError(f"{label}中没有正文文字：是否只有图片（扫描件）？请提供文字版")
    return Extracted(blocks=blocks, format="wps" if kind != "doc" else "doc")


def blocks_of_lines(lines: list[str]) -> list[Block]:
    """antiword's output (a paragraph a line with -w 0; tables as `|cell|cell|` rows) as blocks."""
    blocks: list[Block] = []
    rows: list[tuple[str, ...]] = []
    for raw in lines:
        line = raw.strip()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            rows.append(tuple(cell.strip() for cell in line[1:-1].split("|")))
            continue
        if rows:
            blocks.append(Block("table", rows=tuple(rows)))
            rows = []
        if line and line != "[pic]":
            blocks.append(Block("paragraph", line))
    if rows:
        blocks.append(Block("table", rows=tuple(rows)))
    return blocks


def _antiword(path: Path) -> tuple[str | None, str]:
    """antiword's text of the file, or None and why not."""
    if shutil.which("antiword") is None:
        return None, "没有安装 antiword（Debian 软件包 antiword，见 README）"
    try:
        done = subprocess.run(
            ["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)],
            capture_output=True,
            timeout=ANTIWORD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"antiword 超过 {ANTIWORD_TIMEOUT} 秒未完成"
    stderr = done.stderr.decode("utf-8", errors="replace")
    if "encrypt" in stderr.lower():
        return None, "文档已加密（设有密码）：请去掉密码后另存为 .docx"
    if done.returncode != 0 or not done.stdout.strip():
        detail = stderr.strip().splitlines()[-1] if stderr.strip() else "没有输出"
        return None, f"antiword 无法读取（{detail}）：请用 Word 或 WPS 另存为 .docx"
    return done.stdout.decode("utf-8", errors="replace"), ""


def _libreoffice(path: Path, tmp: Path) -> tuple[str | None, str]:
    """LibreOffice's text of the file, if LibreOffice is installed; killed after the time-out."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None, "没有安装 LibreOffice（可选），请用 Word 或 WPS 另存为 .docx"
    command = [
        soffice,
        f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "txt:Text (encoded):UTF8",
        "--outdir",
        str(tmp / "out"),
        str(path),
    ]
    # Its own process group, so that a time-out ends LibreOffice's helper processes too.
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout=LIBREOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None, f"LibreOffice 转换超过 {LIBREOFFICE_TIMEOUT} 秒未完成，已中止：请另存为 .docx"
    out = tmp / "out" / f"{path.stem}.txt"
    if process.returncode != 0 or not out.is_file():
        return None, "LibreOffice 也无法转换：文件可能已损坏，请用 Word 或 WPS 另存为 .docx"
    return out.read_text(encoding="utf-8-sig", errors="replace"), ""
