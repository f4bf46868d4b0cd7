"""Integration tests for a hostile cache: an unusable cache folder and corrupt cache entries."""

from __future__ import annotations

import json
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
import json
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

    def test_under_xdist_the_problem_is_named_once(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """Workers share the controller's unusable cache and analyse without it too.

        Integration Scope: pytest-xdist workers and controller, pytest_configure in each.
        Business Impact: Large suites run under xdist, where a crash in any worker's
            configure would fail the whole run.
        Success Criteria:
            - same outcomes as without pytest-seams, no INTERNALERROR
            - the problem is in the report once; every file is analysed
        """
        pytester.makepyfile(**PROJECT)
        (pytester.path / ".pytest_cache").write_text("not a folder")
        compared = run_both(*NO_CACHE_WARNINGS, "-n", "2", "-p", "no:randomly", subprocess=True)
        assert len(cache_problems(compared.report)) == 1
        assert compared.report["meta"]["analysis"]["files"] == 2
        assert {f["code"] for f in compared.report["findings"]} >= {"SEAM101", "SEAM201"}

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


CORRUPTIBLE = {
    "tests/integration/helpers_base": '''
class Base:
    def test_inherited(self):
        """Only a summary."""
        assert True
''',
    "tests/integration/test_inherit": """
from helpers_base import Base


class TestInherited(Base):
    pass
""",
    "tests/integration/test_flow": """
import json
import os


def test_undocumented():
    assert True


def test_env():
    '''Env.

    Integration Scope: x
    Success Criteria: z
    '''
    os.environ["SEAMS_HOSTILE_A"] = "1"
    os.environ["SEAMS_HOSTILE_B"] = "1"  # seams: ignore[SEAM201]
    assert True
""",
    "tests/unit/test_marked": """
import json
import os

import pytest


@pytest.mark.integration
def test_marked():
    os.environ["SEAMS_HOSTILE_C"] = "1"
""",
}

Plain = Any
AnalysisMutation = Callable[[Plain], Plain]


def _rows(change: Callable[[list[Any]], None]) -> AnalysisMutation:
    """A mutation of every finding row of an analysis in its ``to_plain`` form."""

    def mutate(analysis: Plain) -> Plain:
        for row in analysis[0]:
            change(row)
        return analysis

    return mutate


def _set(position: int, value: Any) -> AnalysisMutation:
    def mutate(analysis: Plain) -> Plain:
        analysis[position] = value
        return analysis

    return mutate


def _row_value(column: int, value: Any) -> AnalysisMutation:
    return _rows(lambda row: row.__setitem__(column, value))


ANALYSIS_MUTATIONS: dict[str, AnalysisMutation] = {
    "unknown-code": _row_value(0, "SEAM999"),
    "code-unhashable": _row_value(0, ["SEAM201"]),
    "code-number": _row_value(0, 201),
    "line-true": _row_value(1, True),
    "line-negative": _row_value(1, -3),
    "line-zero": _row_value(1, 0),
    "line-huge": _row_value(1, 10**12),
    "line-beyond-the-file": _row_value(1, 100_000),
    "line-float": _row_value(1, 12.0),
    "line-string": _row_value(1, "12"),
    "line-null": _row_value(1, None),
    "owner-number": _row_value(2, 5),
    "owner-kind-unknown": _row_value(3, "class"),
    "message-number": _row_value(4, 5),
    "target-list": _row_value(5, ["os"]),
    "fixable-string": _row_value(6, "yes"),
    "row-too-short": _rows(lambda row: row.pop()),
    "row-string": _set(0, ["SEAM201"]),
    "rows-object": _set(0, {"SEAM201": 12}),
    "marks-list-of-lists": _set(1, {"test_marked": [["integration"]]}),
    "marks-dict": _set(1, {"test_marked": {"integration": 1}}),
    "marks-string": _set(1, {"test_marked": "integration"}),
    "marks-list": _set(1, [["test_marked", "integration"]]),
    "comment-line-true": _set(2, [[True, None]]),
    "comment-line-negative": _set(2, [[-3, ["SEAM201"]]]),
    "comment-codes-nested": _set(2, [[1, [["SEAM201"]]]]),
    "comment-codes-string": _set(2, [[1, "SEAM201"]]),
    "error-number": _set(3, 5),
    "entry-calls-list": _set(4, [["test_marked", "httpx.Client"]]),
    "entry-calls-string": _set(4, {"test_marked": "httpx.Client"}),
    "entry-calls-numbers": _set(4, {"test_marked": [5]}),
    "analysis-object": lambda analysis: dict(zip("abcde", analysis, strict=True)),
    "analysis-too-long": lambda analysis: [*analysis, None],
    "analysis-null": lambda analysis: None,
    "analysis-true": lambda analysis: True,
    "analysis-number": lambda analysis: -3,
}


def _templates(change: Callable[[list[Any]], None]) -> Callable[[dict[str, Any]], None]:
    """A mutation of every stored finding template ([code, message id, line]) of a memo."""

    def mutate(memo: dict[str, Any]) -> None:
        for facts in memo["files"].values():
            for group, stored in facts.items():
                if group.startswith("tests:"):
                    for templates in stored.values():
                        for template in templates:
                            change(template)

    return mutate


def _verdicts(change: Callable[[list[Any]], None]) -> Callable[[dict[str, Any]], None]:
    """A mutation of every stored breach ([code, message, line]) of a memo's verdicts."""

    def mutate(memo: dict[str, Any]) -> None:
        for verdict in memo["verdicts"].values():
            for breach in verdict:
                change(breach)

    return mutate


def _lines(value: Any) -> Callable[[dict[str, Any]], None]:
    """Every stored docstring line set to ``value``; templates dropped, so lines are used."""

    def mutate(memo: dict[str, Any]) -> None:
        for facts in memo["files"].values():
            for group in [group for group in facts if group.startswith("tests:")]:
                del facts[group]
            for line in facts.get("lines", {}):
                facts["lines"][line] = value

    return mutate


def _memo_value(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda memo: memo.__setitem__(key, value)


MEMO_MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "template-unknown-code": _templates(lambda t: t.__setitem__(0, "SEAM999")),
    "template-code-unhashable": _templates(lambda t: t.__setitem__(0, ["SEAM101"])),
    "template-line-true": _templates(lambda t: t.__setitem__(2, True)),
    "template-line-negative": _templates(lambda t: t.__setitem__(2, -3)),
    "template-line-zero": _templates(lambda t: t.__setitem__(2, 0)),
    "template-line-huge": _templates(lambda t: t.__setitem__(2, 10**12)),
    "template-message-id-true": _templates(lambda t: t.__setitem__(1, True)),
    "template-message-id-negative": _templates(lambda t: t.__setitem__(1, -1)),
    "template-message-id-unknown": _templates(lambda t: t.__setitem__(1, 999)),
    "template-message-id-text": _templates(lambda t: t.__setitem__(1, "text")),
    "template-too-short": _templates(lambda t: t.pop()),
    "verdict-unknown-code": _verdicts(lambda b: b.__setitem__(0, "SEAM999")),
    "verdict-code-unhashable": _verdicts(lambda b: b.__setitem__(0, {"SEAM102": 1})),
    "verdict-line-negative": _verdicts(lambda b: b.__setitem__(2, -3)),
    "verdict-line-true": _verdicts(lambda b: b.__setitem__(2, True)),
    "verdict-line-text": _verdicts(lambda b: b.__setitem__(2, "3")),
    "verdict-message-number": _verdicts(lambda b: b.__setitem__(1, 5)),
    "verdict-not-a-list": lambda memo: memo["verdicts"].update(
        {key: {"SEAM102": "x", "a": None} for key in memo["verdicts"]}
    ),
    "verdict-string": lambda memo: memo["verdicts"].update(
        dict.fromkeys(memo["verdicts"], "SEAM102")
    ),
    "lines-negative": _lines([-3, -3]),
    "lines-zero": _lines([0, 0]),
    "lines-true": _lines([True, True]),
    "lines-huge": _lines([10**12, 10**12]),
    "messages-not-strings": _memo_value("messages", [5, None, ["x"]]),
    "files-a-list": _memo_value("files", [["tests/integration/test_flow.py"]]),
    "memo-a-list": lambda memo: memo.clear(),
}


class TestCorruptCacheEntries:
    """Cache files that hold valid JSON with the wrong content.

    Seam Under Test:
        .pytest_cache/d/seams-analysis (entries, file index, contract memo) -> warm session
    """

    def _first_run(self, pytester: pytest.Pytester) -> tuple[Path, dict[str, Any]]:
        pytester.makepyfile(**CORRUPTIBLE)
        settle(pytester.path)
        first = pytester.runpytest("-p", "seams", "--seam-report=json:first.json")
        assert first.ret == pytest.ExitCode.OK
        report = json.loads((pytester.path / "first.json").read_text())
        assert {f["code"] for f in report["findings"]} >= {"SEAM101", "SEAM102", "SEAM201"}
        return pytester.path / ".pytest_cache" / "d" / "seams-analysis", report

    def check_same_findings(self, run_both: RunBoth, first: dict[str, Any]) -> dict[str, Any]:
        compared = run_both()
        assert compared.seams.ret == pytest.ExitCode.OK
        assert findings_of(compared.report) == findings_of(first)
        return compared.report

    @pytest.mark.parametrize("mutation", ANALYSIS_MUTATIONS)
    def test_corrupt_analysis_entry_is_a_miss(
        self, pytester: pytest.Pytester, run_both: RunBoth, mutation: str
    ) -> None:
        """A per-file entry of the wrong content is re-analysed, never trusted.

        Integration Scope: AnalysisCache entries (xx/KEY.json) read after the file index is
            lost, the static analysis, the JSON report.
        Business Impact: A damaged cache must neither lose static findings nor invent ones
            that fail strict mode.
        Success Criteria:
            - the same findings as the first run; same outcomes as a plain run
            - the damaged entries were parsed again
        """
        folder, first = self._first_run(pytester)
        for index in folder.glob("index-*.json"):
            index.unlink()
        for entry in folder.glob("??/*.json"):
            damaged = ANALYSIS_MUTATIONS[mutation](json.loads(entry.read_text()))
            entry.write_text(json.dumps(damaged))
        report = self.check_same_findings(run_both, first)
        assert report["meta"]["analysis"]["parsed"] >= 1

    @pytest.mark.parametrize("mutation", ANALYSIS_MUTATIONS)
    def test_corrupt_file_index_is_a_miss(
        self, pytester: pytest.Pytester, run_both: RunBoth, mutation: str
    ) -> None:
        """An analysis of the wrong content in the file index is a miss.

        Integration Scope: FileIndex (index-main.json) read by a warm session, then the
            per-file entries, the JSON report.
        Business Impact: The index is read on every warm session; damage must not cost or
            invent findings.
        Success Criteria: the same findings as the first run; same outcomes as a plain run.
        """
        folder, first = self._first_run(pytester)
        index_file = folder / "index-main.json"
        index = json.loads(index_file.read_text())
        index["analyses"] = {
            key: ANALYSIS_MUTATIONS[mutation](analysis)
            for key, analysis in index["analyses"].items()
        }
        index_file.write_text(json.dumps(index))
        self.check_same_findings(run_both, first)

    @pytest.mark.parametrize("mutation", MEMO_MUTATIONS)
    def test_corrupt_contract_memo_is_a_miss(
        self, pytester: pytest.Pytester, run_both: RunBoth, mutation: str
    ) -> None:
        """Contract facts and verdicts of the wrong content are worked out again.

        Integration Scope: ContractMemo (contracts-*.json), the docstring contract check at
            collection, the JSON report.
        Business Impact: Docstring findings gate strict mode; a damaged memo must not drop or
            invent them.
        Success Criteria: the same findings as the first run; same outcomes as a plain run.
        """
        folder, first = self._first_run(pytester)
        (memo_file,) = folder.glob("contracts-*.json")
        memo = json.loads(memo_file.read_text())
        assert memo["verdicts"]  # the inherited test's docstring
        assert memo["files"]
        MEMO_MUTATIONS[mutation](memo)
        memo_file.write_text(json.dumps(memo))
        self.check_same_findings(run_both, first)

    @pytest.mark.parametrize(
        "damage", ["deep-nesting", "binary", "empty", "folder", "fifo", "huge-number"]
    )
    def test_unreadable_cache_files_are_misses(
        self, pytester: pytest.Pytester, run_both: RunBoth, damage: str
    ) -> None:
        """Cache files that are not JSON at all, or not files, are misses; none blocks.

        Integration Scope: every cache file (entries, index, memo) replaced, the warm session.
        Business Impact: A FIFO or a folder in place of a cache file must not hang or crash
            the session.
        Success Criteria: the same findings as the first run; same outcomes as a plain run.
        """
        if damage == "fifo" and not hasattr(os, "mkfifo"):
            pytest.skip("needs os.mkfifo")
        folder, first = self._first_run(pytester)
        for cache_file in [*folder.glob("*.json"), *folder.glob("??/*.json")]:
            cache_file.unlink()
            if damage == "folder":
                cache_file.mkdir()
            elif damage == "fifo":
                os.mkfifo(cache_file)
            else:
                cache_file.write_bytes(
                    {
                        "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
                        "binary": bytes(range(256)) * 4,
                        "empty": b"",
                        "huge-number": b"[" + b"9" * 5_000 + b"]",
                    }[damage]
                )
        if damage == "fifo":  # a regression would block: first in a child with a timeout
            alone = pytester.runpytest_subprocess("-p", "seams", timeout=120)
            assert alone.ret == pytest.ExitCode.OK
        self.check_same_findings(run_both, first)
