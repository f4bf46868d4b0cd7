"""The pre-merge checklist: seven items per integration test, each pass, fail or unknown.

A pure function of the built report (tests, seams, findings), what collection noted about each
test (``facts.TestFacts``: its fixture closure, its "Seam Under Test" section), the entry points
the static analysis saw it call, and the settings. The rules of each item are in
docs/checklist.md; every reason says what the verdict rests on and, when an item fails, what
to do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Mapping, Sequence
from typing import NamedTuple

from pytest_seams.codes import FILE_NOT_ANALYSED, INTERNAL_ERROR, INTERNAL_MOCK
from pytest_seams.config import Config
from pytest_seams.facts import TestFacts
from pytest_seams.model import ChecklistItem, ChecklistStatus, Finding, Report, Seam, TestRecord
from pytest_seams.paths import glob_match

ITEM_NAMES = (
    "identifies a critical seam",
    "focuses on a critical path",
    "located correctly",
    "tests from the outside in",
    "uses high-fidelity fakes",
    "asserts on behaviour",
    "follows the documentation standard",
)
"""The names of the items, numbered from 1 in this order."""

_NO_FACTS = TestFacts()


class _Evidence(NamedTuple):
    """What the report says about the tests, indexed once for all of them."""

    seams: dict[str, Seam]
    findings: dict[str, list[Finding]]
    """Node id without parameters -> the findings about that test function."""
    unanalysed: set[str]
    """Files whose static analysis is missing (SEAM003, or an internal error about them)."""
    unchecked: set[str]
    """Test functions whose docstring contract was not checked (an internal error)."""
    session_error: bool
    """An internal error about no file nor test: what it cost is not known."""


def with_checklists(
    report: Report,
    facts: Mapping[str, TestFacts],
    entry_calls: Mapping[str, Sequence[str]],
    config: Config,
    contract_checked: Container[str],
) -> Report:
    """``report`` with the checklist of every selected integration test filled in.

    ``facts``: per test node id, from collection; ``entry_calls``: per test function (node id
    without parameters), the entry points its code calls, from the static analysis;
    ``contract_checked``: the test functions whose docstring contract collection checked (a
    Python test function collected by a process that sent its data; not a doctest, nor a test
    of a crashed xdist worker).
    """
    if not any(test.integration and test.selected for test in report.tests):
        return report
    evidence = _index(report)
    items: dict[tuple[int, str, str], ChecklistItem] = {}  # equal items are shared

    def item(number: int, status: ChecklistStatus, reason: str) -> ChecklistItem:
        key = (number, status, reason)
        made = items.get(key)
        if made is None:
            made = items[key] = ChecklistItem(
                number=number, name=ITEM_NAMES[number - 1], status=status, reason=reason
            )
        return made

    tests = []
    for test in report.tests:
        if test.integration and test.selected:
            function = test.nodeid.partition("[")[0]
            test_facts = facts.get(test.nodeid, _NO_FACTS)
            verdicts = checklist(
                test,
                test_facts,
                _calls(function, test_facts, entry_calls),
                config,
                evidence,
                contract_checked=function in contract_checked,
            )
            # Positional, not dataclasses.replace: thousands of tests (see model.TestRecord).
            test = TestRecord(
                test.nodeid,
                test.path,
                test.line,
                test.integration,
                test.selected,
                test.seams,
                test.outcome,
                tuple(item(n, *verdict) for n, verdict in enumerate(verdicts, 1)),
            )
        tests.append(test)
    return dataclasses.replace(report, tests=tuple(tests))


def _calls(
    function: str, facts: TestFacts, entry_calls: Mapping[str, Sequence[str]]
) -> tuple[str, ...]:
    """The entry points the test's own code calls, then those its fixtures' code calls
    ("calls TestClient", "fixture production_client calls TestClient")."""
    calls = list(entry_calls.get(function, ()))
    for fixture in facts.fixtures:
        name = fixture.rpartition("::")[2]
        calls += [f"fixture {name} calls {call}" for call in entry_calls.get(fixture, ())]
    return tuple(calls)


def _index(report: Report) -> _Evidence:
    findings: dict[str, list[Finding]] = {}
    unanalysed: set[str] = set()
    unchecked: set[str] = set()
    session_error = False
    for finding in report.findings:
        if finding.nodeid is not None:
            findings.setdefault(finding.nodeid, []).append(finding)
        if finding.code == FILE_NOT_ANALYSED.code and finding.path is not None:
            unanalysed.add(finding.path)
        elif finding.code == INTERNAL_ERROR.code:
            if finding.nodeid is not None:
                unchecked.add(finding.nodeid.partition("[")[0])
            elif finding.path is not None:
                unanalysed.add(finding.path)
            else:
                session_error = True
    return _Evidence(
        {seam.id: seam for seam in report.seams}, findings, unanalysed, unchecked, session_error
    )


Verdict = tuple[ChecklistStatus, str]


def checklist(
    test: TestRecord,
    facts: TestFacts,
    calls: tuple[str, ...],
    config: Config,
    evidence: _Evidence,
    *,
    contract_checked: bool,
) -> list[Verdict]:
    """The seven (status, reason) pairs of one integration test, item 1 first."""
    function = test.nodeid.partition("[")[0]
    findings = evidence.findings.get(function, [])
    static_unknown = evidence.session_error or test.path in evidence.unanalysed
    if evidence.session_error or function in evidence.unchecked:
        contract_unknown: str | None = "pytest-seams failed while checking it (see SEAM000)"
    elif not contract_checked:
        contract_unknown = (
            "its docstring was not checked: it is no Python test function, or the xdist worker "
            "that collected it sent no data"
        )
    else:
        contract_unknown = None
    linked = [evidence.seams[seam] for seam in test.seams if seam in evidence.seams]
    return [
        _identifies_seam(linked, facts, bool(evidence.seams)),
        _critical_path(linked, bool(evidence.seams)),
        _located(test, config),
        _outside_in(facts, calls, config, static_unknown),
        _fakes(findings, facts, static_unknown),
        _asserts(findings, static_unknown),
        _documented(findings, contract_unknown),
    ]


def _names(names: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _seams(seams: Sequence[Seam]) -> str:
    return _names([f"'{seam.title}' ({seam.plan}:{seam.line})" for seam in seams], 2)


def _identifies_seam(linked: list[Seam], facts: TestFacts, plans: bool) -> Verdict:
    if linked:
        return "pass", f"linked to seam {_seams(linked)}"
    if facts.seam_under_test is not None:
        where = "; it links to no seam of the plans" if plans else ""
        return "pass", f"names its seam in Seam Under Test: '{facts.seam_under_test}'{where}"
    if plans:
        return "fail", (
            "links to no seam of the plans and has no 'Seam Under Test:' section; link it "
            "with @pytest.mark.seam('<seam id or title>') or name its seam in a 'Seam Under "
            "Test:' section of its, its class's or its module's docstring"
        )
    return "fail", (
        "has no 'Seam Under Test:' section in its, its class's or its module's docstring; "
        "add one naming the seam it covers"
    )


def _critical_path(linked: list[Seam], plans: bool) -> Verdict:
    if not plans:
        return "unknown", "no TEST_PLAN.md lists seams, so no priority is known"
    if not linked:
        return "fail", (
            "links to no seam of the plans, so it covers no planned critical path; link it to "
            "its seam, or add the seam to a TEST_PLAN.md with a priority"
        )
    ranked = [s for s in linked if s.status != "deferred" and s.priority not in (None, "deferred")]
    if ranked:
        best = min(ranked, key=lambda seam: seam.priority or "")
        return "pass", f"covers {best.priority} seam {_seams([best])}"
    if all(seam.status == "deferred" for seam in linked):
        return "fail", (
            f"links only to deferred seams ({_seams(linked)}): deferred seams are no critical "
            "path; link it to the seam it covers now, or give the seam a priority"
        )
    return "unknown", f"its seams have no priority in the plan: {_seams(linked)}"


def _located(test: TestRecord, config: Config) -> Verdict:
    paths = config.integration_paths
    if not paths:
        return "unknown", "seam_integration_paths is empty: no folder holds integration tests"
    for pattern in paths:
        if glob_match(test.path, pattern):
            return "pass", f"{test.path} matches seam_integration_paths ({pattern})"
    return "fail", (
        f"an integration test by its marker only, and {test.path} is outside "
        f"seam_integration_paths ({_names(paths)}); move it under one of them"
    )


def _outside_in(
    facts: TestFacts, calls: tuple[str, ...], config: Config, static_unknown: bool
) -> Verdict:
    evidence = []
    if facts.entry_fixtures:
        evidence.append(f"entry-point fixture {_names(facts.entry_fixtures)} in its fixtures")
    own = [call for call in calls if not call.startswith("fixture ")]
    if own:
        evidence.append(f"calls {_names(own)}")
    by_fixtures = [call for call in calls if call.startswith("fixture ")]
    if by_fixtures:
        evidence.append(_names(by_fixtures, 2))
    if evidence:
        return "pass", "; ".join(evidence)
    if static_unknown:
        return "unknown", (
            "no entry-point fixture in its fixtures, and its file could not be analysed for "
            "calls of an entry point"
        )
    return "fail", (
        "no entry-point fixture in its fixtures (seam_entry_point_fixtures: "
        f"{_names(config.entry_point_fixtures)}) and no call of an entry point (seam_entry_points: "
        f"{_names(config.entry_points)}) in its code or its fixtures' code; drive the code "
        "through its public entry point, or name your own fixture or client in those settings"
    )


def _first(findings: list[Finding]) -> str:
    finding = min(findings, key=Finding.sort_key)
    where = f" at line {finding.line}" if finding.line is not None else ""
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    return f"{finding.code}{where}{more}: {finding.message.partition(chr(10))[0]}"


def _fakes(findings: list[Finding], facts: TestFacts, static_unknown: bool) -> Verdict:
    if static_unknown:
        return (
            "unknown",
            "its file could not be analysed, so mocks of first-party code were not looked for",
        )
    mocks = [f for f in findings if f.code == INTERNAL_MOCK.code]
    if mocks:
        return "fail", f"mocks first-party code, {_first(mocks)}"
    unresolved = [f for f in findings if f.category == "internal-mock"]
    if unresolved:
        return "unknown", f"a mock whose target may be first-party code, {_first(unresolved)}"
    fakes = f"; high-fidelity fakes: {_names(facts.fake_fixtures)}" if facts.fake_fixtures else ""
    return "pass", f"no mock of first-party code{fakes}"


def _asserts(findings: list[Finding], static_unknown: bool) -> Verdict:
    if static_unknown:
        return "unknown", "its file could not be analysed, so its checks were not looked at"
    weak = [f for f in findings if f.category == "assertion"]
    if weak:
        return "fail", _first(weak)
    return "pass", "checks an outcome (no assertion finding)"


def _documented(findings: list[Finding], contract_unknown: str | None) -> Verdict:
    gaps = [f for f in findings if f.category == "docstring"]
    if gaps:
        return "fail", _first(gaps)
    if contract_unknown is not None:
        return "unknown", contract_unknown
    return "pass", "its docstring has every required section"
