"""What `make update` renders again and removes (nianbao.build.plan), as a pure function of the
last build's state and this build's pages, listings and outputs: no MkDocs build needed."""

from __future__ import annotations

from dataclasses import replace

from conftest import report_meta
from nianbao.build.plan import (
    NEW_SETUP,
    NO_RECORD,
    BuildState,
    CurrentBuild,
    CurrentPage,
    PageInfo,
    plan_update,
)
from nianbao.schema import ReportMeta

SETUP = "setup-1"


# Two organisations: anping (2022, 2023 and a redacted copy of 2023), baihe (2023).
METAS = {
    "a22": report_meta("a22", org_id="anping", year=2022),
    "a23": report_meta("a23", org_id="anping", year=2023, variants=["a23-copy"]),
    "a23-copy": report_meta("a23-copy", org_id="anping", year=2023, variant_of="a23"),
    "b23": report_meta("b23", org_id="baihe", year=2023),
}
LISTINGS = {
    "index.md": "d-home",
    "orgs/index.md": "d-orgs",
    "orgs/anping.md": "d-anping",
    "orgs/baihe.md": "d-baihe",
    "years/2022.md": "d-2022",
    "years/2023.md": "d-2023",
    "types/年度工作总结.md": "d-type",
    "topics/医保基金.md": "d-topic",
}


def _src(slug: str) -> str:
    return f"reports/{slug}.md"


def _state(metas: dict[str, ReportMeta] = METAS) -> BuildState:
    pages = {
        _src(slug): PageInfo(
            f"key-{slug}",
            slug,
            meta.org_id,
            (*meta.variants, *([meta.variant_of] if meta.variant_of else [])),
            meta.year,
        )
        for slug, meta in metas.items()
    }
    outputs = {f"reports/{slug}/index.html" for slug in metas} | {"index.html"}
    return BuildState(SETUP, pages, outputs, dict(LISTINGS), "build-7")


def _current(metas: dict[str, ReportMeta] = METAS, **changes: object) -> CurrentBuild:
    pages = {_src(slug): CurrentPage(f"key-{slug}", meta) for slug, meta in metas.items()}
    outputs = frozenset({f"reports/{slug}/index.html" for slug in metas} | {"index.html"})
    current = CurrentBuild(SETUP, pages, dict(LISTINGS), outputs)
    return replace(current, **changes)  # type: ignore[arg-type]


def _with_key(slug: str, key: str) -> CurrentBuild:
    current = _current()
    pages = dict(current.pages)
    pages[_src(slug)] = replace(pages[_src(slug)], key=key)
    return replace(current, pages=pages)


def test_nothing_changed_renders_only_the_indexes_and_topics_again() -> None:
    plan = plan_update(_state(), _current())
    assert not plan.full
    assert plan.changed == plan.gone == plan.pages == frozenset()
    assert plan.listings == {"index.md", "orgs/index.md", "topics/医保基金.md"}
    assert plan.stale == ()
    assert plan.years == frozenset()


def test_a_changed_report_reaches_its_organisation_and_its_variants_only() -> None:
    plan = plan_update(_state(), _with_key("a22", "key-a22-new"))
    assert plan.changed == {_src("a22")}
    # Every page of its organisation (year-over-year links), the redacted copy included.
    assert plan.pages == {_src("a22"), _src("a23"), _src("a23-copy")}
    assert plan.orgs == {"anping"}
    assert plan.years == {2022}
    # Its organisation's page and the years its organisation's reports are compared in.
    assert {"orgs/anping.md", "years/2022.md", "years/2023.md"} <= plan.listings
    assert "orgs/baihe.md" not in plan.listings


def test_a_changed_redacted_copy_reaches_its_original_in_another_organisation() -> None:
    metas = {
        **METAS,
        "b23": report_meta("b23", org_id="baihe", year=2023, variants=["c23"]),
        "c23": report_meta("c23", org_id="chengguan", year=2023, variant_of="b23"),
    }
    current = _current(metas)
    pages = dict(current.pages)
    pages[_src("c23")] = replace(pages[_src("c23")], key="new")
    plan = plan_update(_state(metas), replace(current, pages=pages))
    assert plan.pages == {_src("c23"), _src("b23")}  # b23's page names its copy's title


def test_a_new_report_renders_with_its_organisation() -> None:
    metas = {**METAS, "b24": report_meta("b24", org_id="baihe", year=2024)}
    plan = plan_update(_state(), _current(metas))
    assert plan.changed == {_src("b24")}
    assert plan.pages == {_src("b24"), _src("b23")}
    assert plan.years == {2024}


def test_a_gone_report_removes_its_outputs_and_reaches_its_organisation() -> None:
    metas = {slug: meta for slug, meta in METAS.items() if slug != "b23"}
    plan = plan_update(_state(), _current(metas))
    assert plan.gone == {_src("b23")}
    assert plan.stale == ("reports/b23/index.html",)
    assert plan.orgs == {"baihe"}
    assert plan.years == {2023}
    assert plan.pages == frozenset()


def test_a_page_whose_record_or_output_is_missing_renders_again() -> None:
    current = _current()
    pages = dict(current.pages)
    pages[_src("b23")] = replace(pages[_src("b23")], fresh=False)
    plan = plan_update(_state(), replace(current, pages=pages))
    assert plan.changed == {_src("b23")}


def test_a_listing_whose_digest_changed_renders_again() -> None:
    current = _current(listings={**LISTINGS, "types/年度工作总结.md": "d-type-2"})
    assert "types/年度工作总结.md" in plan_update(_state(), current).listings
    assert "types/年度工作总结.md" not in plan_update(_state(), _current()).listings


def test_a_new_setup_means_a_full_build() -> None:
    assert plan_update(_state(), _current(setup="setup-2")).full == NEW_SETUP


def test_no_record_of_the_site_means_a_full_build() -> None:
    assert plan_update(None, _current()).full == NO_RECORD
    # The site folder copies another published build than the one recorded.
    assert plan_update(_state(), _current(base="build-6")).full == NO_RECORD
    assert not plan_update(_state(), _current(base="build-7")).full
