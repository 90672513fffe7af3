"""The front-matter schema: written with safe_dump, read back by MkDocs, validated by name."""

from __future__ import annotations

import pytest
import yaml
from conftest import report_meta
from mkdocs.utils.meta import get_data
from nianbao.schema import REPORT_TYPES, ReportMeta, SchemaError


def _meta(slug: str = "002_0764572fe450674b") -> ReportMeta:
    """A redacted summary-and-plan report: Chinese text, integers, an optional year, a list."""
    return report_meta(
        slug,
        org_id="xx-ju",
        org="XX局",
        year=2023,
        title="XX局2023年工作总结和2024年工作思路",
        type="工作总结和工作思路",
        chars=5000,
        redactions=80,
        plan_year=2024,
        tags=["基金监管", "集采"],
    )


def test_front_matter_round_trips_through_mkdocs_reader() -> None:
    meta = _meta("000001")  # unquoted, slug 000001 would read back as 1
    text = "---\n" + yaml.safe_dump(meta.to_front_matter(), allow_unicode=True, sort_keys=False)
    text += "---\n\n# 标题\n"
    assert "\\u" not in text, "Chinese must be written as Chinese, not escapes"
    _body, data = get_data(text)
    assert ReportMeta.from_meta(data) == meta
    assert data["source"] == "000001.txt"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"year": "2023"}, "year"),
        ({"type": "年终总结"}, "type"),
        ({"tags": "党建"}, "tags"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_field_is_named(changes: dict[str, object], key: str) -> None:
    data = _meta().to_front_matter()
    data.update(changes)
    with pytest.raises(SchemaError) as raised:
        ReportMeta.from_meta(data)
    assert raised.value.key == key


def test_missing_field_is_named() -> None:
    data = _meta().to_front_matter()
    del data["org_id"]
    with pytest.raises(SchemaError, match="org_id: 缺少"):
        ReportMeta.from_meta(data)


def test_report_types_are_the_controlled_list() -> None:
    assert "工作总结和工作思路" in REPORT_TYPES
    assert REPORT_TYPES[-1] == "其他"
