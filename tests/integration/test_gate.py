"""Integration tests for the gate: --seam-gate, changed-tests mode, the baseline, severities."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

PLAN = """\
# Shop test plan

## P0 - Must Have

### SEAM 1: Checkout API → Order Service

### SEAM 2: Order Service → Payment Gateway

## P1 - Should Have

### SEAM 3: Cart → Price Cache

### SEAM 4: Search API → Query Parser

## Deferred

### SEAM 5: Admin UI → Reports
"""
DOCSTRING = '''"""{title} works end to end.

    Integration Scope: API -> service -> database
    Business Impact: Lost orders are lost revenue.
    Success Criteria: the {title} row exists
    """'''


def linked_test(name: str, seam: str, body: str = "assert len('ok') == 2") -> str:
    """A documented test linked to ``seam`` by a marker."""
    docstring = DOCSTRING.format(title=name)
    return f"\n@pytest.mark.seam({seam!r})\ndef {name}():\n    {docstring}\n    {body}\n"


UNDOCUMENTED = "\ndef test_legacy():\n    assert len('ok') == 2\n"

SEAMS = {
    "test_checkout": "Checkout API → Order Service",
    "test_payment": "Order Service → Payment Gateway",
    "test_cart": "Cart → Price Cache",
    "test_search": "Search API → Query Parser",
}


def write_project(
    pytester: pytest.Pytester,
    *,
    leave_out: tuple[str, ...] = (),
    bodies: dict[str, str] | None = None,
    extra: str = "",
) -> Path:
    """The shop project: a plan with two P0, two P1 and a deferred seam, one test per seam
    (except those left out) in tests/integration/test_shop.py."""
    (pytester.path / "TEST_PLAN.md").write_text(PLAN, encoding="utf-8")
    folder = pytester.path / "tests" / "integration"
    folder.mkdir(parents=True, exist_ok=True)
    source = "import pytest\n" + "".join(
        linked_test(name, seam, (bodies or {}).get(name, "assert len('ok') == 2"))
        for name, seam in SEAMS.items()
        if name not in leave_out
    )
    test_file = folder / "test_shop.py"
    test_file.write_text(source + extra, encoding="utf-8")
    return test_file


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def init_repository(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A git repository with everything in ``path`` committed on branch main."""
    # The repository is the test's own, whatever surrounds tmp_path.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(path.parent))
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Gate Test")
    git(path, "config", "user.email", "gate@example.com")
    git(path, "config", "commit.gpgsign", "false")
    commit_all(path, "legacy suite")


def commit_all(path: Path, message: str) -> None:
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message)


def failure_lines(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if line.startswith("seams: failing the session")]


def gate_lines(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if line.startswith("seams: gate:")]


