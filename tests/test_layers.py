"""The import rules between the archive's layers, read from the source with `ast`.

- Pure code (schema, vocabulary, redact, escape, convert/*, site/*, search/*) never imports the
  speed machinery, the build side, MkDocs, process pools or SQLite, and imports from the package
  only other pure modules: it takes data and returns data, usable outside a build.
- speed/* (cache, pools, memo wrappers) never imports the build side or MkDocs.
- build/* may import anything but the hooks.
- hooks/* import from the package only nianbao.build: the build side owns the work.

Every `import` statement counts, wherever it is (in a function, under TYPE_CHECKING).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "scripts" / "nianbao"
HOOKS = REPO / "hooks"

PURE = ("nianbao.schema", "nianbao.vocabulary", "nianbao.redact", "nianbao.escape")
PURE_PACKAGES = ("nianbao.convert", "nianbao.site", "nianbao.search")
# What pure code never imports (a module or anything below it).
NOT_IN_PURE = (
    "nianbao.speed",
    "nianbao.build",
    "mkdocs",
    "concurrent.futures",
    "multiprocessing",
    "sqlite3",
)
NOT_IN_SPEED = ("nianbao.build", "mkdocs")


@dataclass(frozen=True, order=True)
class Violation:
    """One import that breaks a layer rule."""

    module: str
    imported: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.module} (line {self.line}) imports {self.imported}: {self.rule}"


def source_modules() -> dict[str, str]:
    """The source of every module under scripts/nianbao and hooks/, by dotted name."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path.read_text(encoding="utf-8")
    for path in sorted(HOOKS.glob("*.py")):
        modules[f"hooks.{path.stem}"] = path.read_text(encoding="utf-8")
    return modules


def violations(modules: Mapping[str, str]) -> list[Violation]:
    """Every import among `modules` (dotted name → source) that breaks a layer rule."""
    known = set(modules)
    found = []
    for module, source in modules.items():
        is_package = _is_package(module, known)
        for imported, line in _imports(module, source, known, is_package):
            rule = _broken_rule(module, imported)
            if rule:
                found.append(Violation(module, imported, line, rule))
    return sorted(found)


def _is_package(module: str, known: set[str]) -> bool:
    return module in {"nianbao"} or any(other.startswith(module + ".") for other in known)


def _imports(
    module: str, source: str, known: set[str], is_package: bool
) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import statement in a module's source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node, is_package)
            for alias in node.names:
                # `from nianbao import speed` imports the module nianbao.speed.
                child = f"{base}.{alias.name}"
                yield (child if child in known else base), node.lineno


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The module an ImportFrom reads from, relative imports resolved."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, node.module] if node.module else parts)


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _is_pure(module: str) -> bool:
    return module in PURE or _within(module, PURE_PACKAGES)


def _broken_rule(module: str, imported: str) -> str | None:
    """Which rule an import breaks, or None."""
    if _is_pure(module):
        if _within(imported, NOT_IN_PURE):
            return "pure code never imports the speed machinery, the build side or MkDocs"
        if _within(imported, ("nianbao",)) and imported != "nianbao" and not _is_pure(imported):
            return "pure code imports only pure modules of the package"
    elif _within(module, ("nianbao.speed",)):
        if _within(imported, NOT_IN_SPEED):
            return "speed/* never imports the build side or MkDocs"
    elif _within(module, ("nianbao.build",)):
        if _within(imported, ("hooks",)):
            return "build/* never imports the hooks"
    elif _within(module, ("hooks",)) and (
        _within(imported, ("hooks",))
        or (_within(imported, ("nianbao",)) and not _within(imported, ("nianbao.build",)))
    ):
        return "hooks import from the package only nianbao.build"
    return None


def test_no_import_breaks_a_layer_rule() -> None:
    broken = violations(source_modules())
    assert not broken, "imports that break the layer rules:\n" + "\n".join(map(str, broken))


def test_every_package_module_is_in_a_layer() -> None:
    """A new top-level module of the package is given a layer (and its rules) here."""
    layered = (*PURE, *PURE_PACKAGES, "nianbao.speed", "nianbao.build")
    loose = [m for m in source_modules() if m.startswith("nianbao.") and not _within(m, layered)]
    assert loose == []


def test_the_rules_catch_a_new_violation() -> None:
    """Synthetic modules, one breaking each rule, beside well-behaved ones."""
    modules = {
        "nianbao.schema": "import yaml\n",
        "nianbao.speed.cache": "import sqlite3\n",
        "nianbao.build.pages": "from nianbao.speed.cache import Cache\nimport mkdocs\n",
        "nianbao.site": "",
        "nianbao.site.good": "from nianbao.schema import ReportMeta\nfrom . import other\n",
        "nianbao.site.other": "import re\n",
        "nianbao.site.bad": (
            "def f():\n    from concurrent.futures import ProcessPoolExecutor\n"
            "from ..speed import cache\n"
            "from mkdocs.utils import get_relative_url\n"
        ),
        "nianbao.convert.bad": (
            "import typing\nif typing.TYPE_CHECKING:\n    import nianbao.build\n"
        ),
        "nianbao.speed.bad": "from nianbao.build.pages import PAGES\n",
        "nianbao.build.bad": "import hooks.year_links\n",
        "hooks.good": (
            "from nianbao.build import state\nfrom mkdocs.plugins import get_plugin_logger\n"
        ),
        "hooks.bad": "from nianbao.site.listings import org_uri\n",
    }
    found = {(v.module, v.imported, v.line) for v in violations(modules)}
    assert found == {
        ("nianbao.site.bad", "concurrent.futures", 2),
        ("nianbao.site.bad", "nianbao.speed.cache", 3),
        ("nianbao.site.bad", "mkdocs.utils", 4),
        ("nianbao.convert.bad", "nianbao.build", 3),
        ("nianbao.speed.bad", "nianbao.build.pages", 1),
        ("nianbao.build.bad", "hooks.year_links", 1),
        ("hooks.bad", "nianbao.site.listings", 1),
    }


def test_pure_code_imports_only_pure_modules_of_the_package() -> None:
    modules = {
        "nianbao.site.x": "from nianbao import speed\n",
        "nianbao.speed": "",
        "nianbao.search.y": "import nianbao.build.pages as pages\n",
        "nianbao.build.pages": "",
    }
    assert [(v.module, v.imported) for v in violations(modules)] == [
        ("nianbao.search.y", "nianbao.build.pages"),
        ("nianbao.site.x", "nianbao.speed"),
    ]
