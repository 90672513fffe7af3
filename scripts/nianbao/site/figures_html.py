"""HTML of stated figures: a report's figures table, an organisation's comparison across years
(with an SVG chart drawn at build time where a series has two points or more), and a year's
comparison across organisations. Rendered by nianbao.build.links.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from nianbao.schema import ReportMeta
from nianbao.site.figures import INDICATORS, Figure
from nianbao.site.urls import relative_url

DATA_DIR = "data"  # the site's folder of data files (written by nianbao.build.links)
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
        f"<tbody>{''.join(rows)}</tbody></table>"
        + (f'<div class="nb-charts">{"".join(charts)}</div>' if charts else "")
        + "</div>"
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


def subset_file_ok(name: str) -> bool:
    """Whether an organisation key or year can name a data file of its own (a catalog may set
    any key: no folder separators, no hidden or empty names)."""
    return bool(re.fullmatch(r"[\w\-]+(?:\.[\w\-]+)*", name))


def data_downloads(page_url: str, subset: str) -> str:
    """Links to the figures an organisation's or a year's page shows, as data files
    (`data/<subset>.csv` and `.json`, written by nianbao.build.links), and to every report's."""

    def href(name: str) -> str:
        return escape(relative_url(f"{DATA_DIR}/{name}", page_url))

    whole = (
        f'全部报告的数据：<a href="{href("figures.csv")}" download>CSV</a>、'
        f'<a href="{href("figures.json")}" download>JSON</a>。'
    )
    if not subset_file_ok(subset.partition("/")[2]):
        return f'<p class="nb-downloads">下载文中数据：{whole}</p>'
    return (
        f'<p class="nb-downloads">下载本页数据：<a href="{href(subset + ".csv")}" download>'
        f'CSV（电子表格）</a>、<a href="{href(subset + ".json")}" download>JSON（供程序使用）</a>；'
        f"{whole}</p>"
    )


def svg_chart(name: str, series: Sequence[tuple[int, Figure]]) -> str:
    """A line chart of one indicator over the years, drawn as inline SVG, its caption above.

    Counts and amounts are drawn from zero, so a 6 % rise looks like one; a rate (％) may zoom
    in on its range, and its axis then says where it starts. The y-axis carries its scale and
    unit; each point is labelled with the value as written.
    """
    width, height = 360, 200
    left, right, top, bottom = 58, 16, 22, 28  # room for tick labels, point labels and years
    years = [year for year, _ in series]
    values = [figure.value or 0.0 for _, figure in series]
    unit = series[-1][1].unit
    zoomed = unit == "％"
    ticks = _ticks(min(values), max(values), from_zero=not zoomed)
    low, high = ticks[0], ticks[-1]
    divisor, prefix = _magnitude(high)
    span_x = (years[-1] - years[0]) or 1

    inset = 24  # first and last points clear of the axis and its labels

    def x(year: int) -> float:
        return left + inset + (year - years[0]) / span_x * (width - left - right - 2 * inset)

    def y(value: float) -> float:
        return height - bottom - (value - low) / ((high - low) or 1.0) * (height - top - bottom)

    grid = "".join(
        f'<line class="nb-chart__grid" x1="{left}" x2="{width - right}" '
        f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        f'<text class="nb-chart__tick" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
        f"{_tick_label(tick / divisor)}</text>"
        for tick in ticks
    )
    axis = (
        f'<line class="nb-chart__axis" x1="{left}" x2="{left}" y1="{top - 6}" '
        f'y2="{height - bottom}"/>'
        f'<line class="nb-chart__axis" x1="{left}" x2="{width - right}" '
        f'y1="{height - bottom}" y2="{height - bottom}"/>'
    )
    points = " ".join(f"{x(year):.1f},{y(v):.1f}" for year, v in zip(years, values, strict=True))
    marks = "".join(
        f'<circle cx="{x(year):.1f}" cy="{y(v):.1f}" r="3"/>'
        f'<text x="{x(year):.1f}" y="{y(v) - 8:.1f}" text-anchor="middle">'
        f"{escape(f.written)}</text>"
        f'<text x="{x(year):.1f}" y="{height - 8}" text-anchor="middle">{year}年</text>'
        for (year, f), v in zip(series, values, strict=True)
    )
    scale = f"单位：{prefix}{unit}" + (f"（纵轴自 {_tick_label(low)}{unit} 起）" if low else "")
    described = "、".join(f"{year}年 {f.written}" for year, f in series)
    return (
        f'<figure class="nb-chart"><figcaption>{escape(name)}'
        f'<span class="nb-chart__scale">{escape(scale)}</span></figcaption>'
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(f"{name}逐年变化：{described}；{scale}")}">'
        f'{grid}{axis}<polyline points="{points}" fill="none"/>{marks}</svg></figure>'
    )


def _ticks(low: float, high: float, from_zero: bool) -> list[float]:
    """Three to six evenly spaced round values covering low..high (from 0 when asked)."""
    if from_zero:
        low, high = min(0.0, low), max(0.0, high)
    if high == low:
        high, low = high + 1, low - 1 if not from_zero else low
    raw = (high - low) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return [round(t, 10) for t in ticks]


def _magnitude(high: float) -> tuple[float, str]:
    """The divisor and its Chinese word for tick labels: 亿, 万, or none."""
    if abs(high) >= 1e8:
        return 1e8, "亿"
    if abs(high) >= 1e4:
        return 1e4, "万"
    return 1.0, ""


def _tick_label(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")
