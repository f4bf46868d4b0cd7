"""Integration tests for a hostile cache: an unusable cache folder and corrupt cache entries."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import COMPLETE_DOCSTRING, Compared

RunBoth = Callable[..., Compared]

PROJECT = {
    "tests/integration/test_flow": f"""
import os

import pytest


def test_undocumented():
    assert True


@pytest.mark.parametrize("n", [1, 2])
def test_documented(n):
    {COMPLETE_DOCSTRING}


def test_env():
    '''Env.

    Integration Scope: x
    Business Impact: y
    Success Criteria: z
    '''
    os.environ["SEAMS_HOSTILE_CACHE"] = "1"
    assert True
""",
    "tests/integration/test_mocks": """
from unittest import mock


def test_mocked():
    '''Mocked.

    Integration Scope: x
    Business Impact: y
    Success Criteria: z
    '''
    with mock.patch("os.getcwd"):
        pass
""",
}

# pytest warns about its own unusable cache, and pytest-seams about its own: warnings are not
# outcomes, so the comparison with a plain run leaves them out.
NO_CACHE_WARNINGS = ("-W", "ignore::pytest.PytestCacheWarning")


def settle(root: Path, age: float = 100.0) -> None:
    """Date every Python file back, so that the file index keeps them (it skips fresh files)."""
    stamp = time.time() - age
    for file in root.rglob("*.py"):
        os.utime(file, (stamp, stamp))


def findings_of(report: dict[str, Any]) -> list[tuple[str, str, int | None, str]]:
    return sorted((f["code"], f["path"] or "", f["line"], f["message"]) for f in report["findings"])


def cache_problems(report: dict[str, Any]) -> list[str]:
    return [p for p in report["meta"]["problems"] if "analysis cache is off" in p]


class TestUnusableCacheFolder:
    """An analysis cache folder that cannot be created or written.

    Seam Under Test:
        pytest's cache_dir -> pytest_configure -> analysis without a cache -> report problems
    """

    @pytest.mark.parametrize(
        "trigger", ["pytest-cache-is-a-file", "analysis-folder-is-a-file", "cache-dir-in-proc"]
    )
    def test_session_runs_without_the_cache_and_names_the_problem(
        self, pytester: pytest.Pytester, run_both: RunBoth, trigger: str
    ) -> None:
        """An unusable cache folder is a warning and a report problem, never an INTERNALERROR.

        Integration Scope: pytest's cacheprovider, pytest_configure, the static analysis
            without a cache, the JSON report.
        Business Impact: A read-only checkout or a broken .pytest_cache must not stop every
            test of a team from running.
        Success Criteria:
            - same exit status and outcomes as without pytest-seams, no INTERNALERROR
            - meta.problems names the cache folder that could not be created
            - every file is still analysed (parsed, since nothing is cached)
        """
        pytester.makepyfile(**PROJECT)
        args: tuple[str, ...] = NO_CACHE_WARNINGS
        if trigger == "pytest-cache-is-a-file":
            (pytester.path / ".pytest_cache").write_text("not a folder")
        elif trigger == "analysis-folder-is-a-file":
            (pytester.path / ".pytest_cache" / "d").mkdir(parents=True)
            (pytester.path / ".pytest_cache" / "d" / "seams-analysis").write_text("a file")
        else:
            if not os.path.isdir("/proc/self"):
                pytest.skip("needs Linux's /proc, where no folder can be created")
            args += ("-o", "cache_dir=/proc/seams-no-such-cache")
        compared = run_both(*args)
        assert compared.seams.ret == pytest.ExitCode.OK
        problems = cache_problems(compared.report)
        assert len(problems) == 1, compared.report["meta"]["problems"]
        assert "seams-analysis" in problems[0]
        assert {f["code"] for f in compared.report["findings"]} >= {"SEAM101", "SEAM201"}
        assert compared.report["meta"]["analysis"]["parsed"] == 2

    @pytest.mark.skipif(
        sys.platform == "win32" or os.geteuid() == 0,
        reason="a read-only folder stops only non-root users on POSIX",
    )
    def test_read_only_cache_folder(self, pytester: pytest.Pytester, run_both: RunBoth) -> None:
        """A read-only .pytest_cache/d (a read-only checkout) is a report problem.

        Integration Scope: pytest's cacheprovider, pytest_configure, file permissions.
        Business Impact: CI images often mount the checkout read-only.
        Success Criteria: same outcomes as a plain run; the problem names the folder.
        """
        pytester.makepyfile(**PROJECT)
        folder = pytester.path / ".pytest_cache" / "d"
        folder.mkdir(parents=True)
        folder.chmod(0o555)
        try:
            compared = run_both(*NO_CACHE_WARNINGS)
        finally:
            folder.chmod(0o755)
        assert "seams-analysis" in cache_problems(compared.report)[0]

    def test_warns_like_pytest_and_survives_filterwarnings_error(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """The problem is a PytestCacheWarning; filterwarnings=error does not turn it into a
        failed session.

        Integration Scope: pytest's warnings plugin, filterwarnings, pytest_configure.
        Business Impact: Strict projects turn warnings into errors; a cache that only costs
            speed must still not stop their tests.
        Success Criteria:
            - without filters, the warning names the folder in pytest's warnings summary
            - with filterwarnings=error, same outcomes as a plain run and the report problem
        """
        pytester.makepyfile(**PROJECT)
        (pytester.path / ".pytest_cache" / "d").mkdir(parents=True)
        (pytester.path / ".pytest_cache" / "d" / "seams-analysis").write_text("a file")
        warned = pytester.runpytest("-p", "seams")
        warned.stdout.fnmatch_lines(["*PytestCacheWarning: the analysis cache is off*"])
        assert warned.ret == pytest.ExitCode.OK
        pytester.makeini("[pytest]\nfilterwarnings = error\n")
        compared = run_both()
        assert compared.seams.ret == pytest.ExitCode.OK
        assert len(cache_problems(compared.report)) == 1
