"""Integration tests for robustness: plugin combinations, broken input, our own failures."""

from __future__ import annotations

import pytest

from tests.conftest import COMPLETE_DOCSTRING, RunJson, codes_by_test

PROJECT = {
    "tests/integration/test_flow": f"""
def test_undocumented():
    pass

def test_documented():
    {COMPLETE_DOCSTRING}
""",
}


class TestRobustness:
    """pytest-seams next to other plugins and faced with broken input.

    Seam Under Test:
        pytest plugin manager / collection errors -> pytest-seams hooks -> report
    """

    @pytest.mark.parametrize(
        "args",
        [
            ["--collect-only"],
            ["-p", "no:cacheprovider"],
            ["-p", "no:randomly"],
            ["--randomly-seed=1"],
            ["--randomly-seed=12345"],
        ],
        ids=["collect-only", "no-cacheprovider", "no-randomly", "seed-1", "seed-12345"],
    )
    def test_same_findings_with_other_plugins(
        self, pytester: pytest.Pytester, run_json: RunJson, args: list[str]
    ) -> None:
        """Collect-only, no cache provider, and any random order give the same findings.

        Integration Scope: pytest-seams hooks alongside cacheprovider and pytest-randomly.
        Business Impact: Teams run these combinations in CI; results must not depend on them.
        Success Criteria: the single SEAM101 finding and both tests appear in every case.
        """
        pytester.makepyfile(**PROJECT)
        result, report = run_json(*args)
        assert result.ret == pytest.ExitCode.OK
        assert codes_by_test(report) == {"test_undocumented": ["SEAM101"]}
        assert [t["nodeid"] for t in report["tests"]] == [
            "tests/integration/test_flow.py::test_undocumented",
            "tests/integration/test_flow.py::test_documented",
        ]

    def test_syntax_error_stays_a_collection_error(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A test module with a syntax error is pytest's collection error, not ours.

        Integration Scope: pytest collection errors, pytest-seams report after interruption.
        Business Impact: Users must see the real error in their file, not a plugin crash.
        Success Criteria:
            - pytest reports the collection error and exits 2; no INTERNALERROR
            - the report is still written for what was collected
        """
        pytester.makepyfile(**PROJECT, **{"tests/integration/test_broken": "def test(:\n"})
        result, report = run_json()
        assert result.ret == pytest.ExitCode.INTERRUPTED
        result.stdout.fnmatch_lines(["*ERROR collecting tests/integration/test_broken.py*"])
        assert "INTERNALERROR" not in result.stdout.str()
        assert not [f for f in report["findings"] if f["code"] == "SEAM000"]

    def test_plugin_failure_becomes_a_finding_and_the_session_continues(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """An exception inside pytest-seams becomes one internal-error finding.

        Integration Scope: the guard around pytest-seams' per-test work, JSON report.
        Business Impact: A bug in the plugin must never cost a team its test results.
        Success Criteria:
            - one SEAM000 internal-error finding naming the test, with a short traceback
            - the tests still run and pass; other tests are still checked
        """
        pytester.makepyfile(
            **PROJECT,
            **{
                "tests/integration/test_weird": f"""
class Hostile(type):
    @property
    def __doc__(cls):
        raise RuntimeError("no docstring for you")

class TestHostile(metaclass=Hostile):
    def test_inside(self):
        {COMPLETE_DOCSTRING}
"""
            },
        )
        result, report = run_json()
        result.assert_outcomes(passed=3)
        internal = [f for f in report["findings"] if f["code"] == "SEAM000"]
        assert len(internal) == 1
        assert internal[0]["category"] == "internal-error"
        assert internal[0]["nodeid"].endswith("TestHostile::test_inside")
        assert "no docstring for you" in internal[0]["message"]
        assert "Traceback" in internal[0]["message"]
        assert codes_by_test(report)["test_undocumented"] == ["SEAM101"]

    def test_loads_by_name_with_plugin_autoload_disabled(
        self, pytester: pytest.Pytester, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``pytest -p seams`` works when entry-point autoloading is disabled.

        Integration Scope: the pytest11 entry point named seams, pytest's -p loading.
        Business Impact: Hardened CI setups disable autoload and name their plugins.
        Success Criteria: the report is produced with the expected finding.
        """
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        pytester.makepyfile(**PROJECT)
        result, report = run_json(subprocess=True)
        assert result.ret == pytest.ExitCode.OK
        assert "randomly" not in result.stdout.str()
        assert codes_by_test(report) == {"test_undocumented": ["SEAM101"]}
