"""The front-matter schema of a report page: declared once, read by the converter, hooks and tests.

The converter writes a `ReportMeta` as YAML front matter (`to_front_matter`); the MkDocs hooks
read it back from `page.meta` with `ReportMeta.from_meta`, which reports every bad key by name
instead of silently defaulting it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

# Controlled list of report types (报告类型).
# Grown from the kinds of reports agencies publish every year; recognisers in nianbao.types.
REPORT_TYPES: tuple[str, ...] = (
    "政府信息公开工作年度报告",  # incl. 政务公开工作年度报告 (政府信息公开条例, fixed outline)
    "法治政府建设年度报告",
    "工作总结",
    "工作总结和工作思路",
    "党建工作总结",
    "自评报告",
    "会议发言",
    "工作计划",  # incl. 工作要点
    "其他",
)

# How a value was found: inferred from the text, set by the maintainer in reports/catalog.yml, or
# carried by the input file itself (a portal page's 索引号 block, a Word document's Title).
INFERRED = "inferred"
CATALOG = "catalog"
CARRIED = "carried"

# Marks every report page, so hooks can tell report pages from listing pages.
PAGE_KIND = "report"


class SchemaError(ValueError):
    """A front-matter value that does not fit the schema; `key` names the field."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass
class ReportMeta:
    """Everything the archive knows about one report, as written into its page's front matter."""

    title: str
    org: str  # 机构, as written, redactions included
    org_id: str  # stable key grouping one organisation's reports across years
    year: int  # 报告所总结的年份
    type: str  # one of REPORT_TYPES
    source: str  # raw file name, relative to the reports folder
    source_sha256: str
    slug: str  # page path below reports/, stable across runs
    encoding: str  # encoding the raw file was decoded with
    # The input's format (nianbao.convert.extract): txt, html, docx, doc, wps, rtf, pdf, ofd,
    # image. Keyword
    # fields, so that they sit here in the front matter though they have defaults.
    format: str = field(default="txt", kw_only=True)
    pages: int | None = field(default=None, kw_only=True)  # 原件页数, for paged formats
    # Original files published beside the page (sources/<slug>/<name>): name → SHA-256.
    originals: dict[str, str] = field(default_factory=dict, kw_only=True)
    text_source: str = field(default="text", kw_only=True)  # "text", or "ocr" (recognised)
    ocr_engine: str | None = field(default=None, kw_only=True)
    ocr_confidence: float | None = field(default=None, kw_only=True)  # mean, 0–1
    chars: int  # characters of report text, after cleaning
    redactions: int  # count of redaction placeholders (XX, *, ××× …)
    region: str | None = None  # 地区, from the organisation's name only (never a redacted one)
    plan_year: int | None = None  # 下年工作思路所指年份
    published: str | None = None  # 发布日期/成文日期/落款日期 (ISO YYYY-MM-DD)
    index_no: str | None = None  # 索引号
    doc_no: str | None = None  # 文号
    publisher: str | None = None  # 发布机构, as the portal or the text writes it
    tags: list[str] = field(default_factory=list)  # topics from the controlled vocabulary
    variant_of: str | None = None  # slug of the report this one is a redacted copy of
    variants: list[str] = field(default_factory=list)  # slugs of the redacted copies of this one
    # field name -> "catalog" or "inferred: <why>", for every inferred or catalogued field
    provenance: dict[str, str] = field(default_factory=dict)
    kind: str = PAGE_KIND

    def to_front_matter(self) -> dict[str, Any]:
        """Return the mapping to dump as YAML front matter, in schema order, Nones left out."""
        data = dataclasses.asdict(self)
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> ReportMeta:
        """Validate a page's front matter and build a ReportMeta.

        Raises:
            SchemaError: naming the first key that is missing, of the wrong type, or unknown.
        """
        known = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in meta.items():
            if key not in known:
                # Material's own keys may sit beside ours.
                if key in _THEME_KEYS:
                    continue
                raise SchemaError(key, "不是已知字段")
            values[key] = _check_type(key, value)
        missing = [
            name
            for name, f in known.items()
            if name not in values
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ]
        if missing:
            raise SchemaError(missing[0], "缺少")
        if values["type"] not in REPORT_TYPES:
            choices = "、".join(REPORT_TYPES)
            raise SchemaError("type", f"“{values['type']}”不在类型表中（可选：{choices}）")
        return cls(**values)


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ReportMeta))

# Front-matter keys of MkDocs/Material that may appear on a report page besides ours.
_THEME_KEYS = frozenset({"hide", "search", "template", "description", "icon", "status"})

_INT_FIELDS = frozenset({"year", "chars", "redactions", "plan_year", "pages"})
_OPTIONAL = frozenset({"plan_year", "pages", "ocr_confidence", "ocr_engine"})
_LIST_FIELDS = frozenset({"tags", "variants"})
_OPTIONAL_TEXT = frozenset({"region", "variant_of", "published", "index_no", "doc_no", "publisher"})


def check_field(key: str, value: Any) -> Any:
    """Return `value` if it has the type field `key` needs; raise SchemaError naming the key."""
    return _check_type(key, value)


def _check_type(key: str, value: Any) -> Any:
    if key in _INT_FIELDS:
        if value is None and key in _OPTIONAL:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(key, f"应为整数，而不是 {value!r}")
        return value
    if key in _LIST_FIELDS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SchemaError(key, f"应为文字列表，而不是 {value!r}")
        return value
    if key == "ocr_confidence":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SchemaError(key, f"应为数值，而不是 {value!r}")
        return float(value)
    if key == "originals":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise SchemaError(key, f"应为“文件名: SHA-256”的映射，而不是 {value!r}")
        return value
    if key == "provenance":
        if not isinstance(value, dict):
            raise SchemaError(key, f"应为映射，而不是 {value!r}")
        return {str(k): str(v) for k, v in value.items()}
    if value is None and (key in _OPTIONAL_TEXT or key in _OPTIONAL):
        return None
    if not isinstance(value, str):
        raise SchemaError(key, f"应为文字，而不是 {value!r}")
    return value


_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
# libyaml's parser when PyYAML has it: reading every page's front matter at 10,000 reports.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of a Markdown page (as MkDocs reads it), or {} if it has none."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}
    data = yaml.load(match.group(1), Loader=_LOADER)
    return data if isinstance(data, dict) else {}


def report_meta_or_problem(meta: Mapping[str, Any]) -> ReportMeta | str | None:
    """A page's front matter as a report's; what is wrong with it when it is bad; None when
    the page is not a report."""
    if meta.get("kind") != PAGE_KIND:
        return None
    try:
        return ReportMeta.from_meta(meta)
    except SchemaError as exc:
        return str(exc)


def page_report_meta(
    meta: Mapping[str, Any], src_uri: str, log: logging.Logger, consequence: str
) -> ReportMeta | None:
    """The report front matter of a page for a hook; None for other pages. Bad front matter
    is a warning naming the page, the field and what the hook leaves out because of it."""
    outcome = report_meta_or_problem(meta)
    if isinstance(outcome, str):
        log.warning("%s：元数据（front matter）有误：%s——%s", src_uri, outcome, consequence)
        return None
    return outcome
