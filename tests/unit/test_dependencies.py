"""The installed distribution's dependencies: only what the plugin imports, the rest in extras.

pytest-seams autoloads into every pytest session of its environment, so a base dependency that
is itself a pytest plugin (pytest-randomly) would change every other project's runs there.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "pytest_seams"


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement such as 'pydantic<3,>=2.7'."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name is not None, requirement
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def _requirements() -> tuple[set[str], dict[str, set[str]]]:
    """Base requirement names, and the requirement names of each extra."""
    base: set[str] = set()
    extras: dict[str, set[str]] = {}
    for requirement in importlib.metadata.requires("pytest-seams") or []:
        spec, _, marker = requirement.partition(";")
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        if extra:
            extras.setdefault(extra.group(1), set()).add(_name(spec))
        else:
            base.add(_name(spec))
    return base, extras


def test_base_install_brings_no_test_isolation_tools() -> None:
    base, _ = _requirements()
    assert base == {"pytest", "libcst", "pydantic", "annotated-types", "markdown-it-py"}
    assert not base & {"pytest-randomly", "fakeredis", "redis"}


def test_each_extra_brings_what_it_says() -> None:
    _, extras = _requirements()
    assert extras["randomly"] == {"pytest-randomly"}
    assert extras["redis"] == {"fakeredis"}
    assert extras["all"] == {"pytest-randomly", "fakeredis"}
    # Our own suite seeds pytest-randomly (--randomly-seed), so the test extra keeps it.
    assert "pytest-randomly" in extras["test"]
    assert "pyyaml" in extras["test"]  # tests/unit/test_ci_docs.py reads docs/ci.md's YAML


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.partition(".")[0])
    return modules


def _top_level_names(distribution: str) -> set[str]:
    """The top-level modules a distribution installs, from its file list (what
    ``packages_distributions`` infers only from Python 3.11 on)."""
    names: set[str] = set()
    for file in importlib.metadata.files(distribution) or []:
        top = file.parts[0]
        if top.endswith(".py"):
            names.add(top.removesuffix(".py"))
        elif len(file.parts) > 1 and not top.endswith((".dist-info", ".data")) and top != "..":
            names.add(top)
    return names


def test_every_base_dependency_is_imported_by_the_plugin() -> None:
    base, _ = _requirements()
    imported = _imported_top_level_modules()
    assert {name for name in base if not _top_level_names(name) & imported} == set()
