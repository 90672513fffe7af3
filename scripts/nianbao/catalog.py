"""The maintainer's catalog (reports/catalog.yml): per-source overrides of any inferred field.

Format:

    reports:
      002_0764572fe450674b.txt:
        org_id: huzhou-nanxun-ybj
        region: 湖州市

Every problem is a `CatalogError` naming the catalog file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nianbao.schema import REPORT_TYPES, SchemaError, check_field

CATALOG_NAME = "catalog.yml"
# Fields a maintainer may set; the rest are facts of the file (hash, size) or derived.
CATALOG_FIELDS = frozenset(
    {"title", "org", "org_id", "region", "year", "plan_year", "type", "tags", "variant_of"}
)


class CatalogError(ValueError):
    """A problem in the catalog, at a line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line


@dataclass(frozen=True)
class CatalogEntry:
    """The maintainer's values for one source file."""

    source: str
    values: dict[str, Any]
    line: int


def load_catalog(
    reports_dir: Path, sources: set[str]
) -> tuple[dict[str, CatalogEntry], list[CatalogError]]:
    """Read `reports_dir/catalog.yml` (absent: empty) and check it against the source files.

    Nothing is lost to a mistake in the catalog: a bad entry (missing source file, unknown
    field, bad value) is left out and reported; a catalog that cannot be read at all (YAML
    syntax, wrong shape) is ignored as a whole and reported. The reports still convert.

    Args:
        reports_dir: the folder of raw reports.
        sources: source names (relative POSIX paths) present in the folder.

    Returns:
        The good entries by source, and the problems (each naming the catalog's line).
    """
    try:
        return _load(reports_dir, sources)
    except CatalogError as exc:
        return {}, [exc]


def _load(
    reports_dir: Path, sources: set[str]
) -> tuple[dict[str, CatalogEntry], list[CatalogError]]:
    path = reports_dir / CATALOG_NAME
    if not path.is_file():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogError(path, 1, "not UTF-8 text: save the catalog as UTF-8") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError(path, line, f"YAML syntax error: {problem}") from None
    if root is None:
        return {}, []
    reports = _mapping_value(root, "reports", path)
    if reports is None:
        return {}, []
    entries: dict[str, CatalogEntry] = {}
    problems: list[CatalogError] = []
    for key_node, value_node in reports.value:
        try:
            entry = _entry(path, text, key_node, value_node, sources)
        except CatalogError as exc:
            problems.append(exc)
            continue
        entries[entry.source] = entry
    return entries, problems


def _entry(
    path: Path, text: str, key_node: yaml.Node, value_node: yaml.Node, sources: set[str]
) -> CatalogEntry:
    """One entry of the catalog, checked."""
    source = key_node.value
    line = key_node.start_mark.line + 1
    if source not in sources:
        raise CatalogError(path, line, f"entry for {source!r}, but no such report file exists")
    if not isinstance(value_node, yaml.MappingNode):
        raise CatalogError(path, line, f"entry for {source!r} must be a mapping of fields")
    values: dict[str, Any] = {}
    for field_node, field_value in value_node.value:
        name = field_node.value
        field_line = field_node.start_mark.line + 1
        if name not in CATALOG_FIELDS:
            allowed = ", ".join(sorted(CATALOG_FIELDS))
            raise CatalogError(path, field_line, f"unknown field {name!r} (allowed: {allowed})")
        value = yaml.SafeLoader(text).construct_object(field_value, deep=True)
        try:
            values[name] = check_field(name, value)
        except SchemaError as exc:
            raise CatalogError(path, field_line, str(exc)) from None
        if name == "type" and value not in REPORT_TYPES:
            raise CatalogError(path, field_line, f"type must be one of {', '.join(REPORT_TYPES)}")
    return CatalogEntry(source=source, values=values, line=line)


def _mapping_value(root: yaml.Node, key: str, path: Path) -> yaml.MappingNode | None:
    if not isinstance(root, yaml.MappingNode):
        raise CatalogError(path, root.start_mark.line + 1, "the catalog must be a mapping")
    for key_node, value_node in root.value:
        if key_node.value == key:
            if value_node.tag == "tag:yaml.org,2002:null":
                return None
            if not isinstance(value_node, yaml.MappingNode):
                raise CatalogError(path, key_node.start_mark.line + 1, f"{key!r} must be a mapping")
            return value_node
        raise CatalogError(
            path, key_node.start_mark.line + 1, f"unknown top-level key {key_node.value!r}"
        )
    return None
