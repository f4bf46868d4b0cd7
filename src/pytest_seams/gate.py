"""The gate's conditions (``--seam-gate``; docs/gate.md) and what they need from the session.

Each condition is a pure function of the report and the judging context, registered in
``verdict.CHECKS``; it decides nothing when the gate is off. The session prepares the inputs
that come from outside the report (the changed files, the baseline) in ``GateInputs``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_seams.codes import PLAN_PROBLEM, UNKNOWN_SEAM_MARKER
from pytest_seams.config import Config
from pytest_seams.model import Condition, Finding, Report, Seam, TestRecord

if TYPE_CHECKING:
    from pytest_seams import baseline
    from pytest_seams.verdict import Judging

SHOWN = 3
"""How many seams, findings or tests a failed condition names before "and N more"."""

_GATED_FAILING = ("P0", "P1")


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"


def _first(items: Sequence[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _seam(seam: Seam) -> str:
    return f"{seam.title!r} ({seam.plan}:{seam.line})"


def _where(finding: Finding) -> str:
    place = f"{finding.path}:{finding.line}" if finding.line else finding.path or "the session"
    return f"{place} ({finding.code})"


def partial_run(report: Report, judging: Judging) -> bool:
    """Whether the session ran part of the suite (-k, -m, paths, node ids, --lf, deselection)."""
    return judging.narrowed or not all(test.selected for test in report.tests)


def _is_reference(finding: Finding) -> bool:
    """An unknown seam reference, or one ambiguous between plans (a test's, not a plan's)."""
    return finding.code == UNKNOWN_SEAM_MARKER.code or (
        finding.code == PLAN_PROBLEM.code and finding.nodeid is not None
    )


def _new_findings(report: Report, judging: Judging) -> tuple[Finding, ...]:
    return judging.baseline.new if judging.baseline is not None else report.findings


def coverage(report: Report, judging: Judging) -> list[Condition]:
    """``seam_fail_under``: per priority, the share of non-deferred seams verified."""
    if not judging.config.gate or judging.collect_only or partial_run(report, judging):
        return []
    conditions = []
    for priority, threshold in judging.config.fail_under:
        name = f"{priority.lower()}-coverage"
        seams = [
            seam for seam in report.seams if seam.priority == priority and seam.status != "deferred"
        ]
        if not seams:
            message = f"no {priority} seam in the plans"
            conditions.append(Condition(name=name, passed=True, message=message))
            continue
        verified = sum(seam.status == "verified" for seam in seams)
        percent = 100 * verified / len(seams)
        summary = f"{priority} seam coverage {percent:.1f}% ({verified} of {len(seams)} verified)"
        if percent >= threshold:
            conditions.append(Condition(name=name, passed=True, message=summary))
            continue
        missing = [f"{_seam(seam)} {seam.status}" for seam in seams if seam.status != "verified"]
        message = (
            f"{summary} is below seam_fail_under {priority}:{threshold:g}; not verified: "
            f"{_first(missing)}; add or fix their tests"
        )
        conditions.append(Condition(name=name, passed=False, message=message))
    return conditions


def failing_seams(report: Report, judging: Judging) -> list[Condition]:
    """No P0 or P1 seam is failing."""
    if not judging.config.gate or judging.collect_only:
        return []
    failing = [
        seam
        for seam in report.seams
        if seam.status == "failing" and seam.priority in _GATED_FAILING
    ]
    if not failing:
        return [Condition(name="failing-seams", passed=True, message="no P0 or P1 seam failing")]
    outcomes = {test.nodeid: test.outcome for test in report.tests}
    described = []
    for seam in failing:
        failed = [test for test in seam.tests if outcomes.get(test) in ("failed", "error")]
        described.append(f"{seam.priority} {_seam(seam)}: {_first(failed)}")
    message = (
        f"{_plural(len(failing), 'P0/P1 seam is', 'P0/P1 seams are')} failing: "
        f"{'; '.join(described[:SHOWN])}"
        + (f"; and {len(described) - SHOWN} more" if len(described) > SHOWN else "")
        + "; fix the failing tests"
    )
    return [Condition(name="failing-seams", passed=False, message=message)]


def error_findings(report: Report, judging: Judging) -> list[Condition]:
    """No error finding, after severity overrides and the baseline (seam references are
    judged by their own condition); with ``seam_gate_findings = changed`` and
    ``--seam-since``, only those in changed files (and those about no file)."""
    config = judging.config
    if not config.gate:
        return []
    changed = judging.changed if config.gate_findings == "changed" else None
    errors = [
        finding
        for finding in _new_findings(report, judging)
        if finding.severity == "error"
        and not _is_reference(finding)
        and (changed is None or finding.path is None or finding.path in changed)
    ]
    where = " in changed files" if changed is not None else ""
    known = (
        f"{_plural(judging.baseline.baselined, 'baselined finding')} not counted"
        if judging.baseline is not None and judging.baseline.baselined
        else ""
    )
    # "New" only against a baseline: without one, every finding counts.
    new = "new " if judging.baseline is not None else ""
    if not errors:
        message = f"no {new}error finding{where}" + (f" ({known})" if known else "")
        return [Condition(name="findings", passed=True, message=message)]
    codes = ", ".join(
        f"{code} x{count}" for code, count in sorted(Counter(f.code for f in errors).items())
    )
    message = (
        f"{_plural(len(errors), new + 'error finding')}{where} "
        f"({codes}{'; ' + known if known else ''}): "
        f"{_first([_where(finding) for finding in errors])}; fix them, suppress them "
        "(docs/suppression.md), or record them with --seam-baseline-write"
    )
    return [Condition(name="findings", passed=False, message=message)]


def seam_references(report: Report, judging: Judging) -> list[Condition]:
    """No test names a seam no plan lists (SEAM602) or one two plans list (SEAM601)."""
    if not judging.config.gate:
        return []
    references = [f for f in _new_findings(report, judging) if _is_reference(f)]
    if not references:
        message = "no unknown or ambiguous seam reference"
        return [Condition(name="seam-references", passed=True, message=message)]
    message = (
        f"{_plural(len(references), 'unknown or ambiguous seam reference')}: "
        f"{_first([_where(finding) for finding in references])}; name each seam by an id "
        "or exact title from a plan covering the test (the findings say which)"
    )
    return [Condition(name="seam-references", passed=False, message=message)]


def checklist(report: Report, judging: Judging) -> list[Condition]:
    """Every checklist item passes (``unknown`` does not fail) for the integration tests of
    new work: in files changed since ``--seam-since``, or all (``seam_gate_checklist``)."""
    config = judging.config
    if not config.gate or config.gate_checklist == "off":
        return []
    if config.gate_checklist == "changed" and judging.changed is None:
        message = "checklist not judged: no --seam-since names the new work"
        return [Condition(name="checklist", passed=True, message=message)]
    judged = [
        test
        for test in report.tests
        if test.integration
        and test.selected
        and (
            judging.changed is None
            or config.gate_checklist == "all"
            or test.path in judging.changed
        )
    ]
    failing = [test for test in judged if any(item.status == "fail" for item in test.checklist)]
    scope = "changed " if config.gate_checklist == "changed" else ""
    if not failing:
        message = (
            f"every checklist item passes for {_plural(len(judged), scope + 'integration test')}"
        )
        return [Condition(name="checklist", passed=True, message=message)]
    message = (
        f"{_plural(len(failing), scope + 'integration test')} of {len(judged)} "
        f"{'fails' if len(failing) == 1 else 'fail'} checklist items: "
        f"{'; '.join(_failed_items(test) for test in failing[:SHOWN])}"
        + (f"; and {len(failing) - SHOWN} more" if len(failing) > SHOWN else "")
        + "; fix them (--seam-checklist lists every item)"
    )
    return [Condition(name="checklist", passed=False, message=message)]


def _failed_items(test: TestRecord) -> str:
    items = [item for item in test.checklist if item.status == "fail"]
    first = items[0]
    more = f" (+{len(items) - 1} more)" if len(items) > 1 else ""
    return f"{test.nodeid} item {first.number} '{first.name}': {first.reason}{more}"


GATE_CHECKS = [coverage, failing_seams, error_findings, seam_references, checklist]
"""The gate's conditions, in the order their failures are printed."""


