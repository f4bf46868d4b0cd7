"""Integration tests for the static rules, run by the plugin on real files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_seams.analysis.rules import RULE_TYPES
from tests.conftest import RunJson

SHOP = {
    "src/shop/__init__": "",
    "src/shop/cache": """
import json as serializer
import logging
import redis.asyncio as aioredis
from datetime import datetime

TTL = 60
log = logging.getLogger(__name__)


class PriceCache:
    def __init__(self):
        self.store = {}
""",
    "src/shop/pricing": "def with_tax(cents):\n    return cents\n",
    "src/shop/adapters/__init__": "",
    "src/shop/adapters/payments": "def charge(amount):\n    return amount\n",
}
PYPROJECT = """
[project]
name = "shop"
version = "0"

[tool.pytest.ini_options]
pythonpath = ["src"]
"""
STATIC = ("env-write", "internal-mock", "mock-hygiene", "assertion")


def static_findings(report: dict[str, Any]) -> list[tuple[str, int, str]]:
    return sorted(
        (f["path"], f["line"] or 0, f["code"])
        for f in report["findings"]
        if f["category"] in STATIC
    )


def make_shop(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(**SHOP)
    pytester.makefile(".toml", pyproject=PYPROJECT)


class TestStaticAnalysis:
    """The static rules inside a real pytest session.

    Seam Under Test:
        pytest collection -> file list -> libcst analysis -> first-party resolution -> report
    """

    def test_every_rule_example_is_found_in_real_files(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Each rule example, written as a real test module, gives exactly its marked findings.

        Integration Scope: collection, per-file analysis, first-party detection from
            pyproject.toml and src/, JSON report.
        Business Impact: The rules must hold on real files, not only on snippets in memory.
        Success Criteria:
            - every '# expect: CODE' line is reported with that code, at that line
            - nothing else of the rule's codes is reported for any example
        """
        make_shop(pytester)
        expected, codes_of_file = [], {}
        for rule in RULE_TYPES:
            codes = {code.code for code in rule.codes}
            for index, example in enumerate((*rule.INVALID, *rule.VALID)):
                name = f"tests/integration/test_{rule.__name__.lower()}_{index}"
                pytester.makepyfile(**{name: example})
                codes_of_file[f"{name}.py"] = codes
                for number, line in enumerate(example.strip("\n").splitlines(), start=1):
                    if "# expect:" in line:
                        code = line.split("# expect:")[1].strip()
                        assert code in codes
                        expected.append((f"{name}.py", number, code))
        result, report = run_json("--collect-only", subprocess=True)
        assert result.ret == pytest.ExitCode.OK
        found = [f for f in static_findings(report) if f[2] in codes_of_file[f[0]]]
        assert found == sorted(expected)
        assert report["meta"]["analysis"]["failed"] == 0

    def test_conftest_and_fixture_findings_attach_to_their_owner(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Env writes in conftest fixtures are found and attached to the fixture.

        Integration Scope: conftest.py discovery, owner tracking, node ids.
        Business Impact: Fixtures are where most environment leaks hide.
        Success Criteria: the fixture's write is reported with the fixture as owner.
        """
        pytester.makepyfile(
            **{
                "tests/integration/conftest": """
import os
import pytest

@pytest.fixture
def production():
    os.environ["MODE"] = "production"
    yield
""",
                "tests/integration/test_uses": """
def test_uses(production):
    '''Uses the fixture.

    Integration Scope: fixture
    Business Impact: none
    Success Criteria: passes
    '''
    assert True
""",
            }
        )
        _, report = run_json("--collect-only", subprocess=True)
        writes = [f for f in report["findings"] if f["code"] == "SEAM201"]
        assert [(w["path"], w["line"], w["nodeid"]) for w in writes] == [
            (
                "tests/integration/conftest.py",
                6,
                "tests/integration/conftest.py::production",
            )
        ]
        assert "monkeypatch.setenv" in writes[0]["message"]

    def test_a_test_module_without_tests_is_analysed_whoever_collects_it(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Modules with no tests are analysed too, even when a plugin makes their collectors.

        Integration Scope: module discovery during collection, a conftest's own module
            collector (pytest_pycollect_makemodule), the env-write rule at module level.
        Business Impact: A module-level environment write runs on import, tests or not; it must
            be found even when the project customises how modules are collected.
        Success Criteria: the module-level write of a module without tests is reported.
        """
        pytester.makepyfile(
            **{
                # Loaded during collection, after pytest-seams: its hook runs first.
                "tests/integration/conftest": """
import pytest

def pytest_pycollect_makemodule(module_path, parent):
    return pytest.Module.from_parent(parent, path=module_path)
""",
                "tests/integration/test_setup_only": 'import os\n\nos.environ["MODE"] = "x"\n',
            }
        )
        _, report = run_json("--collect-only")
        writes = [(f["path"], f["line"]) for f in report["findings"] if f["code"] == "SEAM201"]
        assert writes == [("tests/integration/test_setup_only.py", 3)]

    def test_boundaries_scope_and_unresolved_targets(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Boundary mocks pass, configured boundaries pass, unresolved targets are info.

        Integration Scope: first-party resolution through module imports, seam_boundaries,
            seam_internal_mock_scope, integration classification.
        Business Impact: False alarms on legitimate boundary mocks would make teams ignore
            the rule; silent passes on dynamic targets would hide real problems.
        Success Criteria:
            - a mock of a stdlib object reached through shop.cache is not flagged
            - a configured boundary module is not flagged; without the setting it is
            - a dynamic target is reported as SEAM302 info, never SEAM301
            - unit tests are only checked with scope 'all'
        """
        make_shop(pytester)
        test_code = """
from unittest.mock import patch

def test_mocks(name):
    '''Mocks.

    Integration Scope: x
    Business Impact: y
    Success Criteria: z
    '''
    with patch("shop.cache.serializer.dumps"), patch("shop.cache.datetime"):
        pass
    with patch("shop.adapters.payments.charge"):
        pass
    with patch(name):
        pass
    with patch("shop.cache.PriceCache"):
        pass
    assert True
"""
        pytester.makepyfile(
            **{"tests/integration/test_mocks": test_code, "tests/unit/test_unit": test_code}
        )
        _, report = run_json("--collect-only", subprocess=True)
        integration = "tests/integration/test_mocks.py"
        assert static_findings(report) == [
            (integration, 12, "SEAM301"),
            (integration, 14, "SEAM302"),
            (integration, 16, "SEAM301"),
        ]
        severities = {f["code"]: f["severity"] for f in report["findings"]}
        assert severities["SEAM302"] == "info"
        message = next(f["message"] for f in report["findings"] if f["line"] == 16)
        assert "shop.cache.PriceCache" in message
        assert "defined in first-party module shop.cache" in message

        _, report = run_json("--collect-only", "--seam-boundaries=shop.adapters.*", subprocess=True)
        assert static_findings(report) == [
            (integration, 14, "SEAM302"),
            (integration, 16, "SEAM301"),
        ]

        _, report = run_json("--collect-only", "--seam-internal-mock-scope=all", subprocess=True)
        unit = [f for f in static_findings(report) if f[0] == "tests/unit/test_unit.py"]
        assert [code for _, _, code in unit] == ["SEAM301", "SEAM302", "SEAM301"]


ENV_PROJECT = {
    "tests/integration/test_env": """
import os

def test_env():
    '''Env.

    Integration Scope: x
    Business Impact: y
    Success Criteria: z
    '''
    os.environ["SEAMS_CACHE_DEMO"] = "1"
    assert True
""",
    "tests/integration/test_quiet": "def test_quiet():\n    '''No sections.'''\n",
    "tests/unit/test_unit": "def test_unit():\n    assert 1\n",
}


class TestCacheAndWorkers:
    """The per-file cache and the xdist split of the analysis.

    Seam Under Test:
        analysis -> cache directory in .pytest_cache -> xdist workers -> controller report
    """

    def test_cache_hits_and_a_corrupt_entry_is_a_miss(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A warm run reads every file from the cache; corrupt entries are re-analysed.

        Integration Scope: AnalysisCache in pytest's cache directory, atomic writes, plugin.
        Business Impact: Warm runs must be nearly free, and a damaged cache must never
            break or change a run.
        Success Criteria:
            - the warm run parses nothing and gives the same findings
            - garbage in every cache entry gives the same findings, parsed again
            - -p no:cacheprovider gives the same findings without any cache
        """
        pytester.makepyfile(**ENV_PROJECT)
        _, cold = run_json("--collect-only")
        assert cold["meta"]["analysis"] == {"files": 3, "parsed": 3, "cached": 0, "failed": 0}
        _, warm = run_json("--collect-only")
        assert warm["meta"]["analysis"] == {"files": 3, "parsed": 0, "cached": 3, "failed": 0}
        assert warm["findings"] == cold["findings"]
        entries = list((pytester.path / ".pytest_cache").rglob("seams-analysis/*/*.json"))
        assert len(entries) == 3
        for index, entry in enumerate(entries):
            entry.write_bytes([b"", b"{not json", b'{"findings": 3}'][index % 3])
        _, repaired = run_json("--collect-only")
        assert repaired["meta"]["analysis"]["parsed"] == 3
        assert repaired["findings"] == cold["findings"]
        _, uncached = run_json("--collect-only", "-p", "no:cacheprovider")
        assert uncached["meta"]["analysis"] == {"files": 3, "parsed": 3, "cached": 0, "failed": 0}
        assert uncached["findings"] == cold["findings"]
        assert {f["code"] for f in cold["findings"]} >= {"SEAM201", "SEAM501", "SEAM102"}

    def test_each_file_is_parsed_once_across_xdist_workers(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Under -n 2 each file is analysed by one worker, and findings equal a plain run.

        Integration Scope: worker_share partitioning, workeroutput, controller merge.
        Business Impact: Large suites must not pay for the analysis once per worker.
        Success Criteria:
            - parses across workers equal the number of files, cold
            - findings equal those of a run without xdist and without cache
        """
        pytester.makepyfile(
            **ENV_PROJECT,
            **{
                f"tests/integration/test_more_{n}": f"def test_{n}():\n    assert {n} == {n}\n"
                for n in range(6)
            },
        )
        _, plain = run_json("-p", "no:cacheprovider", subprocess=True)
        _, distributed = run_json("-n", "2", subprocess=True)
        assert distributed["meta"]["analysis"] == {
            "files": 9,
            "parsed": 9,
            "cached": 0,
            "failed": 0,
        }
        assert distributed["findings"] == plain["findings"]


def test_lint_agrees_with_the_plugin(pytester: pytest.Pytester, run_json: RunJson) -> None:
    """``seams lint`` gives the plugin's static findings without a pytest session.

    Integration Scope: the seams command, pytest's reading of the project's ini settings,
        file discovery, the same engine, cache and suppressions.
    Business Impact: Editors and pre-commit hooks run lint; it must not disagree with CI.
    Success Criteria:
        - lint's JSON findings equal the plugin's static and suppression findings, for
          integration tests known by path and by marks written in the source (function,
          class, pytestmark)
        - the project's seam_* settings apply: an integration path and a boundary from
          pyproject.toml
        - comments on the finding's line and on the test's def line suppress; an unused one is
          SEAM001 in both; a comment for a docstring code suppresses in both
        - lint's docstring-contract findings equal the plugin's
        - exit status 1 because of the env-write error; 2 for a missing path or a bad rootdir
    """
    pytester.makepyfile(**SHOP)
    pytester.makefile(
        ".toml",
        pyproject=PYPROJECT
        + 'seam_integration_paths = ["**/integration/**", "**/contract/**"]\n'
        + 'seam_boundaries = ["shop.adapters.*"]\n',
    )
    pytester.makepyfile(
        **ENV_PROJECT,
        **{
            "tests/integration/test_mocks": """
import os
from unittest.mock import patch

@patch("shop.cache.PriceCache")
def test_mocked(cache):  # seams: ignore[SEAM501]
    pass

def test_env_on_def_line():  # seams: ignore[SEAM201, SEAM101]
    os.environ["X"] = "1"
    assert True

def test_nothing_to_ignore():
    assert True  # seams: ignore[SEAM201]
""",
            "tests/contract/test_contract": """
from unittest.mock import patch

def test_contract():
    with patch("shop.pricing.with_tax"), patch("shop.adapters.payments.charge"):
        assert True
""",
            "tests/unit/test_marked": """
import pytest
from pytest import mark
from unittest.mock import patch

pytestmark = [pytest.mark.slow]

@mark.integration
def test_marked():
    with patch("shop.pricing.with_tax"):
        assert True

@pytest.mark.integration
class TestMarkedClass:
    def test_in_class(self):
        with patch("shop.pricing.with_tax"):
            assert True

def test_unmarked():
    with patch("shop.pricing.with_tax"):
        assert True
""",
        },
    )
    _, report = run_json("--collect-only", subprocess=True)
    plugin = [f for f in report["findings"] if f["category"] in (*STATIC, "suppression")]
    lint = pytester.run(sys.executable, "-m", "pytest_seams.cli", "lint", "--format=json", "tests")
    assert lint.ret == 1
    linted = json.loads(lint.stdout.str())["findings"]
    # The docstring contract too: the same findings (code, line, node id) as the plugin's.
    judged = (*STATIC, "suppression", "docstring")
    assert linted == [f for f in report["findings"] if f["category"] in judged]
    assert [f for f in linted if f["category"] in (*STATIC, "suppression")] == plugin
    assert {f["code"] for f in linted if f["category"] == "docstring"} == {"SEAM101", "SEAM102"}
    marked = sorted(f["nodeid"] for f in plugin if f["path"] == "tests/unit/test_marked.py")
    assert marked == [
        "tests/unit/test_marked.py::TestMarkedClass::test_in_class",
        "tests/unit/test_marked.py::test_marked",
    ]
    assert {f["code"] for f in plugin} == {"SEAM001", "SEAM201", "SEAM301", "SEAM501"}
    assert [(f["path"], f["line"]) for f in plugin if f["code"] == "SEAM001"] == [
        ("tests/integration/test_mocks.py", 13)
    ]
    assert [f["nodeid"] for f in plugin if f["path"] == "tests/contract/test_contract.py"] == [
        "tests/contract/test_contract.py::test_contract"
    ]
    mocks = [f["code"] for f in plugin if f["path"] == "tests/integration/test_mocks.py"]
    assert sorted(mocks) == ["SEAM001", "SEAM301"]  # SEAM501 and SEAM201 suppressed
    missing = pytester.run(sys.executable, "-m", "pytest_seams.cli", "lint", "nowhere")
    assert missing.ret == 2
    assert "no such file or directory: nowhere" in missing.stderr.str()
    bad_root = pytester.run(
        sys.executable, "-m", "pytest_seams.cli", "lint", "--rootdir=no", "tests"
    )
    assert bad_root.ret == 2  # pytest's own usage error, as one line
    assert "seams: error:" in bad_root.stderr.str()
    assert "rootdir" in bad_root.stderr.str()
    assert Path(pytester.path / ".pytest_cache").exists()


def test_unparsable_file_is_reported_not_fatal(pytester: pytest.Pytester) -> None:
    """A file the analysis cannot parse becomes one SEAM003 warning; the rest is still checked.

    Integration Scope: the seams lint command, ProjectAnalysis, the cache of failures.
    Business Impact: A broken file must not hide the findings of every other file.
    Success Criteria:
        - SEAM003 names the broken file and says why; the env write elsewhere is still found
        - lint exits 2 (trouble), not 1: the broken file's findings are unknown
        - the failure is cached like any result and reported again on the next run
    """
    pytester.makepyfile(
        **{
            "tests/integration/test_broken": "def test(:\n    pass\n",
            "tests/integration/test_env": "import os\n\nos.environ['X'] = '1'\n",
        }
    )
    for _ in range(2):
        lint = pytester.run(
            sys.executable, "-m", "pytest_seams.cli", "lint", "--format=json", "tests"
        )
        found = {(f["code"], f["path"]): f for f in json.loads(lint.stdout.str())["findings"]}
        broken = found[("SEAM003", "tests/integration/test_broken.py")]
        assert broken["severity"] == "warning"
        assert "cannot parse" in broken["message"]
        assert ("SEAM201", "tests/integration/test_env.py") in found
        assert lint.ret == 2  # trouble: the broken file's findings are unknown
