"""The ``seams`` command: the static rules and fixes without a pytest session.

Exit status of ``lint``: 0 no error findings, 1 error findings, 2 trouble: a usage error, or a
file that could not be analysed (SEAM003: unreadable, undecodable, not parsable, or nested too
deeply to parse safely), whose findings are then unknown. Of ``fix``: 0 done, 1 changes still to
write or a file that could not be read or parsed, 2 usage errors.
"""

from __future__ import annotations

import argparse
import ast
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import pytest

from pytest_seams.analysis.project import ProjectAnalysis
from pytest_seams.cache import AnalysisCache, FileIndex
from pytest_seams.codes import ALL_CODES, FILE_NOT_ANALYSED, STATIC_CATEGORIES
from pytest_seams.config import Config, read_config
from pytest_seams.model import Finding, adapter
from pytest_seams.paths import SKIPPED_DIRS, relative_posix
from pytest_seams.suppression import apply_suppressions

CACHE_SUBDIR = Path(".pytest_cache") / "d" / "seams-analysis"


class UsageError(Exception):
    pass


class ProjectSettings(NamedTuple):
    settings: Config
    rootdir: Path
    config_file: str | None
    """The ini file, rootdir-relative, or None."""


def python_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Test modules (test_*.py, *_test.py) and conftest.py files under the given paths."""
    for path in paths:
        if path.is_file():
            yield path.absolute()
            continue
        if not path.is_dir():
            raise UsageError(f"no such file or directory: {path}")
        for file in sorted(path.rglob("*.py")):
            if SKIPPED_DIRS.intersection(file.relative_to(path).parts[:-1]):
                continue
            name = file.name
            if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
                yield file.absolute()


def project_settings(arguments: argparse.Namespace, paths: Sequence[Path]) -> ProjectSettings:
    """The settings, rootdir and config file a pytest session on ``paths`` would have.

    Read by pytest itself (ini files, ``addopts``, ``--seam-*`` options), so lint and the plugin
    agree; conftest.py files are not loaded and nothing is collected.
    """
    from _pytest.config import _prepareconfig  # what pytest-xdist's workers build theirs with

    options = ["--noconftest", "-p", "seams"]
    if arguments.rootdir:
        options.append(f"--rootdir={arguments.rootdir}")
    if arguments.first_party:
        options.append(f"--seam-first-party={','.join(arguments.first_party)}")
    if arguments.boundaries:
        options.append(f"--seam-boundaries={','.join(arguments.boundaries)}")
    if arguments.internal_mock_scope:
        options.append(f"--seam-internal-mock-scope={arguments.internal_mock_scope}")
    try:
        config = _prepareconfig([*options, *map(str, paths)])
        try:
            settings = read_config(config)
        finally:
            config._ensure_unconfigure()
    except pytest.UsageError as error:
        raise UsageError(str(error)) from None
    inifile = config.inipath
    return ProjectSettings(
        settings,
        config.rootpath,
        relative_posix(inifile, config.rootpath) if inifile else None,
    )


def definitions_of_tests(file: Path, path: str) -> dict[str, tuple[str, int]]:
    """Node id -> (path, ``def`` line) of the test functions of a file, as pytest names them
    by default (``test*`` functions, ``Test*`` classes), the convention the analysis also
    follows (``Walker._kind``); empty when the file does not parse.

    Only for files with suppression comments: the cached analysis keeps no ``def`` lines.
    """
    try:
        with warnings.catch_warnings():  # the source's own warnings are not lint's output
            warnings.simplefilter("ignore")
            tree = ast.parse(file.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[str, tuple[str, int]] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.name.startswith("test"):
                    found[f"{prefix}::{node.name}"] = (path, node.lineno)
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                visit(node.body, f"{prefix}::{node.name}")

    visit(tree.body, path)
    return found


def lint(arguments: argparse.Namespace) -> int:
    paths = [Path(p) for p in arguments.paths] or [Path.cwd()]
    files = list(python_files(paths))
    project = project_settings(arguments, paths)
    rootdir = project.rootdir
    cache_dir = None if arguments.no_cache else rootdir / CACHE_SUBDIR
    analysis = ProjectAnalysis(
        project.settings,
        rootdir,
        AnalysisCache(cache_dir),
        FileIndex(cache_dir / "index-lint.json" if cache_dir else None),
    )
    # Without collection, integration tests are known by path and by marks in the source.
    checked = analysis.check(files, [])
    definitions: dict[str, tuple[str, int]] = {}
    for path in sorted({comment.path for comment in checked.suppressions}):
        definitions.update(definitions_of_tests(rootdir / path, path))
    findings = apply_suppressions(
        checked.findings,
        checked.suppressions,
        project.settings.per_path_ignores,
        definitions,
        (relative_posix(file, rootdir) for file in files),
        project.config_file,
        # Findings of the docstring contract and plans need a session: not judged here.
        judged=[code for code, kind in ALL_CODES.items() if kind.category in STATIC_CATEGORIES],
    )
    findings.sort(key=Finding.sort_key)
    if arguments.format == "json":
        print(adapter(list[Finding]).dump_json(findings, indent=2).decode())
    else:
        for finding in findings:
            where = f"{finding.path}:{finding.line}" if finding.line else f"{finding.path}"
            print(f"{where}: {finding.code} [{finding.severity}] {finding.message}")
        stats = analysis.stats
        print(
            f"seams lint: {len(findings)} findings in {stats.files} files "
            f"({stats.parsed} parsed, {stats.cached} from cache)",
            file=sys.stderr,
        )
    if any(finding.code == FILE_NOT_ANALYSED.code for finding in findings):
        return 2  # its findings are unknown: a clean or failing status would be a guess
    return 1 if any(finding.severity == "error" for finding in findings) else 0


def fix(arguments: argparse.Namespace) -> int:
    from pytest_seams.analysis.fix import run_fix

    paths = [Path(p) for p in arguments.paths] or [Path.cwd()]
    return run_fix(list(python_files(paths)), write=arguments.write, out=sys.stdout)


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="seams", description="pytest-seams checks without a pytest session."
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    lint_parser = commands.add_parser(
        "lint",
        help="run the static rules (env writes, mocks, hygiene, assertions)",
        description="Run the static rules. Exit status: 0 no error findings, 1 error findings, "
        "2 a usage error or a file that could not be analysed (SEAM003).",
    )
    lint_parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    lint_parser.add_argument("--format", choices=("text", "json"), default="text")
    lint_parser.add_argument("--rootdir", help="project root (default: as pytest finds it)")
    lint_parser.add_argument(
        "--first-party",
        type=_comma_list,
        default=[],
        help="first-party modules besides those detected, comma-separated (instead of "
        "seam_first_party)",
    )
    lint_parser.add_argument(
        "--boundaries",
        type=_comma_list,
        default=[],
        help="first-party module globs that may be mocked (instead of seam_boundaries)",
    )
    lint_parser.add_argument(
        "--internal-mock-scope",
        choices=("integration", "all"),
        help="instead of seam_internal_mock_scope",
    )
    lint_parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"do not read or write the cache in ROOTDIR/{CACHE_SUBDIR}",
    )
    lint_parser.set_defaults(run=lint)
    fix_parser = commands.add_parser(
        "fix", help="rewrite env writes in tests and fixtures into monkeypatch calls"
    )
    fix_parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    fix_parser.add_argument(
        "--write", action="store_true", help="write the changes (default: show a diff)"
    )
    fix_parser.set_defaults(run=fix)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        status: int = arguments.run(arguments)
    except UsageError as error:
        print(f"seams: error: {error}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
