"""Integration tests for the evidence pipeline: every process's evidence reaches the report."""

from __future__ import annotations

import pytest

from tests.conftest import RunJson

# A plugin object whose attribute access fails, as a lazily importing module proxy's does when
# its import fails: pytest-seams' collection step that reads plugins' __file__ raises on it.
LAZY_PLUGIN_CONFTEST = '''
class LazyModule:
    """A module proxy that imports on first attribute access."""

    def __getattr__(self, name):
        raise ImportError(f"lazy module failed to load on {name}")


def pytest_configure(config):
    config.pluginmanager.register(LazyModule(), "lazy")
'''

PROJECT = {
    "conftest": LAZY_PLUGIN_CONFTEST,
    "tests/integration/test_flow": "def test_one():\n    pass\n\ndef test_two():\n    pass\n",
}


def _without_meta(report: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in report.items() if key != "meta"}


class TestWorkerEvidence:
    """What an xdist worker learned, its own failures included, reaches the controller.

    Seam Under Test:
        xdist worker evidence -> workeroutput -> controller merge -> build_report -> JSON
    """

    def test_internal_error_in_a_worker_reaches_the_report(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """An exception inside pytest-seams in an xdist worker is a SEAM000 finding, as without
        xdist.

        Integration Scope: a conftest plugin that breaks pytest-seams' collection step, real
            xdist workers (-n 2), worker evidence, controller merge, JSON report.
        Business Impact: A plugin failure inside a worker was silently lost: the report said
            "0 errors" while a single process reported the failure.
        Success Criteria:
            - with -n 2 the report holds one SEAM000 finding naming the phase and the cause
            - findings, tests and counts equal those of -n 0; partial and problems agree
            - the tests still pass; the terminal names the error once
        """
        pytester.makepyfile(**PROJECT)
        plain_result, plain = run_json("-n", "0", subprocess=True)
        plain_result.assert_outcomes(passed=2)
        (pytester.path / "out.json").unlink()
        result, distributed = run_json("-n", "2", subprocess=True)
        result.assert_outcomes(passed=2)
        internal = [f for f in distributed["findings"] if f["code"] == "SEAM000"]
        assert len(internal) == 1
        assert internal[0]["category"] == "internal-error"
        assert internal[0]["severity"] == "error"
        assert internal[0]["message"].startswith(
            "pytest-seams failed while collecting (ImportError: lazy module failed to load on "
            "__file__); this part was not checked."
        )
        assert distributed["counts"] == {
            "error": 1,
            "warning": 0,
            "info": 0,
            "by_code": {"SEAM000": 1},
        }
        assert _without_meta(distributed) == _without_meta(plain)
        assert distributed["meta"]["xdist_workers"] == 2
        assert distributed["meta"]["partial"] is plain["meta"]["partial"] is False
        assert distributed["meta"]["problems"] == plain["meta"]["problems"] == []
        assert result.stdout.str().count("pytest-seams failed while collecting") == 1
        result.stdout.fnmatch_lines(["seams: 1 error, 0 warnings in 0 tests*"])

    def test_worker_problems_reach_the_report_once(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A problem every worker meets (an unusable cache folder) is named once, as without
        xdist.

        Integration Scope: pytest's cache_dir pointing at a file, real xdist workers (-n 2),
            worker evidence problems, controller merge, JSON report meta.
        Business Impact: Problems must be neither lost nor repeated once per worker.
        Success Criteria:
            - meta.problems is one problem, the cache's, with -n 0 and -n 2; partial is true
        """
        pytester.makepyfile(
            **{"tests/integration/test_flow": "def test_one():\n    pass\n"},
        )
        (pytester.path / "blocked").write_text("a file where pytest's cache folder should be\n")
        plain_result, plain = run_json("-n", "0", "-o", "cache_dir=blocked", subprocess=True)
        plain_result.assert_outcomes(passed=1)
        (pytester.path / "out.json").unlink()
        result, distributed = run_json("-n", "2", "-o", "cache_dir=blocked", subprocess=True)
        result.assert_outcomes(passed=1)
        # The problem names pytest's own temporary folder, a new name in each process.
        expected = "the analysis cache is off for this session: cannot create"
        for report in (plain, distributed):
            assert len(report["meta"]["problems"]) == 1
            assert report["meta"]["problems"][0].startswith(expected)
            assert report["meta"]["partial"] is True
