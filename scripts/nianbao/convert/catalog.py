"""The maintainer's catalog (reports/catalog.yml): per-source overrides of any inferred field.

Read by the converter's run (nianbao.build.convert_run). Format:

    reports:
      002_0764572fe450674b.txt:
        org_id: huzhou-nanxun-ybj
        region: 湖州市
        year: 2023年          # 2023, "2023" and 2023年 all mean the year 2023
        tags: [集采]          # added to the inferred tags …
        tags_replace: true    # … or, with this, replacing them

The people who edit it are not YAML experts: every problem is a `CatalogError` naming the
catalog file and line with a plain Chinese explanation, and a mistake costs only what it
touches — a bad field drops that field, an unknown tag that tag, an entry for a missing file
that entry; only a catalog that cannot be read at all (YAML syntax) is ignored as a whole.

Bounded work on hostile input: anchors and aliases (`&a` / `*a`, the "billion laughs" bomb) are
refused before anything is built from them, and reading is linear in the catalog's size.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nianbao.schema import REPORT_TYPES, SchemaError, check_field
from nianbao.vocabulary import TOPICS

CATALOG_NAME = "catalog.yml"
# Fields a maintainer may set; the rest are facts of the file (hash, size) or derived.
CATALOG_FIELDS = frozenset(
    {
        "title",
        "org",
        "org_id",
        "region",
        "year",
        "plan_year",
        "type",
        "tags",
        "variant_of",
        "published",
        "index_no",
        "doc_no",
        "publisher",
    }
)
# Not a field of the page: how the catalog's `tags` combine with the inferred ones.
TAGS_REPLACE = "tags_replace"
_YEAR_FIELDS = frozenset({"year", "plan_year"})
_YEAR_TEXT = re.compile(r"\s*((?:19|20)\d{2})\s*年?\s*(?:度)?\s*")
_DATE_TEXT = re.compile(r"\s*((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*")
# libyaml's parser when PyYAML has it (10,000 entries: a fraction of a second).
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Other spellings of a type a maintainer may write, and the listed type they mean.
TYPE_ALIASES = {
    "政务公开工作年度报告": "政府信息公开工作年度报告",
    "信息公开年报": "政府信息公开工作年度报告",
    "自查报告": "自评报告",
    "绩效自评报告": "自评报告",
    "讲话": "会议发言",
    "工作要点": "工作计划",
    "工作总结和工作计划": "工作总结和工作思路",
}


class CatalogError(ValueError):
    """A problem in the catalog, at a line, explained in Chinese."""

    def __init__(self, path: Path, line: int, message: str, *, fatal: bool = True) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message
        # A stale entry (its report withdrawn) is only a warning: withdrawing a report must
        # not stop the archive from building until the catalog is tidied.
        self.fatal = fatal


@dataclass(frozen=True)
class CatalogEntry:
    """The maintainer's values for one source file."""

    source: str
    values: dict[str, Any]
    line: int
    tags_replace: bool = False  # the catalog's tags replace the inferred ones


def load_catalog(
    reports_dir: Path, sources: set[str]
) -> tuple[dict[str, CatalogEntry], list[CatalogError]]:
    """Read `reports_dir/catalog.yml` (absent: empty) and check it against the source files.

    Args:
        reports_dir: the folder of raw reports.
        sources: source names (relative POSIX paths) present in the folder.

    Returns:
        The good entries by source (bad fields left out), and the problems (each naming the
        catalog's line). A fatal problem means the maintainer must fix the catalog: the
        converter exits 2; an entry whose report file is gone is a warning.
    """
    path = reports_dir / CATALOG_NAME
    if not path.is_file():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return {}, [CatalogError(path, 1, "不是 UTF-8 编码的文本：请用 UTF-8 编码另存目录文件")]
    return parse_catalog(text, path, sources)


def parse_catalog(
    text: str, path: Path, sources: set[str]
) -> tuple[dict[str, CatalogEntry], list[CatalogError]]:
    """Check and read the catalog's text (pure: `path` only names it in messages)."""
    problems = list(_full_width_problems(text, path))
    bad_lines = {problem.line for problem in problems}
    # Read on with the full-width marks taken as the ASCII ones, so that one slip does not
    # hide every other entry; the fields on those lines are dropped all the same.
    readable = _FULL_WIDTH_COLON.sub(r"\1: ", text)
    readable = _FULL_WIDTH_INDENT.sub(lambda m: m.group().replace("\u3000", "  "), readable)
    readable = readable.replace(":\u3000", ": ")
    try:
        loader = _LOADER(readable)
        try:
            _refuse_anchors(readable, path)
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        return {}, [*problems, _syntax_error(exc, path, readable)]
    except CatalogError as exc:
        return {}, [*problems, exc]
    if root is None:
        return {}, problems
    try:
        reports = _reports_mapping(root, path)
    except CatalogError as exc:
        return {}, [*problems, exc]
    entries: dict[str, CatalogEntry] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in reports.value if reports else ():
        source = str(key_node.value)
        line = key_node.start_mark.line + 1
        if source in first_line:
            problems.append(
                CatalogError(
                    path,
                    line,
                    f"“{source}”已在第{first_line[source]}行有条目：请把两处合并为一条"
                    "（本条未采用）",
                )
            )
            continue
        first_line[source] = line
        entry = _entry(path, loader, key_node, value_node, sources, bad_lines, problems)
        if entry:
            entries[source] = entry
    return entries, problems


