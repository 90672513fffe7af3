"""PDF extraction: characters with positions from the text layer, reflowed into paragraphs.

Called by the extraction dispatcher with a file's bytes. Uses pdfplumber (MIT; pdfminer.six for the
text layer) and sends pages without a text layer to OCR (`extract/image.py`). pypdfium2 alone reads
the characters and boxes of the 9-page sample about 1.6 times as fast, but gives a glyph without a
Unicode mapping as some arbitrary character, where pdfminer says `(cid:N)`: wrong text would pass
silently, so pdfplumber it is. Refuses, with a
Chinese message saying what to do, encrypted files and fonts whose glyphs have no Unicode mapping.
"""

from __future__ import annotations

import io
import re

from nianbao.convert.extract.blocks import Extracted, ExtractError
from nianbao.convert.extract.reflow import Glyph, Page, reflow

# pdfminer writes a glyph with no Unicode mapping as "(cid:123)"; other readers give U+FFFD.
_UNMAPPED = re.compile(r"\(cid:\d+\)|\ufffd")


def extract_pdf(data: bytes) -> Extracted:
    """Extracts a PDF's text layer as blocks; pages that are only images go through OCR.

    Raises:
        ExtractError: the file is encrypted, damaged, or its text cannot be mapped to characters,
            or a page needs OCR and no OCR engine is installed.
    """
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError as error:
        raise ExtractError(
            "本安装缺少读取 PDF 的 pdfplumber；请按 README 的安装步骤安装依赖（make venv）"
        ) from error

    pages: list[Page] = []
    scanned: list[int] = []
    unmapped = 0
    unmapped_page = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                glyphs = []
                for char in page.chars:
                    text = char["text"]
                    if _UNMAPPED.search(text):
                        unmapped += 1
                        unmapped_page = unmapped_page or number
                        continue
                    glyphs.append(Glyph(text, char["x0"], char["x1"], char["top"], char["bottom"]))
                if not any(g.text.strip() for g in glyphs) and page.images:
                    scanned.append(number)  # a scanned page: an image and no text layer
                pages.append(Page(float(page.width), float(page.height), glyphs))
    except PdfminerException as error:
        cause = error.args[0] if error.args else None
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(error).lower():
            raise ExtractError(
                "PDF 已加密（需要密码才能打开），无法读取文字；"
                "请向发布单位索取未加密的文件，或用密码打开后另存为未加密的 PDF"
            ) from error
        raise ExtractError(
            f"PDF 文件已损坏，无法读取（{cause or error}）；请重新下载或重新导出该文件"
        ) from error
    except PDFSyntaxError as error:
        raise ExtractError(
            f"PDF 文件已损坏，无法读取（{error}）；请重新下载或重新导出该文件"
        ) from error
    if unmapped:
        raise ExtractError(
            f"PDF 的字体没有字符映射，{unmapped} 个字（自第 {unmapped_page} 页起）无法还原为文字；"
            "请用原文档重新导出 PDF（嵌入字体并保留文字），或提供 Word/OFD 版本"
        )
    if not pages:
        raise ExtractError("PDF 没有任何页面；请检查文件是否完整")
    if not scanned and not any(g.text.strip() for page in pages for g in page.glyphs):
        raise ExtractError("PDF 中没有任何文字或图像（空白页）；请检查文件是否导出完整")
    if not scanned:
        return Extracted(blocks=reflow(pages), format="pdf", pages=len(pages))
    from nianbao.convert.extract.image import mend_numbering, recognise_pages, render_pdf_pages

    result = recognise_pages(render_pdf_pages(data, scanned))
    for number, page in zip(scanned, result.pages, strict=True):
        pages[number - 1] = page  # in points, like the text pages, for one reflow
    return Extracted(
        # One reflow over text and recognised pages alike; sizes from OCR boxes are approximate.
        blocks=mend_numbering(reflow(pages, exact_sizes=False)),
        format="pdf",
        pages=len(pages),
        text_source="ocr",
        ocr_engine=result.engine,
        ocr_confidence=result.confidence,
    )
