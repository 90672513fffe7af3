"""Scans: image files (PNG, JPEG, TIFF) and PDF pages without a text layer, recognised by OCR.

Called by the extraction dispatcher for image files and by `extract/pdf.py` for image-only pages.
Pages are rendered (PDF, with pypdfium2) or decoded (Pillow), recognised by `extract/ocr.py`, and
the recognised lines go through the same reflow as a text PDF. The result says it comes from OCR,
with the engine and its mean confidence, so the page can say so.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.convert.extract import ocr
from nianbao.convert.extract.blocks import Block, Extracted, ExtractError
from nianbao.convert.extract.reflow import Glyph, Page, block_of, reflow

# 200 dpi: body text (16 pt) is about 44 px high, which the recogniser reads best; 300 dpi is
# slower and no more accurate on the sample scans.
RENDER_DPI = 200
# What the recogniser makes of outline numbers at a paragraph's start (seen on the sample scans):
# a doubled opening bracket, and 一 read as a dash. Nothing else starts a paragraph so.
_MISREAD_NUMBERING = (
    (re.compile(r"^[（(]{2,}"), "（"),
    (re.compile(r"^[（(]\s*[-—–－]\s*[）)]"), "（一）"),
    (re.compile(r"^[-—–－]、"), "一、"),
)
# Bounds a decompression bomb: an A4 page at 600 dpi is about 35 million pixels.
_MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class Scan:
    """A page image and how many page units (points for PDF, pixels for images) one pixel is."""

    image: object  # a PIL image
    unit_per_pixel: float


@dataclass(frozen=True)
class Recognised:
    """The recognised pages (glyphs are text runs, in page units), the engine and its confidence."""

    pages: list[Page]
    engine: str
    confidence: float  # mean over recognised characters, 0–1


def extract_image(data: bytes) -> Extracted:
    """Recognises an image file; every frame of a multi-page TIFF is a page.

    Raises:
        ExtractError: the image cannot be decoded, is too large, or no OCR engine is installed.
    """
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > _MAX_PIXELS:
                raise ExtractError(
                    f"图像过大（{image.width}×{image.height} 像素）；请以 300 dpi 以下重新扫描"
                )
            frames = [frame.convert("L") for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ExtractError(
            f"图像文件无法读取（{error}）；请确认文件完整，或重新扫描为 PNG/JPEG/TIFF"
        ) from error
    result = recognise_pages([Scan(frame, 1.0) for frame in frames])
    return Extracted(
        blocks=mend_numbering(reflow(result.pages, exact_sizes=False)),
        format="image",
        pages=len(frames),
        text_source="ocr",
        ocr_engine=result.engine,
        ocr_confidence=result.confidence,
    )


def mend_numbering(blocks: Sequence[Block]) -> list[Block]:
    """Undoes the recogniser's misreadings of outline numbers at the start of a paragraph."""
    mended = []
    for block in blocks:
        text = block.text
        for pattern, replacement in _MISREAD_NUMBERING:
            text = pattern.sub(replacement, text)
        mended.append(block if text == block.text else block_of(text))
    return mended


def render_pdf_pages(data: bytes, numbers: Sequence[int], dpi: int = RENDER_DPI) -> list[Scan]:
    """Renders the given PDF pages (1-based) to greyscale images for OCR."""
    import pypdfium2

    scale = dpi / 72
    document = pypdfium2.PdfDocument(data)
    try:
        scans = []
        for number in numbers:
            page = document[number - 1]
            bitmap = page.render(scale=scale, grayscale=True)
            scans.append(Scan(bitmap.to_pil(), 1 / scale))
            page.close()
        return scans
    finally:
        document.close()


def recognise_pages(scans: Sequence[Scan]) -> Recognised:
    """Recognises page images; text runs come back as glyphs in the pages' own units.

    Raises:
        ExtractError: no OCR engine is installed, or nothing at all was recognised.
    """
    engine = ocr.engine_name()
    pages = []
    weighted, characters = 0.0, 0
    for scan in scans:
        unit = scan.unit_per_pixel
        glyphs = []
        for run in ocr.recognise(scan.image):
            glyphs.append(
                Glyph(run.text, run.x0 * unit, run.x1 * unit, run.top * unit, run.bottom * unit)
            )
            weighted += run.confidence * len(run.text)
            characters += len(run.text)
        width, height = scan.image.size  # type: ignore[attr-defined]
        pages.append(Page(width * unit, height * unit, glyphs))
    if not characters:
        raise ExtractError(
            "扫描件中没有识别出任何文字（页面空白或图像过于模糊）；请提供更清晰的扫描件或带文字的版本"
        )
    return Recognised(pages, engine, round(weighted / characters, 3))
