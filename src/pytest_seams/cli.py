"""The ``seams`` command: the static rules and fixes without a pytest session.

Exit status: 0 no error findings, 1 error findings (or, for ``fix``, changes still to write),
2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from pytest_seams.analysis.project import ProjectAnalysis
from pytest_seams.cache import AnalysisCache, FileIndex
from pytest_seams.config import Config
from pytest_seams.model import Finding, adapter
from pytest_seams.paths import SKIPPED_DIRS
from pytest_seams.suppression import Suppression

CACHE_SUBDIR = Path(".pytest_cache") / "d" / "seams-analysis"


class UsageError(Exception):
    pass


def find_rootdir(paths: Sequence[Path]) -> Path:
    """The nearest ancestor of the first path holding pytest or project configuration."""
    start = paths[0].resolve() if paths else Path.cwd()
    start = start if start.is_dir() else start.parent
    for directory in (start, *start.parents):
        configs = ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
        if any((directory / name).is_file() for name in configs) or (directory / ".git").exists():
            return directory
    cwd = Path.cwd()
    return cwd if start.is_relative_to(cwd) else start


def python_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Test modules (test_*.py, *_test.py) and conftest.py files under the given paths."""
    for path in paths:
        if path.is_file():
            yield path.resolve()
            continue
        if not path.is_dir():
            raise UsageError(f"no such file or directory: {path}")
        for file in sorted(path.rglob("*.py")):
            if SKIPPED_DIRS.intersection(file.relative_to(path).parts[:-1]):
                continue
            name = file.name
            if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
                yield file.resolve()


def _without_suppressed(findings: list[Finding], comments: list[Suppression]) -> list[Finding]:
    """Apply ``# seams: ignore`` comments on the finding's own line (markers need collection)."""
    codes_at = {(comment.path, comment.line): comment.codes for comment in comments}
    kept = []
    for finding in findings:
        key = (finding.path, finding.line)
        if key in codes_at:
            codes = codes_at[key]
            if codes is None or finding.code in codes:
                continue
        kept.append(finding)
    return kept


def lint(arguments: argparse.Namespace) -> int:
    paths = [Path(p) for p in arguments.paths] or [Path.cwd()]
    files = list(python_files(paths))
    rootdir = Path(arguments.rootdir).resolve() if arguments.rootdir else find_rootdir(paths)
    config = Config(
        first_party=tuple(arguments.first_party),
        boundaries=tuple(arguments.boundaries),
        internal_mock_scope=arguments.internal_mock_scope,
    )
    cache_dir = None if arguments.no_cache else rootdir / CACHE_SUBDIR
    analysis = ProjectAnalysis(
        config,
        rootdir,
        AnalysisCache(cache_dir),
        FileIndex(cache_dir / "index-lint.json" if cache_dir else None),
    )
    # Without collection, integration tests are known by path (seam_integration_paths) only.
    checked = analysis.check(files, [])
    findings = sorted(
        _without_suppressed(checked.findings, checked.suppressions), key=Finding.sort_key
    )
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
        "lint", help="run the static rules (env writes, mocks, hygiene, assertions)"
    )
    lint_parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    lint_parser.add_argument("--format", choices=("text", "json"), default="text")
    lint_parser.add_argument("--rootdir", help="project root (default: nearest config file)")
    lint_parser.add_argument(
        "--first-party",
        type=_comma_list,
        default=[],
        help="extra first-party modules, comma-separated",
    )
    lint_parser.add_argument(
        "--boundaries",
        type=_comma_list,
        default=[],
        help="first-party module globs that may be mocked",
    )
    lint_parser.add_argument(
        "--internal-mock-scope", choices=("integration", "all"), default="integration"
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
