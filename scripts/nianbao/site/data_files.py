"""The site's data files for analysts — `data/figures.json`, `data/figures.csv` (all figures, and
each organisation's and year's under `data/orgs/` and `data/years/`) and `data/links.json` (the
year-over-year links) — as texts; nianbao.build.links writes them into the site."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

from nianbao.escape import csv_cell
from nianbao.schema import ReportMeta
from nianbao.site.figures import CSV_HEADERS, Figure
from nianbao.site.threads import Thread

Row = dict[str, object]


def figure_rows(
    figures: Mapping[str, Sequence[Figure]],
    metas: Mapping[str, ReportMeta],
    urls: Mapping[str, str],
    names: Mapping[str, str],
) -> list[Row]:
    """One row per figure, reports by slug: the report, its organisation, year and type."""
    rows: list[Row] = []
    for slug in sorted(figures):
        meta = metas[slug]
        for figure in figures[slug]:
            rows.append(
                {
                    "report": slug,
                    "url": urls[slug] + (f"#{figure.section}" if figure.section else ""),
                    "org": names.get(meta.org_id, meta.org),
                    "org_id": meta.org_id,
                    "year": meta.year,
                    "type": meta.type,
                    **figure.to_dict(),
                }
            )
    return rows


def subsets(rows: Sequence[Row], key: str) -> dict[str, list[Row]]:
    """The rows by the value of `key` (`org_id`, `year`): what each such page shows."""
    by_value: dict[str, list[Row]] = {}
    for row in rows:
        by_value.setdefault(str(row[key]), []).append(row)
    return by_value


def figures_json(rows: Sequence[Row]) -> str:
    """Figures for programs (English keys)."""
    return json.dumps(rows, ensure_ascii=False, indent=1)


def figures_csv(rows: Sequence[Row]) -> str:
    """Figures for spreadsheets: Chinese column names, UTF-8 with BOM (so that spreadsheet
    programs read the Chinese text correctly)."""
    buffer = io.StringIO()
    if rows:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([CSV_HEADERS.get(key, key) for key in rows[0]])
        # Texts a spreadsheet would run as a formula get a leading ' (nianbao.escape).
        writer.writerows([csv_cell(value) for value in row.values()] for row in rows)
    return "\ufeff" + buffer.getvalue()


def links_json(threads: Mapping[str, Thread]) -> str:
    """Every report's year-over-year links."""
    def ref(value: object) -> object:
        return value.__dict__ if value is not None else None

    data: dict[str, object] = {}
    for slug in sorted(threads):
        thread = threads[slug]
        data[slug] = {
            "previous": thread.previous,
            "next": thread.next,
            "same_year": thread.same_year,
            "earlier_topic": {a: ref(r) for a, r in sorted(thread.earlier_topic.items())},
            "later_topic": {a: ref(r) for a, r in sorted(thread.later_topic.items())},
            "plans": [
                {
                    "section": ref(plan.section),
                    "plan_year": plan.plan_year,
                    "target": plan.target_slug,
                    "items": [
                        {
                            "item": ref(item.source),
                            "matched": ref(item.target),
                            # Most alike first; `score` is text likeness, not an evaluation.
                            "related": [ref(related) for related in item.related],
                        }
                        for item in plan.items
                    ],
                }
                for plan in thread.plans
            ],
        }
    return json.dumps(data, ensure_ascii=False, indent=1)
