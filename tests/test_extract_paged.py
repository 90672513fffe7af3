"""Paged formats (tests/fixtures/formats/make_paged.py): the sample reports 002 and 003 as text
PDFs, OFDs written per line and per glyph, and scans come out as the .txt's paragraphs, in order,
with its outline, without page numbers, running heads or spaces between Han characters; bad files
get a Chinese message that says what to do.
"""

from __future__ import annotations

import difflib
import importlib.util
import io
import re
import subprocess
import sys
import unicodedata
import zipfile
from functools import cache
from types import ModuleType

import pytest
from conftest import FIXTURES
from nianbao.convert.clean import Line, clean_lines
from nianbao.convert.extract.blocks import Block, Extracted, ExtractError
from nianbao.convert.extract.ofd import extract_ofd
from nianbao.convert.extract.pdf import extract_pdf
from nianbao.convert.outline import Heading, parse_outline

MIN_RECALL = 0.99


def _make_paged() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_paged", FIXTURES / "formats" / "make_paged.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


PAGED = _make_paged()


def _chars(text: str) -> str:
    return re.sub(r"\s", "", text)


def recall(expected: str, got: str) -> float:
    """Share of the expected non-whitespace characters found in order in `got`."""
    a, b = _chars(expected), _chars(got)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(a)


def outline_levels(lines: list[str]) -> list[int]:
    """The heading levels the converter's outline step finds (title line removed)."""
    outline = parse_outline([Line(n, t) for n, t in enumerate(lines[1:], start=2)])
    return [b.level for b in outline.blocks if isinstance(b, Heading)]


def text_of(extracted: Extracted) -> str:
    return "\n".join(block.text for block in extracted.blocks)


@cache
def converted(kind: str, number: str) -> Extracted:
    if kind == "pdf":
        return extract_pdf(PAGED.text_pdf(number, PAGED.HEADER_003 if number == "003" else None))
    per_glyph = kind == "ofd-glyph"
    return extract_ofd(PAGED.ofd(number, per_glyph, PAGED.HEADER_003 if number == "003" else None))


KINDS = ["pdf", "ofd-line", "ofd-glyph"]
CASES = [(kind, number) for kind in KINDS for number in ("002", "003")]
IDS = [f"{number}-{kind}" for kind, number in CASES]


@pytest.mark.parametrize(("kind", "number"), CASES, ids=IDS)
def test_paged_report_keeps_the_texts_characters_in_order(kind: str, number: str) -> None:
    extracted = converted(kind, number)
    assert recall(PAGED.report_text(number), text_of(extracted)) >= MIN_RECALL
    assert extracted.format == kind[:3]
    assert extracted.pages == len(PAGED.layout(PAGED.report_text(number)))
    assert extracted.text_source == "text"


@pytest.mark.parametrize(("kind", "number"), CASES, ids=IDS)
def test_paged_report_has_the_paragraphs_and_outline_of_the_txt(kind: str, number: str) -> None:
    # The raw lines: the converter's cleaning runs after extraction, on both alike.
    txt_lines = [line.strip() for line in PAGED.report_text(number).splitlines() if line.strip()]
    blocks = converted(kind, number).blocks
    assert [b.text for b in blocks] == txt_lines  # one block per paragraph, the title joined
    levels = outline_levels([b.text for b in blocks])
    assert levels == outline_levels(txt_lines)
    if number == "002":
        assert (levels.count(2), levels.count(3)) == (2, 10)  # 一、二、 and five （一） under each
    # Whole-line headings are heading blocks with the format's level, not glued to the next text.
    headings = [b for b in blocks if b.kind == "heading"]
    assert headings and all(re.match(r"^[一二三四五六七八九十]+、", b.text) for b in headings)
    assert {b.level for b in headings} == {1}


@pytest.mark.parametrize(("kind", "number"), CASES, ids=IDS)
def test_paged_report_has_no_page_numbers_headers_or_han_spaces(kind: str, number: str) -> None:
    text = text_of(converted(kind, number))
    assert not re.search(r"—\s*\d+\s*—", text)
    assert PAGED.HEADER_003 not in text
    han = "\u4e00-\u9fff，。、：；“”（）《》％"
    assert not re.search(rf"[{han}]\s|\s[{han}]", text.replace("\n", ""))
    assert not re.search(r"[A-Za-z0-9]\s", text)  # no Latin words in these reports either


