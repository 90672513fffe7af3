"""OFD extraction (GB/T 33190, China's e-document format): text objects by position, reflowed.

Called by the extraction dispatcher with a file's bytes; standard library only. An OFD is a ZIP of
XML: OFD.xml names each document's Document.xml, which lists its pages' Content.xml. Text comes in
TextObject elements (a Boundary box, a Size, a CTM at times) holding TextCode runs with X/Y and
DeltaX offsets, per line or per glyph; every glyph is placed on the page and `reflow` rebuilds the
lines and paragraphs as for PDF. Units are millimetres throughout.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from posixpath import dirname, join, normpath

from nianbao.convert.extract.blocks import Extracted, ExtractError
from nianbao.convert.extract.reflow import Glyph, Page, reflow

# Larger XML parts than this are not an OFD page a bureau writes (bounds a zip bomb).
_MAX_PART_BYTES = 64 * 1024 * 1024
_A4_MM = (210.0, 297.0)


def extract_ofd(data: bytes) -> Extracted:
    """Extracts an OFD package's text as blocks.

    Raises:
        ExtractError: not a ZIP, a part missing or not XML, or no text at all (a scanned OFD).
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ExtractError(
            f"OFD 文件已损坏（不是有效的 ZIP 包：{error}）；请重新下载或重新导出该文件"
        ) from error
    with package:
        root = _xml(package, names, "OFD.xml")
        doc_roots = [(e.text or "").strip() for e in _all(root, "DocRoot")]
        if not doc_roots or not doc_roots[0]:
            raise ExtractError("OFD 文件缺少 DocRoot（OFD.xml 未指向任何文档）；请重新导出该文件")
        carried: dict[str, str] = {}
        title = next((e.text for e in _all(root, "Title") if e.text and e.text.strip()), None)
        if title:
            carried["title"] = title.strip()
        doc_path = _part(doc_roots[0], "")
        document = _xml(package, names, doc_path)
        default_box = _page_box(document) or _A4_MM
        pages: list[Page] = []
        for page_ref in _all(document, "Page"):
            location = page_ref.get("BaseLoc")
            if not location:
                continue
            content = _xml(package, names, _part(location, dirname(doc_path)))
            box = _page_box(content) or default_box
            pages.append(Page(box[0], box[1], list(_glyphs(content))))
    if not pages:
        raise ExtractError("OFD 文件没有任何页面；请检查文件是否完整")
    if not any(g.text.strip() for page in pages for g in page.glyphs):
        raise ExtractError(
            "OFD 中没有文字（可能是扫描件，只有图像）；"
            "请提供带文字的版本，或转成 PDF/图片后交给 OCR"
        )
    return Extracted(blocks=reflow(pages), format="ofd", carried=carried, pages=len(pages))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """Descendants by local name: producers differ in namespace URIs and prefixes."""
    return (e for e in element.iter() if _local(e.tag) == name)


def _part(location: str, base: str) -> str:
    location = location.strip().replace("\\", "/")
    path = location.lstrip("/") if location.startswith("/") else join(base, location)
    return normpath(path).lstrip("/")


def _xml(package: zipfile.ZipFile, names: set[str], path: str) -> ET.Element:
    if path not in names:
        # Some producers write part names with a different case or a leading slash.
        matches = [n for n in names if n.lstrip("/").lower() == path.lower()]
        if not matches:
            raise ExtractError(f"OFD 文件缺少部件 {path}，文件不完整；请重新导出该文件")
        path = matches[0]
    info = package.getinfo(path)
    if info.file_size > _MAX_PART_BYTES:
        raise ExtractError(f"OFD 部件 {path} 过大（{info.file_size} 字节）；请检查文件")
    try:
        return ET.fromstring(package.read(path))
    except (ET.ParseError, zipfile.BadZipFile, OSError, ValueError) as error:
        raise ExtractError(f"OFD 部件 {path} 无法读取（{error}）；请重新导出该文件") from error


def _numbers(text: str | None) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?", text or "")]


def _page_box(element: ET.Element) -> tuple[float, float] | None:
    for box in _all(element, "PhysicalBox"):
        values = _numbers(box.text)
        if len(values) == 4 and values[2] > 0 and values[3] > 0:
            return values[2], values[3]
    return None


def _deltas(spec: str | None, count: int) -> list[float | None]:
    """DeltaX/DeltaY: numbers, where `g N d` stands for N times d; missing ones are None."""
    out: list[float | None] = []
    tokens = (spec or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return (out + [None] * count)[: max(count - 1, 0)]


def _glyphs(content: ET.Element) -> Iterator[Glyph]:
    for text_object in _all(content, "TextObject"):
        box = _numbers(text_object.get("Boundary"))
        if len(box) < 2:
            continue
        size = float(text_object.get("Size") or 3.5)
        ctm = _numbers(text_object.get("CTM"))
        scale_x, scale_y = (ctm[0], ctm[3]) if len(ctm) == 6 else (1.0, 1.0)
        x, y = 0.0, 0.0
        for code in _all(text_object, "TextCode"):
            text = code.text or ""
            if code.get("X") is not None:
                x = float(code.get("X") or 0)
            if code.get("Y") is not None:
                y = float(code.get("Y") or 0)
            dx = _deltas(code.get("DeltaX"), len(text))
            dy = _deltas(code.get("DeltaY"), len(text))
            for index, char in enumerate(text):
                # Without DeltaX a glyph advances by its width: full em for Han, half for ASCII.
                width = size * (0.5 if ord(char) < 0x80 else 1.0)
                left = box[0] + x * scale_x
                baseline = box[1] + y * scale_y
                height = size * scale_y
                yield Glyph(
                    char,
                    left,
                    left + width * scale_x,
                    baseline - 0.88 * height,
                    baseline + 0.12 * height,
                )
                if index < len(text) - 1:
                    x += dx[index] if dx[index] is not None else width
                    y += dy[index] or 0.0
            x += width