def _entry(
    path: Path,
    loader: yaml.SafeLoader,
    key_node: yaml.Node,
    value_node: yaml.Node,
    sources: set[str],
    bad_lines: set[int],
    problems: list[CatalogError],
) -> CatalogEntry | None:
    """One entry of the catalog: its good fields; each bad one is a problem and left out."""
    source = str(key_node.value)
    line = key_node.start_mark.line + 1
    if source not in sources:
        problems.append(
            CatalogError(
                path,
                line,
                f"条目“{source}”对应的报告文件不存在（已撤下或文件名有误）：请核对文件名"
                "（含子目录和扩展名 .txt），或删去该条目",
                fatal=False,
            )
        )
        return None
    if not isinstance(value_node, yaml.MappingNode):
        problems.append(
            CatalogError(
                path, line, f"条目“{source}”下应逐行写“字段: 值”（缩进两个空格），而不是单个值"
            )
        )
        return None
    values: dict[str, Any] = {}
    replace = False
    for field_node, field_value in value_node.value:
        name = str(field_node.value)
        field_line = field_node.start_mark.line + 1
        if field_line in bad_lines:
            continue  # already named (full-width mark); the field is not applied
        try:
            value = loader.construct_object(field_value, deep=True)
            if name == TAGS_REPLACE:
                replace = _bool(value)
            elif name not in CATALOG_FIELDS:
                allowed = "、".join(sorted(CATALOG_FIELDS | {TAGS_REPLACE}))
                raise ValueError(f"未知字段“{name}”（可用字段：{allowed}）")
            elif name == "tags":
                values[name] = _tags(value, path, field_line, problems)
            else:
                values[name] = _value(name, value)
        except ValueError as exc:
            problems.append(CatalogError(path, field_line, f"{exc}；此字段未采用"))
    return CatalogEntry(source=source, values=values, line=line, tags_replace=replace)


def _value(name: str, value: Any) -> Any:
    """A field's value as the page needs it; ValueError with a Chinese reason otherwise."""
    if name in _YEAR_FIELDS:
        return _year(name, value)
    if name == "published":
        return _date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # an org_id or 文号 written as a bare number
    if name == "type":
        value = TYPE_ALIASES.get(str(value).strip(), value)
        if value not in REPORT_TYPES:
            raise ValueError(f"类型“{value}”不在受控列表中（可选：{'、'.join(REPORT_TYPES)}）")
    try:
        return check_field(name, value)
    except SchemaError:
        raise ValueError(f"{name} 应为一段文字，而不是 {value!r}") from None


def _year(name: str, value: Any) -> int:
    """2023, "2023", 2023年 and full-width digits — all the year 2023."""
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2099:
        return value
    if isinstance(value, str):
        match = _YEAR_TEXT.fullmatch(unicodedata.normalize("NFKC", value))
        if match:
            return int(match.group(1))
    raise ValueError(f"{name} 应为四位数的年份，如 2023 或 2023年，而不是“{value}”")


