"""Integration tests for what warm sessions reuse: the file index and the docstring memo."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunJson

PROJECT = {
    "tests/integration/test_env": """
import os

def test_env():
    '''Env.

    Integration Scope: x
    Business Impact: y
    Success Criteria: z
    '''
    os.environ["SEAMS_WARM_DEMO"] = "1"  # seams: ignore[SEAM201]
    assert True
""",
    "tests/integration/test_docs": """
import pytest


@pytest.mark.parametrize("n", [1, 2])
def test_placeholders(n):
    '''Placeholders.

    Integration Scope: [List components being integrated]
    Business Impact: y
    '''
    assert n


def test_bare():
    assert True
""",
    "tests/unit/test_unit": "def test_unit():\n    assert 1\n",
}


def settle(root: Path, age: float = 100.0) -> None:
    """Date every Python file back, as files are when a session starts on a real project."""
    stamp = time.time() - age
    for file in root.rglob("*.py"):
        os.utime(file, (stamp, stamp))


def cache_dir(root: Path) -> Path:
    return root / ".pytest_cache" / "d" / "seams-analysis"


def finding_keys(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted((f["code"], f["nodeid"] or "", f["line"] or 0) for f in report["findings"])


class TestWarmSessions:
    """Warm sessions read nothing that did not change, and never trust a damaged cache.

    Seam Under Test:
        plugin -> file index + contract memo in .pytest_cache -> findings of the report
    """

    def test_unchanged_files_come_from_the_index_and_edits_are_seen(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Files whose size and mtime did not change are taken from the index, not re-read.

        Integration Scope: FileIndex, AnalysisCache, suppression comments from the analysis.
        Business Impact: A warm session must cost next to nothing on a large suite, yet an
            edited test file must never be judged by its old content.
        Success Criteria:
            - the warm session reports every file cached, with identical findings
            - an edited file is analysed again and its new finding and comment are seen
            - a damaged index falls back to the per-file cache with identical findings
        """
        pytester.makepyfile(**PROJECT)
        settle(pytester.path)
        _, cold = run_json("--collect-only")
        assert cold["meta"]["analysis"] == {"files": 3, "parsed": 3, "cached": 0, "failed": 0}
        assert "SEAM201" not in {f["code"] for f in cold["findings"]}  # suppressed by comment
        assert (cache_dir(pytester.path) / "index-main.json").is_file()

        _, warm = run_json("--collect-only")
        assert warm["meta"]["analysis"] == {"files": 3, "parsed": 0, "cached": 3, "failed": 0}
        assert finding_keys(warm) == finding_keys(cold)

        edited = pytester.path / "tests/integration/test_env.py"
        edited.write_text(
            edited.read_text().replace("  # seams: ignore[SEAM201]", "")
            + "\n\ndef test_more():\n    os.putenv('SEAMS_WARM_OTHER', '1')  # seams: ignore\n"
        )
        settle(pytester.path, age=50.0)
        _, after_edit = run_json("--collect-only")
        assert after_edit["meta"]["analysis"] == {
            "files": 3,
            "parsed": 1,
            "cached": 2,
            "failed": 0,
        }
        env_writes = [f for f in after_edit["findings"] if f["code"] == "SEAM201"]
        assert [f["nodeid"] for f in env_writes] == ["tests/integration/test_env.py::test_env"]

        (cache_dir(pytester.path) / "index-main.json").write_text('{"version": 3, "files": [')
        _, damaged = run_json("--collect-only")
        assert damaged["meta"]["analysis"]["cached"] == 3
        assert finding_keys(damaged) == finding_keys(after_edit)

    def test_entries_unused_for_30_days_are_pruned_and_used_ones_kept(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """The per-file cache does not grow with every edit: stale entries go, used ones stay.

        Integration Scope: AnalysisCache pruning, FileIndex, a session that parses an edit.
        Business Impact: Every edit adds a cache entry; without pruning, .pytest_cache grows
            for as long as the project lives.
        Success Criteria:
            - a session that analyses something deletes entries unused for 30 days, keeps
              recent ones and leaves the index and memo files alone
            - an old entry that a session reads (the index missed) is refreshed and kept
            - pruning runs at most once a day; a warm session never prunes
        """
        pytester.makepyfile(**PROJECT)
        settle(pytester.path)
        run_json("--collect-only")
        cache = cache_dir(pytester.path)
        entries = sorted(cache.glob("??/*.json"))
        assert len(entries) == 3
        old = time.time() - 40 * 86_400
        stale = cache / "ab" / ("ab" + "0" * 62 + ".json")
        stale.parent.mkdir(exist_ok=True)
        stale.write_text("{}")
        recent = cache / "cd" / ("cd" + "0" * 62 + ".json")
        recent.parent.mkdir(exist_ok=True)
        recent.write_text("{}")
        abandoned = stale.parent / f".{stale.name}.x1y2.tmp"  # a writer died mid-write
        abandoned.write_text("{")
        for path in (stale, abandoned, *entries):
            os.utime(path, (old, old))
        last_prune = cache / "last-prune"
        assert last_prune.is_file()  # the cold session pruned (nothing to delete)

        _, warm = run_json("--collect-only")
        assert warm["meta"]["analysis"]["parsed"] == 0
        assert stale.exists()  # a warm session does not prune

        os.utime(last_prune, (old, old))
        (cache / "index-main.json").unlink()  # the next session reads every entry, then prunes
        edited = pytester.path / "tests/unit/test_unit.py"
        edited.write_text(edited.read_text() + "\n\ndef test_more():\n    assert 2\n")
        settle(pytester.path)
        _, pruned = run_json("--collect-only")
        assert pruned["meta"]["analysis"] == {"files": 3, "parsed": 1, "cached": 2, "failed": 0}
        assert not stale.exists()
        assert not abandoned.exists()
        assert recent.exists()
        kept = set(cache.glob("??/*.json"))
        # The two entries read were refreshed and kept; the edited file's old entry, unused
        # for 40 days, went; its new entry and the recent one stay.
        assert len(kept & set(entries)) == 2
        assert len(kept) == 4
        assert (cache / "index-main.json").is_file()
        assert list(cache.glob("contracts-*.json"))

    def test_docstring_verdicts_are_reused_and_a_damaged_memo_is_ignored(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Docstring-contract verdicts and their lines come from the memo in warm sessions.

        Integration Scope: ContractMemo, the docstring contract, line finding for breaches.
        Business Impact: Checking thousands of docstrings on every session must not cost a
            parse of each; a damaged memo must not change a single finding.
        Success Criteria:
            - the memo holds the verdicts and lines after a cold session
            - warm findings (codes, tests, lines) equal cold ones
            - memo entries of the wrong shape, or a memo that is not JSON, give the same findings
        """
        pytester.makepyfile(**PROJECT)
        settle(pytester.path)
        _, cold = run_json("--collect-only")
        memos = list(cache_dir(pytester.path).glob("contracts-*.json"))
        assert len(memos) == 1
        memo = json.loads(memos[0].read_text())
        facts = memo["files"][str(pytester.path / "tests/integration/test_docs.py")]
        assert facts["lines"]  # where the breaching docstrings are
        assert any(group.startswith("tests:") for group in facts)
        docstring_codes = {f["code"] for f in cold["findings"] if f["category"] == "docstring"}
        assert docstring_codes == {"SEAM101", "SEAM102", "SEAM104"}

        _, warm = run_json("--collect-only")
        assert finding_keys(warm) == finding_keys(cold)

        wrong = [["SEAM999", 3, "x"]]
        memos[0].write_text(
            json.dumps(
                {
                    "verdicts": dict.fromkeys(memo["verdicts"], wrong),
                    "files": {
                        file: {
                            group: dict.fromkeys(entries, wrong)
                            if isinstance(entries, dict)
                            else entries
                            for group, entries in groups.items()
                        }
                        for file, groups in memo["files"].items()
                    },
                    "messages": memo["messages"],
                }
            )
        )
        _, wrong_shapes = run_json("--collect-only")
        assert finding_keys(wrong_shapes) == finding_keys(cold)

        memos[0].write_bytes(b"\x00garbage")
        _, garbage = run_json("--collect-only")
        assert finding_keys(garbage) == finding_keys(cold)
        assert not [f for f in garbage["findings"] if f["code"] == "SEAM000"]

    def test_a_warm_session_without_file_reports_loads_neither_parser_nor_pydantic(
        self, pytester: pytest.Pytester
    ) -> None:
        """What a warm session imports: the cost every session of every user pays.

        Integration Scope: plugin start-up, cached analysis, terminal report, a real subprocess.
        Business Impact: Importing libcst or pydantic costs more than a warm session's own work;
            they must load only for the work that needs them (parsing, file reports).
        Success Criteria:
            - after a cold session, a warm one imports neither libcst nor pydantic nor the plan
              parser nor the docstring parser, and still reports the same findings
            - a warm session writing a JSON report imports pydantic_core, not pydantic
        """
        pytester.makepyfile(**PROJECT)
        pytester.makeconftest(
            """
            import sys

            def pytest_terminal_summary(terminalreporter):
                loaded = sorted(
                    name
                    for name in (
                        "libcst",
                        "pydantic",
                        "pydantic_core",
                        "markdown_it",
                        "pytest_seams.plan",
                        "pytest_seams.mapping",
                        "pytest_seams.docstrings",
                    )
                    if name in sys.modules
                )
                terminalreporter.write_line("LOADED: [" + ",".join(loaded) + "]")
            """
        )
        settle(pytester.path)
        cold = pytester.runpytest_subprocess("-p", "seams", "--collect-only")
        cold.stdout.fnmatch_lines(["LOADED: [[]libcst*"])
        warm = pytester.runpytest_subprocess("-p", "seams", "--collect-only")
        warm.stdout.fnmatch_lines(["LOADED: [[][]]"])
        assert "SEAM104" in warm.stdout.str()
        with_json = pytester.runpytest_subprocess(
            "-p", "seams", "--collect-only", "--seam-report=json:out.json"
        )
        with_json.stdout.fnmatch_lines(["LOADED: [[]pydantic_core[]]"])
