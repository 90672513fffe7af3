"""A text PDF of a report, written without a PDF library, for the format benchmark.

Laid out as bureaus' PDFs are: A4, 28 characters a line (so lines wrap mid-sentence), 22 lines a
page, paragraphs indented two characters, a centred title, `— N —` page numbers at the foot.
The font is Adobe's STSong-Light with the predefined UniGB-UCS2-H encoding (not embedded, as
PDF allows for its standard CJK fonts): readers map its codes to Unicode without a ToUnicode
table.

    from text_pdf import text_pdf
    Path("r.pdf").write_bytes(text_pdf(lines))
"""

from __future__ import annotations

CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
FONT_SIZE = 16
_LEFT, _TOP, _LEADING = 72, 760, 28


def text_pdf(lines: list[str]) -> bytes:
    """A PDF of `lines` (the first is the title)."""
    rows: list[tuple[str, bool]] = []  # (text, centred)
    if lines:
        rows.append((lines[0], True))
    for paragraph in lines[1:]:
        text = "\u3000\u3000" + paragraph
        rows.extend(
            (text[i : i + CHARS_PER_LINE], False) for i in range(0, len(text), CHARS_PER_LINE)
        )
    pages = [rows[i : i + LINES_PER_PAGE] for i in range(0, len(rows), LINES_PER_PAGE)] or [[]]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        b" /FontDescriptor 5 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
        b" /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 880 /StemV 93 >>",
    ]
    kids = []
    for number, page in enumerate(pages, start=1):
        content = _content(page, number)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % index + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _content(rows: list[tuple[str, bool]], number: int) -> bytes:
    parts = [b"BT /F1 %d Tf" % FONT_SIZE]
    for index, (text, centred) in enumerate(rows):
        x = (595 - len(text) * FONT_SIZE) / 2 if centred else _LEFT
        parts.append(b"1 0 0 1 %.1f %d Tm <%s> Tj" % (x, _TOP - index * _LEADING, _hex(text)))
    footer = f"— {number} —"
    x = (595 - len(footer) * FONT_SIZE / 2) / 2
    parts.append(b"1 0 0 1 %.1f 60 Tm <%s> Tj ET" % (x, _hex(footer)))
    return b"\n".join(parts)


def _hex(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode("ascii")
