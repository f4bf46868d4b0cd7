"""Integration tests for the seams command on plans and saved reports: plan, report, combine,
check and scaffold, and lint in a project whose addopts need plugins it does not have."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest

PLAN = """\
# Shop test plan

## P0 - Must Have

### SEAM 1: Checkout API → Order Service

**Components:** Checkout API, Order Service, Database
**Business Impact:** Lost orders are lost revenue.
**Test Scenarios:**
- An order posted to the API is stored
- A rejected card leaves no order

### SEAM 2: Order Service → Payment Gateway

## P1 - Should Have

### SEAM 3: Cart → Price Cache

### SEAM 4: Search API → Query Parser
"""

DOCSTRING = '''"""{name} works end to end.

    Integration Scope: API -> service -> database
    Business Impact: Lost orders are lost revenue.
    Success Criteria: the {name} row exists
    """'''


def _test(name: str, seam: str | None, body: str = "assert len('ok') == 2") -> str:
    mark = f"@pytest.mark.seam({seam!r})\n" if seam else ""
    return f"\n{mark}def {name}():\n    {DOCSTRING.format(name=name)}\n    {body}\n"


def write_shop(pytester: pytest.Pytester) -> None:
    """Two P0 and two P1 seams; SEAM 4 untested, SEAM 2's test failing, one undocumented
    test, one env write; tests in two files."""
    (pytester.path / "TEST_PLAN.md").write_text(PLAN, encoding="utf-8")
    folder = pytester.path / "tests" / "integration"
    folder.mkdir(parents=True)
    (folder / "test_orders.py").write_text(
        "import os\nimport pytest\n"
        + _test("test_checkout", "Checkout API → Order Service")
        + _test("test_payment", "Order Service → Payment Gateway", "assert 1 + 1 == 3")
        + "\ndef test_undocumented():\n    os.environ['X'] = '1'\n    assert len('ok') == 2\n",
        encoding="utf-8",
    )
    (folder / "test_cart.py").write_text(
        "import pytest\n"
        + _test("test_cart", "Cart → Price Cache")
        + _test("test_cart_again", "Cart → Price Cache", "pytest.skip('later')"),
        encoding="utf-8",
    )


def seams(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.run(sys.executable, "-m", "pytest_seams.cli", *args)


def run_report(pytester: pytest.Pytester, name: str, *args: str) -> tuple[int, dict[str, Any]]:
    result = pytester.runpytest_subprocess(
        "-p", "seams", "-p", "no:randomly", f"--seam-report=json:{name}", *args
    )
    return int(result.ret), json.loads((pytester.path / name).read_text())


def without_meta(report: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in report.items() if key not in ("meta", "verdict")}


class TestShardedReports:
    """Combining the JSON reports of CI shards, and judging the combination.

    Seam Under Test:
        shard sessions -> JSON reports -> seams combine -> seams check / seams report
    """

    def test_combined_shards_equal_one_unsharded_run(self, pytester: pytest.Pytester) -> None:
        """The reports of two -k halves combine into the report of the whole run.

        Integration Scope: two sharded pytest sessions -> JSON reports -> combine.combine
            (worst outcome, selection, findings, links, statuses, summaries) -> JSON.
        Business Impact: Sharded CI jobs each see half the suite; without a faithful
            combination the gate, the summary and the annotations judge half a suite.
        Success Criteria:
            - each shard alone reports deselected tests and not-run seams
            - the combined report equals the unsharded one in tests (outcomes, selection,
              seams, checklists), findings, seams (links and statuses), summaries and counts
            - its meta sums the shards' analysis statistics
        """
        write_shop(pytester)
        _, full = run_report(pytester, "full.json")
        _, first = run_report(pytester, "a.json", "-k", "cart")
        _, second = run_report(pytester, "b.json", "-k", "not cart")
        assert [s["status"] for s in first["seams"]] == [
            "not-run",
            "not-run",
            "verified",
            "not-run",
        ]
        assert any(not test["selected"] for test in first["tests"])
        result = seams(pytester, "combine", "a.json", "b.json", "-o", "out/combined.json")
        assert result.ret == 0, result.stderr.str()
        assert "combined 2 reports into out/combined.json: 5 tests" in result.stderr.str()
        combined = json.loads((pytester.path / "out" / "combined.json").read_text())
        assert without_meta(combined) == without_meta(full)
        assert [s["status"] for s in combined["seams"]] == [
            "verified",
            "failing",
            "verified",
            "untested",
        ]
        analysed = first["meta"]["analysis"]["files"] + second["meta"]["analysis"]["files"]
        assert combined["meta"]["analysis"]["files"] == analysed

    def test_check_gives_the_gate_verdict_of_a_plain_run(self, pytester: pytest.Pytester) -> None:
        """seams check on combined shards fails on the same conditions as --seam-gate.

        Integration Scope: shard reports -> seams combine -> seams check (project ini
            settings, gate forced on) -> verdict.judge -> failed conditions and exit status.
        Business Impact: A sharded pipeline must fail exactly when an unsharded run would;
            a check that passes a failing P0 seam lets broken checkout code merge.
        Success Criteria:
            - the plain gated run fails with the failing-seams, p0-coverage and findings
              conditions; seams check prints the same conditions with the same messages
            - seams check exits 1; with the failures fixed (a report without them) it
              exits 0 and says the gate passed
            - an unreadable report is a usage error (exit 2) naming the file
        """
        write_shop(pytester)
        pytester.makeini("[pytest]\nseam_fail_under = P0:100\n")
        status, full = run_report(pytester, "full.json", "--seam-gate")
        assert status == 1
        failed = [c for c in full["verdict"]["conditions"] if not c["passed"]]
        assert [c["name"] for c in failed] == ["p0-coverage", "failing-seams", "findings"]
        run_report(pytester, "a.json", "-k", "cart")
        run_report(pytester, "b.json", "-k", "not cart")
        assert seams(pytester, "combine", "a.json", "b.json", "-o", "all.json").ret == 0
        check = seams(pytester, "check", "all.json")
        assert check.ret == 1, check.stderr.str()
        assert check.stdout.lines == [
            f"seams: gate failed: {c['name']}: {c['message']}" for c in failed
        ]
        passing = json.loads((pytester.path / "all.json").read_text())
        passing["findings"] = []
        passing["counts"] = {"error": 0, "warning": 0, "info": 0, "by_code": {}}
        for seam in passing["seams"]:
            seam["status"] = "verified"
        (pytester.path / "passing.json").write_text(json.dumps(passing))
        checked = seams(pytester, "check", "passing.json")
        assert checked.ret == 0, checked.stdout.str()
        assert checked.stdout.lines[-1].startswith("seams: gate passed (")
        (pytester.path / "broken.json").write_text('{"version": 1}')
        broken = seams(pytester, "check", "broken.json")
        assert broken.ret == 2
        assert "broken.json is not a pytest-seams JSON report" in broken.stderr.str()

    def test_report_renders_a_saved_report(self, pytester: pytest.Pytester) -> None:
        """seams report renders any registry format from a saved JSON report.

        Integration Scope: a session's JSON report -> seams report -> formats.FORMATS
            renderers -> stdout or a file.
        Business Impact: CI renders the combined report of its shards for the step summary
            and the artefacts; a format that cannot be rendered from JSON is lost there.
        Success Criteria:
            - every registry format renders (those taking a path to a file, terminal ones
              to stdout)
            - json without a path prints the same report back
            - an unknown format and a path after a terminal format are usage errors (2)
        """
        write_shop(pytester)
        run_report(pytester, "full.json")
        from pytest_seams.formats import FORMATS

        for name, entry in FORMATS.items():
            target = f"{name}:out/{name}.txt" if entry.takes_path else name
            result = seams(pytester, "report", "full.json", "--format", target)
            assert result.ret == 0, (name, result.stderr.str())
            if entry.takes_path:
                written = pytester.path / "out" / f"{name}.txt"
                if entry.directory:
                    written = written / "index.html"
                assert written.stat().st_size > 0, name
            elif entry.annotations:  # workflow commands, one per finding
                assert result.stdout.str().startswith("::"), name
            else:  # the terminal formats name the plan whose seams they count
                assert "TEST_PLAN.md" in result.stdout.str(), name
        printed = seams(pytester, "report", "full.json", "--format", "json")
        assert json.loads(printed.stdout.str()) == json.loads(
            (pytester.path / "full.json").read_text()
        )
        unknown = seams(pytester, "report", "full.json", "--format", "yaml")
        assert unknown.ret == 2
        assert "unknown report format 'yaml'" in unknown.stderr.str()
        pathed = seams(pytester, "report", "full.json", "--format", "term:x.txt")
        assert pathed.ret == 2
        assert "the term format is shown in the terminal and takes no path" in (pathed.stderr.str())


class TestPlansAndScaffold:
    """Listing the plans' seams and scaffolding a test module for one.

    Seam Under Test:
        TEST_PLAN.md -> plan parser -> seams plan / seams scaffold -> a test module
    """

    def test_plan_lists_seams_with_priority_and_place(self, pytester: pytest.Pytester) -> None:
        """seams plan lists every seam the plugin would read, as text and JSON.

        Integration Scope: plan discovery as the plugin does it -> plan.parse_plan ->
            seams plan (text, json), and plan files given by path.
        Business Impact: Writers of tests need the ids and titles to link their tests by;
            a list that disagrees with the plugin sends them to the wrong seam.
        Success Criteria:
            - one line per seam: priority, id, title, plan:line
            - --format json gives the same seams with components
            - a missing path is a usage error (2)
            - a folder given is searched for files named as seam_plans names them
        """
        write_shop(pytester)
        result = seams(pytester, "plan")
        assert result.ret == 0, result.stderr.str()
        assert result.stdout.lines == [
            "P0       checkout-api-order-service  Checkout API → Order Service  (TEST_PLAN.md:5)",
            "P0       order-service-payment-gateway  Order Service → Payment Gateway  "
            "(TEST_PLAN.md:13)",
            "P1       cart-price-cache  Cart → Price Cache  (TEST_PLAN.md:17)",
            "P1       search-api-query-parser  Search API → Query Parser  (TEST_PLAN.md:19)",
        ]
        listed = json.loads(
            seams(pytester, "plan", "--format", "json", "TEST_PLAN.md").stdout.str()
        )
        assert listed["seams"][0] == {
            "id": "checkout-api-order-service",
            "title": "Checkout API → Order Service",
            "priority": "P0",
            "plan": "TEST_PLAN.md",
            "line": 5,
            "components": ["Checkout API", "Order Service", "Database"],
        }
        assert listed["problems"] == []
        missing = seams(pytester, "plan", "NOPE.md")
        assert missing.ret == 2
        assert "no such file or directory: NOPE.md" in missing.stderr.str()
        # A folder given is searched for files named as seam_plans names them, wherever the
        # globs point: seam_plans = docs/TEST_PLAN.md still finds other/TEST_PLAN.md.
        (pytester.path / "other").mkdir()
        (pytester.path / "TEST_PLAN.md").rename(pytester.path / "other" / "TEST_PLAN.md")
        pytester.makeini("[pytest]\nseam_plans = docs/TEST_PLAN.md\n")
        in_folder = seams(pytester, "plan", "other")
        assert in_folder.ret == 0, in_folder.stderr.str()
        assert len(in_folder.stdout.lines) == 4
        assert in_folder.stdout.lines[0].endswith("(other/TEST_PLAN.md:5)")

    def test_scaffold_passes_the_contract_and_links(self, pytester: pytest.Pytester) -> None:
        """A scaffolded module passes the docstring contract and links to its seam.

        Integration Scope: TEST_PLAN.md -> seams scaffold -> test module on disk -> a real
            pytest session (docstring contract, static rules, seam linking).
        Business Impact: A scaffold that breaks the contract teaches the wrong template;
            one that does not link leaves its seam untested in the report.
        Success Criteria:
            - test_checkout_api_order_service_integration.py is written in the plan's folder
              with the plan's components, business impact and scenarios
            - the session reports no finding; the seam links to the test by marker and is
              failing until the test is written
            - a second scaffold exits 1 and leaves the file as it was; an unknown seam is a
              usage error (2)
        """
        write_shop(pytester)
        result = seams(pytester, "scaffold", "checkout-api-order-service")
        assert result.ret == 0, result.stderr.str()
        module = pytester.path / "test_checkout_api_order_service_integration.py"
        source = module.read_text(encoding="utf-8")
        assert "Checkout API → Order Service → Database" in source
        assert "Lost orders are lost revenue." in source
        assert "- A rejected card leaves no order" in source
        _, report = run_report(pytester, "scaffold.json", module.name)
        assert report["findings"] == []
        seam = report["seams"][0]
        nodeid = (
            f"{module.name}::TestCheckoutAPIOrderService::"
            "test_checkout_api_order_service_works_end_to_end"
        )
        assert [(link["nodeid"], link["reason"]) for link in seam["links"]] == [(nodeid, "marker")]
        assert seam["status"] == "failing"
        module.write_text("# mine\n", encoding="utf-8")
        again = seams(pytester, "scaffold", "Checkout API → Order Service")
        assert again.ret == 1
        assert "exists; not overwritten" in again.stderr.str()
        assert module.read_text(encoding="utf-8") == "# mine\n"
        unknown = seams(pytester, "scaffold", "no-such-seam")
        assert unknown.ret == 2
        assert "no seam 'no-such-seam' in the plans" in unknown.stderr.str()


class TestLintInPreCommit:
    """seams lint where pre-commit runs it: with none of the project's other plugins.

    Seam Under Test:
        the project's ini (addopts, required_plugins) -> project_settings -> lint findings
    """

    def test_lint_ignores_addopts_of_missing_plugins(self, pytester: pytest.Pytester) -> None:
        """An addopts naming a plugin that is not installed does not break lint.

        Integration Scope: pytest.ini (addopts -p of a missing plugin, required_plugins,
            seam_* keys) -> cli.project_settings -> the static rules and the contract.
        Business Impact: pre-commit installs pytest-seams alone; a lint that dies on the
            project's `-p xdist` blocks every commit.
        Success Criteria:
            - lint says once that it ignores addopts, naming the missing plugin
            - the seam_* ini keys still apply (an integration path of the project's own)
            - the findings are the env write and the missing docstring, exit 1; 0 with
              --exit-zero
        """
        pytester.makeini(
            "[pytest]\naddopts = -p not_installed_plugin_xyz\n"
            "required_plugins = pytest-not-installed\n"
            "seam_integration_paths = checks/**\n"
        )
        source = (
            "import os\n\ndef test_env():\n    os.environ['A'] = '1'\n    assert len('ok') == 2\n"
        )
        pytester.makepyfile(**{"checks/test_env": source})
        result = seams(pytester, "lint", "--no-cache")
        assert result.ret == 1, result.stderr.str()
        assert "ignoring addopts" in result.stderr.str()
        assert "not_installed_plugin_xyz" in result.stderr.str()
        assert [line.split(" [")[0] for line in result.stdout.lines] == [
            "checks/test_env.py:3: SEAM101",
            "checks/test_env.py:4: SEAM201",
        ]
        assert seams(pytester, "lint", "--no-cache", "--exit-zero").ret == 0

    def test_lint_renders_every_registry_format(self, pytester: pytest.Pytester) -> None:
        """seams lint renders its findings in every format of the report registry.

        Integration Scope: seams lint -> Report -> formats.FORMATS renderers -> stdout or
            the path after the format.
        Business Impact: CI runs lint for annotations and code scanning; a format the plugin
            writes and lint cannot is a pipeline that needs a full test run to lint.
        Success Criteria:
            - every format renders, file formats to their path, the others to stdout
            - the JSON rendering holds the env write and the contract finding
            - a path after a terminal format is a usage error (2)
        """
        from pytest_seams.formats import FORMATS

        source = (
            "import os\n\ndef test_env():\n    os.environ['A'] = '1'\n    assert len('ok') == 2\n"
        )
        pytester.makepyfile(**{"tests/integration/test_env": source})
        for name, entry in FORMATS.items():
            target = f"{name}:out/{name}.txt" if entry.takes_path else name
            result = seams(pytester, "lint", "--no-cache", "--format", target)
            assert result.ret == 1, (name, result.stderr.str())
            if entry.takes_path:
                written = pytester.path / "out" / f"{name}.txt"
                written = written / "index.html" if entry.directory else written
                assert written.stat().st_size > 0, name
            else:
                assert result.stdout.str().strip(), name
        report = json.loads((pytester.path / "out" / "json.txt").read_text())
        assert [(f["code"], f["line"]) for f in report["findings"]] == [
            ("SEAM101", 3),
            ("SEAM201", 4),
        ]
        wrong = seams(pytester, "lint", "--format", "term-missing:x")
        assert wrong.ret == 2
        assert "takes no path" in wrong.stderr.str()

    def test_lint_from_an_isolated_virtualenv(self, pytester: pytest.Pytester) -> None:
        """seams lint runs from a virtualenv holding pytest-seams and its dependencies only.

        Integration Scope: pip install of this checkout into a fresh venv (as pre-commit's
            language: python does) -> the seams entry point -> lint on a project whose
            addopts name xdist and a plugin that exists nowhere.
        Business Impact: The pre-commit hook is useless if it only works in the developer's
            own environment.
        Success Criteria:
            - the venv has no xdist and no pytest-randomly
            - lint exits 1 with the env-write finding, and says it ignores addopts
        """
        checkout = Path(__file__).resolve().parents[2]
        env = pytester.path / "venv"
        venv.create(env, with_pip=True)
        installed = subprocess.run(
            [str(env / "bin" / "pip"), "install", "-q", "--no-cache-dir", str(checkout)],
            capture_output=True,
            text=True,
        )
        if installed.returncode != 0:
            pytest.skip(f"pip could not install the checkout here: {installed.stderr[-500:]}")
        listed = subprocess.run(
            [str(env / "bin" / "pip"), "list"], capture_output=True, text=True, check=True
        ).stdout
        assert "pytest-seams" in listed
        assert "xdist" not in listed
        assert "randomly" not in listed
        project = pytester.path / "project"
        (project / "tests" / "integration").mkdir(parents=True)
        (project / "pytest.ini").write_text(
            "[pytest]\naddopts = -p xdist -n 2 -p not_installed_plugin_xyz\n"
        )
        (project / "tests" / "integration" / "test_env.py").write_text(
            'import os\n\ndef test_env():\n    """Env."""\n    os.environ["A"] = "1"\n'
        )
        linted = subprocess.run(
            [str(env / "bin" / "seams"), "lint", "--no-cache"],
            cwd=project,
            capture_output=True,
            text=True,
        )
        assert linted.returncode == 1, linted.stderr
        assert "SEAM201" in linted.stdout
        assert "ignoring addopts" in linted.stderr
