"""Integration tests for the pre-merge checklist: each item's pass, fail and unknown."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunJson

DOC = '''"""{summary}

    Integration Scope: API -> orders -> ledger
    Business Impact: Lost orders are lost revenue.
    Success Criteria: the order is stored
    """'''

PLAN = """\
# Plan

### 1. SEAM: Checkout → Ledger

**Priority**: P0

### 2. SEAM: Search Index

**Priority**: Deferred

### 3. SEAM: Audit Log

Written when an order changes.
"""

CONFTEST = """\
import pytest


@pytest.fixture
def client():
    return {"status": 200}


@pytest.fixture
def logged_in(client):
    return client


@pytest.fixture
def fakeredis():
    return {}
"""

SHOP = "def place(order):\n    return order\n"

CLITOOLS = """\
class CliRunner:
    def invoke(self):
        return 0
"""


def _test(name: str, body: str, *, args: str = "", doc: str | None = "Runs.") -> str:
    docstring = f"    {DOC.format(summary=doc)}\n" if doc is not None else ""
    return f"def {name}({args}):\n{docstring}{body}\n\n"


FLOWS = (
    '"""Flows of the shop."""\n\n'
    "from unittest import mock\n\n"
    "import clitools\n"
    "import pytest\n\n\n"
    + "@pytest.mark.seam('Checkout → Ledger')\n"
    + _test(
        "test_linked_p0", "    assert logged_in and fakeredis == {}", args="logged_in, fakeredis"
    )
    + "@pytest.mark.seam('Search Index')\n"
    + _test("test_deferred", "    assert client", args="client")
    + "@pytest.mark.seam('Audit Log')\n"
    + _test("test_no_priority", "    assert client", args="client")
    + _test("test_unlinked", "    assert clitools.CliRunner().invoke() == 0")
    + _test("test_outside_in_missing", "    assert 1 + 1 == 2")
    + _test(
        "test_mocks_first_party",
        "    with mock.patch('shop.orders.place'):\n        assert client",
        args="client",
    )
    + _test(
        "test_mock_unresolved",
        "    target = 'shop.orders.' + 'place'\n"
        "    with mock.patch(target):\n        assert client",
        args="client",
    )
    + _test("test_no_check", "    client.get('status')", args="client")
    + _test("test_undocumented", "    assert client", args="client", doc=None)
)

UNPARSABLE = '"""Seam Under Test: API -> orders"""\n\n\n' + _test(
    "test_deep", "    text = (" + " ".join(["'a'"] * 1_500) + ")\n    assert text"
)

MARKED = "import pytest\n\n\n@pytest.mark.integration\n" + _test(
    "test_marked", "    assert client", args="client"
)

CheckList = dict[int, tuple[str, str]]


def _project(pytester: pytest.Pytester, *, plan: bool = True) -> None:
    pytester.makeini("[pytest]\nseam_infer_links = false\n")
    pytester.syspathinsert()  # shop and clitools, the project's own code
    files = {
        "shop/__init__.py": "",
        "shop/orders.py": SHOP,
        "clitools.py": CLITOOLS,
        "tests/integration/conftest.py": CONFTEST,
        "tests/integration/test_flows.py": FLOWS,
        "tests/integration/test_deep.py": UNPARSABLE,
        "tests/other/conftest.py": CONFTEST,
        "tests/other/test_marked.py": MARKED,
    }
    if plan:
        files["tests/TEST_PLAN.md"] = PLAN
    else:
        (pytester.path / "tests" / "TEST_PLAN.md").unlink(missing_ok=True)
    for path, text in files.items():
        target = pytester.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _checklists(report: dict[str, Any]) -> dict[str, CheckList]:
    """Test name -> item number -> (status, reason)."""
    return {
        test["nodeid"].rpartition("::")[2]: {
            item["number"]: (item["status"], item["reason"]) for item in test["checklist"]
        }
        for test in report["tests"]
        if test["checklist"]
    }


def _status(checklists: dict[str, CheckList], number: int) -> dict[str, str]:
    return {name: items[number][0] for name, items in checklists.items()}


@pytest.fixture
def with_plan(pytester: pytest.Pytester, run_json: RunJson) -> dict[str, CheckList]:
    """The checklists of the sample project, with its TEST_PLAN.md."""
    _project(pytester)
    result, report = run_json()
    result.assert_outcomes(passed=11)
    return _checklists(report)


@pytest.fixture
def without_plan(pytester: pytest.Pytester, run_json: RunJson) -> dict[str, CheckList]:
    """The checklists of the sample project without a plan."""
    _project(pytester, plan=False)
    result, report = run_json()
    result.assert_outcomes(passed=11)
    return _checklists(report)


class TestChecklistItems:
    """Each checklist item, passed, failed and unknown, in a real session's JSON report.

    Seam Under Test:
        collection (fixture closure, docstrings) + static analysis + plans -> checklist
    """

    def test_every_integration_test_has_seven_items(self, with_plan: dict[str, CheckList]) -> None:
        """Only integration tests carry a checklist, of seven numbered items.

        Integration Scope: pytest session, collection facts, report building, JSON report.
        Business Impact: The gate and the reviewers read the checklist per test from the JSON.
        Success Criteria:
            - the eleven integration tests of the project each have items 1 to 7
        """
        assert len(with_plan) == 11
        assert all(sorted(items) == list(range(1, 8)) for items in with_plan.values())

    def test_item_1_identifies_a_critical_seam(
        self, with_plan: dict[str, CheckList], without_plan: dict[str, CheckList]
    ) -> None:
        """Linked to a plan seam or naming one in Seam Under Test passes; neither fails.

        Integration Scope: seam marker, plan parser, module docstring, checklist item 1.
        Business Impact: A test that covers no named seam protects no known integration.
        Success Criteria:
            - a test linked by its marker passes, naming the seam and plan line
            - a module docstring's Seam Under Test passes, also when it links to no plan seam
            - an unlinked test without the section fails, with the fix in the reason
        """
        assert with_plan["test_linked_p0"][1] == (
            "pass",
            "linked to seam 'Checkout → Ledger' (tests/TEST_PLAN.md:3)",
        )
        assert with_plan["test_deep"][1] == (
            "pass",
            "names its seam in Seam Under Test: 'API -> orders'; it links to no seam of the plans",
        )
        status, reason = with_plan["test_unlinked"][1]
        assert status == "fail"
        assert reason.startswith("links to no seam of the plans and has no 'Seam Under Test:'")
        assert without_plan["test_deep"][1] == (
            "pass",
            "names its seam in Seam Under Test: 'API -> orders'",
        )
        assert without_plan["test_unlinked"][1][0] == "fail"

    def test_item_2_focuses_on_a_critical_path(
        self, with_plan: dict[str, CheckList], without_plan: dict[str, CheckList]
    ) -> None:
        """A prioritised seam passes, a deferred one fails, no priority or no plan is unknown.

        Integration Scope: plan priorities, seam links, checklist item 2.
        Business Impact: Effort on deferred seams is effort not spent on critical paths.
        Success Criteria:
            - linked to the P0 seam: pass, naming P0
            - linked only to the deferred seam: fail; linked to a seam without priority: unknown
            - unlinked with plans: fail; without plans every test is unknown
        """
        assert with_plan["test_linked_p0"][2] == (
            "pass",
            "covers P0 seam 'Checkout → Ledger' (tests/TEST_PLAN.md:3)",
        )
        assert with_plan["test_deferred"][2][0] == "fail"
        assert "links only to deferred seams ('Search Index'" in with_plan["test_deferred"][2][1]
        assert with_plan["test_no_priority"][2] == (
            "unknown",
            "its seams have no priority in the plan: 'Audit Log' (tests/TEST_PLAN.md:11)",
        )
        assert with_plan["test_unlinked"][2][0] == "fail"
        assert set(_status(without_plan, 2).values()) == {"unknown"}
        assert without_plan["test_linked_p0"][2][1] == (
            "no TEST_PLAN.md lists seams, so no priority is known"
        )

    def test_item_3_located_correctly(
        self, pytester: pytest.Pytester, run_json: RunJson, with_plan: dict[str, CheckList]
    ) -> None:
        """Under the integration paths passes; integration by marker elsewhere fails; no
        integration paths at all is unknown.

        Integration Scope: seam_integration_paths, integration marker, checklist item 3.
        Business Impact: Integration tests outside their folder escape the suite's rules.
        Success Criteria:
            - a test under tests/integration passes, naming the glob it matches
            - a marked test under tests/other fails and says to move it
            - with seam_integration_paths empty, the marked test's item 3 is unknown
        """
        assert with_plan["test_linked_p0"][3] == (
            "pass",
            "tests/integration/test_flows.py matches seam_integration_paths (**/integration/**)",
        )
        assert with_plan["test_marked"][3] == (
            "fail",
            "an integration test by its marker only, and tests/other/test_marked.py is outside "
            "seam_integration_paths (**/integration/**); move it under one of them",
        )
        _, report = run_json("--seam-integration-paths=")
        assert _checklists(report)["test_marked"][3] == (
            "unknown",
            "seam_integration_paths is empty: no folder holds integration tests",
        )

    def test_item_4_tests_from_the_outside_in(self, with_plan: dict[str, CheckList]) -> None:
        """An entry-point fixture anywhere in the closure or an entry-point call passes.

        Integration Scope: item.fixturenames at collection, libcst call analysis, item 4.
        Business Impact: Tests that start inside the code miss the wiring users go through.
        Success Criteria:
            - client reached only through the logged_in fixture passes
            - clitools.CliRunner() called in the test passes, naming the call
            - a test with neither fails, naming both settings
            - a file the analysis could not parse is unknown (its calls are not known)
        """
        assert with_plan["test_linked_p0"][4] == (
            "pass",
            "entry-point fixture client in its fixtures",
        )
        assert with_plan["test_unlinked"][4] == ("pass", "calls clitools.CliRunner")
        status, reason = with_plan["test_outside_in_missing"][4]
        assert status == "fail"
        assert "(seam_entry_point_fixtures: client, async_client" in reason
        assert "(seam_entry_points: TestClient, httpx.Client" in reason
        assert with_plan["test_deep"][4] == (
            "unknown",
            "no entry-point fixture in its fixtures, and its file could not be analysed for "
            "calls of an entry point",
        )

    def test_item_4_entry_points_are_configurable_and_follow_imports(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Calls are matched through import aliases; a changed seam_entry_points setting is
        judged again even when the file's analysis is cached.

        Integration Scope: libcst import aliases, analysis cache key, seam_entry_points.
        Business Impact: Teams name their own clients; a stale cache must not hide them.
        Success Criteria:
            - ``from clitools import CliRunner as Runner; Runner()`` passes by default
            - make_client() passes only once seam_entry_points names it, on a warm cache
        """
        pytester.syspathinsert()
        pytester.makepyfile(
            clitools=CLITOOLS + "\n\ndef make_client():\n    return CliRunner()\n",
            **{
                "tests/integration/test_calls": "from clitools import CliRunner as Runner\n"
                "from clitools import make_client\n\n\n"
                + _test("test_alias", "    assert Runner().invoke() == 0")
                + _test("test_factory", "    assert make_client().invoke() == 0")
            },
        )
        _, report = run_json()
        first = _checklists(report)
        assert first["test_alias"][4] == ("pass", "calls clitools.CliRunner")
        assert first["test_factory"][4][0] == "fail"
        _, report = run_json("--seam-entry-points=make_client")
        second = _checklists(report)
        assert second["test_factory"][4] == ("pass", "calls clitools.make_client")
        assert second["test_alias"][4][0] == "fail"

    def test_item_4_a_fixture_that_builds_an_entry_point_counts(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A project fixture of any name whose code calls an entry point makes the tests that
        use it, directly or through another fixture, outside-in.

        Integration Scope: conftest fixtures in the fixture closure, libcst call analysis of
            conftest.py, item 4.
        Business Impact: Real suites name their clients integration_client, production_client
            or client_with_compression; failing item 4 on each of them is a false alarm.
        Success Criteria:
            - a test using make_app_runner through tuned_runner passes, naming the fixture
            - a test using a fixture that calls nothing still fails
        """
        pytester.syspathinsert()
        conftest = (
            "import pytest\n\nfrom clitools import CliRunner\n\n\n"
            "@pytest.fixture\ndef make_app_runner():\n    return CliRunner()\n\n\n"
            "@pytest.fixture\ndef tuned_runner(make_app_runner):\n    return make_app_runner\n\n\n"
            "@pytest.fixture\ndef numbers():\n    return [1, 2]\n"
        )
        tests = _test(
            "test_via_fixture", "    assert tuned_runner.invoke() == 0", args="tuned_runner"
        ) + _test("test_plain_fixture", "    assert numbers == [1, 2]", args="numbers")
        pytester.makepyfile(
            clitools=CLITOOLS,
            **{
                "tests/integration/conftest": conftest,
                "tests/integration/test_through_fixtures": tests,
            },
        )
        _, report = run_json()
        checklists = _checklists(report)
        assert checklists["test_via_fixture"][4] == (
            "pass",
            "fixture make_app_runner calls clitools.CliRunner",
        )
        assert checklists["test_plain_fixture"][4][0] == "fail"

    def test_item_5_uses_high_fidelity_fakes(self, with_plan: dict[str, CheckList]) -> None:
        """No first-party mock passes (a fake fixture noted); a first-party mock fails; an
        unresolvable mock target or an unanalysed file is unknown.

        Integration Scope: internal-mock rule, fake fixtures in the closure, item 5.
        Business Impact: Mocking the project's own code hides the integration under test.
        Success Criteria:
            - fakeredis in the closure is noted in the passing reason
            - mock.patch('shop.orders.place') fails with SEAM301 and its line
            - a patch of a computed target is unknown with SEAM302
            - the unparsable file is unknown
        """
        assert with_plan["test_linked_p0"][5] == (
            "pass",
            "no mock of first-party code; high-fidelity fakes: fakeredis",
        )
        assert with_plan["test_outside_in_missing"][5] == ("pass", "no mock of first-party code")
        status, reason = with_plan["test_mocks_first_party"][5]
        line = FLOWS.splitlines().index("    with mock.patch('shop.orders.place'):") + 1
        assert (status, reason.partition(":")[0]) == (
            "fail",
            f"mocks first-party code, SEAM301 at line {line}",
        )
        status, reason = with_plan["test_mock_unresolved"][5]
        assert status == "unknown"
        assert reason.startswith("a mock whose target may be first-party code, SEAM302 at line")
        assert with_plan["test_deep"][5][0] == "unknown"

    def test_item_6_asserts_on_behaviour(self, with_plan: dict[str, CheckList]) -> None:
        """A test with a check passes; one without fails with SEAM501; unparsable is unknown.

        Integration Scope: assertion rules, checklist item 6.
        Business Impact: A test that checks nothing passes whatever the code does.
        Success Criteria:
            - test_linked_p0 passes; test_no_check fails naming SEAM501; test_deep is unknown
        """
        assert with_plan["test_linked_p0"][6] == (
            "pass",
            "checks an outcome (no assertion finding)",
        )
        status, reason = with_plan["test_no_check"][6]
        assert status == "fail"
        assert reason.startswith("SEAM501 at line ")
        assert with_plan["test_deep"][6] == (
            "unknown",
            "its file could not be analysed, so its checks were not looked at",
        )

    def test_item_7_follows_the_documentation_standard(
        self, pytester: pytest.Pytester, run_json: RunJson, with_plan: dict[str, CheckList]
    ) -> None:
        """A complete docstring passes; a missing one fails; an unchecked contract (a doctest
        under the integration paths) is unknown.

        Integration Scope: docstring contract at collection, doctest items, item 7.
        Business Impact: Undocumented integration tests lose why they exist.
        Success Criteria:
            - test_linked_p0 passes; test_undocumented fails naming SEAM101
            - a doctest under tests/integration is unknown, saying why
        """
        assert with_plan["test_linked_p0"][7] == (
            "pass",
            "its docstring has every required section",
        )
        status, reason = with_plan["test_undocumented"][7]
        assert status == "fail"
        assert reason.startswith("SEAM101 at line ")
        pytester.makepyfile(
            **{
                "tests/integration/helpers": (
                    'def add(a, b):\n    """\n    >>> add(1, 2)\n    3\n    """\n    return a + b\n'
                )
            }
        )
        result, report = run_json("--doctest-modules", "tests/integration/helpers.py")
        result.assert_outcomes(passed=1)
        assert _checklists(report)["helpers.add"][7] == (
            "unknown",
            "its docstring was not checked: it is no Python test function, or the xdist worker "
            "that collected it sent no data",
        )


class TestChecklistOutput:
    """The checklist in the terminal, Markdown and HTML, and under xdist.

    Seam Under Test:
        Report.tests[].checklist -> --seam-checklist terminal block, Markdown, HTML
    """

    def test_terminal_block_lists_failing_tests_first(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """--seam-checklist prints a count, each failing test with its failed items, then the
        unknown items grouped by reason; without the flag nothing is printed.

        Integration Scope: --seam-checklist option, terminal summary.
        Business Impact: Reviewers see what blocks a merge without opening a report file.
        Success Criteria:
            - the count line, a FAIL line for test_undocumented with item 7's reason
            - the unknown item 2 of one test as a grouped line
            - no checklist block without the flag
        """
        _project(pytester)
        result, _ = run_json("--seam-checklist")
        result.stdout.fnmatch_lines(
            [
                "*- seams checklist -*",
                "seams checklist: 11 integration tests: 9 fail an item, 1 pass every item and "
                "1 pass all items but some unknown ones",
            ]
        )
        result.stdout.fnmatch_lines(
            [
                "FAIL tests/integration/test_flows.py::test_undocumented  (fails 1, 2, 7)",
                "    7 follows the documentation standard: SEAM101 at line *",
            ]
        )
        result.stdout.fnmatch_lines(
            [
                "unknown 2 focuses on a critical path (tests/integration/test_flows.py::"
                "test_no_priority): its seams have no priority in the plan: 'Audit Log'*",
            ]
        )
        result, _ = run_json()
        assert "seams checklist" not in result.stdout.str()

    def test_markdown_and_html_show_the_checklist(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """The Markdown report tables the failing tests and their reasons; the HTML report has
        a checklist table and notes failed items beside each seam's tests.

        Integration Scope: Markdown and HTML renderers of a real session's report.
        Business Impact: The pull-request summary is where reviewers read the checklist.
        Success Criteria:
            - Markdown: the count line, a row of test_undocumented, its failed item's reason
            - HTML: the checklist heading and the note beside test_deferred in its seam's row
        """
        _project(pytester)
        run_json("--seam-report=md:out.md", "--seam-report=html:html")
        markdown = (pytester.path / "out.md").read_text(encoding="utf-8")
        assert (
            "9 of 11 integration tests fail an item, 1 pass every item and 1 pass all items "
            "but some unknown ones." in markdown
        )
        assert (
            "| `tests/integration/test_flows.py::test_undocumented` | ❌ | ❌ | ✅ | ✅ | ✅ | ✅ "
            "| ❌ |" in markdown
        )
        assert "| `tests/integration/test_flows.py::test_undocumented` | 7 follows the " in markdown
        html = (pytester.path / "html" / "index.html").read_text(encoding="utf-8")
        assert "<h2>Pre-merge checklist</h2>" in html
        assert "checklist fails item 2</span></li>" in html

    def test_facts_under_xdist_equal_a_plain_run(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """-n 2 gives every test the same checklist as a run without workers.

        Integration Scope: xdist workers' collection facts and entry-point calls, merge.
        Business Impact: Large suites run under xdist; their checklist must not change.
        Success Criteria:
            - the checklists of -n 2 equal those of -n 0, and include entry-point evidence
        """
        _project(pytester)
        _, plain = run_json("-n", "0", subprocess=True)
        (pytester.path / "out.json").unlink()
        _, distributed = run_json("-n", "2", subprocess=True)
        assert distributed["meta"]["xdist_workers"] == 2
        assert _checklists(distributed) == _checklists(plain)
        assert _checklists(plain)["test_unlinked"][4] == ("pass", "calls clitools.CliRunner")
        assert _checklists(plain)["test_linked_p0"][4][0] == "pass"