class TestGateConditions:
    """Each gate condition fails the session with one line, and a clean suite passes.

    Seam Under Test:
        session outcomes and TEST_PLAN.md -> report -> verdict.judge (gate conditions) ->
        exit status and terminal lines
    """

    def test_a_clean_suite_passes_the_gate(self, pytester: pytest.Pytester) -> None:
        """Every P0 seam verified, no finding: the gate passes and pytest's status stands.

        Integration Scope: --seam-gate on a complete shop project, exit status.
        Business Impact: A gate that fails good work is switched off by the team.
        Success Criteria: exit status 0, no failure line and one line saying what passed; a
            failing test still exits 1.
        """
        write_project(pytester)
        result = pytester.runpytest("--seam-gate")
        assert result.ret == pytest.ExitCode.OK, result.outlines
        assert failure_lines(result) == []
        result.stdout.fnmatch_lines(
            ["seams: gate passed: P0 seam coverage 100.0% (2 of 2 verified); *"]
        )
        # The gate leaves a failing session failing, with pytest's own status.
        pytester.makepyfile(test_unit="def test_unit():\n    assert len('ok') == 3\n")
        result = pytester.runpytest("--seam-gate")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert failure_lines(result) == []  # a failing unit test: no gate line

    def test_an_untested_p0_seam_fails_the_gate(self, pytester: pytest.Pytester) -> None:
        """A P0 seam with no test fails seam_fail_under P0:100, named with plan:line.

        Integration Scope: seam_fail_under default, coverage per priority, the message.
        Business Impact: CI must fail when a P0 seam loses its tests.
        Success Criteria: exit status 1 and exactly the coverage line naming seam 2 and
            TEST_PLAN.md:7.
        """
        write_project(pytester, leave_out=("test_payment",))
        result = pytester.runpytest("--seam-gate")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert failure_lines(result) == [
            "seams: failing the session (gate): P0 seam coverage 50.0% (1 of 2 verified) is "
            "below seam_fail_under P0:100; not verified: 'Order Service → Payment Gateway' "
            "(TEST_PLAN.md:7) untested; add or fix their tests."
        ]
        # Without the gate the same session passes.
        assert pytester.runpytest().ret == pytest.ExitCode.OK

    def test_a_failing_p0_seam_fails_the_gate(self, pytester: pytest.Pytester) -> None:
        """A P0 seam whose test fails is named with the failing test.

        Integration Scope: outcomes -> seam status failing -> failing-seams condition.
        Business Impact: A red P0 seam must block the merge even when coverage is counted.
        Success Criteria: the failing-seams line names seam 2 and its failing test.
        """
        write_project(pytester, bodies={"test_payment": "assert len('ok') == 3"})
        result = pytester.runpytest("--seam-gate")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert (
            "seams: failing the session (gate): 1 P0/P1 seam is failing: P0 'Order Service "
            "→ Payment Gateway' (TEST_PLAN.md:7): tests/integration/test_shop.py::test_payment;"
            " fix the failing tests." in failure_lines(result)
        )

    def test_a_p1_below_its_threshold_fails_the_gate(self, pytester: pytest.Pytester) -> None:
        """seam_fail_under = P0:100, P1:80 in ini with one of two P1 seams untested.

        Integration Scope: seam_fail_under from ini, P1 threshold.
        Business Impact: Teams raise P1 coverage step by step, like --cov-fail-under.
        Success Criteria: one line for P1 at 50.0% naming seam 4; P1:50 passes.
        """
        write_project(pytester, leave_out=("test_search",))
        pytester.makeini("[pytest]\nseam_fail_under = P0:100, P1:80\n")
        result = pytester.runpytest("--seam-gate")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert failure_lines(result) == [
            "seams: failing the session (gate): P1 seam coverage 50.0% (1 of 2 verified) is "
            "below seam_fail_under P1:80; not verified: 'Search API → Query Parser' "
            "(TEST_PLAN.md:13) untested; add or fix their tests."
        ]
        assert pytester.runpytest("--seam-gate", "--seam-fail-under=P1:50").ret == 0

    def test_an_error_finding_fails_the_gate(self, pytester: pytest.Pytester) -> None:
        """An integration test without a docstring (SEAM101, an error) fails the gate.

        Integration Scope: docstring contract -> findings condition.
        Business Impact: New undocumented tests must not merge.
        Success Criteria: one line naming SEAM101 at test_shop.py:line of test_legacy.
        """
        test_file = write_project(pytester, extra=UNDOCUMENTED)
        line = test_file.read_text().splitlines().index("def test_legacy():") + 1
        result = pytester.runpytest("--seam-gate")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert failure_lines(result) == [
            "seams: failing the session (gate): 1 error finding (SEAM101 x1): "
            f"tests/integration/test_shop.py:{line} (SEAM101); fix them, suppress them "
            "(docs/suppression.md), or record them with --seam-baseline-write."
        ]

    def test_an_unknown_seam_reference_fails_the_gate(self, pytester: pytest.Pytester) -> None:
        """@pytest.mark.seam naming no seam of the plan fails the references condition.

        Integration Scope: seam markers -> mapping SEAM602 -> seam-references condition.
        Business Impact: A typo in a seam name silently drops the test from coverage.
        Success Criteria: one line naming the test's location and SEAM602, not a second
            findings line for the same problem.
        """
        test_file = write_project(
            pytester, extra=linked_test("test_typo", "Checkout API → Order Servic")
        )
        line = test_file.read_text().splitlines().index("def test_typo():")  # its decorator
        result = pytester.runpytest("--seam-gate")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert failure_lines(result) == [
            "seams: failing the session (gate): 1 unknown or ambiguous seam reference: "
            f"tests/integration/test_shop.py:{line} (SEAM602); name each seam by an id or "
            "exact title from a plan covering the test (the findings say which)."
        ]

    def test_deferred_seams_never_gate(self, pytester: pytest.Pytester) -> None:
        """The deferred seam has no test, and P0:100 with P1:100 still passes.

        Integration Scope: deferred status excluded from coverage.
        Business Impact: Deferred work must not block merges.
        Success Criteria: exit status 0.
        """
        write_project(pytester)
        result = pytester.runpytest("--seam-gate", "--seam-fail-under=P0:100,P1:100")
        assert result.ret == pytest.ExitCode.OK, failure_lines(result)


