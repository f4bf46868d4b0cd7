"""The verdict: whether a session passes, judged from its report by registered conditions.

A condition is a function from the report and the judging context to the conditions it
decides (none when it does not apply: strict mode off, the gate not asked for); adding one is
one function plus one entry in ``CHECKS``. Judging never formats and never prints: the
session turns a failed verdict into exit status 1 and one terminal line per failed condition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pytest_seams.config import Config
from pytest_seams.gate import GATE_CHECKS
from pytest_seams.model import Condition, Report, Verdict

if TYPE_CHECKING:
    from pytest_seams.baseline import BaselineMatch


@dataclass(frozen=True, kw_only=True)
class Judging:
    """What conditions need besides the report."""

    config: Config
    unwritten: tuple[str, ...] = ()
    """Reports asked for that could not be written, each with why."""
    changed: frozenset[str] | None = None
    """Rootdir-relative posix paths of the files changed since ``--seam-since``; None
    without it."""
    baseline: BaselineMatch | None = None
    """The findings against ``--seam-baseline``; None without a baseline."""
    narrowed: bool = False
    """Whether the arguments leave out part of the suite (``SelectionScope.narrowed``);
    deselected tests show in the report itself."""
    collect_only: bool = False
    """Whether tests were only collected (``--collect-only``): no outcomes to judge."""


Check = Callable[[Report, Judging], list[Condition]]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def strict_mode(report: Report, judging: Judging) -> list[Condition]:
    """``--seam-mode=strict``: error findings, or a report asked for and not written (CI would
    otherwise go green on a missing report), fail the session."""
    if judging.config.mode != "strict":
        return []
    errors = Counter(finding.code for finding in report.findings if finding.severity == "error")
    conditions = []
    if errors:
        codes = ", ".join(f"{code} x{count}" for code, count in sorted(errors.items()))
        message = (
            f"{_plural(sum(errors.values()), 'error finding')} ({codes}); fix them or "
            "suppress them (see docs/suppression.md)"
        )
        conditions.append(Condition(name="strict", passed=False, message=message))
    else:
        conditions.append(Condition(name="strict", passed=True, message="no error finding"))
    if judging.unwritten:
        message = f"{len(judging.unwritten)} of the reports asked for could not be written (above)"
        conditions.append(Condition(name="strict-reports", passed=False, message=message))
    return conditions


CHECKS: list[Check] = [strict_mode, *GATE_CHECKS]
"""Every condition, in the order their failures are printed."""


def judge(report: Report, judging: Judging) -> Verdict:
    """The verdict of every registered condition on this report."""
    return Verdict(conditions=tuple(c for check in CHECKS for c in check(report, judging)))


def failure_line(condition: Condition) -> str:
    """The terminal line of a failed condition."""
    why = "strict mode" if condition.name.startswith("strict") else "gate"
    return f"seams: failing the session ({why}): {condition.message}."
