"""The ``seams`` command: the static rules and fixes without a pytest session, and the commands
on plans and saved reports (commands.py).

Exit status: 0 ok; 1 findings (error findings of ``lint``, changes still to write or a file that
could not be read of ``fix``, plan problems of ``plan``), a failed gate (``check``) or a file that
exists (``scaffold``); 2 a usage error, or for ``lint`` a file that could not be analysed
(SEAM003: unreadable, undecodable, not parsable, or nested too deeply to parse safely), whose
findings are then unknown.
"""

from __future__ import annotations

import argparse
import ast
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import pytest

from pytest_seams import __version__, commands
from pytest_seams.analysis.project import ProjectAnalysis
from pytest_seams.cache import AnalysisCache, FileIndex
from pytest_seams.codes import ALL_CODES, FILE_NOT_ANALYSED, STATIC_CATEGORIES
from pytest_seams.commands import UsageError
from pytest_seams.config import Config, read_config
from pytest_seams.discovery import PytestNaming, find_test_modules
from pytest_seams.evidence import Evidence
from pytest_seams.paths import relative_posix
from pytest_seams.report_builder import NO_PLANS, ReportContext, build_report
from pytest_seams.session import SelectionScope, selection_scope
from pytest_seams.static_contract import ImportNames, contract_findings, pytestmark_value
from pytest_seams.suppression import MARKER, Suppression, marker_suppression

CACHE_SUBDIR = Path(".pytest_cache") / "d" / "seams-analysis"

LINT_TEXT = "text"
"""lint's own terminal view: one line per finding, a summary on stderr. The others are those
of the report registry (``formats.FORMATS``), printed or written to a path."""
LINT_CATEGORIES = frozenset({*STATIC_CATEGORIES, "docstring"})
"""What lint finds: the static rules and the docstring contract."""


class ProjectSettings(NamedTuple):
    settings: Config
    rootdir: Path
    config_file: str | None
    """The ini file, rootdir-relative, or None."""
    naming: PytestNaming
    """pytest's python_files, python_classes and python_functions."""
    norecursedirs: tuple[str, ...]
    scope: SelectionScope = SelectionScope()
    """What the paths select, and the ini's testpaths: where plans are searched."""


def python_files(paths: Sequence[Path], project: ProjectSettings) -> list[Path]:
    """The test modules (by the project's ``python_files``) and conftest.py files pytest would
    collect under the given paths, skipping the folders its ``norecursedirs`` skips."""
    try:
        return list(find_test_modules(paths, project.naming, project.norecursedirs))
    except FileNotFoundError as error:
        raise UsageError(f"no such file or directory: {error}") from None