def notices(report: Report, judging: Judging) -> list[str]:
    """One-line notices about what the gate did not judge, and a baseline that can shrink."""
    lines = []
    if judging.config.gate and judging.collect_only:
        lines.append(
            "seams: gate: under --collect-only only the static conditions are judged "
            "(findings, seam references, checklist); seam coverage and failing seams need "
            "a test run"
        )
    elif judging.config.gate and partial_run(report, judging):
        lines.append(
            "seams: gate: seam coverage not judged on a partial run (-k, -m, paths or node "
            "ids, --lf or deselection); run the whole suite to judge it"
        )
    fixed = judging.baseline.fixed if judging.baseline is not None else 0
    if fixed and not partial_run(report, judging):
        lines.append(
            f"seams: {_plural(fixed, 'baselined finding is', 'baselined findings are')} fixed; "
            "run with --seam-baseline-write to shrink the file"
        )
    return lines


@dataclass(frozen=True, kw_only=True)
class GateInputs:
    """What the gate needs from outside the report, read when the session starts so that
    a problem is a usage error before any test runs."""

    changed: frozenset[str] | None = None
    """Rootdir-relative files changed since ``--seam-since``; None without it."""
    baseline_path: Path | None = None
    recorded: Counter[baseline.Key] | None = None
    """The baseline's entries; None without a baseline or when it is to be written."""

    @classmethod
    def prepare(cls, config: Config, rootdir: Path) -> GateInputs:
        """Read the changed files and the baseline; raises a one-line ``pytest.UsageError``."""
        changed = None
        if config.since is not None:
            from pytest_seams.since import changed_files

            changed = changed_files(config.since, rootdir)
        if config.baseline is None:
            if config.baseline_write:
                raise pytest.UsageError(
                    "pytest-seams: --seam-baseline-write needs --seam-baseline=PATH (or "
                    "seam_baseline in ini) to name the file"
                )
            return cls(changed=changed)
        path = rootdir / config.baseline
        if config.baseline_write:
            return cls(changed=changed, baseline_path=path)
        if not path.exists():
            raise pytest.UsageError(
                f"pytest-seams: --seam-baseline: no file {config.baseline}; write it with "
                "--seam-baseline-write, or fix the path (rootdir-relative)"
            )
        from pytest_seams import baseline

        try:
            recorded = baseline.load(path)
        except baseline.BaselineError as error:
            raise pytest.UsageError(
                f"pytest-seams: --seam-baseline: {config.baseline} is not a baseline file "
                f"({error}); write it again with --seam-baseline-write"
            ) from None
        return cls(changed=changed, baseline_path=path, recorded=recorded)

    def settle_baseline(
        self, report: Report, rootdir: Path, *, partial: bool, problems: list[str]
    ) -> tuple[baseline.BaselineMatch | None, Path | None]:
        """The report's findings against the baseline, writing it first when asked (not on a
        partial run, which sees part of the findings); and the path written, if any. What
        went wrong is appended to ``problems``."""
        if self.baseline_path is None:
            return None, None
        from pytest_seams import baseline

        if self.recorded is not None:
            return baseline.match(report.findings, self.recorded, rootdir), None
        if partial:
            problems.append(
                "the baseline was not written: a partial run (-k, -m, paths or node ids, --lf "
                "or deselection) sees only part of the findings; run the whole suite with "
                "--seam-baseline-write"
            )
            return None, None
        try:
            baseline.write(self.baseline_path, report.findings, rootdir)
        except OSError as error:
            problems.append(
                f"the baseline {self.baseline_path} could not be written "
                f"({error.strerror or error}); check the path and its folder's permissions"
            )
            return None, None
        recorded = Counter(baseline.keys(report.findings, rootdir))
        return baseline.match(report.findings, recorded, rootdir), self.baseline_path
