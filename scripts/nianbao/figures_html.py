"""HTML of stated figures: a report's figures table, an organisation's comparison across years
(with an SVG chart drawn at build time where a series has two points or more), and a year's
comparison across organisations. Rendered by the `year_links` hook.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from html import escape

from nianbao.figures import INDICATORS, Figure
from nianbao.schema import ReportMeta

Href = Callable[[str, str], str]  # (slug, anchor) → URL relative to the page


def _order(name: str) -> tuple[int, str]:
    base = name.split("（")[0]
    names = [i.name for i in INDICATORS]
    return (names.index(base) if base in names else len(names), name)


def _value_cell(figure: Figure) -> str:
    shown = escape(figure.written)
    if figure.redacted:
        return f'<span class="nb-redacted" title="原文已隐去">{shown}</span>（已隐去）'
    return shown


def report_table(figures: Sequence[Figure], href: Href, slug: str) -> str:
    """The figures a report states, each linked to the section holding its sentence."""
    if not figures:
        return ""
    rows = []
    for figure in figures:
        rows.append(
            "<tr>"
            f"<td>{escape(figure.indicator)}</td>"
            f"<td>{_value_cell(figure)}</td>"
            f"<td>{escape(figure.as_of)}</td>"
            f'<td><a href="{escape(href(slug, figure.section))}">{escape(figure.sentence)}</a></td>'
            "</tr>"
        )
    return (
        '<div class="nb-figures"><h2 id="nb-figures">文中数据</h2>'
        "<p>从正文中提取的指标；点击原句跳到所在章节。</p>"
        "<table><thead><tr><th>指标</th><th>数值</th><th>截至</th><th>原句</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _first_by_indicator(figures: Sequence[Figure]) -> dict[str, Figure]:
    """A report's value of each indicator: the first stated (redacted only if no number)."""
    chosen: dict[str, Figure] = {}
    for figure in figures:
        held = chosen.get(figure.indicator)
        if held is None or (held.redacted and not figure.redacted):
            chosen[figure.indicator] = figure
    return chosen


def change(before: Figure, after: Figure) -> str:
    """The change from one value to the next, as a reader compares them."""
    if before.value is None or after.value is None:
        return "—"
    difference = after.value - before.value
    if after.unit == "％":
        return f"{difference:+.2f} 个百分点"
    if before.value == 0:
        return "—"
    return f"{difference / before.value:+.1%}"


def org_comparison(
    reports: Sequence[ReportMeta], figures: Mapping[str, Sequence[Figure]], href: Href
) -> str:
    """Indicators across an organisation's reports (one report a year, originals first)."""
    by_year: dict[int, ReportMeta] = {}
    for meta in sorted(reports, key=lambda m: (m.variant_of is not None, m.slug)):
        by_year.setdefault(meta.year, meta)
    years = sorted(by_year)
    values = {year: _first_by_indicator(figures.get(by_year[year].slug, ())) for year in years}
    names = sorted({name for held in values.values() for name in held}, key=_order)
    if not names:
        return ""
    head = "".join(f"<th>{year}年</th>" for year in years)
    rows, charts = [], []
    for name in names:
        cells = []
        series: list[tuple[int, Figure]] = []
        for year in years:
            figure = values[year].get(name)
            if figure is None:
                cells.append("<td>—</td>")
                continue
            link = href(by_year[year].slug, figure.section)
            title = escape(f"截至{figure.as_of}：{figure.sentence}")
            cells.append(
                f'<td><a href="{escape(link)}" title="{title}">{_value_cell(figure)}</a></td>'
            )
            if figure.value is not None:
                series.append((year, figure))
        last = change(series[-2][1], series[-1][1]) if len(series) >= 2 else "—"
        rows.append(f"<tr><td>{escape(name)}</td>{''.join(cells)}<td>{last}</td></tr>")
        if len(series) >= 2:
            charts.append(svg_chart(name, series))
    return (
        '<div class="nb-figures"><h2 id="nb-compare">指标对照</h2>'
        "<p>各年度报告中写明的指标；“变化”为最近两个有数值的年度之差。</p>"
        f"<table><thead><tr><th>指标</th>{head}<th>变化</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{''.join(charts)}</div>"
    )


def year_comparison(
    reports: Sequence[ReportMeta],
    figures: Mapping[str, Sequence[Figure]],
    org_names: Mapping[str, str],
    href: Href,
) -> str:
    """For one year: each indicator's value in each organisation's report."""
    rows_by_name: dict[str, list[str]] = defaultdict(list)
    for meta in sorted(reports, key=lambda m: (org_names.get(m.org_id, m.org), m.slug)):
        if meta.variant_of:
            continue
        for name, figure in _first_by_indicator(figures.get(meta.slug, ())).items():
            link = href(meta.slug, figure.section)
            rows_by_name[name].append(
                f"<tr><td>{escape(org_names.get(meta.org_id, meta.org))}</td>"
                f'<td><a href="{escape(link)}">{_value_cell(figure)}</a></td>'
                f"<td>{escape(figure.as_of)}</td></tr>"
            )
    if not rows_by_name:
        return ""
    parts = ['<div class="nb-figures"><h2 id="nb-compare">各机构指标对照</h2>']
    for name in sorted(rows_by_name, key=_order):
        parts.append(
            f"<h3>{escape(name)}</h3><table><thead><tr><th>机构</th><th>数值</th><th>截至</th>"
            f"</tr></thead><tbody>{''.join(rows_by_name[name])}</tbody></table>"
        )
    parts.append("</div>")
    return "".join(parts)


def svg_chart(name: str, series: Sequence[tuple[int, Figure]]) -> str:
    """A small line chart of one indicator over the years, drawn as inline SVG."""
    width, height, pad = 360, 140, 30
    years = [year for year, _ in series]
    values = [figure.value or 0.0 for _, figure in series]
    low, high = min(values), max(values)
    span_y = (high - low) or abs(high) or 1.0
    span_x = (years[-1] - years[0]) or 1

    def x(year: int) -> float:
        return pad + (year - years[0]) / span_x * (width - 2 * pad)

    def y(value: float) -> float:
        return height - pad - (value - low) / span_y * (height - 2 * pad)

    points = " ".join(f"{x(year):.1f},{y(v):.1f}" for year, v in zip(years, values, strict=True))
    marks = "".join(
        f'<circle cx="{x(year):.1f}" cy="{y(v):.1f}" r="3"/>'
        f'<text x="{x(year):.1f}" y="{y(v) - 8:.1f}" text-anchor="middle">'
        f"{escape(f.written)}</text>"
        f'<text x="{x(year):.1f}" y="{height - 8}" text-anchor="middle">{year}</text>'
        for (year, f), v in zip(series, values, strict=True)
    )
    return (
        f'<figure class="nb-chart"><svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(name)}逐年变化">'
        f'<polyline points="{points}" fill="none"/>{marks}</svg>'
        f"<figcaption>{escape(name)}</figcaption></figure>"
    )