class TestPartialRuns:
    """Partial runs and --collect-only judge only what they can.

    Seam Under Test:
        command line selection (SelectionScope, deselection), --collect-only -> gate conditions
    """

    @pytest.mark.parametrize(
        "selection",
        [["-k", "checkout"], ["tests/integration/test_shop.py::test_checkout"], ["--lf"]],
        ids=["-k", "node id", "--lf"],
    )
    def test_partial_runs_do_not_judge_coverage(
        self, pytester: pytest.Pytester, selection: list[str]
    ) -> None:
        """An untested P0 seam does not fail a -k, node-id or --lf run; a notice says so.

        Integration Scope: -k deselection, node ids, --lf -> partial run -> coverage skipped.
        Business Impact: A developer running one test must not see the gate fail for seams
            the run never looked at.
        Success Criteria: exit status 0 and the one-line notice.
        """
        write_project(pytester, leave_out=("test_payment",))
        result = pytester.runpytest("--seam-gate", *selection)
        assert result.ret == pytest.ExitCode.OK, result.outlines
        assert gate_lines(result) == [
            "seams: gate: seam coverage not judged on a partial run (-k, -m, paths or node "
            "ids, --lf or deselection); run the whole suite to judge it"
        ]

    def test_collect_only_judges_static_conditions(self, pytester: pytest.Pytester) -> None:
        """Under --collect-only an untested P0 passes, an error finding still fails.

        Integration Scope: --collect-only -> static conditions only.
        Business Impact: A quick pre-commit check must not claim coverage it cannot know.
        Success Criteria: exit 0 with the notice for coverage; exit 1 with the findings line.
        """
        write_project(pytester, leave_out=("test_payment",))
        result = pytester.runpytest("--seam-gate", "--collect-only")
        assert result.ret == pytest.ExitCode.OK
        assert gate_lines(result) == [
            "seams: gate: under --collect-only only the static conditions are judged "
            "(findings, seam references, checklist); seam coverage and failing seams need "
            "a test run"
        ]
        write_project(pytester, leave_out=("test_payment",), extra=UNDOCUMENTED)
        result = pytester.runpytest("--seam-gate", "--collect-only")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert [line.partition(":")[2][:30] for line in failure_lines(result)] == [
            " failing the session (gate): 1"
        ]
        assert "SEAM101" in failure_lines(result)[0]


