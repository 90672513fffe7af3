"""OCR engine: recognises the text lines of a page image, offline, with the models a package ships.

Called by `extract/image.py`. The engine is RapidOCR (`rapidocr-onnxruntime`, Apache-2.0):
PaddleOCR's PP-OCRv4 Chinese detection and recognition models, shipped inside the wheel and run by
onnxruntime on the CPU; nothing is downloaded at run time. Chosen over Debian's
tesseract-ocr-chi-sim by accuracy: it keeps more of the characters of scanned sample reports,
where tesseract misreads Han characters as others (figures: docs/maintainers/scale.md, 扫描件).
"""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.convert.extract.blocks import ExtractError

ENGINE_PACKAGE = "rapidocr-onnxruntime"


@dataclass(frozen=True)
class TextRun:
    """A recognised run of text (usually a whole line), its box in pixels and its confidence 0–1."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


def engine_name() -> str:
    """The engine and its version as front matter shows it, e.g. `rapidocr-onnxruntime 1.4.4`.

    Raises:
        ExtractError: no OCR engine is installed.
    """
    try:
        return f"{ENGINE_PACKAGE} {importlib.metadata.version(ENGINE_PACKAGE)}"
    except importlib.metadata.PackageNotFoundError as error:
        raise ExtractError(_MISSING) from error


def recognise(image: object) -> list[TextRun]:
    """Recognises one page image (a PIL image) into text runs, top to bottom.

    Raises:
        ExtractError: no OCR engine is installed, or it failed on the image.
    """
    import numpy

    engine = _engine()
    try:
        result, _elapsed = engine(numpy.asarray(image.convert("RGB")))  # type: ignore[attr-defined]
    except Exception as error:  # the engine's own errors have no common base class
        raise ExtractError(
            f"OCR 识别失败（{error}）；请检查图像是否完整，或提供带文字的版本"
        ) from error
    runs = []
    for box, text, score in result or ():
        xs: Sequence[float] = [point[0] for point in box]
        ys: Sequence[float] = [point[1] for point in box]
        runs.append(TextRun(text, min(xs), min(ys), max(xs), max(ys), float(score)))
    return runs


_MISSING = (
    f"没有可用的 OCR 引擎（未安装 {ENGINE_PACKAGE}），扫描件无法识别；"
    "请按 README 的安装步骤安装依赖（make venv），或提供带文字层的 PDF/Word 版本"
)


@functools.cache
def _engine() -> object:
    """Loads the models once per process (about a second)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as error:
        raise ExtractError(_MISSING) from error
    # The angle classifier is off: report pages are upright, and on justified lines it turns
    # whole lines upside down, losing more characters than it saves (docs/maintainers/scale.md).
    return RapidOCR(use_cls=False)
