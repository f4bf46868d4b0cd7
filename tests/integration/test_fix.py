"""Integration tests for ``seams fix``: env writes rewritten into monkeypatch calls, for real."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# A test file whose env writes leak: the last test sees what the earlier ones set.
LEAKY = """\
import os

import pytest


@pytest.fixture
def demo_config():
    # Configure the client for every test that asks.
    os.environ["SEAMS_FIX_FIXTURE"] = "on"
    yield "on"


def test_sets_variables(demo_config):
    os.environ["SEAMS_FIX_DEMO"] = "1"  # the flag under test
    os.environ.update(SEAMS_FIX_MODE="fast")
    assert os.environ["SEAMS_FIX_DEMO"] == "1"
    assert demo_config == os.environ["SEAMS_FIX_FIXTURE"]


class TestMethods:
    def test_removes_a_variable(self, tmp_path):
        os.environ["SEAMS_FIX_TEMP"] = str(tmp_path)
        os.environ.pop("SEAMS_FIX_TEMP")
        assert "SEAMS_FIX_TEMP" not in os.environ


def test_environment_is_clean():
    assert "SEAMS_FIX_DEMO" not in os.environ
    assert "SEAMS_FIX_FIXTURE" not in os.environ
    assert "SEAMS_FIX_MODE" not in os.environ
"""

FIXED = """\
import os

import pytest


@pytest.fixture
def demo_config(monkeypatch):
    # Configure the client for every test that asks.
    monkeypatch.setenv("SEAMS_FIX_FIXTURE", "on")
    yield "on"


def test_sets_variables(demo_config, monkeypatch):
    monkeypatch.setenv("SEAMS_FIX_DEMO", "1")  # the flag under test
    monkeypatch.setenv("SEAMS_FIX_MODE", "fast")
    assert os.environ["SEAMS_FIX_DEMO"] == "1"
    assert demo_config == os.environ["SEAMS_FIX_FIXTURE"]


class TestMethods:
    def test_removes_a_variable(self, tmp_path, monkeypatch):
        monkeypatch.setenv("SEAMS_FIX_TEMP", str(tmp_path))
        monkeypatch.delenv("SEAMS_FIX_TEMP")
        assert "SEAMS_FIX_TEMP" not in os.environ


def test_environment_is_clean():
    assert "SEAMS_FIX_DEMO" not in os.environ
    assert "SEAMS_FIX_FIXTURE" not in os.environ
    assert "SEAMS_FIX_MODE" not in os.environ
"""

# Forms seams fix must not touch, next to one it must.
MIXED = """\
import os

os.environ["SEAMS_AT_IMPORT"] = "1"


def set_from_helper():
    os.environ["SEAMS_IN_HELPER"] = "1"


def test_mixed():
    os.environ["SEAMS_FIXABLE"] = "1"
    os.environ.clear()
    os.environ = {}
    set_from_helper()
