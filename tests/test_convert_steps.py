"""The converter's pure steps (nianbao.convert.pipeline) on real files: one file's bytes to its
parsing, then the folder-level steps — pairing documents, attaching portal pages, slugs, front
matter with the catalog's values, rendering a page — without the cache, pools or the output
folder (nianbao.build.convert_run)."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE_REPORTS
from mkdocs.utils.meta import get_data
from nianbao.convert.catalog import CatalogEntry
from nianbao.convert.pipeline import (
    Attachment,
    AttachmentPage,
    FileFacts,
    ParsedFile,
    ReportFile,
    Unreadable,
    assign_slugs,
    attach_pages,
    build_metas,
    one_per_source,
    page_files,
    pair_documents,
    parse_file,
    render_page,
    source_name,
)
from nianbao.schema import CATALOG, ReportMeta

_spec = importlib.util.spec_from_file_location(
    "make_formats", FIXTURES / "formats" / "make_formats.py"
)
assert _spec and _spec.loader
FORMATS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(FORMATS)

SAMPLES = sorted(SAMPLE_REPORTS.glob("*.txt"))


def _report_file(path: Path, root: Path = SAMPLE_REPORTS) -> tuple[ReportFile, ParsedFile]:
    data = path.read_bytes()
    parsed = parse_file(path.name, data)
    assert isinstance(parsed, ParsedFile), parsed
    return ReportFile(source_name(root, path), path, data, parsed.parse), parsed


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:3])
def test_a_sample_parses_into_its_report_and_what_the_folder_steps_read(path: Path) -> None:
    _, parsed = _report_file(path)
    assert parsed.report.body
    assert parsed.parse.facts.format == "txt"
    assert parsed.parse.texts.full == parsed.report.full_text
    assert parsed.parse.chars == len("".join(parsed.report.full_text.split()))
    assert parsed.parse.shingles and "year" in parsed.parse.inferred.values


def test_parsing_depends_on_the_bytes_alone() -> None:
    path = SAMPLES[0]
    assert parse_file(path.name, path.read_bytes()) == parse_file(path.name, path.read_bytes())


@pytest.mark.parametrize("name", ["加密.docx", "截断.docx", "空文件.docx"])
def test_a_file_that_cannot_be_read_is_unreadable_with_the_reason(name: str) -> None:
    outcome = parse_file(name, FORMATS.bad_files()[name])
    assert isinstance(outcome, Unreadable) and outcome.line == 0
    assert "请" in outcome.message  # what to do about it


def test_an_attachment_only_portal_page_names_its_attachment() -> None:
    outcome = parse_file("政务公开-003.html", FORMATS.attachment_page("003自评报告.docx"))
    assert isinstance(outcome, AttachmentPage)
    assert "003自评报告.docx" in outcome.names


def test_documents_of_one_name_make_one_page_from_the_preferred_format(tmp_path: Path) -> None:
    word = FORMATS.word("003", numbering=False)
    (tmp_path / "报告.docx").write_bytes(word)
    (tmp_path / "报告.pdf").write_bytes(b"%PDF-1.4 not read here")
    first, _ = _report_file(tmp_path / "报告.docx", tmp_path)
    parse = dataclasses.replace(first.parse, facts=FileFacts(format="pdf", carried={}))
    second = ReportFile("报告.pdf", tmp_path / "报告.pdf", b"", parse)
    kept = pair_documents([second, first])
    assert kept == [first]
    assert first.extras == [tmp_path / "报告.pdf"] and first.publishes_originals


def test_a_portal_page_gives_its_metadata_to_the_attached_file(tmp_path: Path) -> None:
    (tmp_path / "003自评报告.docx").write_bytes(FORMATS.word("003", numbering=False))
    target, _ = _report_file(tmp_path / "003自评报告.docx", tmp_path)
    page = parse_file("政务公开-003.html", FORMATS.attachment_page("003自评报告.docx"))
    assert isinstance(page, AttachmentPage)
    portal = tmp_path / "政务公开-003.html"
    assert attach_pages([target], [Attachment(portal, page)]) == []
    assert target.extras == [portal]
    assert "attachments" not in target.facts.carried
    elsewhere = Attachment(tmp_path / "other" / "政务公开-003.html", page)
    (problem,) = attach_pages([target], [elsewhere])
    assert problem.path == elsewhere.path and "003自评报告.docx" in problem.message


def test_slugs_are_unique_and_stable() -> None:
    slugs = assign_slugs(["b/报告.txt", "a 报告.txt", "b-报告.docx"])
    assert slugs == {"a 报告.txt": "a-报告", "b-报告.docx": "b-报告", "b/报告.txt": "b-报告-2"}


def test_one_page_per_source_name(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    paths, problems = one_per_source(tmp_path, [tmp_path / "a.txt", tmp_path / "a.txt"])
    assert paths == [tmp_path / "a.txt"] and len(problems) == 1


def _samples() -> tuple[list[ReportFile], dict[str, ParsedFile], dict[str, str]]:
    files, parsed = [], {}
    for path in SAMPLES:
        item, outcome = _report_file(path)
        files.append(item)
        parsed[item.source] = outcome
    return files, parsed, assign_slugs([item.source for item in files])


def test_metas_of_the_samples_with_a_catalog_value_over_the_inferred() -> None:
    files, _, slugs = _samples()
    source = files[0].source
    catalog = {source: CatalogEntry(source, {"title": "目录里的标题", "tags": ["目录标签"]}, 2)}
    found = build_metas(files, slugs, catalog)
    assert set(found.metas) == set(slugs.values()) and not found.skipped
    meta = found.metas[slugs[source]]
    assert meta.title == "目录里的标题" and meta.provenance["title"] == CATALOG
    assert "目录标签" in meta.tags and meta.source == source
    plain = build_metas(files, slugs, {}).metas[slugs[source]]
    assert plain.title != "目录里的标题" and "目录标签" not in plain.tags


def test_a_rendered_page_reads_back_as_its_front_matter() -> None:
    files, parsed, slugs = _samples()
    metas = build_metas(files, slugs, {}).metas
    for item in files:
        meta = metas[slugs[item.source]]
        page = render_page(meta, parsed[item.source].report)
        _, front = get_data(page.decode("utf-8"))
        # As the build reads it back (nianbao.schema), the same report's front matter.
        assert ReportMeta.from_meta(front) == meta
        assert front["title"] == meta.title
        assert page_files(item, meta.slug, page) == [
            (f"{meta.slug}.md", page),
            (f"sources/{meta.slug}.txt", item.data),
        ]
