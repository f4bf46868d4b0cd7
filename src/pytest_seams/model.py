"""The vocabulary shared by the plugin, the reports and the command line.

Everything after collection is a pure function of these dataclasses, values that nothing
changes after construction (most are frozen; see Finding for the exceptions). They are plain
stdlib dataclasses, so a session that writes no file report never imports pydantic (its import
and schema building would cost more than a warm session's whole work); pydantic validates and
serialises them where data crosses a boundary (the JSON report, xdist workers, the cache) through
``adapter()``, and the JSON Schema is generated from the same classes. Field descriptions are the
attribute docstrings.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    Line = int

Category = Literal[
    "docstring",
    "env-write",
    "internal-mock",
    "mock-hygiene",
    "assertion",
    "plan",
    "env-leak",
    "internal-error",
    "suppression",
]
Severity = Literal["error", "warning", "info"]
CodeName = Literal[
    "SEAM000",
    "SEAM001",
    "SEAM002",
    "SEAM003",
    "SEAM101",
    "SEAM102",
    "SEAM103",
    "SEAM104",
    "SEAM201",
    "SEAM301",
    "SEAM302",
    "SEAM401",
    "SEAM402",
    "SEAM501",
    "SEAM502",
    "SEAM503",
    "SEAM601",
    "SEAM602",
    "SEAM701",
    "SEAM702",
    "SEAM703",
    "SEAM704",
]
"""Every finding code, as codes.ALL_CODES lists them (a test keeps the two equal)."""
LinkReason = Literal["marker", "docstring", "plan-file", "file-name", "inferred"]
"""The classes of link evidence, strongest first (docs/seams.md)."""
Priority = Literal["P0", "P1", "P2", "P3", "deferred"]
"""A seam's priority as the plan parser gives it (explicit, or mapped from its words)."""
Outcome = Literal["passed", "failed", "error", "skipped", "xfailed", "xpassed"]
SeamStatus = Literal["verified", "failing", "skipped", "not-run", "untested", "deferred"]

REPORT_FORMAT_VERSION = 1


# For pydantic: unknown keys are errors, attribute docstrings are the field descriptions.
PYDANTIC_CONFIG: dict[str, Any] = {"extra": "forbid", "use_attribute_docstrings": True}


@functools.cache
def adapter(kind: Any) -> TypeAdapter[Any]:
    """The pydantic adapter that validates, serialises and describes ``kind``; built once."""
    from annotated_types import Ge
    from pydantic import TypeAdapter

    # "Line" in the (string) annotations below is a 1-based line number. It is defined only
    # here, for pydantic to resolve, because importing annotated_types costs a warm session
    # more than all of its own work on a small project.
    globals()["Line"] = Annotated[int, Ge(1)]
    return TypeAdapter(kind)


# Per test and per finding: not frozen, and constructed positionally where they are made in
# bulk, because a session builds thousands and frozen or keyword construction costs twice as
# much. Like every class here they are values: nothing changes them after construction
# (``dataclasses.replace`` makes a changed copy).
@dataclass(slots=True)
class Finding:
    """One problem found by pytest-seams, whatever found it."""

    __pydantic_config__ = PYDANTIC_CONFIG

    code: CodeName
    """Stable rule code, e.g. SEAM101; see docs/codes.md."""
    category: Category
    severity: Severity
    path: str | None
    """File the finding is about, relative to rootdir and '/'-separated; null for findings
    about the whole session."""
    line: Line | None
    """1-based line to look at; null when not about a line."""
    nodeid: str | None
    """Node id of the test or fixture the finding belongs to."""
    message: str
    """What is wrong and how to fix it."""

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.path or "", self.line or 0, self.code, self.nodeid or "", self.message)


