"""Nothing the archive infers undoes a redaction: a report whose author hid its organisation
(XX, *, ×××, 某某) gets no organisation, region or publisher from anywhere else in its text."""

from __future__ import annotations

import pytest
from nianbao.convert.metadata import infer_metadata
from nianbao.convert.report import parse_report

BODY = (
    "2023年，我局围绕参保扩面、基金监管和经办服务开展工作，医保各项任务顺利完成。\n"
    "一、工作开展情况\n"
    "（一）参保扩面。医保参保率稳定在95%以上。\n"
    "（二）基金监管。追回医保基金120万元。\n"
)
SIGNATURE = "云溪县医疗保障局\n2024年1月5日\n"


@pytest.mark.parametrize(
    ("text", "org", "region"),
    [
        pytest.param(
            "发布机构：云溪县医疗保障局\nXX局2023年工作总结\n" + BODY + SIGNATURE,
            "XX局",
            None,
            id="redacted-title-portal-and-signature-name-the-place",
        ),
        pytest.param(
            "2023年工作总结\n" + BODY.replace("我局", "**县医疗保障局") + SIGNATURE,
            "**县医疗保障局",
            None,
            id="redacted-body-signature-names-the-place",
        ),
        pytest.param(
            BODY.replace("2023年，我局", "2023年，XX县医疗保障局") + "遂溪县医疗保障局\n",
            "XX县医疗保障局",
            None,
            id="redacted-first-sentence-signature-names-the-place",
        ),
        pytest.param(
            "2023年工作总结\n" + BODY + SIGNATURE,
            "云溪县医疗保障局",
            "云溪县",
            id="unredacted-control-signature-gives-org-and-region",
        ),
    ],
)
def test_region_and_org_never_reveal_a_redacted_name(
    text: str, org: str, region: str | None
) -> None:
    inferred = infer_metadata(parse_report(text))
    assert inferred.values["org"] == org, inferred.reasons
    assert inferred.values.get("region") == region
    if region is None:
        shown = " ".join(str(value) for value in inferred.values.values())
        assert "云溪" not in shown and "遂溪" not in shown
