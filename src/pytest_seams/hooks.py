"""The hooks of an active pytest-seams session: each calls into the engine and keeps its result.

Imported only once ``plugin`` has found the session asked for pytest-seams: an inactive session
never loads the engine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

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
from pytest_seams.config import Config
from pytest_seams.formats import ANNOTATION_FORMATS, FORMATS, TERMINAL_FORMATS
from pytest_seams.model import Verdict
from pytest_seams.paths import relative_posix
from pytest_seams.report import safe_lines, shown
from pytest_seams.report.term import Detail, no_integration_line, term_lines
from pytest_seams.session import SeamsSession, relative_args, selection_scope, within
from pytest_seams.xdist import XdistController, is_worker, send_from_worker, worker_share

if TYPE_CHECKING:
    from pytest_seams.gate import GateInputs
    from pytest_seams.junit import JunitProperties

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
    worker = is_worker(config)
    # The controller has the same cache_dir and names its problem once for all workers (a
    # worker's wording differs: it names its own temporary folder).
    cache_problems = [] if worker else state.evidence.problems
    cache_dir = analysis_cache_dir(config, cache_problems, warn=not worker)
    worker_id = getattr(config, "workerinput", {}).get("workerid", "main")
    state.analysis = ProjectAnalysis(
        settings,
        config.rootpath,
        AnalysisCache(cache_dir),
        FileIndex(cache_dir / f"index-{worker_id}.json" if cache_dir else None),
        FileStats(),
        state.scope.naming,
    )
    state.contracts = ContractMemo.in_directory(
        cache_dir, settings.required_sections, settings.inherited_sections
    )
    config.stash[STATE] = state
    hooks = SessionHooks(config, state)
    if not worker and (
        settings.gate or settings.since or settings.baseline or settings.baseline_write
    ):
        from pytest_seams.gate import GateInputs  # only when asked for: most sessions gate nothing

        hooks.gate = GateInputs.prepare(settings, config.rootpath)  # a bad git ref: usage error
    config.pluginmanager.register(hooks, "seams-session")
    runs_tests = not config.option.collectonly
    if settings.env_leak != "off" and runs_tests and not _xdist_controller(config, worker):
        from pytest_seams.isolation import LeakDetector

        detector = LeakDetector(
            state.evidence.runtime_findings,
            settings.env_leak,
            state.analysis.firstparty.names,
            config.rootpath,
        )
        config.pluginmanager.register(detector, "seams-env-leak")
    from pytest_seams import redis_fixtures  # cheap: imports redis only when a test asks

    redis_fixtures.register(config, settings.redis_url)
    if not worker and config.getoption("xmlpath", default=None):
        from pytest_seams.junit import JunitProperties

        hooks.junit = JunitProperties(config)
        config.pluginmanager.register(hooks.junit, "seams-junit")
    if config.pluginmanager.hasplugin("xdist") and not worker:
        config.pluginmanager.register(XdistController(state), "seams-xdist-controller")


def _xdist_controller(config: pytest.Config, worker: bool) -> bool:
    """Whether this process hands the tests to xdist workers (and runs none itself)."""
    return not worker and bool(config.getoption("numprocesses", default=None))


class SessionHooks:
    """The hooks of one configured session (not registered in mode off)."""

    def __init__(self, config: pytest.Config, state: SeamsSession) -> None:
        self.config = config
        self.state = state
        self.deselected: list[pytest.Item] = []
        self.unwritten: list[str] = []  # why each report that could not be written was not
        self.verdict: Verdict | None = None
        self.gate: GateInputs | None = None
        self.junit: JunitProperties | None = None
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
        evidence = self.state.evidence
        with guarded(evidence.findings, "collecting"):
            collected = collect(
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
            evidence.merge(collected)
            self.state.contracts.save()
        with guarded(evidence.findings, "analysing test files"):
            self.state.analyze(worker_share(evidence.files, self.config))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not is_worker(self.config):
            self.state.record_outcome(report)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if is_worker(self.config):
            send_from_worker(self.config, self.state)
            return
        internal = self.state.evidence.findings
        invocation = self.config.invocation_params
        with guarded(internal, "analysing files no worker reported"):
            self.state.analyze_rest()
        with guarded(internal, "reading pytest-randomly's order"):
            from pytest_seams.random_order import random_order_of

            self.state.random_order, self.state.random_seed = random_order_of(self.config)
        with guarded(internal, "building the report"):
            args = relative_args(list(invocation.args), invocation.dir, self.state.rootdir)
            self.state.build_report(args)
        if self.state.report is None:
            return
        from pytest_seams.verdict import Judging, judge

        # The report's own conditions are judged first, so the written reports carry the
        # verdict; whether they could be written is judged once they are.
        report = self.state.report
        narrowed = self.state.scope.narrowed
        judging = Judging(config=self.state.config)
        baseline_written: Path | None = None
        with guarded(internal, "judging the session"):
            match, changed = None, None
            if self.gate is not None:
                match, baseline_written = self.gate.settle_baseline(
                    report,
                    self.state.rootdir,
                    partial=narrowed or not all(test.selected for test in report.tests),
                    problems=self.state.evidence.problems,
                )
                changed = self.gate.changed
            judging = Judging(
                config=self.state.config,
                changed=changed,
                baseline=match,
                narrowed=narrowed,
                collect_only=bool(self.config.getoption("collectonly", default=False)),
            )
            verdict = judge(report, judging)
            self.state.report = dataclasses.replace(
                report, verdict=verdict if verdict.conditions else None
            )
            self.verdict = verdict
            if self.gate is not None:
                from pytest_seams.gate import notices

                self.notices = notices(report, judging)
        with guarded(internal, "writing reports"):
            from pytest_seams.report import write_reports  # most sessions write no file report

            self.state.written, self.unwritten = write_reports(
                self.state.report, self.state.config.reports, invocation.dir, self.state.rootdir
            )
        if self.unwritten:
            with guarded(internal, "judging the session"):
                judging = dataclasses.replace(judging, unwritten=tuple(self.unwritten))
                self.verdict = judge(self.state.report, judging)
        if self.junit is not None:
            with guarded(internal, "adding seam properties to the JUnit XML"):
                self.junit.add(self.state.report)
        if baseline_written is not None:
            self.state.written.append(baseline_written)
        # A failed verdict fails a session that would pass; a failing one stays failing.
        if (
            self.verdict is not None
            and not self.verdict.passed
            and session.exitstatus == pytest.ExitCode.OK
        ):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        # Every text shown here may carry a user's file name or plan text: safe_line/shown
        # keep each on its own line, free of control characters and workflow commands.
        report = self.state.report
        if report is None:
            for finding in self.state.internal_errors():
                terminalreporter.write_line(safe_lines(finding.message), red=True)
            return
        formats = {spec.format for spec in self.state.config.reports}
        if formats.intersection(TERMINAL_FORMATS):
            terminalreporter.write_sep("=", "seams")
            verbosity = int(self.config.getoption("verbose", default=0) or 0)
            detail: Detail = (
                "full"
                if "term-missing" in formats or verbosity > 0
                else "quiet"
                if verbosity < 0
                else "default"
            )
            # One write per run of lines of one colour: thousands of findings would otherwise
            # cost a terminal call each. The writer drops the colour under --color=no.
            colours = {"bad": {"red": True}, "warn": {"yellow": True}, "good": {"green": True}}
            for tone, run in groupby(term_lines(report, detail), key=itemgetter(1)):
                text = "\n".join(line for line, _tone in run)
                terminalreporter.write_line(text, **colours.get(tone, {}))
            if not any(test.integration for test in report.tests if test.selected):
                hint = no_integration_line(report, self.state.config)
                if hint:
                    terminalreporter.write_line(hint, yellow=True)
        for name in ANNOTATION_FORMATS:
            if name in formats:
                # Workflow commands, escaped by their renderer: printed as they are.
                terminalreporter.write_line(FORMATS[name].render(report, self.state.rootdir))
        if self.state.config.checklist:
            from pytest_seams.report.term import render_checklist

            colours = {"fail": {"red": True}, "unknown": {"yellow": True}, "pass": {"green": True}}
            terminalreporter.write_sep("-", "seams checklist")
            for line, kind in render_checklist(report):
                terminalreporter.write_line(line, **colours[kind])
        for finding in self.state.internal_errors():
            if finding not in report.findings:  # failed after the report was built
                terminalreporter.write_line(safe_lines(finding.message), red=True)
        for path in self.state.written:
            terminalreporter.write_line(f"seams: wrote {shown(str(path))}")
        for problem in [*self.state.evidence.problems, *self.unwritten]:
            if problem not in report.meta.problems:
                terminalreporter.write_line(f"seams: {shown(problem)}", red=True)
        for notice in self.notices:
            terminalreporter.write_line(shown(notice), yellow=True)
        failed = terminalreporter.stats.get("failed") or terminalreporter.stats.get("error")
        if failed and report.meta.random_order and report.meta.random_seed is not None:
            from pytest_seams.random_order import reproduce_command

            # The report's arguments: rootdir-relative, secrets redacted, so run from rootdir.
            command = reproduce_command(report.meta.args, report.meta.random_seed)
            where = (
                ""
                if self.config.invocation_params.dir == self.state.rootdir
                else f" (from {self.state.rootdir})"
            )
            terminalreporter.write_line(
                shown(
                    f"seams: tests failed in a random order; to run the same order{where}: "
                    f"{command}"
                ),
                yellow=True,
            )
        if self.verdict is not None:
            from pytest_seams.verdict import failure_line

            for condition in self.verdict.failed:
                terminalreporter.write_line(shown(failure_line(condition)), red=True, bold=True)
            if self.state.config.gate and self.verdict.passed:
                # As pytest-cov's "Required test coverage of 90% reached": what was judged.
                judged = "; ".join(c.message for c in self.verdict.conditions if c.name != "strict")
                terminalreporter.write_line(shown(f"seams: gate passed: {judged}"), green=True)

    @pytest.hookimpl(tryfirst=True)
    def pytest_unconfigure(self) -> None:
        # Drop the session's records now: pytest's last full garbage collection comes next,
        # and it would otherwise scan every one of them.
        self.state.release()
        self.deselected.clear()
        self.modules.clear()