"""


def on_disk(source: str) -> str:
    """What ``pytester.makepyfile`` writes for a source: it strips the final newline."""
    return source.strip()


def seams_fix(pytester: pytest.Pytester, path: Path, *args: str) -> pytest.RunResult:
    """Run ``python -m pytest_seams.cli fix`` as a real subprocess."""
    return pytester.run(sys.executable, "-m", "pytest_seams.cli", "fix", str(path), *args)


class TestSeamsFix:
    """The ``seams fix`` command on real test files, and pytest on the result.

    Seam Under Test:
        seams CLI -> analysis walk (SEAM201) -> libcst rewrite -> file on disk -> pytest run
    """

    def test_default_prints_a_diff_and_leaves_the_file(self, pytester: pytest.Pytester) -> None:
        """Without --write, fix shows a unified diff, exits 1 and writes nothing.

        Integration Scope: CLI subprocess, file discovery, analysis walk, rewrite, diff output.
        Business Impact: CI can run ``seams fix`` as a check that fails while fixes are pending.
        Success Criteria:
            - exit status 1
            - a/b diff headers and the -/+ lines of the rewrite are printed
            - the file on disk is byte-for-byte unchanged
        """
        path = pytester.makepyfile(test_demo=LEAKY)
        result = seams_fix(pytester, path)
        assert result.ret == 1
        result.stdout.fnmatch_lines(
            [
                "--- a/test_demo.py",
                "+++ b/test_demo.py",
                "-def demo_config():",
                "+def demo_config(monkeypatch):",
                '-    os.environ["SEAMS_FIX_DEMO"] = "1"  # the flag under test',
                '+    monkeypatch.setenv("SEAMS_FIX_DEMO", "1")  # the flag under test',
                '+    monkeypatch.setenv("SEAMS_FIX_MODE", "fast")',
            ]
        )
        assert "not fixed" not in result.stdout.str()
        assert path.read_text() == on_disk(LEAKY)

    def test_write_fixes_the_leak_between_tests(self, pytester: pytest.Pytester) -> None:
        """--write rewrites the file, and the env no longer leaks into the next test.

        Integration Scope: pytest run of the leaky file, CLI --write, pytest run of the result.
        Business Impact: A fixed suite no longer passes or fails depending on test order.
        Success Criteria:
            - before the fix, the clean-environment test fails (the leak is real)
            - fix --write exits 0, reports the count and writes exactly the expected source
            - after the fix, all three tests pass in the same order
        """
        path = pytester.makepyfile(test_demo=LEAKY)
        before = pytester.runpytest_subprocess(str(path), "-p", "no:randomly")
        before.assert_outcomes(passed=2, failed=1)
        before.stdout.fnmatch_lines(["FAILED test_demo.py::test_environment_is_clean*"])

        result = seams_fix(pytester, path, "--write")
        assert result.ret == 0
        assert result.stdout.lines == ["fixed 5 env writes in test_demo.py"]
        assert path.read_text() == on_disk(FIXED)

        after = pytester.runpytest_subprocess(str(path), "-p", "no:randomly")
        after.assert_outcomes(passed=3)
        assert after.ret == pytest.ExitCode.OK

    def test_unfixable_forms_stay_and_say_why(self, pytester: pytest.Pytester) -> None:
        """Module level, helper, clear() and rebinding stay, each reported with its reason.

        Integration Scope: CLI subprocess, the rule's fixable judgement, rewrite, reporting.
        Business Impact: Developers must know which writes still need a hand-written fix.
        Success Criteria:
            - the fixable write is rewritten, the four others stay in the file
            - a "not fixed:" line with path, line and reason for each of the four
            - a second run prints no diff and exits 0, still listing the four
        """
        path = pytester.makepyfile(test_mixed=MIXED)
        result = seams_fix(pytester, path, "--write")
        assert result.ret == 0
        expected = (
            on_disk(MIXED)
            .replace("def test_mixed():", "def test_mixed(monkeypatch):")
            .replace(
                'os.environ["SEAMS_FIXABLE"] = "1"', 'monkeypatch.setenv("SEAMS_FIXABLE", "1")'
            )
        )
        assert path.read_text() == expected
        not_fixed = [
            "test_mixed.py:3: not fixed: * at module level no test owns the change.",
            "test_mixed.py:7: not fixed: * it is in a helper, *",
            "test_mixed.py:12: not fixed: os.environ.clear() * by hand with mock.patch.dict*",
            "test_mixed.py:13: not fixed: rebinding os.environ * by hand with monkeypatch.setattr*",
        ]
        result.stdout.fnmatch_lines(["fixed 1 env writes in test_mixed.py", *not_fixed])

        again = seams_fix(pytester, path)
        assert again.ret == 0
        assert "+++" not in again.stdout.str()
        again.stdout.fnmatch_lines(not_fixed)
        assert len(again.stdout.lines) == len(not_fixed)
