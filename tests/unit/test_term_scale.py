"""The terminal report stays a screenful however large the suite: built from Report values."""

from __future__ import annotations

import itertools

from pytest_seams.codes import ALL_CODES
from pytest_seams.model import Finding, Report, ReportMeta, Seam, SeamLink, TestRecord
from pytest_seams.report.term import SEE_ALL, location, render_term, term_lines

META = ReportMeta(
    plugin_version="0", pytest_version="9", python_version="3.11", args=(), mode="warn"
)
STATUSES = ("verified", "failing", "untested", "skipped", "not-run", "deferred")


def _large_report() -> Report:
    """Every code, 6,000 findings, 600 seams in 12 plans, 12,000 tests."""
    codes = [code for code in ALL_CODES.values() if code.code != "SEAM000"]
    findings = [
        Finding(
            code.code,
            code.category,
            code.severity,
            f"tests/integration/area_{n % 10}/test_m{n:04}_integration.py",
            n % 200 + 1,
            f"tests/integration/area_{n % 10}/test_m{n:04}_integration.py::test_{n}",
            f"{code.summary}\nsecond line {n}",
        )
        for n, code in zip(range(6000), itertools.cycle(codes), strict=False)
    ]
    seams = [
        Seam(
            id=f"S-{n}",
            title=f"Component {n} → Store {n}",
            priority=("P0", "P1", "P2", "P3", None)[n % 5],
            status=STATUSES[n % len(STATUSES)],  # type: ignore[arg-type]
            plan=f"services/s{n % 12}/TEST_PLAN.md",
            line=n + 1,
            links=(SeamLink(nodeid=f"tests/integration/test_{n}.py::test_x", reason="marker"),),
        )
        for n in range(600)
    ]
    tests = [
        TestRecord(
            f"tests/integration/test_{n}.py::test_x", f"tests/integration/test_{n}.py", 1, True
        )
        for n in range(12000)
    ]
    return Report.build(META, sorted(findings, key=Finding.sort_key), tests, seams)


def test_default_terminal_section_stays_under_60_lines_on_a_large_report() -> None:
    report = _large_report()
    default = render_term(report).split("\n")
    assert len(default) < 60, "\n".join(default)
    # What it keeps: the TOTAL row, every code's count, the count of what it left out, and
    # the way to see all.
    assert any(line.startswith("TOTAL ") and line.endswith(" 20%") for line in default)
    for code, count in report.counts.by_code.items():
        assert f"{code} {ALL_CODES[code].name} ({ALL_CODES[code].severity}): {count}" in default
    assert "not verified: 400" in default
    assert "  and 390 more" in default
    assert default[-1] == f"seams: {SEE_ALL}"
    # Too many plans and priorities for the default table: one row per priority instead (10
    # plans hold counted seams; the other two only deferred ones).
    assert [line.split()[2] for line in default if line.startswith("10 plans")] == [
        "P0", "P1", "P2", "P3", "none"
    ]  # fmt: skip
    quiet = term_lines(report, "quiet")
    assert len(quiet) < len(default)
    assert not [text for text, _tone in quiet if text.startswith("  tests/")]


def test_many_codes_still_show_a_location_for_the_most_severe() -> None:
    """With more codes than the finding lines can give one location each (every code here),
    the most severe codes keep one location each instead of every code losing its own."""
    report = _large_report()
    default = render_term(report).split("\n")
    assert len(default) < 60
    located = [line for line in default if line.startswith("  tests/integration/")]
    assert located, "no finding location in the default view"
    first_code = next(line for line in default if line.startswith("SEAM"))
    assert default[default.index(first_code) + 1].startswith("  tests/integration/")


def test_full_view_lists_every_finding_and_seam_link() -> None:
    report = _large_report()
    full = render_term(report, missing=True).split("\n")
    assert sum(1 for line in full if line.startswith("  tests/integration/area_")) == 6000
    assert sum(1 for line in full if line.endswith("::test_x  [marker]")) == 600
    assert SEE_ALL not in full[-1]


def test_each_finding_names_its_location_once() -> None:
    def finding(path: str | None, line: int | None, nodeid: str | None) -> Finding:
        return Finding("SEAM101", "docstring", "error", path, line, nodeid, "m")

    assert location(finding("t/a.py", 3, "t/a.py::TestX::test_y")) == "t/a.py:3 TestX::test_y"
    assert (
        location(finding("t/conftest.py", 9, "t/a.py::test_y")) == "t/conftest.py:9  t/a.py::test_y"
    )
    assert location(finding("t/a.py", None, "t/a.py")) == "t/a.py"
    assert location(finding(None, None, None)) == "<session>"


def test_tones_colour_failing_red_untested_yellow_verified_green() -> None:
    seams = [
        Seam(id=str(n), title=status, priority="P0", status=status, plan="P.md", line=n + 1)
        for n, status in enumerate(("failing", "untested", "verified"))
    ]
    report = Report.build(META, (), (), seams)
    tones = dict(term_lines(report, "full"))
    assert tones["  P0       failing   failing (P.md:1)"] == "bad"
    assert tones["  P0       untested  untested (P.md:2)"] == "warn"
    assert tones["  P0       verified  verified (P.md:3)"] == "good"
