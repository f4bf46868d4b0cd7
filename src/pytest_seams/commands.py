"""The ``seams`` commands that work on plans and saved reports: plan, report, combine, check,
scaffold. (``lint`` and ``fix``, which work on test sources, are in cli.py with the parser.)

Each takes the parsed arguments and returns the exit status: 0 ok, 1 findings or a failed
gate, 2 a usage error (raised as ``UsageError``, which ``cli.main`` turns into status 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import posixpath
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_seams.formats import FORMATS, unknown_format
from pytest_seams.model import Report

if TYPE_CHECKING:
    from pytest_seams.cli import ProjectSettings
    from pytest_seams.report_builder import Plans


class UsageError(Exception):
    """A usage error: exit status 2, the message on stderr."""


def emit(report: Report, value: str, base: Path) -> Path | None:
    """Render ``report`` in the format ``FMT[:PATH]``: to PATH (relative to ``base``) when
    given or when the format is a directory (html, at its default path), else to stdout.
    Returns the path written, if any."""
    name, separator, path = value.partition(":")
    entry = FORMATS.get(name.strip())
    if entry is None:
        raise UsageError(unknown_format(name.strip()))
    if separator and not entry.takes_path:
        raise UsageError(f"the {entry.name} format is shown in the terminal and takes no path")
    if separator and not path.strip():
        raise UsageError(f"empty path after '{entry.name}:'")
    text = entry.render(report)
    if not separator and not entry.directory:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return None
    from pytest_seams.report import ReportFailure
    from pytest_seams.report.files import write_report_file

    target = path.strip() if separator else entry.default_path
    assert target is not None  # directory formats take a path
    try:
        written = write_report_file(base, entry.name, target, text)
    except ReportFailure as failure:
        raise UsageError(str(failure)) from None
    print(f"seams: wrote {written}", file=sys.stderr)
    return written


def format_help() -> str:
    """The ``--format`` values, for the help."""
    from pytest_seams.formats import formats_allowed

    return formats_allowed() + " (docs/cli.md)"


def _load(paths: list[str]) -> list[Report]:
    from pytest_seams.combine import ReportError, load_report

    try:
        return [load_report(Path(path)) for path in paths]
    except ReportError as error:
        raise UsageError(str(error)) from None


def report(arguments: argparse.Namespace) -> int:
    """``seams report REPORT.json --format FMT[:PATH]``: render a saved report."""
    (saved,) = _load([arguments.report])
    for value in arguments.format or ["term"]:
        emit(saved, value, Path.cwd())
    return 0


def combine(arguments: argparse.Namespace) -> int:
    """``seams combine A.json B.json ... -o OUT.json``: merge the reports of CI shards."""
    from pytest_seams.combine import combine as combine_reports
    from pytest_seams.report.json import render_json

    combined = combine_reports(_load(arguments.reports))
    output = Path(arguments.output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(render_json(combined), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    tests = sum(test.selected for test in combined.tests)
    print(
        f"seams: combined {len(arguments.reports)} reports into {output}: {tests} tests, "
        f"{len(combined.findings)} findings, {len(combined.seams)} seams",
        file=sys.stderr,
    )
    return 0


def check(arguments: argparse.Namespace, project: ProjectSettings) -> int:
    """``seams check REPORT.json``: the gate (and strict mode, when set) on a saved report,
    with the project's settings and the gate on."""
    from pytest_seams.gate import GateInputs, notices
    from pytest_seams.verdict import Judging, judge

    (saved,) = _load([arguments.report])
    settings = dataclasses.replace(project.settings, gate=True, baseline_write=False)
    try:
        inputs = GateInputs.prepare(settings, project.rootdir)
    except pytest.UsageError as error:
        raise UsageError(str(error)) from None
    problems: list[str] = []
    baseline, _ = inputs.settle_baseline(saved, project.rootdir, partial=False, problems=problems)
    ran = any(test.outcome is not None for test in saved.tests)
    judging = Judging(
        config=settings,
        changed=inputs.changed,
        baseline=baseline,
        collect_only=bool(saved.tests) and not ran,
    )
    verdict = judge(saved, judging)
    for line in notices(saved, judging):
        print(line, file=sys.stderr)
    for condition in verdict.failed:
        print(f"seams: gate failed: {condition.name}: {condition.message}")
    if verdict.passed:
        print(f"seams: gate passed ({len(verdict.conditions)} conditions)")
        return 0
    return 1


