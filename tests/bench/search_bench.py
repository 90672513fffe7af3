"""Search benchmark: this project's search against Material's built-in search + jieba.

In one run, for each corpus size: make a synthetic corpus (make_corpus.py), convert it once,
build it (a) as Material's default site with its search plugin (`lang: zh`, jieba installed)
and (b) as this project's site, serve both on loopback and drive both search boxes in
Debian's headless Chromium: cold time from navigation start to the first result shown, and
bytes moved (encoded, over the network) until then. Then quality on a smaller corpus (the
sample reports plus synthetic ones): precision, recall and first-hit rate of a query set
against ground truth computed from the raw reports (every term, after NFKC).

    .venv/bin/python tests/bench/search_bench.py --sizes 1000 10000 --quality 60

Prints Markdown tables. Run on purpose; nothing here is a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

import yaml  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from make_corpus import make_corpus, share_line  # noqa: E402
from nianbao.convert.decode import decode_report  # noqa: E402
from nianbao.convert.report import parse_report  # noqa: E402
from nianbao.search.analysis import normalise, parse_query  # noqa: E402
from sites import (  # noqa: E402
    REPO,
    build_material,
    build_ours,
    cache_dir,
    convert,
    material_docs,
    size_mb,
)

TIMING_QUERIES = ["异地就医", "参保率", "南太湖健康保"]
QUERIES = [
    # names and brands
    "南太湖健康保", "医保红管家", "乡贤医管家", "七优享", "春风利剑", "门特", "医保码",
    # terms
    "异地就医", "直接结算", "参保率", "医疗救助", "基金监管", "集采", "带量采购", "营商环境",
    "返贫", "满意度", "追回", "拒付", "罚款", "住院", "门诊", "慢病", "长期护理", "支付方式",
    "定点医药机构", "主题教育", "数字化", "药品", "耗材", "巡察", "警示教育", "医保基金",
    "信用", "清廉", "党风廉政建设", "跨省", "一件事", "民生实事",
    # numbers and dates as written, either width
    "99.85%", "99.85％", "399.54万元", "2023年", "2024年工作思路", "2019年", "1－9月", "100%",
    # mixed script
    "DRG", "DRG支付", "DIP", "医保 DRG",
    # several terms
    "异地就医 直接结算", "党建 纪律", "医疗救助 返贫", "集采 药品 节约", "基金监管 追回",
    "营商环境 党建", "参保 公积金",
    # single characters
    "局", "医", "党", "县", "率",
    # redaction marks
    "XX",
    # absent words
    "公积金", "区块链", "养老金", "高铁", "人工智能",
]  # fmt: skip


@dataclass
class Timing:
    """Cold first-result time (ms from navigation start) and bytes moved until then."""

    ms: float
    bytes: int


@contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _cold(chromium: object, url: str, drive: Callable[[object], None]) -> Timing:
    """Load `url` in a fresh context (empty cache), let `drive` search; measure."""
    context = chromium.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    moved = [0]
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on(
        "Network.loadingFinished",
        lambda event: moved.__setitem__(0, moved[0] + int(event["encodedDataLength"])),
    )
    page.goto(url, wait_until="domcontentloaded")
    drive(page)
    ms = page.evaluate("performance.now()")
    context.close()
    return Timing(ms, moved[0])


def _ours_first_result(query: str) -> Callable[[object], None]:
    def drive(page: object) -> None:
        box = page.locator(".nb-search__input")  # type: ignore[attr-defined]
        box.fill(query)
        box.press("Enter")
        page.locator(".nb-result").first.wait_for(timeout=600_000)  # type: ignore[attr-defined]

    return drive


def _material_first_result(query: str) -> Callable[[object], None]:
    def drive(page: object) -> None:
        page.locator(".md-search__input").click()  # type: ignore[attr-defined]
        page.locator(".md-search__input").fill(query)  # type: ignore[attr-defined]
        page.locator(".md-search-result__item").first.wait_for(timeout=600_000)  # type: ignore[attr-defined]

    return drive


def time_site(chromium: object, url: str, ours: bool) -> Timing:
    """Median over the timing queries, each on a cold page."""
    runs = [
        _cold(chromium, url, (_ours_first_result if ours else _material_first_result)(q))
        for q in TIMING_QUERIES
    ]
    return Timing(
        statistics.median(r.ms for r in runs), int(statistics.median(r.bytes for r in runs))
    )


# ---- quality ----


def ground_truth(corpus: Path, docs: Path) -> dict[str, str]:
    """Report page path → normalised raw text, for every converted report."""
    texts: dict[str, str] = {}
    for page in sorted((docs / "reports").glob("*.md")):
        meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n", 2)[1])
        raw = decode_report((corpus / str(meta["source"])).read_bytes()).text
        texts[f"reports/{page.stem}/"] = normalise(parse_report(raw).full_text)
    return texts


def _material_results(page: object, query: str) -> list[str]:
    """Every result page of Material's search box for a query (opened by ?q=), in its order."""
    base = page.url.split("?")[0]  # type: ignore[attr-defined]
    page.goto(f"{base}?q={quote(query)}", wait_until="networkidle")  # type: ignore[attr-defined]
    previous = None
    while True:  # wait for the results, scrolling until the whole list is rendered
        page.wait_for_timeout(300)  # type: ignore[attr-defined]
        meta = page.locator(".md-search-result__meta").inner_text()  # type: ignore[attr-defined]
        count = page.locator(".md-search-result__item").count()  # type: ignore[attr-defined]
        if (meta, count) == previous and "结果" in meta:
            break
        previous = (meta, count)
        page.evaluate(  # type: ignore[attr-defined]
            "() => { const s = document.querySelector('.md-search__scrollwrap');"
            " if (s) s.scrollTop = s.scrollHeight; }"
        )
    hrefs = page.locator(".md-search-result__item > a").evaluate_all(  # type: ignore[attr-defined]
        "links => links.map(a => new URL(a.href).pathname)"
    )
    pages = [h.lstrip("/").split("#")[0] for h in hrefs]
    return [p for p in dict.fromkeys(pages) if p.startswith("reports/")]