def test_the_fixture_pdf_has_the_spaces_and_page_numbers_a_plain_reader_sees() -> None:
    """The PDF really has what extraction must undo: a plain text dump shows it."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(PAGED.text_pdf("002"))) as pdf:
        dump = "\n".join(page.extract_text() for page in pdf.pages)
    assert "XX局2023年工作总结\n和2024年工作思路" in dump  # the title on two lines
    assert re.search(r"— 3 —", dump)
    assert len(re.findall(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", dump)) > 100
    assert dump.count("\n") > 5 * len(clean_lines(PAGED.report_text("002"))[0])


def test_wrapped_centred_title_is_one_block() -> None:
    blocks = converted("pdf", "002").blocks
    assert blocks[0] == Block("paragraph", "XX局2023年工作总结和2024年工作思路")


def test_latin_words_and_numbers_keep_their_space() -> None:
    """No spaces next to Han characters; `ISO 9001` and a wrapped English phrase keep theirs."""
    from nianbao.convert.extract.reflow import Glyph, Page, reflow

    def run(text: str, x: float, top: float, width: float = 8.0) -> list[Glyph]:
        glyphs = []
        for char in text:
            step = width if ord(char) < 0x80 else 2 * width
            glyphs.append(Glyph(char, x, x + step, top, top + 16))
            x += step
        return glyphs

    glyphs = [
        *run("贯彻 ISO", 100, 100),
        *run("9001", 180, 100),  # a gap, no space glyph: a word space the layer leaves out
        *run("标 准，health", 220, 100),
        *run("care 服务", 100, 128),
    ]
    page = Page(600, 800, glyphs)
    assert [b.text for b in reflow([page])] == ["贯彻ISO 9001标准，health care服务"]


def test_fake_bold_title_drawn_twice_is_read_once() -> None:
    from nianbao.convert.extract.reflow import Glyph, Page, reflow

    glyphs = []
    for offset in (0.0, 0.4, 0.8):  # drawn three times, as some producers make bold
        glyphs += [
            Glyph(c, 200 + 22 * i + offset, 222 + 22 * i + offset, 100, 122)
            for i, c in enumerate("工作总结")
        ]
    assert [b.text for b in reflow([Page(600, 800, glyphs)])] == ["工作总结"]


@pytest.mark.parametrize(
    ("folio", "kept"),
    [
        ("— 3 —", False),
        ("- 3 -", False),
        ("第3页", False),
        ("第 3 页 共 9 页", False),
        ("3", False),
        ("3/9", False),
        ("2023年", True),
    ],
)
def test_page_numbers_at_the_foot_are_dropped(folio: str, kept: bool) -> None:
    from nianbao.convert.extract.reflow import Glyph, Page, reflow

    def line(text: str, top: float) -> list[Glyph]:
        return [Glyph(c, 100 + 16 * i, 116 + 16 * i, top, top + 16) for i, c in enumerate(text)]

    pages = [Page(600, 800, [*line("正文第一段。", 100), *line(folio, 760)])]
    text = "".join(b.text for b in reflow(pages))
    assert text.startswith("正文第一段。")
    assert (folio.replace(" ", "") in text) is kept, text


# --- bad files ---------------------------------------------------------------------------------


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PAGED.text_pdf("003"))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _corrupt_ofd() -> bytes:
    data = PAGED.ofd("003")
    return data[: len(data) // 2]


def _ofd_without_page() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(PAGED.ofd("003"))) as good, zipfile.ZipFile(buffer, "w") as bad:
        for info in good.infolist():
            if "Page_0" not in info.filename:
                bad.writestr(info, good.read(info))
    return buffer.getvalue()


BAD = [
    ("encrypted.pdf", _encrypted_pdf, extract_pdf, "PDF 已加密"),
    ("cid.pdf", PAGED.unmapped_pdf, extract_pdf, "字体没有字符映射，3 个字"),
    ("truncated.pdf", lambda: PAGED.text_pdf("003")[:2000], extract_pdf, "PDF 文件已损坏"),
    ("not-a-pdf.pdf", lambda: b"<html>portal</html>", extract_pdf, "PDF 文件已损坏"),
    ("corrupt.ofd", _corrupt_ofd, extract_ofd, "OFD 文件已损坏"),
    ("zeros.ofd", lambda: b"PK\x03\x04" + b"\x00" * 40, extract_ofd, "OFD 文件已损坏"),
    ("missing-page.ofd", _ofd_without_page, extract_ofd, "缺少部件 Doc_0/Pages/Page_0/Content.xml"),
]


@pytest.mark.parametrize(("name", "make", "extract", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_paged_file_is_refused_with_a_chinese_reason(name, make, extract, message) -> None:
    with pytest.raises(ExtractError) as raised:
        extract(make())
    text = str(raised.value)
    assert message in text
    assert "；请" in text  # and it says what to do


# --- scans (OCR) -------------------------------------------------------------------------------

# Measured (tests/bench/paged_bench.py): RapidOCR keeps 99.8 % of 003's characters from its
# 200 dpi scan and 99.5 % of 002's, widths folded (its misses: mostly 、). 98 % leaves room for
# the engine's version differences while failing on a wrong page order, a lost page or a few lost
# lines, or a reflow that drops recognised text (one line of 003 is about 0.8 % of its text).
MIN_OCR_RECALL = 0.98


def width_folded(text: str) -> str:
    """OCR cannot tell ％ from % or ， from ,: compare characters with widths folded (NFKC)."""
    return unicodedata.normalize("NFKC", text)


@cache
def scanned_003() -> Extracted:
    return extract_pdf(PAGED.scanned_pdf("003"))


def test_scanned_pdf_is_recognised_and_says_so() -> None:
    extracted = scanned_003()
    assert (extracted.text_source, extracted.format, extracted.pages) == ("ocr", "pdf", 4)
    assert extracted.ocr_engine is not None and extracted.ocr_engine.startswith("rapidocr")
    assert extracted.ocr_confidence is not None and 0.9 < extracted.ocr_confidence <= 1
    expected, got = PAGED.report_text("003"), text_of(extracted)
    assert recall(width_folded(expected), width_folded(got)) >= MIN_OCR_RECALL


def test_scanned_pdf_keeps_the_outline_without_page_numbers() -> None:
    blocks = scanned_003().blocks
    txt_lines = [line.strip() for line in PAGED.report_text("003").splitlines() if line.strip()]
    assert blocks[0].text == "XX县医疗保障局“四个全面”自评报告"  # the two centred lines joined
    assert outline_levels([b.text for b in blocks]) == outline_levels(txt_lines)
    assert len(blocks) == len(txt_lines)
    assert not re.search(r"[—一-]\s*\d+\s*[—一-]", text_of(scanned_003()))


def test_pdf_with_one_scanned_page_is_read_whole() -> None:
    """Text pages and a recognised page are reflowed together: the paragraph that runs onto the
    scanned page is one paragraph, and the page's text is there."""
    extracted = extract_pdf(PAGED.mixed_pdf("003"))
    assert (extracted.text_source, extracted.pages) == ("ocr", 4)
    expected, got = PAGED.report_text("003"), text_of(extracted)
    assert recall(width_folded(expected), width_folded(got)) >= MIN_OCR_RECALL
    txt_lines = [line.strip() for line in expected.splitlines() if line.strip()]
    assert outline_levels([b.text for b in extracted.blocks]) == outline_levels(txt_lines)


