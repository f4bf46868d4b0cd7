"""The hooks of an active pytest-seams session: each calls into the engine and keeps its result.

Imported only once ``plugin`` has found the session asked for pytest-seams: an inactive session
never loads the engine.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from pytest_seams.analysis.project import ProjectAnalysis
from pytest_seams.cache import (
    AnalysisCache,
    ContractMemo,
    FileIndex,
    FileStats,
    analysis_cache_dir,
)
from pytest_seams.collect import collect, conftest_paths, guarded, heap_frozen
from pytest_seams.config import TERMINAL_FORMATS, Config
from pytest_seams.gate import GateInputs
from pytest_seams.model import Verdict
from pytest_seams.paths import relative_posix
from pytest_seams.report import safe_lines, shown
from pytest_seams.report.term import no_integration_line, render_term
from pytest_seams.session import SeamsSession, relative_args, selection_scope, within
from pytest_seams.xdist import XdistController, is_worker, send_from_worker, worker_share

STATE = pytest.StashKey[SeamsSession]()


def start(config: pytest.Config, settings: Config) -> None:
    """Set up the session's state and register its hooks (not in mode off)."""
    inifile = config.inipath
    state = SeamsSession(
        settings,
        rootdir=config.rootpath,
        config_file=relative_posix(inifile, config.rootpath) if inifile else None,
        scope=selection_scope(config),
    )
    cache_dir = analysis_cache_dir(config, state.problems, warn=not is_worker(config))
    worker = getattr(config, "workerinput", {}).get("workerid", "main")
    state.analysis = ProjectAnalysis(
        settings,
        config.rootpath,
        AnalysisCache(cache_dir),
        FileIndex(cache_dir / f"index-{worker}.json" if cache_dir else None),
        FileStats(),
        state.scope.naming,
    )
    state.contracts = ContractMemo.in_directory(
        cache_dir, settings.required_sections, settings.inherited_sections
    )
    config.stash[STATE] = state
    hooks = SessionHooks(config, state)
    if not is_worker(config):
        from pytest_seams.gate import GateInputs  # raises a usage error for a bad git ref

        hooks.gate = GateInputs.prepare(settings, config.rootpath)
    config.pluginmanager.register(hooks, "seams-session")
    if config.pluginmanager.hasplugin("xdist") and not is_worker(config):
        config.pluginmanager.register(XdistController(state), "seams-xdist-controller")