def read_plans(project: ProjectSettings, paths: list[Path]) -> Plans:
    """The plans the plugin would read for this project, or the plan files given (and those
    under the folders given)."""
    from pytest_seams.paths import find_plans
    from pytest_seams.session import SeamsSession

    session = SeamsSession(project.settings, project.rootdir, project.config_file, project.scope)
    if paths:
        # In a folder given, files named as plans are named: seam_plans = docs/TEST_PLAN.md
        # finds the TEST_PLAN.md files of the folder, wherever it is.
        names = tuple(dict.fromkeys(posixpath.basename(glob) for glob in project.settings.plans))
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files += find_plans(project.rootdir, names, [path.resolve()], project.norecursedirs)
            elif path.is_file():
                files.append(path.resolve())
            else:
                raise UsageError(f"no such file or directory: {path}")
        session._plan_files = list(dict.fromkeys(files))
    return session.read_plans()


def plan(arguments: argparse.Namespace, project: ProjectSettings) -> int:
    """``seams plan [PATHS]``: the seams of the plans, with priority, id, title and place."""
    plans = read_plans(project, [Path(p) for p in arguments.paths])
    if arguments.format == "json":
        seams = [
            {
                "id": seam.id,
                "title": seam.title,
                "priority": seam.priority,
                "plan": seam.plan,
                "line": seam.line,
                "components": seam.components,
            }
            for seam in plans.seams
        ]
        print(json.dumps({"seams": seams, "problems": _plan_problems(plans)}, indent=2))
    else:
        for seam in plans.seams:
            print(f"{seam.priority or '-':<8} {seam.id}  {seam.title}  ({seam.plan}:{seam.line})")
        for problem in _plan_problems(plans):
            print(f"seams: {problem}", file=sys.stderr)
        if not plans.seams:
            print("seams: no seam found in the plans (see docs/seams.md)", file=sys.stderr)
    return 1 if plans.findings or plans.problems else 0


def _plan_problems(plans: Plans) -> list[str]:
    return [
        *(f"{f.path}:{f.line}: {f.code} {f.message}" for f in plans.findings),
        *plans.problems,
    ]


def scaffold(arguments: argparse.Namespace, project: ProjectSettings) -> int:
    """``seams scaffold SEAM [--plan PATH] [--output DIR]``: write a test module for a seam."""
    from pytest_seams.plan import normalize_title
    from pytest_seams.scaffold import module_name, render_module

    plans = read_plans(project, [Path(arguments.plan)] if arguments.plan else [])
    wanted = arguments.seam
    matches = [seam for seam in plans.seams if seam.id == wanted] or [
        seam
        for seam in plans.seams
        if normalize_title(seam.title) == normalize_title(wanted) or seam.number == wanted
    ]
    if not matches:
        known = ", ".join(seam.id for seam in plans.seams[:10]) or "none"
        raise UsageError(
            f"no seam {wanted!r} in the plans (seams: {known}); give a seam id or exact title "
            "as `seams plan` lists them"
        )
    if len(matches) > 1:
        where = ", ".join(f"{seam.plan}:{seam.line}" for seam in matches)
        raise UsageError(f"seam {wanted!r} is in several plans ({where}); choose one with --plan")
    seam = matches[0]
    folder = Path(arguments.output) if arguments.output else (project.rootdir / seam.plan).parent
    target = folder / module_name(seam)
    if target.exists():
        print(
            f"seams: {target} exists; not overwritten (move it away, or use --output DIR)",
            file=sys.stderr,
        )
        return 1
    markers = project.settings.integration_markers
    marker = markers[0] if markers else None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(render_module(seam, marker))
    except FileExistsError:
        print(f"seams: {target} exists; not overwritten", file=sys.stderr)
        return 1
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
    print(f"seams: wrote {target} for seam {seam.id} ({seam.plan}:{seam.line})")
    return 0
