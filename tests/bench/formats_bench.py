"""Format benchmark: converting reports published as Word files and portal pages, against the same
texts as `.txt`, in one run.

Makes N synthetic reports (make_corpus.py), writes each of them again as `.docx` (heading style
and Word auto-numbering: the 一、/（一） in numbering.xml) and as a portal page (GB2312-labelled,
索引号 block, navigation, 相关文章, footer), with the writers of tests/fixtures/formats, and as a
text PDF (make_paged.py's layout) when this installation converts PDFs
(nianbao.convert.extract.pdf).
OFD is left out (a format whose writer is added to `WRITERS` joins the mixed corpus and the
table). Times:

- extraction alone, per format: `extract_file` over every file of that format, one process;
- the converter (`scripts/convert.py --no-cache --quiet`, fresh output, all cores; the
  fastest of `--repeat` runs, so that a cold start counts against no format) over the N `.txt`
  files, over all N as `.docx`, all N as `.html`, and over the mixed corpus (an equal share of
  each format, the same N texts) — the target being mixed ≤ 3× txt-only.

    .venv/bin/python tests/bench/formats_bench.py 1000

Prints a Markdown table. Run on purpose; nothing here is a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from make_corpus import make_corpus  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "make_formats", REPO / "tests" / "fixtures" / "formats" / "make_formats.py"
)
assert _spec and _spec.loader
FORMATS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(FORMATS)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# Format → (extension, writer of a report's text). Add "ofd" here to include it.
WRITERS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "txt": (".txt", lambda text: text.encode("utf-8")),
    "docx": (".docx", lambda text: FORMATS.word_document(_lines(text), numbering=True)),
    "html": (".html", lambda text: FORMATS.portal_html(_lines(text))),
}
if importlib.util.find_spec("nianbao.convert.extract.pdf") is not None:
    # Text PDFs laid out as bureaus' are (make_paged.py: 公文 layout, wrapped and justified
    # lines, — N — page numbers), where PDFs can be converted.
    _paged_spec = importlib.util.spec_from_file_location(
        "make_paged", REPO / "tests" / "fixtures" / "formats" / "make_paged.py"
    )
    assert _paged_spec and _paged_spec.loader
    PAGED = importlib.util.module_from_spec(_paged_spec)
    sys.modules["make_paged"] = PAGED  # its dataclasses look their module up there
    _paged_spec.loader.exec_module(PAGED)
    WRITERS["pdf"] = (
        ".pdf",
        lambda text: PAGED.write_pdf([PAGED._content_stream(p) for p in PAGED.layout(text)]),
    )


def write_corpora(count: int, root: Path) -> dict[str, Path]:
    """The N texts as one folder per format and a mixed folder (format by turn)."""
    texts = [p.read_text(encoding="utf-8") for p in make_corpus(count, root / "corpus")]
    folders = {name: root / name for name in [*WRITERS, "mixed"]}
    for folder in folders.values():
        folder.mkdir()
    formats = list(WRITERS)
    for index, text in enumerate(texts):
        for name, (suffix, writer) in WRITERS.items():
            data = writer(text)
            (folders[name] / f"r{index:05d}{suffix}").write_bytes(data)
            if formats[index % len(formats)] == name:
                (folders["mixed"] / f"r{index:05d}{suffix}").write_bytes(data)
    return folders


def distinct_share(folder: Path) -> float:
    """Share of distinct sentences among all of the corpus's sentences (how varied it is)."""
    sentences = [
        sentence
        for path in folder.glob("*.txt")
        for sentence in path.read_text(encoding="utf-8").replace("\n", "。").split("。")
        if sentence
    ]
    return len(set(sentences)) / max(1, len(sentences))


def extraction_seconds(folder: Path) -> float:
    """Seconds `extract_file` takes over every file of the folder, in this process."""
    from nianbao.convert.extract import extract_file

    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    start = time.perf_counter()
    for name, data in files:
        extract_file(name, data)
    return time.perf_counter() - start


def conversion_seconds(folder: Path, out: Path) -> float:
    """Wall seconds of the converter CLI over the folder (fresh output, no cache)."""
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "convert.py"),
            str(folder),
            str(out),
            "--no-cache",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"converter failed on {folder} ({done.returncode}):\n{done.stderr}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=1000, help="reports (default 1000)")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each conversion, the fastest kept (2)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nianbao-formats-") as tmp:
        root = Path(tmp)
        folders = write_corpora(args.count, root)
        print(f"{args.count} reports; distinct sentences {distinct_share(folders['txt']):.0%}")
        rows = []
        convert: dict[str, float] = {}
        for name, folder in folders.items():
            extract = extraction_seconds(folder) if name != "mixed" else None
            convert[name] = min(
                conversion_seconds(folder, root / "out" / f"{name}-{run}")
                for run in range(args.repeat)
            )
            size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
            rows.append(
                f"| {name} | {size:.1f} | "
                + (f"{1000 * extract / args.count:.2f}" if extract is not None else "—")
                + f" | {convert[name]:.1f} | {1000 * convert[name] / args.count:.1f}"
                + f" | {convert[name] / convert['txt']:.2f}× |"
            )
        print(
            "| input | MB | extraction ms/doc (1 process) | convert s (all cores) "
            "| convert ms/doc | vs txt-only |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
