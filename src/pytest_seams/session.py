"""The state of one pytest-seams session: its settings, its evidence, and how it reads its plans."""

from __future__ import annotations

import dataclasses
import glob
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_seams.analysis.project import ProjectAnalysis
from pytest_seams.cache import ContractMemo
from pytest_seams.codes import INTERNAL_ERROR, PLAN_PROBLEM
from pytest_seams.collect import guarded
from pytest_seams.config import Config
from pytest_seams.contract import definition_line
from pytest_seams.discovery import (
    DEFAULT_NAMING,
    DEFAULT_NORECURSEDIRS,
    PytestNaming,
    find_test_modules,
)
from pytest_seams.evidence import Evidence
from pytest_seams.model import AnalysisStats, Finding, Outcome, Report
from pytest_seams.paths import find_plans, relative_posix
from pytest_seams.report_builder import NO_PLANS, Plans, ReportContext, build_report

if TYPE_CHECKING:
    from pytest_seams.plan import PlanSeam

DEFAULT_PLAN_GLOBS = Config().plans
"""The plan globs of a project that does not set ``seam_plans``."""


def outcome_of(report: pytest.TestReport) -> Outcome | None:
    """The outcome one phase report contributes to its test, or None for a passing setup."""
    xfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if report.passed:
            return "xpassed" if xfail else "passed"
        if report.skipped:
            return "xfailed" if xfail else "skipped"
        return "failed"
    if report.failed:
        # As pytest counts them: a worker crash (pytest-xdist's when="???") is a failure.
        return "error" if report.when in ("setup", "teardown") else "failed"
    if report.skipped:
        return "xfailed" if xfail else "skipped"
    return None


@dataclass(frozen=True)
class SelectionScope:
    """What the command line selects, as far as it narrows the suite."""

    nodeid_files: tuple[str, ...] = ()
    """Files (rootdir-relative) named by node ids (``file::test``): only some of their tests
    are collected."""
    narrowed: bool = False
    """Whether the arguments leave out part of the suite (paths narrower than testpaths or
    rootdir, node ids, --lf): then tests outside the session may link to any seam."""
    paths: tuple[Path, ...] = ()
    """The absolute paths of the path arguments (files and directories, not node ids)."""
    naming: PytestNaming = DEFAULT_NAMING
    """pytest's python_files/classes/functions: which unknown node ids name tests."""
    testpaths: tuple[Path, ...] = ()
    """The absolute paths the ini ``testpaths`` expand to (none when unset): where plans are
    searched, whatever the arguments."""
    norecursedirs: tuple[str, ...] = DEFAULT_NORECURSEDIRS
    """pytest's ``norecursedirs``: folders the plan search does not enter."""


def selection_scope(config: pytest.Config) -> SelectionScope:
    """The ``SelectionScope`` of a session's arguments (``-k``, ``-m`` and ``--deselect`` show
    later, as deselected tests)."""
    rootdir = config.rootpath
    testpaths = [
        Path(os.path.abspath(match))
        for entry in config.getini("testpaths")
        for match in sorted(glob.glob(str(rootdir / entry), recursive=True))
    ]
    norecursedirs = tuple(str(pattern) for pattern in config.getini("norecursedirs"))
    naming = PytestNaming.from_config(config)
    if config.getoption("pyargs", default=False):
        # Module names, not paths: assume narrowed.
        return SelectionScope(
            narrowed=True, naming=naming, testpaths=tuple(testpaths), norecursedirs=norecursedirs
        )
    invocation_dir = config.invocation_params.dir
    nodeid_files: list[str] = []
    chosen: list[Path] = []
    for arg in config.args:
        target, separator, _ = str(arg).partition("::")
        path = Path(os.path.abspath(invocation_dir / target))
        if separator:
            nodeid_files.append(relative_posix(path, rootdir))
        else:
            chosen.append(path)
    whole = testpaths or [rootdir]
    covered = all(any(within(root, path) for path in chosen) for root in whole)
    narrowed = bool(nodeid_files) or not covered or bool(config.getoption("lf", default=False))
    return SelectionScope(
        tuple(nodeid_files), narrowed, tuple(chosen), naming, tuple(testpaths), norecursedirs
    )


def within(path: Path, directory: Path) -> bool:
    """Whether ``path`` is ``directory`` or lies below it (both absolute)."""
    return path == directory or directory in path.parents