def _ours_results(page: object, query: str) -> list[str]:
    return page.evaluate("q => window.nianbaoSearch.all(q)", query)  # type: ignore[attr-defined]


def quality(found: dict[str, list[str]], truth: dict[str, str]) -> dict[str, float]:
    """Mean precision, mean recall and first-hit rate over the queries."""
    precisions, recalls, first_hits = [], [], []
    for query, results in found.items():
        expected = {url for url, text in truth.items() if parse_query(query).matches(text)}
        got = set(results)
        precisions.append(len(got & expected) / len(got) if got else float(not expected))
        recalls.append(len(got & expected) / len(expected) if expected else 1.0)
        first_hits.append(results[0] in expected if results else not expected)
    return {
        "precision": statistics.mean(precisions),
        "recall": statistics.mean(recalls),
        "first_hit": statistics.mean(first_hits),
    }


def measure_quality(chromium: object, corpus: Path, workdir: Path) -> dict[str, dict[str, float]]:
    docs = workdir / "docs"
    convert(corpus, docs)
    build_ours(docs, workdir / "ours")
    material_docs(docs, workdir / "material-docs")
    build_material(workdir / "material-docs", workdir / "material")
    truth = ground_truth(corpus, docs)
    sizes = [sum(parse_query(q).matches(text) for text in truth.values()) for q in QUERIES]
    print(
        f"quality corpus: {len(truth)} reports, {len(QUERIES)} queries; "
        f"queries with no matching report: {sizes.count(0)}, "
        f"median matches {statistics.median(sizes)}"
    )
    scores: dict[str, dict[str, float]] = {}
    for name, site, results in (
        ("Material + jieba", workdir / "material", _material_results),
        ("年报库", workdir / "ours", _ours_results),
    ):
        with serve(site) as served:
            context = chromium.new_context(locale="zh-CN")  # type: ignore[attr-defined]
            page = context.new_page()
            page.goto(served.url, wait_until="networkidle")
            found = {q: results(page, q) for q in QUERIES}
            context.close()
        scores[name] = quality(found, truth)
    return scores


TIMING_HEADERS = [
    "reports",
    "system",
    "build (s)",
    "search index (MB)",
    "first result, cold (ms)",
    "moved to first result (MB)",
]


def _row(row: dict[str, object], name: str, key: str) -> list[str]:
    timing = row[key]
    assert isinstance(timing, Timing)
    return [
        str(row["n"]),
        name,
        f"{row[key + '_build']:.1f}",
        f"{row[key + '_index_mb']:.1f}",
        f"{timing.ms:.0f}",
        f"{timing.bytes / 1e6:.2f}",
    ]


def table(headers: list[str], lines: list[list[str]]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search benchmark (see module docstring).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument(
        "--material-max",
        type=int,
        default=1000,
        help="largest corpus to build with Material (default 1000)",
    )
    parser.add_argument(
        "--quality",
        type=int,
        default=60,
        help="synthetic reports added to the samples for quality (0: skip)",
    )
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="nianbao-search-bench-"))
    print(f"work folder: {root}")
    rows = []
    with browser() as chromium:
        for size in args.sizes:
            work = root / f"n{size}"
            corpus = work / "corpus"
            if not corpus.exists():
                make_corpus(size, corpus)
            print(f"n={size}: {share_line(corpus)}", flush=True)
            docs = work / "docs"
            shutil.rmtree(cache_dir(docs), ignore_errors=True)  # a cold build, as Material's
            conversion = convert(corpus, docs)
            ours = build_ours(docs, work / "ours")
            with serve(work / "ours") as served:
                ours_time = time_site(chromium, served.url, ours=True)
            row = {
                "n": size,
                "convert": conversion.seconds,
                "ours_build": ours.seconds + conversion.seconds,
                "ours": ours_time,
                "ours_index_mb": size_mb(work / "ours" / "pagefind"),
            }
            if size <= args.material_max:
                material_docs(docs, work / "material-docs")
                material = build_material(work / "material-docs", work / "material")
                with serve(work / "material") as served:
                    row["material"] = time_site(chromium, served.url, ours=False)
                row["material_build"] = material.seconds
                row["material_index_mb"] = size_mb(work / "material" / "search")
            rows.append(row)
            print(row, flush=True)
        print()
        lines = []
        for row in rows:
            if "material" in row:
                lines.append(_row(row, "Material + jieba", "material"))
            lines.append(_row(row, "年报库", "ours"))
        print(table(TIMING_HEADERS, lines))
        for row in rows:
            if "material" in row:
                speed = row["ours"].ms / row["material"].ms
                build = row["ours_build"] / row["material_build"]
                print(f"n={row['n']}: first result ours/Material {speed:.3f}; build {build:.2f}")
        if args.quality:
            corpus = root / "quality" / "corpus"
            if not corpus.exists():
                make_corpus(args.quality, corpus, seed=7)
                for seed in sorted((REPO / "reports").glob("*.txt")):
                    (corpus / seed.name).write_bytes(seed.read_bytes())
            started = time.perf_counter()
            scores = measure_quality(chromium, corpus, root / "quality")
            print(f"\nquality ({time.perf_counter() - started:.0f} s)")
            print(
                table(
                    ["system", "precision", "recall", "first hit"],
                    [
                        [name, *(f"{score[k]:.3f}" for k in ("precision", "recall", "first_hit"))]
                        for name, score in scores.items()
                    ],
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
