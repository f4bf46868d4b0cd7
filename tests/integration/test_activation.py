"""Integration tests for when pytest-seams is active: only in a project that asked for it."""

from __future__ import annotations

import pytest

UNDOCUMENTED = {"tests/integration/test_flow": "def test_undocumented():\n    assert True\n"}
UNIT_ONLY = {"tests/unit/test_math": "def test_sum():\n    assert 1 + 1 == 2\n"}
PLAN = "# Test plan\n\n## P0 - Must Have\n\n### 1. SEAM: API -> OrderService\n"


def _seams_output(result: pytest.RunResult) -> list[str]:
    """Lines pytest-seams prints (the header, the section and its lines all start so)."""
    return [line for line in result.outlines if line.startswith("seams") or " seams " in line]


class TestInactiveUnlessAsked:
    """An installed pytest-seams stays out of projects that did not ask for it.

    Seam Under Test:
        entry-point autoload -> pytest_configure activation check -> header, report, cache
    """

    def test_unconfigured_project_gets_nothing(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A project with the plugin installed but no -p, no setting and no plan sees nothing.

        Integration Scope: pytest's entry-point autoload, plugin.pytest_configure, the
            terminal reporter and pytest's cache folder.
        Business Impact: In a shared environment every other project keeps its output and
            its exit status; a tool that prints where nobody asked is uninstalled.
        Success Criteria:
            - an undocumented integration test passes with exit status 0
            - no "seams" line in the header or summary, no seams section
            - no seams-analysis folder in .pytest_cache
            - the seam markers are still registered (--strict-markers keeps working)
        """
        monkeypatch.delenv("PYTEST_ADDOPTS")
        pytester.makepyfile(
            **UNDOCUMENTED,
            **{
                "tests/integration/test_marked": (
                    "import pytest\n\n@pytest.mark.seam_ignore('SEAM101')\n"
                    "@pytest.mark.seam('S1')\ndef test_marked():\n    assert True\n"
                )
            },
        )
        result = pytester.runpytest("--strict-markers")
        assert result.ret == pytest.ExitCode.OK
        result.assert_outcomes(passed=2)
        assert _seams_output(result) == []
        assert not (pytester.path / ".pytest_cache" / "d" / "seams-analysis").exists()

    def test_inactive_session_loads_no_engine(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An inactive session imports only the entry point, its settings and the activation
        check: not the engine, the report model, pydantic or libcst.

        Integration Scope: pytest's entry-point autoload of pytest_seams.plugin in a fresh
            interpreter, the activation check, sys.modules at the end of the session.
        Business Impact: Every pytest session of an environment pays for the plugin's import;
            a project that did not ask must find it nearly free.
        Success Criteria:
            - the session passes and pytest_seams.plugin was loaded
            - none of pytest_seams.hooks, .model, .collect, .analysis, pydantic or libcst was
        """
        monkeypatch.delenv("PYTEST_ADDOPTS")
        pytester.makepyfile(
            **UNIT_ONLY,
            conftest=(
                "import sys\n\n\ndef pytest_unconfigure(config):\n"
                "    loaded = sorted(name for name in sys.modules\n"
                "                    if name.startswith(('pytest_seams', 'pydantic', 'libcst')))\n"
                "    print('LOADED', ' '.join(loaded))\n"
            ),
        )
        result = pytester.runpytest_subprocess("-s")
        assert result.ret == pytest.ExitCode.OK
        loaded = next(line for line in result.outlines if line.startswith("LOADED")).split()[1:]
        assert "pytest_seams.plugin" in loaded
        heavy = ("pytest_seams.hooks", "pytest_seams.model", "pytest_seams.collect")
        assert [name for name in loaded if name.startswith(heavy)] == []
        assert [
            name
            for name in loaded
            if name.startswith(("pytest_seams.analysis", "pydantic", "libcst"))
        ] == []

    def test_plan_deeper_than_two_levels_does_not_activate(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A TEST_PLAN.md three folders below rootdir is not looked for by an unasked session.

        Integration Scope: activation.plan_nearby on a real directory tree.
        Business Impact: The activation check runs in every session of the environment; it
            must stay a few directory reads, not a walk of the whole repository.
        Success Criteria:
            - no seams output, exit 0, with docs/a/b/TEST_PLAN.md present
        """
        monkeypatch.delenv("PYTEST_ADDOPTS")
        pytester.makepyfile(**UNDOCUMENTED)
        deep = pytester.path / "docs" / "a" / "b"
        deep.mkdir(parents=True)
        (deep / "TEST_PLAN.md").write_text(PLAN)
        result = pytester.runpytest()
        assert result.ret == pytest.ExitCode.OK
        assert _seams_output(result) == []


ACTIVE_FINDING = "SEAM101 docstring-missing (error): 1"


class TestEachTriggerActivates:
    """Each way of asking turns pytest-seams on.

    Seam Under Test:
        command line, PYTEST_ADDOPTS, ini files, plan files -> activation -> seams report
    """

    @pytest.mark.parametrize(
        "args",
        [("-p", "seams"), ("-pseams",), ("--seam-mode=warn",), ("--seam-report=term",)],
        ids=["p-seams", "p-joined", "seam-mode-option", "seam-report-option"],
    )
    def test_command_line(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
    ) -> None:
        """-p seams or any --seam-* option on the command line activates the plugin.

        Integration Scope: pytest's argument parsing, plugin.pytest_configure, term report.
        Business Impact: The documented ways of asking must work the first time.
        Success Criteria:
            - the header says "seams: mode=warn" and the report lists SEAM101
        """
        monkeypatch.delenv("PYTEST_ADDOPTS")
        pytester.makepyfile(**UNDOCUMENTED)
        result = pytester.runpytest(*args)
        result.stdout.fnmatch_lines(
            ["seams: mode=warn, reports=term", "*= seams =*", ACTIVE_FINDING]
        )

    def test_pytest_addopts_environment(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """-p seams in PYTEST_ADDOPTS activates the plugin.

        Integration Scope: PYTEST_ADDOPTS, pytest's preparse, plugin activation.
        Business Impact: CI often turns plugins on through the environment.
        Success Criteria:
            - the report lists SEAM101
        """
        monkeypatch.setenv("PYTEST_ADDOPTS", "-p seams")
        pytester.makepyfile(**UNDOCUMENTED)
        result = pytester.runpytest()
        result.stdout.fnmatch_lines(["*= seams =*", ACTIVE_FINDING])

    @pytest.mark.parametrize(
        "ini",
        [
            "[pytest]\naddopts = -p seams\n",
            "[pytest]\nseam_mode = warn\n",
            "[pytest]\nseam_integration_markers = integration\n",
        ],
        ids=["addopts", "seam-mode", "seam-integration-markers"],
    )
    def test_ini_file(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ini: str
    ) -> None:
        """-p seams in addopts, or any seam_* key, in the ini file activates the plugin.

        Integration Scope: pytest.ini reading, plugin activation, term report.
        Business Impact: A project configures the plugin once, for every run.
        Success Criteria:
            - the report lists SEAM101
        """
        monkeypatch.delenv("PYTEST_ADDOPTS")
        pytester.makefile(".ini", pytest=ini)
        pytester.makepyfile(**UNDOCUMENTED)
        result = pytester.runpytest()
        result.stdout.fnmatch_lines(["*= seams =*", ACTIVE_FINDING])

    @pytest.mark.parametrize(
        "plan", ["TEST_PLAN.md", "tests/TEST_PLAN.md", "tests/integration/test_plan_checkout.md"]
    )
    def test_plan_file(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, plan: str
    ) -> None:
        """A test plan in rootdir or up to two levels below it activates the plugin, even for
        a run of one file.

        Integration Scope: activation.plan_nearby, plan parsing, seam report.
        Business Impact: Writing a TEST_PLAN.md is asking for seam coverage; it must not need
            a second setting, and a focused run must behave as the full one.
        Success Criteria:
            - the plan's seam is reported, and SEAM101 listed
        """
        monkeypatch.delenv("PYTEST_ADDOPTS")
        pytester.makepyfile(**UNDOCUMENTED)
        (pytester.path / plan).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / plan).write_text(PLAN)
        result = pytester.runpytest("tests/integration/test_flow.py")
        result.stdout.fnmatch_lines(
            [
                "*= seams =*",
                f"{plan}  P0 * 1 * 0 * 0 * 0 * 1 * 0 * 0%",
                "*not-run*API -> OrderService*",
            ]
        )
        result.stdout.fnmatch_lines([ACTIVE_FINDING])


class TestNoIntegrationTestHint:
    """One line tells an active project with no integration test how they are recognised.

    Seam Under Test:
        collected tests -> integration classification -> terminal summary hint
    """

    def test_hint_when_no_test_is_integration(self, pytester: pytest.Pytester) -> None:
        """Tests exist, none is an integration test: one line names the settings.

        Integration Scope: collection, integration classification, terminal summary.
        Business Impact: A new user whose suite keeps integration tests elsewhere learns in
            one line why nothing is checked, instead of trusting an empty report.
        Success Criteria:
            - exactly one hint line, naming both settings and their values
        """
        pytester.makepyfile(**UNIT_ONLY)
        result = pytester.runpytest()
        hint = (
            "seams: no integration test among 1 test: a test is one when its file "
            "matches seam_integration_paths (**/integration/**) or it carries a marker named in "
            "seam_integration_markers (integration); set those (or --seam-integration-paths, "
            "--seam-integration-markers) to match your suite."
        )
        assert [line for line in result.outlines if "no integration test among" in line] == [hint]

    def test_no_hint_with_an_integration_test_or_without_tests(
        self, pytester: pytest.Pytester
    ) -> None:
        """An integration test among the tests, or no test at all: no hint.

        Integration Scope: collection, integration classification, terminal summary.
        Business Impact: A hint that shows when nothing is wrong teaches users to skip it.
        Success Criteria:
            - no hint beside an integration test (by marker), nor in an empty session
        """
        pytester.makepyfile(
            **UNIT_ONLY,
            **{
                "tests/unit/test_marked": (
                    "import pytest\n\n@pytest.mark.integration\ndef test_marked():\n"
                    "    assert True\n"
                )
            },
        )
        with_integration = pytester.runpytest()
        assert "no integration test among" not in with_integration.stdout.str()
        empty = pytester.runpytest("-k", "nothing_matches_this")
        assert "no integration test among" not in empty.stdout.str()
