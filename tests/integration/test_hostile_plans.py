"""Integration tests for hostile TEST_PLAN files: FIFOs, devices, huge, binary, odd names."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import COMPLETE_DOCSTRING, Compared

RunBoth = Callable[..., Compared]
PROJECT = {
    "tests/integration/test_checkout": f"""
import pytest

@pytest.mark.seam("Checkout API -> Order Service")
def test_checkout():
    {COMPLETE_DOCSTRING}
""",
}
GOOD_PLAN = "# Plan\n\n### SEAM: Checkout API → Order Service\n**Priority**: P0\n"
# Far longer than any plan needs, short enough for a broken implementation to be obvious.
GUARD_SECONDS = 60


def _guard_against_hangs(pytester: pytest.Pytester, *args: str) -> dict[str, Any]:
    """Run with pytest-seams in a subprocess with a timeout first: an implementation that
    blocks on the plan fails this test instead of hanging the suite."""
    result = pytester.runpytest_subprocess(
        "-p", "seams", "--seam-report=json:out.json", *args, timeout=GUARD_SECONDS
    )
    assert result.ret == pytest.ExitCode.OK, result.stdout.str() + result.stderr.str()
    report: dict[str, Any] = json.loads((pytester.path / "out.json").read_text())
    return report


def _problems(report: dict[str, Any]) -> list[str]:
    problems: list[str] = report["meta"]["problems"]
    return problems


def _titles(report: dict[str, Any]) -> list[str]:
    return [seam["title"] for seam in report["seams"]]


class TestPlansThatAreNotFiles:
    """Only regular files are read as plans; anything else is named in the report's problems.

    Seam Under Test:
        file system (FIFO, device, symlink) -> plan reader -> report meta problems
    """

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
    def test_fifo_plan_does_not_block(self, pytester: pytest.Pytester, run_both: RunBoth) -> None:
        """A FIFO named TEST_PLAN.md is reported, not read (reading it would wait forever).

        Integration Scope: plan discovery, non-blocking open and fstat, JSON report.
        Business Impact: A stray FIFO in a checkout used to hang CI after the tests passed.
        Success Criteria:
            - the run ends (within a subprocess timeout) with the plain run's exit status
            - report problems name TEST_PLAN.md as a FIFO; the real plan still gives its seam
        """
        pytester.makepyfile(**PROJECT)
        os.mkfifo(pytester.path / "TEST_PLAN.md")
        (pytester.path / "docs").mkdir()
        (pytester.path / "docs" / "TEST_PLAN.md").write_text(GOOD_PLAN)
        _guard_against_hangs(pytester)
        compared = run_both()
        problems = _problems(compared.report)
        assert any("TEST_PLAN.md is a FIFO" in problem for problem in problems), problems
        assert _titles(compared.report) == ["Checkout API → Order Service"]

    def test_plan_symlinked_to_dev_zero(self, pytester: pytest.Pytester, run_both: RunBoth) -> None:
        """A plan that is a symlink to /dev/zero is reported, not read until memory runs out.

        Integration Scope: plan discovery through a symlink, fstat of the opened device.
        Business Impact: One bad symlink must not take the CI machine's memory.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - report problems name the plan as a character device
        """
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero on this platform")
        pytester.makepyfile(**PROJECT)
        os.symlink("/dev/zero", pytester.path / "TEST_PLAN.md")
        _guard_against_hangs(pytester)
        compared = run_both()
        problems = _problems(compared.report)
        assert any("TEST_PLAN.md is a character device" in p for p in problems), problems
        assert compared.report["seams"] == []

    def test_dangling_symlink_plan(self, pytester: pytest.Pytester, run_both: RunBoth) -> None:
        """A plan that is a symlink to nothing is named with the system's reason.

        Integration Scope: plan discovery, stat of a broken symlink, JSON report.
        Business Impact: A moved plan must be visible in the report, not silently gone.
        Success Criteria: one problem naming TEST_PLAN.md and 'No such file or directory'.
        """
        pytester.makepyfile(**PROJECT)
        os.symlink("moved/TEST_PLAN.md", pytester.path / "TEST_PLAN.md")
        compared = run_both()
        assert _problems(compared.report) == [
            "could not read plan TEST_PLAN.md: No such file or directory"
        ]

    def test_directory_symlink_loop_is_not_followed(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A symlink from a folder to its parent does not make the plan search loop.

        Integration Scope: plan discovery walking the project tree.
        Business Impact: Symlink loops exist in real checkouts (node_modules, vendored trees).
        Success Criteria: the plan is found once and its seam is linked; no problems.
        """
        pytester.makepyfile(**PROJECT)
        (pytester.path / "docs").mkdir()
        (pytester.path / "docs" / "TEST_PLAN.md").write_text(GOOD_PLAN)
        os.symlink("..", pytester.path / "docs" / "loop")
        # pytest itself would collect the tests again through the loop: give it tests/ only.
        compared = run_both("tests")
        assert _titles(compared.report) == ["Checkout API → Order Service"]
        assert compared.report["seams"][0]["tests"] == [
            "tests/integration/test_checkout.py::test_checkout"
        ]
        assert _problems(compared.report) == []

    def test_plan_deeper_than_the_recursion_limit(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A plan 1,200 folders deep is found: the plan search keeps its own stack.

        Integration Scope: plan discovery walking the project tree, JSON report.
        Business Impact: os.walk recursed once per level and died with RecursionError.
        Success Criteria: the deep plan's seam is in the report; no problems.
        """
        pytester.makepyfile(**PROJECT)
        folders = ["deep"] + ["d"] * 1_200
        for depth in range(1, len(folders) + 1):  # os.makedirs itself recurses per level
            os.mkdir(pytester.path.joinpath(*folders[:depth]))
        pytester.path.joinpath(*folders, "TEST_PLAN.md").write_text(GOOD_PLAN)
        try:
            compared = run_both("tests")  # pytest itself is not asked to walk that deep
            assert _titles(compared.report) == ["Checkout API → Order Service"]
            assert _problems(compared.report) == []
        finally:  # removed bottom-up here: recursive removal would hit the limit too
            pytester.path.joinpath(*folders, "TEST_PLAN.md").unlink()
            for depth in range(len(folders), 0, -1):
                os.rmdir(pytester.path.joinpath(*folders[:depth]))


class TestPlansThatAreNotText:
    """Plans too large, binary or not UTF-8 are named in the problems, never half-read.

    Seam Under Test:
        plan bytes -> size limit and UTF-8 decoding -> report meta problems
    """

    def test_plan_over_the_size_limit(self, pytester: pytest.Pytester, run_both: RunBoth) -> None:
        """A plan larger than seam_plan_max_bytes is skipped with a problem naming the setting.

        Integration Scope: --seam-plan-max-bytes, plan reader, JSON report.
        Business Impact: A generated multi-megabyte plan must not cost every run seconds.
        Success Criteria:
            - the large plan is named with the limit and the setting to raise
            - a plan under the limit is still read
        """
        pytester.makepyfile(**PROJECT)
        (pytester.path / "TEST_PLAN.md").write_text(GOOD_PLAN)
        large = GOOD_PLAN + "".join(f"### SEAM: Part {n} → Store\n" for n in range(100))
        (pytester.path / "test_plan_large.md").write_text(large)
        compared = run_both(seams_args=("--seam-plan-max-bytes=1000",))
        problems = _problems(compared.report)
        assert problems == [
            "plan test_plan_large.md is larger than 1000 bytes and was not read: shorten it, "
            "or raise --seam-plan-max-bytes / seam_plan_max_bytes"
        ]
        assert _titles(compared.report) == ["Checkout API → Order Service"]

    @pytest.mark.parametrize(
        ("content", "named"),
        [
            (b"# SEAM: Caf\xe9 -> Till\n", "is not UTF-8 text (byte 0xe9 at offset 11)"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "holds NUL bytes"),
        ],
        ids=["latin-1", "binary"],
    )
    def test_plan_that_is_not_utf8_text(
        self, pytester: pytest.Pytester, run_both: RunBoth, content: bytes, named: str
    ) -> None:
        """A Latin-1 or binary plan is named in the problems, not read with replacement marks.

        Integration Scope: plan reader decoding, JSON report.
        Business Impact: Seam titles full of '�' would never match the tests' seam names.
        Success Criteria: one problem naming the file and why; no seams read from it.
        """
        pytester.makepyfile(**PROJECT)
        (pytester.path / "TEST_PLAN.md").write_bytes(content)
        compared = run_both()
        problems = _problems(compared.report)
        assert len(problems) == 1
        assert problems[0].startswith(f"plan TEST_PLAN.md {named}")
        assert compared.report["seams"] == []

    @pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux only")
    def test_plan_with_a_non_utf8_file_name(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A plan whose file name is not UTF-8 is read; its name is shown with \\xNN escapes.

        Integration Scope: plan discovery, path display, JSON report writing.
        Business Impact: One odd file name must not stop the report from being written.
        Success Criteria: the seam is read and linked; its plan is 'TEST_PLAN_\\xff.md'.
        """
        pytester.makepyfile(**PROJECT)
        name = os.path.join(os.fsencode(pytester.path), b"TEST_PLAN_\xff.md")
        try:
            with open(name, "wb") as stream:
                stream.write(GOOD_PLAN.encode())
        except OSError as error:  # e.g. a file system that only takes UTF-8 names
            pytest.skip(f"cannot create a non-UTF-8 file name here: {error}")
        compared = run_both()
        assert [seam["plan"] for seam in compared.report["seams"]] == ["TEST_PLAN_\\xff.md"]
        assert compared.report["seams"][0]["tests"] == [
            "tests/integration/test_checkout.py::test_checkout"
        ]


class TestPlanTextThatMisleads:
    """Entities and control characters neither drop a seam nor break a title over lines.

    Seam Under Test:
        Markdown entities -> plan parser -> one-line seam titles in the report
    """

    def test_entity_newline_in_heading_and_cell(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """'&#10;' in a seam heading or table cell keeps the seam, with a one-line title.

        Integration Scope: markdown-it entity decoding, heading and table seams, JSON report.
        Business Impact: A seam silently dropped from the plan is coverage nobody checks.
        Success Criteria:
            - all three seams are in the report
            - no title holds a newline, an escape or another control character
        """
        pytester.makepyfile(**PROJECT)
        plan = (
            "# Plan\n\n"
            "### SEAM&#10;: Checkout API → Order Service\n\n"
            "### SEAM: Cart&#10;&#27;[2J → Price Cache\n\n"
            "| Seam | Priority |\n|---|---|\n| Search&#10;API → Index&#133;Store | P1 |\n"
        )
        (pytester.path / "TEST_PLAN.md").write_text(plan)
        compared = run_both()
        titles = _titles(compared.report)
        assert len(titles) == 3, titles
        assert all(title.isprintable() for title in titles), titles
        assert titles[0] == "Checkout API → Order Service"
        assert compared.report["seams"][0]["tests"] == [
            "tests/integration/test_checkout.py::test_checkout"
        ]


class TestPlansThatTakeLong:
    """Inputs that made the parser or the glob matcher backtrack finish quickly.

    Seam Under Test:
        plan text and globs from settings -> plan parser / glob matcher -> report
    """

    def test_pathological_plan_and_globs_finish(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A 40 KB heading of dots, a 40 KB "-" run and "**/" thirty times in every glob are fast.

        Integration Scope: heading regexes, arrow splitting, glob matching of settings.
        Business Impact: These took from 45 seconds to forever; CI would time out.
        Success Criteria:
            - the run (guarded by a subprocess timeout) takes seconds, not minutes
            - the seams of the plan are all read, and the globs still match
        """
        pytester.makepyfile(**PROJECT)
        plan = (
            "### " + "." * 40_000 + "\n\n"
            "### SEAM" + "." * 40_000 + "seam.\n\n"
            "### SEAM: Checkout API → Order Service\n\n"
            "### SEAM: Cart "
            + "-" * 40_000
            + " Store\n\n"
            + "".join(f"### SEAM {n}: Part {n} → Store\n\nText.\n\n" for n in range(2_000))
        )
        (pytester.path / "TEST_PLAN.md").write_text(plan)
        deep = "**/" * 30
        globs = (
            f"--seam-plans={deep}TEST_PLAN.md",
            f"--seam-integration-paths={deep}integration/{deep}*.py",
            f"--seam-per-path-ignore={deep}nowhere/{deep}*.py: SEAM101",
        )
        started = time.perf_counter()
        report = _guard_against_hangs(pytester, *globs)
        assert time.perf_counter() - started < GUARD_SECONDS
        assert len(report["seams"]) == 2_002
        assert report["seams"][0]["tests"] == ["tests/integration/test_checkout.py::test_checkout"]
        assert report["tests"][0]["integration"] is True
        compared = run_both(seams_args=globs)
        assert len(compared.report["seams"]) == 2_002

    def test_deeply_nested_emphasis_is_a_plan_finding(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """Emphasis nested thousands deep is one plan finding; the other plans still count.

        Integration Scope: markdown-it tree building (recursive), plan findings, JSON report.
        Business Impact: A RecursionError in the plan parser must not cost the run its report.
        Success Criteria:
            - a SEAM601 finding on the deep plan saying it is nested too deeply
            - the seam of the other plan is read and linked
        """
        pytester.makepyfile(**PROJECT)
        (pytester.path / "TEST_PLAN.md").write_text(GOOD_PLAN)
        deep = "*" * 5_000 + "SEAM: a" + "*" * 5_000 + "\n"
        (pytester.path / "test_plan_deep.md").write_text(deep)
        compared = run_both()
        findings = [f for f in compared.report["findings"] if f["path"] == "test_plan_deep.md"]
        assert [f["code"] for f in findings] == ["SEAM601"]
        assert "nested too deeply" in findings[0]["message"]
        assert _titles(compared.report) == ["Checkout API → Order Service"]