@dataclass
class SeamsSession:
    """One session's settings, its evidence so far, and what it needs to add to it."""

    config: Config
    rootdir: Path
    config_file: str | None
    scope: SelectionScope = field(default_factory=SelectionScope)
    evidence: Evidence = field(default_factory=Evidence)
    xdist_workers: int = 0
    random_order: bool = False
    random_seed: int | None = None
    analysis: ProjectAnalysis | None = None
    contracts: ContractMemo = field(default_factory=lambda: ContractMemo(None))
    report: Report | None = None
    written: list[Path] = field(default_factory=list)
    started: str = field(
        default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds")
    )
    """When the session started, for the report's meta."""
    _plan_files: list[Path] | None = None

    def analyze(self, share: list[str]) -> None:
        """Statically analyse some of the collected files (all of them without xdist)."""
        if self.analysis is None:
            return
        checked = self.analysis.check(share, self.evidence.tests)
        self.evidence.findings += checked.findings
        self.evidence.suppressions += checked.suppressions
        self.evidence.entry_calls.update(checked.entry_calls)
        self.evidence.analysed = sorted(set(self.evidence.analysed) | set(share))

    def analysis_stats(self) -> AnalysisStats:
        """This process's analysis statistics plus those the xdist workers sent."""
        own = self.analysis.stats if self.analysis is not None else AnalysisStats()
        return self.evidence.stats + own

    def complete_evidence(self) -> Evidence:
        """The evidence with this process's own analysis statistics counted in."""
        return dataclasses.replace(self.evidence, stats=self.analysis_stats())

    def analyze_rest(self) -> None:
        """Analyse files that no xdist worker reported, e.g. those of a crashed worker."""
        missing = sorted(set(self.evidence.files) - set(self.evidence.analysed))
        if missing:
            self.analyze(missing)

    def record_outcome(self, report: pytest.TestReport) -> None:
        outcome = outcome_of(report)
        if outcome is not None:
            self.evidence.record_outcome(report.nodeid, outcome)

    def internal_errors(self) -> list[Finding]:
        """The internal-error findings so far (pytest-seams' own failures)."""
        return [
            finding for finding in self.evidence.findings if finding.code == INTERNAL_ERROR.code
        ]

    def plan_files(self) -> list[Path]:
        """The plan files of this project, found once per session: under the ``testpaths``
        (rootdir when unset) and in their parent folders, or anywhere in rootdir for plans
        named with ``seam_plans``."""
        if self._plan_files is None:
            if self.config.plans != DEFAULT_PLAN_GLOBS:
                self._plan_files = find_plans(self.rootdir, self.config.plans)
            else:
                found = find_plans(
                    self.rootdir, self.config.plans, self._plan_roots(), self.scope.norecursedirs
                )
                self._plan_files = [file for file in found if not _draft_plan(file, found)]
        return self._plan_files

    def _plan_roots(self) -> tuple[Path, ...]:
        return self.scope.testpaths or (self.rootdir,)

    def _plan_scope(self, file: Path) -> str:
        """The folder (rootdir-relative, "" for rootdir) whose tests a plan covers: its own
        and below when it is a test folder (under ``testpaths``, or holding test modules),
        else the whole suite: a plan kept away from the tests (docs/, or the services/search/
        folder of the code it plans for) covers them all."""
        folder = file.parent
        if folder == self.rootdir:
            return ""
        if any(within(folder, root) for root in self.scope.testpaths) or self._holds_tests(folder):
            return relative_posix(folder, self.rootdir)
        return ""

    def _holds_tests(self, folder: Path) -> bool:
        """Whether pytest would find a test module in ``folder`` or below (stops at the
        first)."""
        modules = find_test_modules([folder], self.scope.naming, self.scope.norecursedirs)
        return any(module.name != "conftest.py" for module in modules)

    def release(self) -> None:
        """Forget the session's data once every report is out."""
        self.evidence = Evidence()
        self.report = None

    def build_report(self, args: list[str]) -> Report:
        """The session's Report; ``args`` are the rootdir-relative command line arguments."""
        context = ReportContext(
            args=tuple(args),
            config_file=self.config_file,
            narrowed=self.scope.narrowed,
            naming=self.scope.naming,
            xdist_workers=self.xdist_workers,
            def_line=lambda path, line: definition_line(self.rootdir / path, line),
            timestamp=self.started,
            random_order=self.random_order,
            random_seed=self.random_seed,
        )
        self.report = build_report(
            self.complete_evidence(), self.read_plans(), self.config, context
        )
        if not self.config.wants_checklist:
            return self.report
        # Here, not in build_report: `seams lint` builds reports too, without the fixture
        # closures and docstring checks that collection gives the checklist.
        with guarded(self.evidence.findings, "filling in the pre-merge checklist"):
            from pytest_seams.checklist import with_checklists

            self.report = with_checklists(
                self.report,
                self.evidence.facts,
                self.evidence.entry_calls,
                self.config,
                contract_checked=self.evidence.definitions,
            )
        return self.report

    def read_plans(self) -> Plans:
        """Read and parse the session's plan files."""
        if not self.plan_files():
            return NO_PLANS
        from pytest_seams.plan import (
            DEFAULT_PRIORITY_WORDS,
            UnreadablePlan,
            parse_plan,
            read_plan,
        )

        seams: list[PlanSeam] = []
        findings: list[Finding] = []
        scopes: dict[str, str] = {}
        problems: list[str] = []
        for file in self.plan_files():
            path = relative_posix(file, self.rootdir)
            scopes[path] = self._plan_scope(file)
            try:
                text = read_plan(str(file), path, self.config.plan_max_bytes)
            except UnreadablePlan as unread:
                problems.append(str(unread))
                continue
            parsed = parse_plan(
                text, path, {**DEFAULT_PRIORITY_WORDS, **self.config.priority_words}
            )
            seams += parsed.seams
            findings += [
                PLAN_PROBLEM.finding(problem.message, path=path, line=problem.line)
                for problem in parsed.problems
            ]
        return Plans(
            seams=tuple(seams), findings=tuple(findings), scopes=scopes, problems=tuple(problems)
        )


