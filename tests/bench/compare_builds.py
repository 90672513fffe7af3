"""Build the site of reports folders at two git revisions and compare the sites byte for byte.

For a change that must not change what readers get (a restructuring, a speed-up): each revision
is checked out in a temporary `git worktree`, and each reports folder is converted and built
there by that revision's own Makefile (`make build`), into an archive folder of its own (fresh
caches). The build runs with this interpreter's virtual environment and with PYTHONPATH set to
the worktree's `scripts/`, so that the revision's own `nianbao` package is imported (checked
before building: the run stops if another copy would be). Then every file of the two sites, and
of the two folders of converted pages, is compared; the script prints, per reports folder, the
number of files compared, identical and differing (listed), and those only in one build.

    .venv/bin/python tests/bench/compare_builds.py --before main --after HEAD \\
        reports tests/fixtures/yoy /path/to/corpus-1000

`--after .` builds the working tree as it is (uncommitted changes included) instead of a
revision. Relative reports folders are taken from the current directory, so both revisions
build the same input. `--ignore GLOB` (repeatable) leaves files out of the verdict (still
listed), e.g. `--ignore 'maintainers/*' --ignore assets/javascripts/text.js`, pages that name
module paths. `--keep` keeps the temporary folder to look at the sites.

Exit status: 0 when the builds are identical (ignored files aside), 1 when they differ, 2 when
a build fails. Run on purpose; nothing here is a test.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE_CHECKOUT = "."  # --before/--after value: the working tree as it is, not a revision


@dataclass
class Comparison:
    """The outcome of comparing two folders of files."""

    compared: int = 0
    identical: int = 0
    differing: list[str] = field(default_factory=list)
    only_before: list[str] = field(default_factory=list)
    only_after: list[str] = field(default_factory=list)

    def counted(self, ignore: Sequence[str]) -> list[str]:
        """The differences that count: differing or one-sided files not matched by `ignore`."""
        paths = self.differing + self.only_before + self.only_after
        return [p for p in paths if not any(fnmatch.fnmatch(p, glob) for glob in ignore)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="git revision (or . for the work tree)")
    parser.add_argument("--after", required=True, help="git revision (or . for the work tree)")
    parser.add_argument("reports", nargs="+", type=Path, help="reports folders to build")
    parser.add_argument("--ignore", action="append", default=[], metavar="GLOB")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    try:
        repo = Path(_git(Path.cwd(), "rev-parse", "--show-toplevel"))
    except BuildError as error:
        parser.error(str(error))
    folders = [folder.resolve() for folder in args.reports]
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if missing:
        parser.error(f"not a folder: {', '.join(missing)}")
    scratch = Path(tempfile.mkdtemp(prefix="nianbao-compare-"))
    worktrees: list[Path] = []
    differences = 0
    try:
        checkouts = {}
        for side, revision in (("before", args.before), ("after", args.after)):
            checkouts[side] = _checkout(repo, revision, scratch / side, worktrees)
            print(f"{side}: {_describe(checkouts[side], revision)}")
        for number, folder in enumerate(folders):
            builds = {}
            for side, checkout in checkouts.items():
                archive = scratch / f"{side}-{number}-{folder.name}"
                builds[side] = _build(checkout, folder, archive)
            print(f"\n{folder}")
            for part in ("site", "pages"):
                result = compare_trees(builds["before"][part], builds["after"][part])
                _report(part, result)
                differences += len(result.counted(args.ignore))
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        for worktree in worktrees:
            _git(repo, "worktree", "remove", "--force", str(worktree))
        if args.keep:
            print(f"\nkept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print("\nidentical" if not differences else f"\n{differences} difference(s) that count")
    return 1 if differences else 0


class BuildError(RuntimeError):
    """A checkout or build that failed: the comparison would mean nothing."""


def compare_trees(before: Path, after: Path) -> Comparison:
    """Compare every file below two folders (symbolic links followed), by relative path."""
    first, second = set(_files(before)), set(_files(after))
    result = Comparison(only_before=sorted(first - second), only_after=sorted(second - first))
    for path in sorted(first & second):
        result.compared += 1
        if (before / path).read_bytes() == (after / path).read_bytes():
            result.identical += 1
        else:
            result.differing.append(path)
    return result


def _files(root: Path) -> Iterator[str]:
    for folder, _, names in os.walk(root, followlinks=True):
        for name in names:
            yield Path(folder, name).relative_to(root).as_posix()


def _report(part: str, result: Comparison) -> None:
    print(
        f"  {part}: {result.compared} files compared, {result.identical} identical, "
        f"{len(result.differing)} differing, {len(result.only_before)} only before, "
        f"{len(result.only_after)} only after"
    )
    for label, paths in (
        ("differs", result.differing),
        ("only before", result.only_before),
        ("only after", result.only_after),
    ):
        for path in paths:
            print(f"    {label}: {path}")


def _checkout(repo: Path, revision: str, where: Path, worktrees: list[Path]) -> Path:
    """A folder holding the revision's files: a temporary worktree (or the repo itself for .)."""
    if revision == HERE_CHECKOUT:
        return repo
    commit = _git(repo, "rev-parse", "--verify", f"{revision}^{{commit}}")
    _git(repo, "worktree", "add", "--detach", str(where), commit)
    worktrees.append(where)
    return where


def _describe(checkout: Path, revision: str) -> str:
    commit = _git(checkout, "rev-parse", "--short", "HEAD")
    dirty = " + uncommitted changes" if revision == HERE_CHECKOUT else ""
    return f"{revision} = {commit}{dirty} in {checkout}"


def _environment(checkout: Path) -> dict[str, str]:
    """This interpreter's environment with the checkout's package first on the path."""
    env = {**os.environ, "PYTHONPATH": str(checkout / "scripts"), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("NIANBAO_DOCS_DIR", None)  # the Makefile sets it for the archive it builds
    probe = subprocess.run(
        [sys.executable, "-c", "import nianbao; print(nianbao.__file__)"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    imported = Path(probe.stdout.strip()).resolve() if probe.returncode == 0 else None
    expected = (checkout / "scripts" / "nianbao").resolve()
    if imported is None or imported.parent != expected:
        raise BuildError(f"{checkout}: nianbao is imported from {imported}, not from {expected}")
    return env


def _build(checkout: Path, reports: Path, archive: Path) -> dict[str, Path]:
    """Convert and build `reports` with the checkout's Makefile; the site and pages folders."""
    env = _environment(checkout)
    venv = Path(sys.prefix)
    site, docs = archive / "site", archive / "docs"
    command = [
        "make",
        "-s",
        # This interpreter's environment as it is: never reinstalled for the checkout.
        "-o",
        str(venv / ".installed"),
        "build",
        f"VENV={venv}",
        f"REPORTS={reports}",
        f"ARCHIVE={archive}",
        f"DOCS={docs}",
        f"SITE={site}",
    ]
    done = subprocess.run(
        command,
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    if done.returncode != 0:
        raise BuildError(f"make build of {reports} in {checkout} failed:\n{done.stderr[-3000:]}")
    return {"site": site.resolve(), "pages": (docs / "reports").resolve()}


def _git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(where), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        raise BuildError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main())
