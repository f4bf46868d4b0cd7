"""Integration tests for TEST_PLAN.md seams: plans, links, statuses and the reports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import COMPLETE_DOCSTRING, RunJson

SAMPLES = Path(__file__).parents[1] / "data" / "plans"
SECTIONS_PLAN = """
# Shop test plan

## P0 - Must Have (Critical Path)

### 1. SEAM: Checkout API → Order Service
Business Impact: orders are revenue.
**Test file**: `test_checkout_integration.py`

### 2. **SEAM**: Order Service → Payment Gateway

## P1 - Should Have

### SEAM 3: Cart → Price Cache
**Priority**: P2

## Deferred/Eliminated

### SEAM 4: Admin UI → Reports
"""
TABLE_PLAN = """
# Search plan

| ID | Seam | Priority | Test file |
|----|------|----------|-----------|
| S-1 | Search API → Query Parser | HIGH | |
| S-2 | Indexer → Store | LOW | |
"""


def _test(name: str, body: str = "assert True", decorators: str = "") -> str:
    return f"{decorators}\ndef {name}():\n    {COMPLETE_DOCSTRING}\n    {body}\n"


PROJECT = {
    "tests/integration/test_checkout_integration": _test("test_checkout"),
    "tests/integration/test_payments": "import pytest\n"
    + _test("test_pay", "assert False", '@pytest.mark.seam("Order Service -> Payment Gateway")')
    + _test("test_unknown", decorators='@pytest.mark.seam("No Such Seam")'),
    "tests/integration/test_cart": '''
import pytest

class TestCart:
    """Cart pricing.

    Seam Under Test:
        Cart → Price Cache
    """

    def test_cart(self):
        """Doc.

        Integration Scope: cart
        Business Impact: money
        Success Criteria: priced
        """
        pytest.skip("cache down")
''',
    "tests/integration/test_search": '"""Integration tests for **Search API -> Query Parser**."""\n'
    + _test("test_search"),
    "tests/integration/test_indexer_store_integration": _test("test_index"),
    # Its Integration Scope resembles no seam of the plans, so not even inference links it.
    "tests/integration/test_orphan": _test("test_orphan").replace(
        "API -> OrderService -> database", "audit log -> archive"
    ),
}


def seams_by_title(report: dict[str, Any]) -> dict[str, tuple[str | None, str, list[str]]]:
    return {
        seam["title"]: (
            seam["priority"],
            seam["status"],
            [f"{link['nodeid'].rpartition('::')[2]}:{link['reason']}" for link in seam["links"]],
        )
        for seam in report["seams"]
    }


def make_project(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", TEST_PLAN=SECTIONS_PLAN)
    (pytester.path / "services" / "search").mkdir(parents=True)
    (pytester.path / "services" / "search" / "test_plan.md").write_text(TABLE_PLAN)
    pytester.makepyfile(**PROJECT)


EXPECTED = {
    "Checkout API → Order Service": ("P0", "verified", ["test_checkout:plan-file"]),
    "Order Service → Payment Gateway": ("P0", "failing", ["test_pay:marker"]),
    "Cart → Price Cache": ("P2", "skipped", ["test_cart:docstring"]),
    "Admin UI → Reports": ("deferred", "deferred", []),
    "Search API → Query Parser": ("P1", "not-run", ["test_search:docstring"]),
    "Indexer → Store": ("P3", "verified", ["test_index:file-name"]),
}


class TestSeamCoverage:
    """Seam coverage from the plans a project keeps.

    Seam Under Test:
        TEST_PLAN.md files -> plan parser -> links from collection -> statuses -> reports
    """

    def test_every_link_reason_and_status(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Two plans of different shapes give each seam its priority, status and tests.

        Integration Scope: plan discovery at any depth, parsing, markers, docstrings, plan file
            names, the naming convention, outcomes and deselection, the JSON report.
        Business Impact: Teams stop hand-maintaining seam manifests that drift from the plans.
        Success Criteria:
            - each seam has the expected priority, status and links with their reasons
            - the unlinked integration test is listed; the unknown marker is a plan finding
            - the term report shows coverage per plan and priority
        """
        make_project(pytester)
        result, report = run_json("--strict-markers", "-k", "not test_search")
        assert seams_by_title(report) == EXPECTED
        assert report["unlinked_integration_tests"] == [
            "tests/integration/test_orphan.py::test_orphan",
            "tests/integration/test_payments.py::test_unknown",
        ]
        unknown = [f for f in report["findings"] if f["code"] == "SEAM602"]
        assert len(unknown) == 1
        assert unknown[0]["category"] == "plan"
        assert "'No Such Seam'" in unknown[0]["message"]
        tests = {t["nodeid"].rpartition("::")[2]: t["seams"] for t in report["tests"]}
        assert tests["test_checkout"] == ["checkout-api-order-service"]
        assert tests["test_orphan"] == []
        summary = {s["priority"]: (s["verified"], s["total"]) for s in report["seam_summary"]}
        assert summary == {"P0": (1, 2), "P1": (0, 1), "P2": (0, 1), "P3": (1, 1)}
        result.stdout.fnmatch_lines(
            [
                "Plan                          Priority  Seams  Verified  Failing  Skipped  "
                "Not run  Untested  Cover",
                "*",
                "TEST_PLAN.md                  P0            2         1        1        0  "
                "      0         0    50%",
                "TEST_PLAN.md                  P2            1         0        0        1  "
                "      0         0     0%",
                "services/search/test_plan.md  P1            1         0        0        0  "
                "      1         0     0%",
                "services/search/test_plan.md  P3            1         1        0        0  "
                "      0         0   100%",
                "*",
                "TOTAL                                       5         2        1        1  "
                "      1         0    40%",
                "1 deferred seam not counted",
                "not verified: 3",
                "  P0       failing   Order Service → Payment Gateway (TEST_PLAN.md:*)",
                "  P2       skipped   *",
                "  P1       not-run   *",
                "seams: 2 integration tests link to no seam",
            ]
        )

    def test_term_missing_lists_every_seam_with_its_tests(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """term-missing shows every seam, verified ones too, with the tests behind it.

        Integration Scope: the term-missing report format.
        Business Impact: Reviewers see which test covers which seam without opening the JSON.
        Success Criteria: a verified seam and its test node id are both printed.
        """
        make_project(pytester)
        result = pytester.runpytest("--seam-report=term-missing")
        result.stdout.fnmatch_lines(
            [
                "  P3       verified  Indexer → Store (services/search/test_plan.md:*)",
                "      tests/integration/test_indexer_store_integration.py::test_index  "
                "[test_indexer_store_integration.py = test_<slug of 'Indexer → Store'>"
                "_integration.py]",
            ]
        )

    def test_same_seams_under_xdist_and_any_order(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """-n 2 and different random orders give the same seams and statuses.

        Integration Scope: xdist workers sending seam hints, pytest-randomly seeds.
        Business Impact: The coverage report must not depend on how the suite was run.
        Success Criteria: the seams of -n 2 and two seeds equal those of a plain run.
        """
        make_project(pytester)
        _, plain = run_json("-p", "no:randomly", "-k", "not test_search", subprocess=True)
        _, distributed = run_json("-n", "2", "-k", "not test_search", subprocess=True)
        _, seeded = run_json("--randomly-seed=7", "-k", "not test_search", subprocess=True)
        assert seams_by_title(plain) == EXPECTED
        assert distributed["seams"] == plain["seams"]
        assert seeded["seams"] == plain["seams"]
        assert distributed["tests"] == plain["tests"]

    def test_plan_problems_are_findings(self, pytester: pytest.Pytester, run_json: RunJson) -> None:
        """A seam heading without a title and a duplicate seam are plan findings.

        Integration Scope: plan parser problems, findings, JSON report.
        Business Impact: A broken plan must be reported where it is, not silently skipped.
        Success Criteria: two SEAM601 findings with the plan path and heading lines.
        """
        pytester.makefile(
            ".md",
            TEST_PLAN="# Plan\n\n### SEAM:\n\n### SEAM: A → B\n\n### SEAM: A → B\n",
        )
        pytester.makepyfile(**{"tests/integration/test_x": _test("test_x")})
        _, report = run_json()
        problems = [(f["code"], f["path"], f["line"]) for f in report["findings"]]
        assert ("SEAM601", "TEST_PLAN.md", 3) in problems
        assert ("SEAM601", "TEST_PLAN.md", 7) in problems
        assert [seam["title"] for seam in report["seams"]] == ["A → B"]

    def test_priority_words_are_configurable(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """seam_priority_words adds words to the priority table; bad entries are usage errors.

        Integration Scope: settings, plan parsing with a custom word table.
        Business Impact: Teams name priorities their own way ("Nice to have").
        Success Criteria:
            - a seam under "## Nice To Have" gets P3 with NICE=P3, none without
            - an unknown priority in the table stops the run with a one-line usage error
        """
        pytester.makefile(".md", TEST_PLAN="# Plan\n\n## Nice To Have\n\n### SEAM: A → B\n")
        pytester.makepyfile(**{"tests/integration/test_x": _test("test_x")})
        _, report = run_json()
        assert [seam["priority"] for seam in report["seams"]] == [None]
        _, report = run_json("--seam-priority-words=NICE=P3,URGENT=P0")
        assert [seam["priority"] for seam in report["seams"]] == ["P3"]
        bad = pytester.runpytest("--seam-priority-words=NICE=P9")
        assert bad.ret == pytest.ExitCode.USAGE_ERROR
        bad.stderr.fnmatch_lines(["ERROR: pytest-seams: invalid value 'NICE=P9'*"])

    def test_killed_worker_gives_a_partial_report_with_seams(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A worker killed mid-run marks the report partial; the seams are still reported.

        Integration Scope: xdist worker crash, controller merge, seam statuses.
        Business Impact: A crash must show up as missing data, not as a silent gap or a crash.
        Success Criteria:
            - meta.partial is true and the session ends without INTERNALERROR
            - every seam of the plans is in the report, the crashing test's seam failing
        """
        make_project(pytester)
        pytester.makepyfile(
            **{
                "tests/integration/test_crash": "import os\nimport pytest\n"
                + _test("test_crash", "os._exit(3)", '@pytest.mark.seam("Indexer → Store")')
            }
        )
        result, report = run_json("-n", "2", subprocess=True)
        assert "INTERNALERROR" not in result.stdout.str()
        assert report["meta"]["partial"] is True
        statuses = {seam["title"]: seam["status"] for seam in report["seams"]}
        assert set(statuses) == set(EXPECTED)
        assert statuses["Indexer → Store"] == "failing"

    def test_sample_plan_shapes_side_by_side(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Section, inline, grouped and table plans in one project give every seam its priority.

        Integration Scope: plan discovery of several TEST_PLAN.md files, the parser on the
            sample shapes, statuses without tests.
        Business Impact: Real teams mix plan shapes across services.
        Success Criteria:
            - every sample's seams appear with the expected priority, in plan order
            - seams are untested, or deferred when their priority is deferred
        """
        expected: dict[str, list[tuple[str, str | None]]] = {}
        for shape in ("priority-sections", "inline-priority", "priority-groups", "table"):
            (pytester.path / shape).mkdir()
            (pytester.path / shape / "TEST_PLAN.md").write_text(
                (SAMPLES / f"{shape}.md").read_text()
            )
            seams = json.loads((SAMPLES / f"{shape}.expected.json").read_text())
            expected[f"{shape}/TEST_PLAN.md"] = [(s["title"], s["priority"]) for s in seams]
        pytester.makepyfile(**{"tests/integration/test_x": _test("test_x")})
        _, report = run_json()
        found: dict[str, list[tuple[str, str | None]]] = {}
        for seam in report["seams"]:
            found.setdefault(seam["plan"], []).append((seam["title"], seam["priority"]))
            wanted = "deferred" if seam["priority"] == "deferred" else "untested"
            assert seam["status"] == wanted
        assert found == expected


class TestSeamReportFiles:
    """Markdown and HTML seam reports.

    Seam Under Test:
        Report -> Markdown / HTML renderers -> files for CI summaries and people
    """

    def test_markdown_report_is_a_checklist_under_the_size_limit(
        self, pytester: pytest.Pytester
    ) -> None:
        """md:PATH writes totals per priority and a checklist; huge plans are cut with a note.

        Integration Scope: plan parsing, statuses, the Markdown renderer, report writing.
        Business Impact: CI step summaries and PR comments show coverage at a glance.
        Success Criteria:
            - verified seams are marked ✅, failing ones ❌; totals per priority are present
            - a plan with thousands of seams stays under 65,000 characters, with a note
        """
        make_project(pytester)
        pytester.runpytest("--seam-report=md:out/seams.md", "-k", "not test_search")
        text = (pytester.path / "out" / "seams.md").read_text()
        assert "| P0 | 50% | 1 | 1 | 0 | 0 | 0 | 2 |" in text, text
        assert "- ✅ **P0** Checkout API → Order Service: `verified` (1 test)" in text
        assert "- ❌ **P0** Order Service → Payment Gateway: `failing` (1 test)" in text
        big = "\n".join(f"### SEAM {n}: Component {n} → Store {n} {'x' * 40}" for n in range(3000))
        (pytester.path / "TEST_PLAN.md").write_text("# Big\n\n" + big)
        pytester.runpytest("--seam-report=md:out/seams.md")
        text = (pytester.path / "out" / "seams.md").read_text()
        assert len(text) <= 65_000
        assert "Report cut to stay under GitHub's size limit" in text

    def test_html_report_is_self_contained_and_escaped(self, pytester: pytest.Pytester) -> None:
        """html:DIR writes one page without network references, with every text escaped.

        Integration Scope: the HTML renderer and report writing, on a hostile plan title.
        Business Impact: The page is opened from CI artifacts; it must be safe and offline.
        Success Criteria:
            - DIR/index.html holds the seams, statuses and test outcomes
            - a title with markup appears escaped; no http(s) references
        """
        make_project(pytester)
        plan = pytester.path / "TEST_PLAN.md"
        plan.write_text(plan.read_text() + "\n### SEAM: `<img src=x onerror=alert(1)>` & B\n")
        pytester.runpytest("--seam-report=html:site", "-k", "not test_search")
        page = (pytester.path / "site" / "index.html").read_text()
        assert '<span class="status failing">✘ failing</span>' in page
        assert (
            '<span class="badge failed">✘ failed</span> tests/integration/test_payments.py' in page
        )
        assert "Order Service → Payment Gateway" in page
        assert "tests/integration/test_payments.py::test_pay" in page
        assert "&lt;img src=x onerror=alert(1)&gt;` &amp; B" in page
        assert "<img" not in page
        assert "http://" not in page
        assert "https://" not in page

    @pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium not installed")
    def test_html_report_renders_in_a_real_browser(
        self, pytester: pytest.Pytester, tmp_path: Path
    ) -> None:
        """Headless Chromium loads the page in a 400 px window, runs its script, filters and
        sorts.

        Integration Scope: the HTML report in Debian's chromium (headless, no network), its
            inline script driven by a probe script appended to a copy of the page.
        Business Impact: People read this page in a browser, often a narrow one, not as text.
        Success Criteria:
            - the DOM after scripts ran has one row per seam, the filters and the timestamp
            - the status filter "failing" leaves one row; the text filter "indexer" one
            - sorting by status puts the failing seam first, twice reverses it
            - at 400 px the page does not scroll sideways
        """
        make_project(pytester)
        pytester.runpytest("--seam-report=html:site")
        page = pytester.path / "site" / "index.html"
        probe = """<script>
window.addEventListener('load', () => {
  const visible = () => Array.from(document.querySelectorAll('tr[data-priority]'))
    .filter(row => !row.hidden).map(row => row.dataset.status).join(',');
  const status = document.getElementById('status');
  status.value = 'failing'; status.dispatchEvent(new Event('input'));
  const failing = visible();
  status.value = 'all';
  const search = document.getElementById('search');
  search.value = 'INDEXER'; search.dispatchEvent(new Event('input'));
  const indexer = visible();
  search.value = ''; search.dispatchEvent(new Event('input'));
  const header = document.querySelector('th[data-sort=status]');
  header.click();
  const ascending = visible();
  header.click();
  const descending = visible();
  const root = document.documentElement;
  document.body.insertAdjacentHTML('beforeend', '<pre id="probe">' + JSON.stringify({
    failing, indexer, ascending, descending,
    sideways: root.scrollWidth > root.clientWidth}) + '</pre>');
});
</script>"""
        probed = pytester.path / "site" / "probed.html"
        probed.write_text(page.read_text().replace("</body>", probe + "</body>"))
        result = subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=400,900",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--dump-dom",
                probed.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        dom = result.stdout
        assert len(re.findall(r"<tr [^>]*data-priority=", dom)) == 6
        assert 'id="priority"' in dom
        assert 'id="status"' in dom
        assert 'id="search"' in dom
        assert "Indexer → Store" in dom
        probe_result = re.search(r'<pre id="probe">(.*?)</pre>', dom)
        assert probe_result is not None, dom[-2000:]
        seen = json.loads(probe_result.group(1).replace("&quot;", '"'))
        assert seen["failing"] == "failing"
        assert seen["indexer"] == "verified"
        statuses = seen["ascending"].split(",")
        assert statuses[0] == "failing"
        assert statuses[-1] == "deferred"
        assert seen["descending"].split(",") == statuses[::-1]
        assert seen["sideways"] is False