class SessionHooks:
    """The hooks of one configured session (not registered in mode off)."""

    def __init__(self, config: pytest.Config, state: SeamsSession) -> None:
        self.config = config
        self.state = state
        self.deselected: list[pytest.Item] = []
        self.unwritten: list[str] = []  # why each report that could not be written was not
        self.verdict: Verdict | None = None
        self.gate = GateInputs()
        self.notices: list[str] = []  # what the gate did not judge, a baseline that can shrink
        self.modules: list[Path] = []

    def pytest_report_header(self) -> str:
        reports = ", ".join(
            spec.format + (f":{spec.path}" if spec.path else "")
            for spec in self.state.config.reports
        )
        return f"seams: mode={self.state.config.mode}, reports={reports or 'none'}"

    @pytest.hookimpl(wrapper=True)
    def pytest_pycollect_makemodule(self, module_path: Path) -> Generator[None, object, object]:
        # Every test module pytest makes a collector for, with tests or not, including (in
        # pytest 8) those beside a selected file; cheaper than pytest_collectstart, which runs
        # for every directory and class too. A wrapper: a plugin's own module collector,
        # which ends this first-result hook, does not hide the module from us.
        self.modules.append(module_path)
        return (yield)

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected += items

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        with heap_frozen():
            self._collection_finish(session)

    def _collection_finish(self, session: pytest.Session) -> None:
        with guarded(self.state.internal, "collecting"):
            self.state.collected = collect(
                [*session.items, *self.deselected],
                [item.nodeid for item in self.deselected],
                conftest_paths(self.config),
                self.state.config,
                self.state.rootdir,
                with_seams=bool(self.state.plan_files()),
                memo=self.state.contracts,
                stats=self.state.analysis.file_stats if self.state.analysis else None,
                narrowed_files=self.state.scope.nodeid_files,
                modules=[
                    module
                    for module in self.modules
                    if any(within(module, path) for path in self.state.scope.paths)
                ],
            )
            self.state.contracts.save()
        with guarded(self.state.internal, "analysing test files"):
            self.state.analyze(worker_share(self.state.collected.files, self.config))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not is_worker(self.config):
            self.state.record_outcome(report)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if is_worker(self.config):
            send_from_worker(self.config, self.state)
            return
        invocation = self.config.invocation_params
        with guarded(self.state.internal, "analysing files no worker reported"):
            self.state.analyze_rest()
        with guarded(self.state.internal, "building the report"):
            args = relative_args(list(invocation.args), invocation.dir, self.state.rootdir)
            report = self.state.build_report(args)
        if self.state.report is None:
            return
        with guarded(self.state.internal, "writing reports"):
            from pytest_seams.report import write_reports  # most sessions write no file report

            self.state.written, self.unwritten = write_reports(
                report, self.state.config.reports, invocation.dir
            )
            self.state.problems += self.unwritten
        with guarded(self.state.internal, "judging the session"):
            from pytest_seams.gate import notices
            from pytest_seams.verdict import Judging, judge

            narrowed = self.state.scope.narrowed
            collect_only = bool(self.config.getoption("collectonly", default=False))
            match, written = self.gate.settle_baseline(
                report,
                self.state.rootdir,
                partial=narrowed or not all(test.selected for test in report.tests),
                problems=self.state.problems,
            )
            if written is not None:
                self.state.written.append(written)
            judging = Judging(
                config=self.state.config,
                unwritten=tuple(self.unwritten),
                changed=self.gate.changed,
                baseline=match,
                narrowed=narrowed,
                collect_only=collect_only,
            )
            self.verdict = judge(report, judging)
            self.notices = notices(report, judging)
            # A failed verdict fails a session that would pass; a failing one stays failing.
            if not self.verdict.passed and session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        # Every text shown here may carry a user's file name or plan text: safe_line/shown
        # keep each on its own line, free of control characters and workflow commands.
        report = self.state.report
        if report is None:
            for finding in self.state.internal:
                terminalreporter.write_line(safe_lines(finding.message), red=True)
            return
        formats = {spec.format for spec in self.state.config.reports}
        if formats.intersection(TERMINAL_FORMATS):
            terminalreporter.write_sep("=", "seams")
            # One write: thousands of findings would otherwise cost a terminal call each.
            terminalreporter.write_line(render_term(report, "term-missing" in formats))
            if not any(test.integration for test in report.tests if test.selected):
                hint = no_integration_line(report, self.state.config)
                if hint:
                    terminalreporter.write_line(hint, yellow=True)
        for finding in self.state.internal:
            if finding not in report.findings:  # failed after the report was built
                terminalreporter.write_line(safe_lines(finding.message), red=True)
        for path in self.state.written:
            terminalreporter.write_line(f"seams: wrote {shown(str(path))}")
        for problem in self.state.problems:
            if problem not in report.meta.problems:
                terminalreporter.write_line(f"seams: {shown(problem)}", red=True)
        for notice in self.notices:
            terminalreporter.write_line(shown(notice), yellow=True)
        if self.verdict is not None:
            from pytest_seams.verdict import failure_line

            for condition in self.verdict.failed:
                terminalreporter.write_line(shown(failure_line(condition)), red=True, bold=True)

    @pytest.hookimpl(tryfirst=True)
    def pytest_unconfigure(self) -> None:
        # Drop the session's records now: pytest's last full garbage collection comes next,
        # and it would otherwise scan every one of them.
        self.state.release()
        self.deselected.clear()
        self.modules.clear()