def _check_paths(paths: Sequence[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")


def project_settings(
    paths: Sequence[Path],
    rootdir: str | None = None,
    first_party: Sequence[str] = (),
    boundaries: Sequence[str] = (),
    internal_mock_scope: str | None = None,
) -> ProjectSettings:
    """The settings, rootdir and config file a pytest session on ``paths`` would have.

    Read by pytest itself (ini files, ``addopts``, ``--seam-*`` options), so lint and the plugin
    agree; conftest.py files are not loaded and nothing is collected.
    """
    # --assert=plain: no assertion rewriting, so no PytestAssertRewriteWarning about our own
    # already imported module, which a project's `filterwarnings = error` turns into a crash.
    options = ["--noconftest", "--assert=plain", "-p", "seams"]
    if rootdir:
        options.append(f"--rootdir={rootdir}")
    if first_party:
        options.append(f"--seam-first-party={','.join(first_party)}")
    if boundaries:
        options.append(f"--seam-boundaries={','.join(boundaries)}")
    if internal_mock_scope:
        options.append(f"--seam-internal-mock-scope={internal_mock_scope}")
    try:
        config = _config_ignoring_foreign_addopts([*options, *map(str, paths)])
        try:
            settings = read_config(config)
            naming = PytestNaming.from_config(config)
            norecursedirs = tuple(str(pattern) for pattern in config.getini("norecursedirs"))
            scope = selection_scope(config)
        finally:
            config._ensure_unconfigure()
    except pytest.UsageError as error:
        raise UsageError(str(error)) from None
    inifile = config.inipath
    return ProjectSettings(
        settings,
        config.rootpath,
        relative_posix(inifile, config.rootpath) if inifile else None,
        naming,
        norecursedirs,
        scope,
    )


def _config_ignoring_foreign_addopts(args: list[str]) -> pytest.Config:
    """pytest's config for ``args``; without the ini's ``addopts`` (and ``required_plugins``)
    when they need plugins a real session would load and lint does not: options of installed
    plugins lint does not load (pytest-cov's ``--cov=...``), or plugins not installed at all
    (``-p xdist`` in pre-commit's environment, which holds pytest-seams alone)."""
    from _pytest.config import _prepareconfig  # what pytest-xdist's workers build theirs with

    try:
        return _prepareconfig(list(args))  # a copy: pytest inserts addopts into the list
    except pytest.UsageError as error:
        message = str(error)
        if "unrecognized arguments" in message:
            why = message.rpartition("unrecognized arguments:")[2].strip().splitlines()[0]
        elif "Missing required plugins" in message or "Error importing plugin" in message:
            why = message.strip().splitlines()[0]
        else:
            raise
    except ImportError as error:  # "-p name" of a plugin that is not installed
        why = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    config = _prepareconfig(["-o", "addopts=", "-o", "required_plugins=", *args])
    print(
        f"seams: ignoring addopts: they need plugins seams lint does not load ({why}); "
        "--seam-* options in addopts are ignored too, so give them as seam_* ini keys.",
        file=sys.stderr,
    )
    return config


def _statically_known_tests(
    file: Path, path: str, naming: PytestNaming
) -> tuple[dict[str, tuple[str, int]], list[Suppression]]:
    """What a pytest session learns of a file's tests from its items, read from the source:
    node id -> (path, ``def`` line) of each test function, and the ``seam_ignore`` marks
    (decorators, class and module ``pytestmark``) with the tests each covers. Tests are
    named by the project's ``python_classes``/``python_functions`` as in ``Walker._kind``.
    Empty when the file does not parse.

    Only for files with suppression comments or marks: the cached analysis keeps neither
    ``def`` lines nor mark arguments.
    """
    try:
        with warnings.catch_warnings():  # the source's own warnings are not lint's output
            warnings.simplefilter("ignore")
            tree = ast.parse(file.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return {}, []
    marks = _MarkReader(tree)
    definitions: dict[str, tuple[str, int]] = {}
    # Each mark: (its codes, where pytest reports its node, that node's id, tests it covers).
    found: list[tuple[tuple[object, ...], int, str, list[str]]] = []

    def visit(body: list[ast.stmt], prefix: str, in_unittest: bool) -> list[str]:
        tests: list[str] = []
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                is_test = (
                    node.name.startswith("test")
                    if in_unittest
                    else naming.is_test_function(node.name)
                )
                if is_test and not marks.is_fixture(node):
                    nodeid = f"{prefix}::{node.name}"
                    definitions[nodeid] = (path, node.lineno)
                    tests.append(nodeid)
                    for args in marks.decorator_marks(node):
                        found.append((args, _first_line(node), nodeid, [nodeid]))
            elif isinstance(node, ast.ClassDef):
                unittest_class = marks.is_unittest_class(node)
                if unittest_class or naming.is_test_class(node.name):
                    nodeid = f"{prefix}::{node.name}"
                    inner = visit(node.body, nodeid, unittest_class)
                    tests += inner
                    for args in [*marks.decorator_marks(node), *marks.pytestmark(node.body)]:
                        found.append((args, _first_line(node), nodeid, inner))
        return tests

    module_tests = visit(tree.body, path, in_unittest=False)
    for args in marks.pytestmark(tree.body):
        found.append((args, 1, path, module_tests))
    suppressions = [
        marker_suppression(args, path, line, nodeid, tests)
        for args, line, nodeid, tests in found
        if tests  # a mark over no test is on no item of a session either
    ]
    return definitions, suppressions


def _first_line(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> int:
    """The line pytest reports a test or class at: its first decorator's, else its own."""
    return min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])


class _MarkReader:
    """``pytest.mark.seam_ignore(...)`` marks and fixture decorators in a parsed module,
    through its top-level imports (``import pytest as pt``, ``from pytest import mark``)."""

    def __init__(self, tree: ast.Module) -> None:
        self.dotted = ImportNames(tree).dotted
        self.unittest_classes: set[str] = set()

    def seam_ignore_args(self, expression: ast.expr) -> tuple[object, ...] | None:
        """The arguments of a ``seam_ignore`` mark expression; None for anything else, or
        for arguments that are not literals (their value is known only when run)."""
        call = expression if isinstance(expression, ast.Call) else None
        dotted = self.dotted(call.func if call else expression)
        if dotted is None or dotted not in (f"pytest.mark.{MARKER}", f"_pytest.mark.{MARKER}"):
            return None
        if call is None:
            return ()
        try:
            return tuple(ast.literal_eval(arg) for arg in call.args)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None

    def _marks(self, expressions: Iterable[ast.expr]) -> list[tuple[object, ...]]:
        found = []
        for expression in expressions:
            args = self.seam_ignore_args(expression)
            if args is not None:
                found.append(args)
        return found

    def decorator_marks(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ) -> list[tuple[object, ...]]:
        return self._marks(node.decorator_list)

    def pytestmark(self, body: list[ast.stmt]) -> list[tuple[object, ...]]:
        """The marks of a module's or class's ``pytestmark`` (its last assignment wins)."""
        value = pytestmark_value(body)
        if value is None:
            return []
        return self._marks(value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value])

    def is_fixture(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self.dotted(target) in _FIXTURE_DECORATORS:
                return True
        return False

    def is_unittest_class(self, node: ast.ClassDef) -> bool:
        """A ``unittest.TestCase`` subclass, as ``Walker._class_kind`` knows one."""
        for base in node.bases:
            dotted = self.dotted(base)
            if (dotted is not None and dotted.endswith("TestCase")) or (
                isinstance(base, ast.Name) and base.id in self.unittest_classes
            ):
                self.unittest_classes.add(node.name)
                return True
        return False


_FIXTURE_DECORATORS = frozenset(
    {"pytest.fixture", "_pytest.fixtures.fixture", "pytest_asyncio.fixture", "fixture"}
)


def lint(arguments: argparse.Namespace) -> int:
    paths = [Path(p) for p in arguments.paths] or [Path.cwd()]
    _check_paths(paths)
    project = project_settings(
        paths,
        arguments.rootdir,
        arguments.first_party,
        arguments.boundaries,
        arguments.internal_mock_scope,
    )
    files = python_files(paths, project)
    rootdir = project.rootdir
    cache_dir = None if arguments.no_cache else rootdir / CACHE_SUBDIR
    analysis = ProjectAnalysis(
        project.settings,
        rootdir,
        AnalysisCache(cache_dir),
        FileIndex(cache_dir / "index-lint.json" if cache_dir else None),
        naming=project.naming,
    )
    # Without collection, integration tests are known by path and by marks in the source.
    checked = analysis.check(files, [])
    definitions: dict[str, tuple[str, int]] = {}
    suppressions = list(checked.suppressions)
    for path in sorted({comment.path for comment in suppressions} | {*checked.marker_files}):
        known, marks = _statically_known_tests(rootdir / path, path, project.naming)
        definitions.update(known)
        suppressions += marks
    paths_seen = tuple(relative_posix(file, rootdir) for file in files)
    findings = list(checked.findings)
    for file, path in zip(files, paths_seen, strict=True):
        if file.name != "conftest.py":
            findings += contract_findings(file, path, project.settings, project.naming)
    evidence = Evidence(
        findings=findings,
        suppressions=suppressions,
        definitions=definitions,
        files=sorted(paths_seen),
        analysed=sorted(paths_seen),
        stats=analysis.stats,
    )
    context = ReportContext(
        args=tuple(arguments.paths),
        config_file=project.config_file,
        naming=project.naming,
        seen_paths=paths_seen,
        # Findings of plans and links need a session: not judged here.
        judged_codes=[code for code, kind in ALL_CODES.items() if kind.category in LINT_CATEGORIES],
    )
    report = build_report(evidence, NO_PLANS, project.settings, context)
    if arguments.format == LINT_TEXT:
        for finding in report.findings:
            where = f"{finding.path}:{finding.line}" if finding.line else f"{finding.path}"
            print(f"{where}: {finding.code} [{finding.severity}] {finding.message}")
        stats = analysis.stats
        print(
            f"seams lint: {len(report.findings)} findings in {stats.files} files "
            f"({stats.parsed} parsed, {stats.cached} from cache)",
            file=sys.stderr,
        )
    else:
        commands.emit(report, arguments.format, Path.cwd())
    if any(finding.code == FILE_NOT_ANALYSED.code for finding in report.findings):
        return 2  # its findings are unknown: a clean or failing status would be a guess
    errors = any(finding.severity == "error" for finding in report.findings)
    return 1 if errors and not arguments.exit_zero else 0


def fix(arguments: argparse.Namespace) -> int:
    from pytest_seams.analysis.fix import run_fix

    paths = [Path(p) for p in arguments.paths] or [Path.cwd()]
    _check_paths(paths)
    project = project_settings(paths)
    files = python_files(paths, project)
    return run_fix(files, write=arguments.write, out=sys.stdout, naming=project.naming)


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


EXIT_CODES = """exit status:
  0  ok
  1  findings (error findings of lint, plan problems), a failed gate (check), changes still to
     write (fix), a file that already exists (scaffold), order-dependent tests (isolation)
  2  a usage error, a report that cannot be read, or a file lint could not analyse (SEAM003)"""


def _plans_command(arguments: argparse.Namespace) -> int:
    return int(arguments.command_run(arguments, project_settings([Path.cwd()], arguments.rootdir)))


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="seams",
        description="pytest-seams checks without a pytest session (docs/cli.md).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main_parser.add_argument("--version", action="version", version=f"seams {__version__}")
    commands_ = main_parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        return commands_.add_parser(
            name,
            help=help,
            description=description,
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    lint_parser = command(
        "lint",
        "run the static rules and the docstring contract",
        "Run the static rules (env writes, mocks, hygiene, assertions) and the docstring "
        "contract of integration tests, as a pytest session would, with the project's ini "
        "settings.",
    )
    lint_parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    lint_parser.add_argument(
        "--format",
        default=LINT_TEXT,
        metavar="FMT[:PATH]",
        help="text (default): one line per finding; or a report format, printed, or written "
        "to PATH: " + commands.format_help(),
    )
    lint_parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even with error findings (still 2 on a usage error or SEAM003)",
    )
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
    fix_parser = command(
        "fix",
        "rewrite env writes in tests and fixtures into monkeypatch calls",
        "Rewrite env writes in tests and fixtures into monkeypatch calls.",
    )
    fix_parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    fix_parser.add_argument(
        "--write", action="store_true", help="write the changes (default: show a diff)"
    )
    fix_parser.set_defaults(run=fix)

    plan_parser = command(
        "plan",
        "list the seams of the plans",
        "List the seams of the TEST_PLAN files (found as the plugin finds them, or the files "
        "and folders given): priority, id, title and plan:line.",
    )
    plan_parser.add_argument("paths", nargs="*", help="plan files, or folders to search")
    plan_parser.add_argument("--format", choices=("text", "json"), default="text")
    plan_parser.add_argument("--rootdir", help="project root (default: as pytest finds it)")
    plan_parser.set_defaults(run=_plans_command, command_run=commands.plan)

    report_parser = command(
        "report",
        "render a saved JSON report in any format",
        "Render a JSON report (--seam-report=json, or seams combine) in any report format.",
    )
    report_parser.add_argument("report", help="the JSON report")
    report_parser.add_argument(
        "--format",
        action="append",
        metavar="FMT[:PATH]",
        help="a format, printed, or written to PATH (repeatable; default term): "
        + commands.format_help(),
    )
    report_parser.set_defaults(run=commands.report)

    combine_parser = command(
        "combine",
        "merge the JSON reports of CI shards",
        "Merge the JSON reports of shards of one suite into the report of one run: each test "
        "once with its worst outcome, findings once, seam links merged, statuses and "
        "summaries recomputed.",
    )
    combine_parser.add_argument("reports", nargs="+", help="the shards' JSON reports")
    combine_parser.add_argument(
        "-o", "--output", required=True, help="where to write the combined JSON report"
    )
    combine_parser.set_defaults(run=commands.combine)

    check_parser = command(
        "check",
        "apply the gate to a saved or combined report",
        "Judge a JSON report by the gate (docs/gate.md) with the project's settings, the "
        "gate on: print each failed condition, exit 1 when one fails.",
    )
    check_parser.add_argument("report", help="the JSON report")
    check_parser.add_argument("--rootdir", help="project root (default: as pytest finds it)")
    check_parser.set_defaults(run=_plans_command, command_run=commands.check)

    scaffold_parser = command(
        "scaffold",
        "write a test module for a seam",
        "Write test_<seam>_integration.py for a seam of the plans, from the class-and-test "
        "template, its docstring filled from the plan; never overwrites a file.",
    )
    scaffold_parser.add_argument("seam", help="the seam's id or exact title (see seams plan)")
    scaffold_parser.add_argument("--plan", help="the plan file to take the seam from")
    scaffold_parser.add_argument(
        "--output", help="the folder to write into (default: the plan's folder)"
    )
    scaffold_parser.add_argument("--rootdir", help="project root (default: as pytest finds it)")
    scaffold_parser.set_defaults(run=_plans_command, command_run=commands.scaffold)

    from pytest_seams.isolation_finder import arguments_parser

    # Listed here for --help; main() parses it itself, keeping pytest's arguments in order.
    commands_.add_parser(
        "isolation",
        parents=[arguments_parser(add_help=False)],
        help="find order-dependent tests and the tests that pollute them",
        description="Run the tests in file order and in --runs random orders (pytest-randomly),\n"
        "each in a subprocess; for each test whose outcome depends on the order, find the\n"
        "test that pollutes it by bisection and print a command that reproduces the failure.\n"
        "Other arguments go to pytest.",
        usage="seams isolation [PYTEST ARGS] [--runs N] [--seed SEED] [--format text|json]",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["isolation"] and not {"-h", "--help"}.intersection(argv):
        from pytest_seams.isolation_finder import arguments_parser, isolation

        # Its own options anywhere; everything else, in order, is pytest's.
        options, pytest_args = arguments_parser().parse_known_args(argv[1:])
        return isolation(options, pytest_args)
    arguments = parser().parse_args(argv)
    try:
        status: int = arguments.run(arguments)
    except UsageError as error:
        print(f"seams: error: {error}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
