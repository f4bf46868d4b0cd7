"""Evidence: everything one process learned about a session, as one mergeable value.

Collection (the docstring contract, test records, seam hints, marker suppressions), the static
analysis, the run (outcomes) and pytest-seams' own failures (internal-error findings, problems)
all add to the session's ``Evidence``. An xdist worker sends all of its evidence to the
controller, which merges it into its own; ``report_builder.build_report`` turns the merged
evidence into the Report. A new kind of evidence (runtime findings, say) is a field here, its
line in ``merge``, and the code that fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pytest_seams.facts import TestFacts
from pytest_seams.model import PYDANTIC_CONFIG, AnalysisStats, Finding, Outcome, TestRecord
from pytest_seams.suppression import Suppression

# Which outcome of a test's phases wins: a failing teardown after a passing call is an error.
OUTCOME_RANK: dict[Outcome, int] = {
    "passed": 0,
    "xpassed": 1,
    "skipped": 2,
    "xfailed": 3,
    "failed": 4,
    "error": 5,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DocstringClue:
    """Words of a docstring that name a seam: a title, or the number of a plan's seam."""

    __pydantic_config__ = PYDANTIC_CONFIG

    where: str
    """Whose docstring: "test", "class" or "module"."""
    title: str | None = None
    number: str | None = None
    """A plan's seam number ("SEAM 3", or "TEST 3.1" of its sub-items)."""
    described: str | None = None
    """The words that name a seam, compared with seams for an inferred link when ``title``
    names none exactly: a "Seam Under Test" section, a whole title line ("Shared Contract
    Tests for cache interoperability")."""
    scope: str | None = None
    """An "Integration Scope" section: the components in the test's own words, compared with
    seams only for an inferred link."""
    quote: str
    """The words as written, for the link's evidence."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SeamHints:
    """What collection tells about one test's seams."""

    __pydantic_config__ = PYDANTIC_CONFIG

    marks: tuple[str, ...] = ()
    clues: tuple[DocstringClue, ...] = ()
    """Test docstring's first, then the class's, then the module's."""


@dataclass(kw_only=True)
class Evidence:
    """What one process learned: the input of the Report; what an xdist worker sends back."""

    __pydantic_config__ = PYDANTIC_CONFIG

    tests: list[TestRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """Findings of every origin: docstring contract, static analysis, internal errors."""
    suppressions: list[Suppression] = field(default_factory=list)
    definitions: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Test function (node id without parameters) -> its file and the first line of its code."""
    hints: dict[str, SeamHints] = field(default_factory=dict)
    """Node id -> what collection tells about the test's seams (with plans only)."""
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    """Node id -> outcome of the tests that ran (worst phase wins)."""
    files: list[str] = field(default_factory=list)
    """Test modules and conftests to analyse statically: those of the selected tests."""
    partial: list[str] = field(default_factory=list)
    """Files among ``files`` only some of whose tests were selected (-k, -m, --deselect, node
    ids): their findings about other tests are dropped, and their suppressions are not judged
    unused, as the tests they may be meant for did not take part."""
    analysed: list[str] = field(default_factory=list)
    """Files analysed statically."""
    stats: AnalysisStats = field(default_factory=AnalysisStats)
    """Statistics of the analyses whose findings are here (see ``SeamsSession.analysis_stats``
    for this process's own)."""
    problems: list[str] = field(default_factory=list)
    """What could not be gathered: the report is partial when there is any."""
    facts: dict[str, TestFacts] = field(default_factory=dict)
    """Selected integration test (node id) -> what its checklist needs from collection; only
    tests with something to note (facts.py)."""
    entry_calls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Test function (node id without parameters) -> the entry points its code calls, from
    the static analysis; only tests that call one."""
    runtime_findings: list[Finding] = field(default_factory=list)
    """Findings made while the tests ran (isolation.py: environment leaks) by the process that
    ran them; an xdist worker sends its own, the controller merges them."""

    def merge(self, other: Evidence) -> None:
        """Add ``other``'s evidence to this one (the same test or problem is kept once)."""
        if self.tests:
            known = {test.nodeid for test in self.tests}
            self.tests += [test for test in other.tests if test.nodeid not in known]
        else:  # the session's own collection: nothing to compare with
            self.tests = list(other.tests)
        self.findings += other.findings
        self.suppressions += other.suppressions
        self.definitions.update(other.definitions)
        self.hints.update(other.hints)
        for nodeid, outcome in other.outcomes.items():
            self.record_outcome(nodeid, outcome)
        self.files = sorted(set(self.files) | set(other.files))
        self.partial = sorted(set(self.partial) | set(other.partial))
        self.analysed = sorted(set(self.analysed) | set(other.analysed))
        self.stats += other.stats
        self.problems = list(dict.fromkeys([*self.problems, *other.problems]))
        self.facts.update(other.facts)
        self.entry_calls.update(other.entry_calls)
        self.runtime_findings += other.runtime_findings

    def record_outcome(self, nodeid: str, outcome: Outcome) -> None:
        """Note one phase's outcome of a test; the worst of its phases is kept."""
        previous = self.outcomes.get(nodeid)
        if previous is None or OUTCOME_RANK[outcome] > OUTCOME_RANK[previous]:
            self.outcomes[nodeid] = outcome