class TestChangedTestsMode:
    """--seam-since names the new work through git.

    Seam Under Test:
        git repository in tmp_path -> since.changed_files -> gate conditions on changed files
    """

    def test_findings_of_changed_files_only(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With seam_gate_findings = changed, a legacy error finding does not fail the gate;
        one in a new (untracked, then committed) file does.

        Integration Scope: git merge-base, diff, untracked files, seam_gate_findings.
        Business Impact: A legacy suite can gate new work without fixing the past first.
        Success Criteria: legacy only: exit 0; a new file with an undocumented test: the
            findings line names only the new file, whether untracked or committed on a branch.
        """
        write_project(pytester, extra=UNDOCUMENTED)
        pytester.makeini("[pytest]\nseam_gate_findings = changed\n")
        init_repository(pytester.path, monkeypatch)
        # The checklist condition, on by default with --seam-since, has its own test.
        args = ("--seam-gate", "--seam-since=main", "--seam-gate-checklist=off")
        assert pytester.runpytest(*args).ret == pytest.ExitCode.OK
        git(pytester.path, "checkout", "-q", "-b", "feature")
        new = pytester.path / "tests" / "integration" / "test_new.py"
        new.write_text(UNDOCUMENTED.replace("legacy", "new"), encoding="utf-8")
        expected = [
            "seams: failing the session (gate): 1 error finding in changed files "
            "(SEAM101 x1): tests/integration/test_new.py:2 (SEAM101); fix them, suppress "
            "them (docs/suppression.md), or record them with --seam-baseline-write."
        ]
        result = pytester.runpytest(*args)
        assert (result.ret, failure_lines(result)) == (1, expected)
        commit_all(pytester.path, "new work")
        result = pytester.runpytest(*args)
        assert (result.ret, failure_lines(result)) == (1, expected)
        # Without seam_gate_findings = changed, the legacy finding counts too.
        result = pytester.runpytest(*args, "--seam-gate-findings=all")
        assert "2 error findings (SEAM101 x2)" in failure_lines(result)[0]

    def test_usage_errors(self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
        """Not a repository, an unknown ref, and no git are one-line usage errors.

        Integration Scope: since.changed_files errors -> pytest.UsageError at configure.
        Business Impact: A gate that could not tell new work must stop, not pass silently.
        Success Criteria: exit status 4 and one ERROR line naming the problem and the fix.
        """
        write_project(pytester)
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(pytester.path.parent))

        def error_line(*args: str) -> str:
            result = pytester.runpytest("--seam-gate", *args)
            assert result.ret == pytest.ExitCode.USAGE_ERROR
            errors = [line for line in result.errlines if line.startswith("ERROR:")]
            assert len(errors) == 1, result.errlines
            return errors[0]

        assert error_line("--seam-since=main") == (
            f"ERROR: pytest-seams: --seam-since: {pytester.path} is not in a git repository; "
            "run pytest in a git checkout, or drop --seam-since"
        )
        init_repository(pytester.path, monkeypatch)
        assert error_line("--seam-since=origin/nope") == (
            "ERROR: pytest-seams: --seam-since: unknown git ref 'origin/nope'; fetch it (e.g. "
            "'git fetch origin main', or a deeper clone in CI) or name an existing branch, "
            "tag or commit"
        )
        assert "invalid value '--upload-pack=x' for --seam-since" in error_line(
            "--seam-since=--upload-pack=x"
        )
        empty = pytester.mkdir("no-tools")
        monkeypatch.setenv("PATH", str(empty))
        assert error_line("--seam-since=main") == (
            "ERROR: pytest-seams: --seam-since: git was not found on PATH; install git, or "
            "drop --seam-since"
        )

    @pytest.mark.skipif(
        importlib.util.find_spec("pytest_seams.checklist") is None,
        reason="the checklist (TestRecord.checklist) is filled by the checklist slice",
    )
    def test_a_failed_checklist_item_in_a_changed_file(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A new integration test without a docstring fails item 7 of the checklist; the
        legacy one, unchanged, is not judged.

        Integration Scope: checklist per test -> changed files -> checklist condition.
        Business Impact: The pre-merge checklist applies to new work, automatically.
        Success Criteria: the checklist line names only the new test and item 7.
        """
        write_project(pytester, extra=UNDOCUMENTED)
        init_repository(pytester.path, monkeypatch)
        new = pytester.path / "tests" / "integration" / "test_new.py"
        new.write_text(UNDOCUMENTED.replace("legacy", "new"), encoding="utf-8")
        result = pytester.runpytest(
            "--seam-gate", "--seam-since=main", "--seam-severity=SEAM101:warning"
        )
        lines = failure_lines(result)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert len(lines) == 1
        # The first failing item is named (an unlinked test without an entry point fails
        # more than item 7), then how many more.
        assert lines[0].startswith(
            "seams: failing the session (gate): 1 changed integration test of 1 fails "
            "checklist items: tests/integration/test_new.py::test_new item "
        )
        assert "test_legacy" not in lines[0]
        # seam_gate_checklist = all holds every integration test to it, the legacy ones too
        # (none of these tests reaches the code through an entry point: item 4).
        result = pytester.runpytest(
            "--seam-gate",
            "--seam-since=main",
            "--seam-gate-checklist=all",
            "--seam-severity=SEAM101:warning",
        )
        lines = failure_lines(result)
        assert len(lines) == 1
        assert lines[0].startswith(
            "seams: failing the session (gate): 6 integration tests of 6 fail checklist items: "
        )


class TestGateUnderXdist:
    """The gate judges the controller's merged report.

    Seam Under Test:
        xdist workers -> controller report -> gate verdict -> exit status
    """

    def test_untested_p0_fails_under_xdist(self, pytester: pytest.Pytester) -> None:
        """With -n 2 an untested P0 seam fails the gate as in one process; all tested passes.

        Integration Scope: pytest-xdist workers, controller, --seam-gate.
        Business Impact: CI runs with xdist; the gate must hold there too.
        Success Criteria: exit 1 with the coverage line; exit 0 once the seam is tested.
        """
        write_project(pytester, leave_out=("test_payment",))
        result = pytester.runpytest_subprocess("--seam-gate", "-n", "2")
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert [line[:60] for line in failure_lines(result)] == [
            "seams: failing the session (gate): P0 seam coverage 50.0% (1"
        ]
        write_project(pytester)
        assert pytester.runpytest_subprocess("--seam-gate", "-n", "2").ret == 0


class TestBaseline:
    """A legacy suite adopts the gate through a baseline of its known findings.

    Seam Under Test:
        findings -> baseline.write (--seam-baseline-write) -> file -> baseline.match -> gate
    """

    def test_baseline_adoption(self, pytester: pytest.Pytester) -> None:
        """Write a baseline on a suite with findings; the gate passes, a new finding fails
        it, moving the function keeps the file byte-identical, a fixed one is announced.

        Integration Scope: --seam-baseline, --seam-baseline-write, the file format.
        Business Impact: Teams with hundreds of legacy findings can still gate new work.
        Success Criteria:
            - the written file is sorted JSON keyed by path, code and snippet with counts
            - the gate passes against it; a second undocumented test fails it
            - moving the legacy test within its file leaves the rewritten file identical
            - removing the legacy finding prints the one-line "fixed" notice
        """
        test_file = write_project(pytester, extra=UNDOCUMENTED)
        write = ("--seam-gate", "--seam-baseline=seams-baseline.json", "--seam-baseline-write")
        result = pytester.runpytest(*write)
        assert result.ret == pytest.ExitCode.OK, failure_lines(result)
        baseline = pytester.path / "seams-baseline.json"
        text = baseline.read_text(encoding="utf-8")
        assert text == (
            '{\n  "version": 1,\n  "findings": [\n'
            '    {"path": "tests/integration/test_shop.py", "code": "SEAM101", '
            '"snippet": "def test_legacy():", "count": 1}\n  ]\n}\n'
        )
        judge = ("--seam-gate", "--seam-baseline=seams-baseline.json")
        result = pytester.runpytest(*judge)
        assert result.ret == pytest.ExitCode.OK, failure_lines(result)

        test_file.write_text(test_file.read_text() + UNDOCUMENTED.replace("legacy", "newer"))
        result = pytester.runpytest(*judge)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        assert failure_lines(result)[0].startswith(
            "seams: failing the session (gate): 1 new error finding (SEAM101 x1; 1 baselined "
            "finding not counted): tests/integration/test_shop.py:"
        )

        # Moved to the top of its file, below new lines: the same baseline, byte for byte.
        source = test_file.read_text().replace(UNDOCUMENTED.replace("legacy", "newer"), "")
        source = source.replace(UNDOCUMENTED, "")
        test_file.write_text(
            source.replace("import pytest\n", "import pytest\n\n\n" + UNDOCUMENTED)
        )
        # In a new process: an in-process run would find the module as first imported.
        assert pytester.runpytest_subprocess(*write).ret == pytest.ExitCode.OK
        assert baseline.read_text(encoding="utf-8") == text

        test_file.write_text(source)  # the legacy test is gone: its finding is fixed
        result = pytester.runpytest_subprocess(*judge)
        assert result.ret == pytest.ExitCode.OK
        assert (
            "seams: 1 baselined finding is fixed; run with --seam-baseline-write to shrink "
            "the file" in result.outlines
        )

    def test_baseline_usage_errors(self, pytester: pytest.Pytester) -> None:
        """A missing or malformed baseline file, or -write without a path, is a usage error.

        Integration Scope: GateInputs.prepare at configure.
        Business Impact: A gate against a baseline that is not there must not pass silently.
        Success Criteria: exit status 4 and one line naming the file and the fix.
        """
        write_project(pytester)
        result = pytester.runpytest("--seam-gate", "--seam-baseline=missing.json")
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines(
            ["ERROR: pytest-seams: --seam-baseline: no file missing.json; write it with "
             "--seam-baseline-write, or fix the path (rootdir-relative)"]
        )  # fmt: skip
        (pytester.path / "bad.json").write_text('{"version": 1, "findings": [{"code": 1}]}')
        result = pytester.runpytest("--seam-gate", "--seam-baseline=bad.json")
        result.stderr.fnmatch_lines(
            ["ERROR: pytest-seams: --seam-baseline: bad.json is not a baseline file (entry 1 "
             "needs path, code, snippet or message, and a count of at least 1); write it "
             "again with --seam-baseline-write"]
        )  # fmt: skip
        result = pytester.runpytest("--seam-baseline-write")
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines(["ERROR: pytest-seams: --seam-baseline-write needs *"])


class TestSeverity:
    """seam_severity overrides a code's severity for reports, strict mode and the gate.

    Seam Under Test:
        seam_severity -> severity.with_severities in build_report -> JSON report and verdict
    """

    def test_severity_overrides(self, pytester: pytest.Pytester) -> None:
        """SEAM101:warning lets the gate pass and shows as a warning; SEAM101:off drops it.

        Integration Scope: seam_severity ini key and option, the JSON report, strict mode.
        Business Impact: A team adopts rules at its own pace without suppressing each one.
        Success Criteria: exit 0 for both; the JSON finding has severity warning, then none.
        """
        import json

        write_project(pytester, extra=UNDOCUMENTED)
        pytester.makeini("[pytest]\nseam_severity = SEAM101:warning\n")
        result = pytester.runpytest(
            "--seam-gate", "--seam-mode=strict", "--seam-report=json:r.json"
        )
        assert result.ret == pytest.ExitCode.OK, failure_lines(result)
        report = json.loads((pytester.path / "r.json").read_text())
        assert [(f["code"], f["severity"]) for f in report["findings"]] == [("SEAM101", "warning")]
        result = pytester.runpytest(
            "--seam-severity=SEAM101:off", "--seam-mode=strict", "--seam-report=json:r.json"
        )
        assert result.ret == pytest.ExitCode.OK
        assert json.loads((pytester.path / "r.json").read_text())["findings"] == []

    @pytest.mark.parametrize(
        ("option", "reason"),
        [
            ("--seam-severity=SEAM999:off", "unknown code 'SEAM999'"),
            (
                "--seam-severity=SEAM101:fatal",
                "expected 'CODE:SEVERITY' with error, warning, info or off",
            ),
            ("--seam-fail-under=P0:101", "the percentage must be a number from 0 to 100"),
            ("--seam-fail-under=P7:50", "expected 'PRIORITY:PERCENT' with P0, P1, P2 or P3"),
            ("--seam-gate-checklist=some", "expected changed or all or off"),
        ],
    )
    def test_bad_gate_settings(self, pytester: pytest.Pytester, option: str, reason: str) -> None:
        """Bad gate settings are one-line usage errors naming the option and the reason.

        Integration Scope: config.SETTINGS validation of the gate settings.
        Business Impact: A typo in CI must not turn the gate off silently.
        Success Criteria: exit status 4 and the reason in the one ERROR line.
        """
        write_project(pytester)
        result = pytester.runpytest(option)
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        errors = [line for line in result.errlines if line.startswith("ERROR:")]
        assert len(errors) == 1, errors
        assert f": {reason}; allowed: " in errors[0]