_DRAFT_WORDS = frozenset(
    ("draft", "drafts", "review", "old", "archive", "archived", "backup", "bak", "wip", "copy")
)


def _draft_plan(file: Path, plans: list[Path]) -> bool:
    """Whether a plan found by the default names is a draft of another: a name such as
    TEST_PLAN_DRAFT.md, TEST_PLAN_REVIEW.md, TEST_PLAN.old.md, or a numbered TEST_PLAN_2.md
    beside a TEST_PLAN.md (teams keep the versions a final plan was merged from next to it,
    listing the same seams again)."""
    words = re.split(r"[\W_]+", file.stem.lower().removeprefix("test_plan"))
    words = [word for word in words if word]
    if any(word in _DRAFT_WORDS for word in words):
        return True
    final = file.with_name(file.name[: len("test_plan")] + file.suffix)
    return bool(words) and all(word.isdigit() for word in words) and final in plans


def relative_args(args: list[str], invocation_dir: Path, rootdir: Path) -> list[str]:
    """Command line arguments with paths under rootdir made rootdir-relative and secrets
    redacted (see ``_redacted``).

    Bare arguments are resolved against the invocation directory, ``--opt=PATH`` values only
    when absolute; anything outside rootdir, and every other argument, is kept as given.
    """
    relative = []
    for arg in _redacted(args):
        option, sep, value = arg.partition("=") if arg.startswith("-") else ("", "", arg)
        target, colon, rest = value.partition("::")
        if target and (not option or os.path.isabs(target)):
            candidate = invocation_dir / target
            if candidate.exists() and _under(candidate, rootdir):
                value = relative_posix(candidate, rootdir) + colon + rest
        relative.append(option + sep + value)
    return relative


REDACTED = "[redacted]"
# An option (or ini key given with -o) one of whose words is one of these may carry a secret.
_SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "pass", "secret", "token", "key", "apikey", "auth",
     "credential", "credentials", "cookie", "private", "dsn"}
)  # fmt: skip
_OVERRIDE_INI = ("-o", "--override-ini")
# scheme://user:password@host: the password.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*):[^/\s@]*@")


def _secret_name(name: str) -> bool:
    words = re.split(r"[^a-z0-9]+", name.lower())
    return any(word in _SECRET_WORDS for word in words)


def _redacted(args: list[str]) -> list[str]:
    """``args`` without values that may be secrets, for the report's ``meta.args``.

    Redacted: the value of an option whose name has a word such as password, token, secret,
    key or auth (``--api-key=V``, or ``--api-key V`` when V does not start with '-'), of an
    ini override of such a key (``-o db_password=V``), and the password of a URL with
    credentials (``scheme://user:V@host``), anywhere. Everything else is kept as given.
    """
    kept: list[str] = []
    secret_value_next = ini_value_next = False
    for arg in args:
        if secret_value_next and not arg.startswith("-"):
            kept.append(REDACTED)
        elif ini_value_next:
            kept.append(_redacted_ini(arg))
        elif arg.startswith("--override-ini="):
            kept.append("--override-ini=" + _redacted_ini(arg.partition("=")[2]))
        elif arg.startswith("-o") and not arg.startswith("--") and len(arg) > 2:
            kept.append("-o" + _redacted_ini(arg[2:]))
        elif arg.startswith("--") and _secret_name(arg.partition("=")[0]):
            option, sep, _ = arg.partition("=")
            kept.append(option + sep + REDACTED if sep else arg)
        else:
            kept.append(arg)
        secret_value_next = arg.startswith("--") and "=" not in arg and _secret_name(arg)
        ini_value_next = arg in _OVERRIDE_INI
    return [_URL_PASSWORD.sub(rf"\1:{REDACTED}@", arg) for arg in kept]


def _redacted_ini(setting: str) -> str:
    name, sep, _ = setting.partition("=")
    return name + sep + REDACTED if sep and _secret_name(name) else setting


def _under(path: Path, rootdir: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(rootdir)
    except ValueError:
        return False
    return True