@pytest.mark.parametrize(
    ("recognised", "mended"),
    [
        ("（(四）在引领示范上用力。", "（四）在引领示范上用力。"),
        ("(—)在XX惠民上着力。", "（一）在XX惠民上着力。"),
        ("-、2023年工作开展情况", "一、2023年工作开展情况"),
        ("（-1）不是编号", "（-1）不是编号"),
        ("-5℃以下", "-5℃以下"),
    ],
)
def test_misread_outline_numbers_of_a_scan_are_mended(recognised: str, mended: str) -> None:
    from nianbao.convert.extract.image import mend_numbering

    (block,) = mend_numbering([Block("paragraph", recognised)])
    assert block.text == mended
    assert block.kind == ("heading" if mended.startswith("一、") else "paragraph")


def test_image_file_is_recognised() -> None:
    from nianbao.convert.extract.image import extract_image

    extracted = extract_image(PAGED.scanned_image("003", "PNG"))  # the first page
    assert (extracted.text_source, extracted.format, extracted.pages) == ("ocr", "image", 1)
    first_page = "".join(line.text for line in PAGED.layout(PAGED.report_text("003"))[0][:-1])
    assert recall(width_folded(first_page), width_folded(text_of(extracted))) >= MIN_OCR_RECALL


def test_ocr_models_load_without_network() -> None:
    """The engine's models come with the package: it starts in a process with no network at all."""
    probe = "from nianbao.convert.extract.ocr import _engine; _engine(); print('ok')"
    done = subprocess.run(
        ["unshare", "--net", sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_without_an_ocr_engine_a_scan_is_refused_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nianbao.convert.extract import ocr

    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as if not installed
    ocr._engine.cache_clear()
    try:
        with pytest.raises(ExtractError, match=r"没有可用的 OCR 引擎.*请按 README"):
            extract_pdf(PAGED.scanned_pdf("003"))
    finally:
        ocr._engine.cache_clear()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("truncated.png", lambda: PAGED.scanned_image("003", "PNG")[:3000], "图像文件无法读取"),
        ("text.jpg", lambda: "不是图像".encode(), "图像文件无法读取"),
    ],
)
def test_bad_image_is_refused_with_a_chinese_reason(name, data, message) -> None:
    from nianbao.convert.extract.image import extract_image

    with pytest.raises(ExtractError, match=message):
        extract_image(data())