ChecklistStatus = Literal["pass", "fail", "unknown"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecklistItem:
    """One item of the pre-merge checklist for one integration test."""

    __pydantic_config__ = PYDANTIC_CONFIG

    number: int
    """1-7, in the order of the philosophy's checklist."""
    name: str
    """Short name, e.g. "identifies a critical seam"."""
    status: ChecklistStatus
    reason: str
    """The evidence for the status, or why it is unknown."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition:
    """One condition of a verdict (strict mode, a gate condition), passed or failed."""

    __pydantic_config__ = PYDANTIC_CONFIG

    name: str
    """Stable name, e.g. "strict" or "p0-coverage"."""
    passed: bool
    message: str
    """One line: what was judged and, when it failed, what to do."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """Whether the session passes pytest-seams' conditions."""

    __pydantic_config__ = PYDANTIC_CONFIG

    conditions: tuple[Condition, ...] = ()

    @property
    def passed(self) -> bool:
        return all(condition.passed for condition in self.conditions)

    @property
    def failed(self) -> tuple[Condition, ...]:
        return tuple(condition for condition in self.conditions if not condition.passed)


@dataclass(slots=True)
class TestRecord:
    """One collected test and, when it ran, its outcome."""

    __test__ = False  # not a pytest test class, despite the name
    __pydantic_config__ = PYDANTIC_CONFIG

    nodeid: str
    path: str
    """File of the test, relative to rootdir, '/'-separated."""
    line: Line | None
    """1-based line where the test's code starts: its first decorator when decorated, as in
    pytest's own location of the test."""
    integration: bool
    """Whether the test counts as an integration test."""
    selected: bool = True
    """False when the test was deselected (-k, -m, ...)."""
    seams: tuple[str, ...] = ()
    """Ids of the seams the test covers."""
    outcome: Outcome | None = None
    """Outcome, when the test ran."""
    checklist: tuple[ChecklistItem, ...] = ()
    """The pre-merge checklist, for integration tests (docs/gate.md)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SeamLink:
    """Why a test is linked to a seam."""

    __pydantic_config__ = PYDANTIC_CONFIG

    nodeid: str
    reason: LinkReason
    """The class of evidence: marker, docstring, plan-file, file-name or inferred (strongest
    first)."""
    evidence: str = ""
    """The evidence itself, as a reader would check it: "class docstring 'Tests for A → B'"."""
    score: float | None = None
    """An inferred link's similarity score, from 0 to 1 (docs/seams.md)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Seam:
    """A seam listed in a TEST_PLAN.md file (filled by the plan parser)."""

    __pydantic_config__ = PYDANTIC_CONFIG

    id: str
    title: str
    priority: Priority | None
    status: SeamStatus
    tests: tuple[str, ...] = ()
    links: tuple[SeamLink, ...] = ()
    plan: str
    line: Line
    components: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisStats:
    """How the static analysis of this session went."""

    __pydantic_config__ = PYDANTIC_CONFIG

    files: int = 0
    """Files analysed (test modules and conftests)."""
    parsed: int = 0
    """Files parsed this session (cache misses)."""
    cached: int = 0
    """Files whose results came from the cache."""
    failed: int = 0
    """Files that could not be read or parsed."""

    def __add__(self, other: AnalysisStats) -> AnalysisStats:
        return AnalysisStats(
            files=self.files + other.files,
            parsed=self.parsed + other.parsed,
            cached=self.cached + other.cached,
            failed=self.failed + other.failed,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportMeta:
    __pydantic_config__ = PYDANTIC_CONFIG

    plugin_version: str
    pytest_version: str
    python_version: str
    args: tuple[str, ...]
    """Command line arguments, paths made rootdir-relative; values of options that may carry
    secrets (named like password, token, secret, key, auth) and URL passwords are
    "[redacted]"."""
    mode: Literal["off", "warn", "strict"]
    xdist_workers: int = 0
    """Number of xdist workers, 0 without xdist."""
    partial: bool = False
    """True when part of the session's data could not be gathered."""
    problems: tuple[str, ...] = ()
    """What could not be gathered (or which other report could not be written), when partial
    is true."""
    analysis: AnalysisStats = field(default_factory=AnalysisStats)
    timestamp: str | None = None
    """When the session started, ISO 8601 in UTC ("2026-11-29T15:50:00+00:00"); None for a
    report built without a session."""
    random_order: bool = False
    """True when pytest-randomly shuffled the tests (active, and not
    ``--randomly-dont-reorganize``); False in file order (absent, or ``-p no:randomly``)."""
    random_seed: int | None = None
    """pytest-randomly's seed (``--randomly-seed``) when it was active, else None."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingCounts:
    __pydantic_config__ = PYDANTIC_CONFIG

    error: int
    warning: int
    info: int
    by_code: dict[CodeName, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class PrioritySummary:
    """Seam coverage of one priority across all plans; deferred seams are left out."""

    __pydantic_config__ = PYDANTIC_CONFIG

    priority: Priority | None
    total: int
    verified: int
    """Seams with status verified: the covered ones."""
    failing: int
    skipped: int
    not_run: int
    untested: int


PRIORITY_ORDER = ("P0", "P1", "P2", "P3", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class TestTotals:
    """How many tests the session collected, by what became of them. ``total`` is the sum of
    the others: every collected test counts once."""

    __test__ = False  # not a pytest test class, despite the name
    __pydantic_config__ = PYDANTIC_CONFIG

    total: int
    passed: int
    failed: int
    error: int
    skipped: int
    xfailed: int
    xpassed: int
    not_run: int
    """Selected but without an outcome (the session stopped early, -x, collect-only)."""
    deselected: int
    """Left out by -k, -m or another deselection."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SeamTotals:
    """How many seams the plans list, by status; ``total`` includes the deferred ones."""

    __pydantic_config__ = PYDANTIC_CONFIG

    total: int
    verified: int
    failing: int
    skipped: int
    not_run: int
    untested: int
    deferred: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals:
    """The session in numbers, for a summary line or a dashboard."""

    __pydantic_config__ = PYDANTIC_CONFIG

    tests: TestTotals
    seams: SeamTotals


@dataclass(frozen=True, kw_only=True)
class Report:
    """Everything pytest-seams knows about one test session."""

    __pydantic_config__ = PYDANTIC_CONFIG

    version: int = REPORT_FORMAT_VERSION
    """Format version of this report."""
    meta: ReportMeta
    findings: tuple[Finding, ...] = ()
    tests: tuple[TestRecord, ...] = ()
    seams: tuple[Seam, ...] = ()
    # Computed by ``build`` from the fields above.
    seam_summary: tuple[PrioritySummary, ...]
    """Covered (verified) and total seams per priority, P0 first; deferred excluded."""
    unlinked_integration_tests: tuple[str, ...]
    """Integration tests that link to no seam (only meaningful when plans list seams)."""
    counts: FindingCounts
    totals: Totals
    verdict: Verdict | None = None
    """Whether the session passes strict mode and the gate, once judged (``verdict.judge``)."""

    @classmethod
    def build(
        cls,
        meta: ReportMeta,
        findings: Sequence[Finding] = (),
        tests: Sequence[TestRecord] = (),
        seams: Sequence[Seam] = (),
    ) -> Report:
        """A report with its summaries (seam_summary, unlinked tests, counts) computed."""
        return cls(
            meta=meta,
            findings=tuple(findings),
            tests=tuple(tests),
            seams=tuple(seams),
            seam_summary=_seam_summary(seams),
            unlinked_integration_tests=tuple(
                test.nodeid for test in tests if test.integration and not test.seams
            )
            if seams
            else (),
            counts=_counts(findings),
            totals=_totals(tests, seams),
        )


def _totals(tests: Sequence[TestRecord], seams: Sequence[Seam]) -> Totals:
    outcomes = Counter(test.outcome for test in tests if test.selected)
    statuses = Counter(seam.status for seam in seams)
    return Totals(
        tests=TestTotals(
            total=len(tests),
            passed=outcomes["passed"],
            failed=outcomes["failed"],
            error=outcomes["error"],
            skipped=outcomes["skipped"],
            xfailed=outcomes["xfailed"],
            xpassed=outcomes["xpassed"],
            not_run=outcomes[None],
            deselected=sum(1 for test in tests if not test.selected),
        ),
        seams=SeamTotals(
            total=len(seams),
            verified=statuses["verified"],
            failing=statuses["failing"],
            skipped=statuses["skipped"],
            not_run=statuses["not-run"],
            untested=statuses["untested"],
            deferred=statuses["deferred"],
        ),
    )


def _seam_summary(seams: Sequence[Seam]) -> tuple[PrioritySummary, ...]:
    summaries = []
    for priority in PRIORITY_ORDER:
        statuses = Counter(seam.status for seam in seams if seam.priority == priority)
        total = sum(statuses.values())
        if total:
            summaries.append(
                PrioritySummary(
                    priority=cast("Priority | None", priority),
                    total=total,
                    verified=statuses["verified"],
                    failing=statuses["failing"],
                    skipped=statuses["skipped"],
                    not_run=statuses["not-run"],
                    untested=statuses["untested"],
                )
            )
    return tuple(summaries)


def _counts(findings: Sequence[Finding]) -> FindingCounts:
    by_severity = Counter(finding.severity for finding in findings)
    by_code = Counter(finding.code for finding in findings)
    return FindingCounts(
        error=by_severity["error"],
        warning=by_severity["warning"],
        info=by_severity["info"],
        by_code=dict(sorted(by_code.items())),
    )
