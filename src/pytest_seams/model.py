"""The vocabulary shared by the plugin, the reports and the command line.

Everything after collection is a pure function of these frozen models, and the JSON report is
simply ``Report.model_dump_json()``; its JSON Schema is generated from the same classes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

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
Outcome = Literal["passed", "failed", "error", "skipped", "xfailed", "xpassed"]
SeamStatus = Literal["verified", "failing", "skipped", "not-run", "untested", "deferred"]

REPORT_FORMAT_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


# Finding and TestRecord are made for every finding and every collected test of every session:
# frozen stdlib dataclasses cost a third of a pydantic model to build, and pydantic validates,
# serialises and describes them (JSON Schema) inside the models below all the same.
@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem found by pytest-seams, whatever found it."""

    __pydantic_config__ = ConfigDict(extra="forbid", defer_build=True)

    code: Annotated[str, Field(description="Stable rule code, e.g. SEAM101; see docs/codes.md.")]
    category: Category
    severity: Severity
    path: Annotated[
        str | None,
        Field(
            description="File the finding is about, relative to rootdir and '/'-separated; "
            "null for findings about the whole session."
        ),
    ]
    line: Annotated[
        int | None, Field(ge=1, description="1-based line to look at; null when not about a line.")
    ]
    nodeid: Annotated[
        str | None, Field(description="Node id of the test or fixture the finding belongs to.")
    ] = None
    message: Annotated[str, Field(description="What is wrong and how to fix it.")]

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.path or "", self.line or 0, self.code, self.nodeid or "", self.message)


@dataclass(frozen=True, slots=True, kw_only=True)
class TestRecord:
    """One collected test and, when it ran, its outcome."""

    __test__ = False  # not a pytest test class, despite the name
    __pydantic_config__ = ConfigDict(extra="forbid", defer_build=True)

    nodeid: str
    path: Annotated[str, Field(description="File of the test, relative to rootdir, '/'-separated.")]
    line: Annotated[
        int | None,
        Field(
            ge=1,
            description="1-based line where the test's code starts: its first decorator when "
            "decorated, as in pytest's own location of the test.",
        ),
    ] = None
    integration: Annotated[
        bool, Field(description="Whether the test counts as an integration test.")
    ]
    selected: Annotated[
        bool, Field(description="False when the test was deselected (-k, -m, ...).")
    ] = True
    seams: Annotated[tuple[str, ...], Field(description="Ids of the seams the test covers.")] = ()
    outcome: Annotated[Outcome | None, Field(description="Outcome, when the test ran.")] = None


class SeamLink(_Frozen):
    nodeid: str
    reason: str


class Seam(_Frozen):
    """A seam listed in a TEST_PLAN.md file (filled by the plan parser)."""

    id: str
    title: str
    priority: str | None
    status: SeamStatus
    tests: list[str] = Field(default_factory=list)
    links: list[SeamLink] = Field(default_factory=list)
    plan: str
    line: int = Field(ge=1)
    components: list[str] = Field(default_factory=list)


class AnalysisStats(_Frozen):
    """How the static analysis of this session went."""

    files: int = Field(default=0, description="Files analysed (test modules and conftests).")
    parsed: int = Field(default=0, description="Files parsed this session (cache misses).")
    cached: int = Field(default=0, description="Files whose results came from the cache.")
    failed: int = Field(default=0, description="Files that could not be read or parsed.")

    def __add__(self, other: AnalysisStats) -> AnalysisStats:
        return AnalysisStats(
            files=self.files + other.files,
            parsed=self.parsed + other.parsed,
            cached=self.cached + other.cached,
            failed=self.failed + other.failed,
        )


class ReportMeta(_Frozen):
    plugin_version: str
    pytest_version: str
    python_version: str
    args: list[str] = Field(description="Command line arguments, paths made rootdir-relative.")
    mode: Literal["off", "warn", "strict"]
    xdist_workers: int = Field(default=0, description="Number of xdist workers, 0 without xdist.")
    partial: bool = Field(
        default=False, description="True when part of the session's data could not be gathered."
    )
    problems: list[str] = Field(
        default_factory=list, description="What could not be gathered, when partial is true."
    )
    analysis: AnalysisStats = Field(default_factory=AnalysisStats)


class FindingCounts(_Frozen):
    error: int
    warning: int
    info: int
    by_code: dict[str, int]


class PrioritySummary(_Frozen):
    """Seam coverage of one priority across all plans; deferred seams are left out."""

    priority: str | None
    total: int
    verified: int = Field(description="Seams with status verified: the covered ones.")
    failing: int
    skipped: int
    not_run: int
    untested: int


PRIORITY_ORDER = ("P0", "P1", "P2", "P3", None)


class Report(_Frozen):
    """Everything pytest-seams knows about one test session."""

    version: int = Field(
        default=REPORT_FORMAT_VERSION, description="Format version of this report."
    )
    meta: ReportMeta
    findings: list[Finding] = Field(default_factory=list)
    tests: list[TestRecord] = Field(default_factory=list)
    seams: list[Seam] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def seam_summary(self) -> list[PrioritySummary]:
        """Covered (verified) and total seams per priority, P0 first; deferred excluded."""
        summaries = []
        for priority in PRIORITY_ORDER:
            statuses = Counter(seam.status for seam in self.seams if seam.priority == priority)
            total = sum(statuses.values())
            if total:
                summaries.append(
                    PrioritySummary(
                        priority=priority,
                        total=total,
                        verified=statuses["verified"],
                        failing=statuses["failing"],
                        skipped=statuses["skipped"],
                        not_run=statuses["not-run"],
                        untested=statuses["untested"],
                    )
                )
        return summaries

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unlinked_integration_tests(self) -> list[str]:
        """Integration tests that link to no seam (only meaningful when plans list seams)."""
        if not self.seams:
            return []
        return [test.nodeid for test in self.tests if test.integration and not test.seams]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> FindingCounts:
        by_severity = Counter(finding.severity for finding in self.findings)
        by_code = Counter(finding.code for finding in self.findings)
        return FindingCounts(
            error=by_severity["error"],
            warning=by_severity["warning"],
            info=by_severity["info"],
            by_code=dict(sorted(by_code.items())),
        )
