"""Controlled topic vocabulary (主题标签) derived from the corpus, with the keywords of each.

Used by metadata inference to tag reports; a tag is given when its keywords occur often enough.
"""

from __future__ import annotations

# tag -> keywords; derived from the sample corpus of county medical-insurance bureaus.
TOPICS: dict[str, tuple[str, ...]] = {
    "党建": ("党建", "党组", "党支部", "党员", "主题教育", "党课", "三会一课"),
    "清廉建设": ("清廉", "党风廉政", "廉洁", "八项规定", "纪律教育", "不敢腐", "三不腐"),
    "基金监管": ("基金监管", "欺诈骗保", "骗保", "追回", "飞检", "违规费用", "基金安全", "拒付"),
    "参保筹资": ("参保", "筹资", "征缴", "参保率", "缴费"),
    "集采": ("集采", "带量采购", "集中带量采购", "集中采购"),
    "支付方式改革": ("支付方式改革", "DRG", "DIP", "总额预算", "按人头付费", "医保支付"),
    "异地就医": ("异地就医", "跨省", "异地备案", "直接结算"),
    "医疗救助": ("医疗救助", "困难群众", "救助", "返贫", "兜底保障", "低保", "特困"),
    "经办服务": (
        "经办",
        "窗口",
        "一网通办",
        "跨省通办",
        "服务圈",
        "好差评",
        "零星报销",
        "政务服务",
    ),
    "商业补充保险": ("健康保", "商保", "惠民保", "投保"),
    "医药价格": ("药品价格", "医疗服务价格", "提质降费", "价格信息", "口腔种植"),
    "长护险": ("长护险", "长期护理保险"),
    "门诊慢特病": ("门特", "慢特病", "门诊慢性病", "特殊病"),
    "生育保险": ("生育津贴", "生育报销", "生育保险", "优生优育"),
    "意识形态与宣传": ("意识形态", "宣传月", "政策宣传", "宣讲"),
}

# How many keyword occurrences make a topic a tag of the report.
MIN_TOPIC_HITS = 3
