"""Golden converter pairs: each input in tests/fixtures/golden/ (`<name>.txt`, `.html`, `.rtf` …)
converts to exactly the page beside it (`<name>.md`), byte for byte.

Each input is converted alone (a folder of its own, no cache) by the converter's command line,
`scripts/convert.py`, so that a case's page never depends on the other cases. On a difference the
test prints a unified diff.

When a change of the converter's output is intended, regenerate the expected pages and review
the diff before committing it:

    .venv/bin/python tests/test_golden.py --update          # or:
    NIANBAO_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

A new case is an input file written by hand (not a real report copied whole; a file made by a
library at test time, such as a .docx, is not byte-stable) followed by `--update`.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "golden"
CONVERT = REPO / "scripts" / "convert.py"
UPDATE_ENV = "NIANBAO_UPDATE_GOLDEN"


def golden_inputs() -> list[Path]:
    """Every input of a golden pair (any file but the expected pages)."""
    return sorted(p for p in GOLDEN.iterdir() if p.is_file() and p.suffix != ".md")


def convert_alone(source: Path) -> bytes:
    """The page the converter writes for `source` converted on its own."""
    with tempfile.TemporaryDirectory(prefix="nianbao-golden-") as scratch:
        reports, out = Path(scratch, "reports"), Path(scratch, "out")
        reports.mkdir()
        shutil.copyfile(source, reports / source.name)
        done = subprocess.run(
            [sys.executable, str(CONVERT), "--no-cache", "--quiet", str(reports), str(out)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"convert.py failed on {source.name}:\n{done.stderr}")
        (page,) = out.glob("*.md")
        return page.read_bytes()


def _diff(expected: bytes, actual: bytes, name: str) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8").splitlines(keepends=True),
        actual.decode("utf-8").splitlines(keepends=True),
        f"expected/{name}",
        f"converted/{name}",
    )
    return "".join(lines)


@pytest.mark.parametrize("source", golden_inputs(), ids=lambda p: p.name)
def test_input_converts_to_its_golden_page(source: Path) -> None:
    expected_path = source.with_suffix(".md")
    actual = convert_alone(source)
    if os.environ.get(UPDATE_ENV):
        expected_path.write_bytes(actual)
    assert expected_path.exists(), f"no {expected_path.name}: run `tests/test_golden.py --update`"
    expected = expected_path.read_bytes()
    assert actual == expected, (
        f"{source.name} converts differently from {expected_path.name} "
        f"(if intended: tests/test_golden.py --update):\n" + _diff(expected, actual, source.name)
    )


def test_every_golden_page_has_its_input() -> None:
    inputs = {p.stem for p in golden_inputs()}
    orphans = [p.name for p in GOLDEN.glob("*.md") if p.stem not in inputs]
    assert orphans == []
    assert len(inputs) == len(golden_inputs()), "two inputs share a name"


def main(argv: list[str] | None = None) -> int:
    """`--update`: write each input's converted page as its expected page."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["--update"]:
        print(__doc__)
        return 2
    for source in golden_inputs():
        page = source.with_suffix(".md")
        actual = convert_alone(source)
        changed = not page.exists() or page.read_bytes() != actual
        page.write_bytes(actual)
        print(f"{'updated' if changed else 'unchanged'}: {page.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
