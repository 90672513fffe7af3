"""HTML of stated figures: a report's figures table, an organisation's comparison across years
(with an SVG chart drawn at build time where a series has two points or more), and a year's
comparison across organisations. Rendered by the `year_links` hook.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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
    marked = f"写明“{figure.headline}”" if figure.headline not in ("", figure.scope) else ""
    notes = [word for word in (figure.scope, marked) if word]
    return shown + (f"（{'、'.join(notes)}）" if notes else "")


@dataclass(frozen=True)
class Statement:
    """What a comparison shows of one indicator of one report: the value it compares (if the
    report makes one plain), why that one, and every value the report states."""

    stated: tuple[Figure, ...]  # every statement, in order
    taken: Figure | None  # the value compared across reports; None: all are listed instead
    why: str  # shown beside the value: why it was taken, or why none was


def choose(stated: Sequence[Figure]) -> Statement:
    """The value of an indicator to compare, never silently one of several: the only value
    stated (or the same value stated again), else the one the report marks as its total
    (总额 / 共 / 累计), else none — every value is then listed."""
    numbers = [f for f in stated if not f.redacted]
    if not numbers:
        return Statement(tuple(stated), stated[0], "")
    distinct = {_key(f) for f in numbers}
    if len(distinct) == 1:
        why = f"文中 {len(numbers)} 处写同一数值" if len(numbers) > 1 else ""
        return Statement(tuple(stated), numbers[0], why)
    totals = [f for f in numbers if f.headline]
    if len({_key(f) for f in totals}) == 1:
        others = "、".join(f.written for f in numbers if _key(f) != _key(totals[0]))
        why = f"取报告标明为总数（“{totals[0].headline}”）的数值；文中另有 {others}"
        return Statement(tuple(stated), totals[0], why)
    return Statement(tuple(stated), None, f"文中有 {len(distinct)} 个不同数值，未写明总额，均列出")


def _key(figure: Figure) -> tuple[float | None, float | None]:
    return (figure.value, figure.upper)


def _statements(figures: Sequence[Figure]) -> dict[str, Statement]:
    """A report's statement of each indicator (by name, population included)."""
    by_name: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        by_name[figure.indicator].append(figure)
    return {name: choose(stated) for name, stated in by_name.items()}


def _statement_cell(statement: Statement, link_of: Callable[[Figure], str]) -> str:
    """A comparison cell: the value taken, linked to its sentence, and why; or every value."""

    def linked(figure: Figure) -> str:
        title = escape(f"截至{figure.as_of}：{figure.sentence}")
        return f'<a href="{escape(link_of(figure))}" title="{title}">{_value_cell(figure)}</a>'

    if statement.taken is not None:
        shown = linked(statement.taken)
    else:
        shown = "；".join(linked(f) for f in statement.stated if not f.redacted)
    why = (
        f'<br><small class="nb-figure-why">{escape(statement.why)}</small>' if statement.why else ""
    )
    return shown + why


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


def change(before: Figure, after: Figure) -> str:
    """The change from one value to the next, as a reader compares them."""
    if before.value is None or after.value is None or before.upper or after.upper:
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
    values = {year: _statements(figures.get(by_year[year].slug, ())) for year in years}
    names = sorted({name for held in values.values() for name in held}, key=_order)
    if not names:
        return ""
    head = "".join(f"<th>{year}年</th>" for year in years)
    rows, charts = [], []
    for name in names:
        cells = []
        series: list[tuple[int, Figure]] = []
        for year in years:
            statement = values[year].get(name)
            if statement is None:
                cells.append("<td>—</td>")
                continue
            slug = by_year[year].slug
            cell = _statement_cell(statement, lambda f, slug=slug: href(slug, f.section))
            cells.append(f"<td>{cell}</td>")
            figure = statement.taken
            if figure is not None and figure.value is not None:
                series.append((year, figure))
        last = change(series[-2][1], series[-1][1]) if len(series) >= 2 else "—"
        rows.append(f"<tr><td>{escape(name)}</td>{''.join(cells)}<td>{last}</td></tr>")
        if len(series) >= 2:
            charts.append(svg_chart(name, series))
    return (
        '<div class="nb-figures"><h2 id="nb-compare">指标对照</h2>'
        "<p>各年度报告中写明的指标；一篇报告写了同一指标的几个不同数值时，取报告标明为总数（“总额”“共”“累计”）的数值并注明，"
        "没有则全部列出、不参与比较；“变化”为最近两个有单一数值的年度之差。</p>"
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
    present = {meta.slug for meta in reports}
    for meta in sorted(reports, key=lambda m: (org_names.get(m.org_id, m.org), m.slug)):
        if meta.variant_of in present:  # its original states the same figures
            continue
        for name, statement in _statements(figures.get(meta.slug, ())).items():
            cell = _statement_cell(statement, lambda f, slug=meta.slug: href(slug, f.section))
            shown = [statement.taken] if statement.taken else list(statement.stated)
            as_of = "、".join(dict.fromkeys(f.as_of for f in shown))
            rows_by_name[name].append(
                f"<tr><td>{escape(org_names.get(meta.org_id, meta.org))}</td>"
                f"<td>{cell}</td><td>{escape(as_of)}</td></tr>"
            )
    if not rows_by_name:
        return ""
    parts = [
        '<div class="nb-figures"><h2 id="nb-compare">各机构指标对照</h2>'
        "<p>一篇报告写了同一指标的几个不同数值时，取报告标明为总数（“总额”“共”“累计”）的数值并注明，没有则全部列出；"
        "注明人群的指标（如参保人数（城乡居民））单列一行。</p>"
    ]
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
