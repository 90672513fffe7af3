"""Who a build is for (`extra: audience` in mkdocs.yml): which reports it publishes.

`internal` (the default) publishes every report; a report and its redacted copy are labelled
as a pair. `public` publishes the redacted copy of a report and leaves out the original it was
made from, so nothing the author redacted reaches the site: not its page, the listings, the
search index, the figures or the data files. Called by the `audience` hook.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nianbao.schema import ReportMeta

INTERNAL = "internal"
PUBLIC = "public"
AUDIENCES = (INTERNAL, PUBLIC)
SETTING = "audience"  # the key under mkdocs.yml's `extra:`


def audience_of(extra: Mapping[str, Any]) -> str:
    """The audience a configuration's `extra` names (internal when it names none).

    Raises:
        ValueError: naming the setting and the values it may take.
    """
    value = extra.get(SETTING) or INTERNAL
    if value not in AUDIENCES:
        raise ValueError(f"extra.{SETTING}: {value!r} 不是可用的取值（{' / '.join(AUDIENCES)}）")
    return str(value)


def left_out(reports: Iterable[ReportMeta], audience: str) -> dict[str, str]:
    """The reports a build for `audience` leaves out, {slug: why}: for `public`, every report
    of which a redacted copy is in the archive."""
    if audience != PUBLIC:
        return {}
    metas = list(reports)
    present = {meta.slug for meta in metas}
    out: dict[str, str] = {}
    for meta in metas:
        copies = [slug for slug in meta.variants if slug in present]
        if copies:
            out[meta.slug] = f"原文未隐去信息，公开版只发布其隐去版本 {'、'.join(copies)}"
    return out