def _date(value: Any) -> str:
    """A date as ISO YYYY-MM-DD (YAML reads 2024-01-05 as a date; 2024年1月5日 is text)."""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    match = _DATE_TEXT.fullmatch(unicodedata.normalize("NFKC", str(value)))
    if match:
        year, month, day = (int(part) for part in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    raise ValueError(f"published 应为日期，如 2024-01-05 或 2024年1月5日，而不是“{value}”")


def _tags(value: Any, path: Path, line: int, problems: list[CatalogError]) -> list[str]:
    """The catalog's tags that are in the vocabulary; each other one is named and left out."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[,，、\s]+", value) if part]
    if not isinstance(value, list):
        raise ValueError("tags 应为标签列表，如 [集采, 异地就医]")
    tags: list[str] = []
    for tag in value:
        if tag in TOPICS:
            tags.append(tag)
        else:
            problems.append(
                CatalogError(
                    path,
                    line,
                    f"标签“{tag}”不在主题词表中（可用：{'、'.join(TOPICS)}）；此标签未采用",
                )
            )
    return tags


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"{TAGS_REPLACE} 应为 true 或 false，而不是“{value}”")


def _reports_mapping(root: yaml.Node, path: Path) -> yaml.MappingNode | None:
    if not isinstance(root, yaml.MappingNode):
        raise CatalogError(
            path, root.start_mark.line + 1, "目录文件应以“reports:”开头，其下逐个列出报告文件"
        )
    found: yaml.MappingNode | None = None
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if key_node.value != "reports":
            raise CatalogError(
                path, line, f"未知的顶层键“{key_node.value}”：目录文件只有一个顶层键“reports:”"
            )
        if value_node.tag == "tag:yaml.org,2002:null":
            continue
        if not isinstance(value_node, yaml.MappingNode):
            raise CatalogError(
                path, line, "“reports:”下应逐个列出报告文件名（缩进两个空格，后接冒号）"
            )
        found = value_node
    return found


# A line whose key is followed by a full-width colon (`year：2023`, `  r.txt：`), before any
# ASCII colon: YAML would read the whole line as one piece of text.
_FULL_WIDTH_COLON = re.compile(
    r"(?m)^([ \t\u3000]*[^\s:：#\"'\[{-][^:：#\n]*?)[ \t\u3000]*：[ \t\u3000]*"
)
_FULL_WIDTH_INDENT = re.compile(r"(?m)^[ \t]*\u3000[ \t\u3000]*")


def _full_width_problems(text: str, path: Path) -> Iterator[CatalogError]:
    """Full-width colons and spaces where YAML needs ASCII ones (a Chinese input method's)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if _FULL_WIDTH_COLON.match(line):
            yield CatalogError(
                path,
                number,
                "用了全角冒号“：”：字段名后须是半角冒号加空格，如“year: 2023”"
                "（切换到英文输入法再输入冒号）；此字段未采用",
            )
        elif _FULL_WIDTH_INDENT.match(line) or ":\u3000" in line:
            yield CatalogError(
                path,
                number,
                "用了全角空格“　”：缩进和冒号后须是半角空格（切换到英文输入法再输入空格）；"
                "此字段未采用",
            )


def _refuse_anchors(text: str, path: Path) -> None:
    """Refuse anchors and aliases before anything is composed from them.

    An alias repeats what its anchor holds; nested, a few hundred bytes expand to gigabytes
    (the "billion laughs"). The catalog needs neither, so the first anchor stops the reading,
    which therefore costs no more than one pass over the text.
    """
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1
            raise CatalogError(
                path,
                line,
                "用了 YAML 锚点或别名（“&名称”“*名称”）：目录文件不支持，请把值逐条写出",
            )


# libyaml's and PyYAML's wording of the common slips, and what to tell the maintainer.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("'\\t'", "有制表符（Tab）：缩进只能用半角空格"),
    ("deeper", "这一行与上一行缩进不一致：同一层的字段须用相同数量的半角空格缩进"),
    (
        "mapping values are not allowed",
        "冒号用得不对：一行只能有一个“字段: 值”；值里含冒号时请用引号括起",
    ),
    ("could not find expected ':'", "缺少冒号：字段名和值之间须有半角冒号加空格，如“year: 2023”"),
    ("did not find expected key", "缩进没有对齐：同一层的字段须用相同数量的半角空格缩进"),
    ("expected <block end>", "缩进没有对齐：同一层的字段须用相同数量的半角空格缩进"),
    ("found unexpected end of stream", "引号或括号没有闭合：请补上配对的引号或括号"),
    ("found unknown escape character", "双引号中的反斜杠“\\”有误：请改用单引号，或写成“\\\\”"),
    ("expected ',' or ']'", "方括号“[ ]”没有闭合，或其中缺少逗号"),
    ("expected ',' or '}'", "花括号“{ }”没有闭合，或其中缺少逗号"),
    ("expected a comment or a line break", "引号后面多了文字：引号须括住整个值"),
    ("found character '@' that cannot start", "值不能以“@”或“`”开头：请用引号括起整个值"),
    ("found character '`' that cannot start", "值不能以“@”或“`”开头：请用引号括起整个值"),
)


def _syntax_error(exc: yaml.YAMLError, path: Path, text: str) -> CatalogError:
    """A YAML syntax error in plain Chinese, at its line (the parser's words kept at the end)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else 1
    problem = str(getattr(exc, "problem", None) or exc).strip()
    context = str(getattr(exc, "context", None) or "")
    lines = text.splitlines()
    # libyaml does not say which character it met: a tab on the line is the likely one.
    has_tab = 0 < line <= len(lines) and "\t" in lines[line - 1]
    problem_key = ""
    if _indented_deeper(lines, line):
        problem_key = "deeper"  # the line sits deeper than its sibling above
    elif has_tab:
        problem_key = "'\\t'"
    hints = dict(_SYNTAX_HINTS)
    hint = hints.get(problem_key) or next(
        (hint for key, hint in _SYNTAX_HINTS if key in problem or key in context),
        "格式不符合 YAML：请对照 docs/maintainers/schema.md 中的示例检查这一行及上一行",
    )
    return CatalogError(
        path, line, f"YAML 格式错误：{hint}（整个目录文件未采用；解析器原话：{problem}）"
    )


def _indented_deeper(lines: list[str], line: int) -> bool:
    """Whether line `line` (1-based) is indented deeper than the field above it, which does
    not open a block (no value after its colon would)."""
    if not 1 < line <= len(lines):
        return False
    above = next((text for text in reversed(lines[: line - 1]) if text.strip()), "")
    here = lines[line - 1]
    indent = len(here) - len(here.lstrip(" "))
    return indent > len(above) - len(above.lstrip(" ")) and not above.rstrip().endswith(":")
