"""Integration tests for settings: command line, ini files and one-line usage errors."""

from __future__ import annotations

import pytest

from tests.conftest import RunJson, codes_by_test

UNDOCUMENTED = {"tests/integration/test_api": "def test_api():\n    pass\n"}


class TestConfiguration:
    """Reading settings from every place pytest reads settings from.

    Seam Under Test:
        command line / ini files -> pydantic Config -> plugin behaviour
    """

    @pytest.mark.parametrize(
        ("args", "named"),
        [
            (["--seam-report=xml:out.xml"], "'xml:out.xml' for --seam-report / seam_report"),
            (["--seam-report=term:x.txt"], "'term:x.txt' for --seam-report / seam_report"),
            (["--seam-report=json:"], "'json:' for --seam-report / seam_report"),
            (["--seam-mode=loud"], "'loud' for --seam-mode / seam_mode"),
            (["--seam-per-path-ignore=tests/*:SEAM999"], "--seam-per-path-ignore"),
            (["--seam-per-path-ignore=no-codes"], "--seam-per-path-ignore"),
        ],
    )
    def test_bad_command_line_value_is_a_one_line_usage_error(
        self, pytester: pytest.Pytester, args: list[str], named: str
    ) -> None:
        """A wrong option value stops the run with one line naming option, value and choices.

        Integration Scope: pytest option parsing, Config validation, pytest's UsageError path.
        Business Impact: A typo in CI must be obvious, not a traceback to dig through.
        Success Criteria:
            - exit status 4 (usage error) and no traceback
            - exactly one ERROR line naming the option, the value and the allowed values
        """
        pytester.makepyfile(**UNDOCUMENTED)
        result = pytester.runpytest(*args)
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        errors = [line for line in result.errlines if line.startswith("ERROR:")]
        assert len(errors) == 1
        assert named in errors[0]
        assert "allowed:" in errors[0]
        assert "Traceback" not in result.stderr.str()

    @pytest.mark.parametrize(
        ("filename", "content"),
        [
            ("pytest.ini", "[pytest]\nseam_mode = loud\n"),
            ("tox.ini", "[pytest]\nseam_mode = loud\n"),
            ("setup.cfg", "[tool:pytest]\nseam_mode = loud\n"),
            ("pyproject.toml", '[tool.pytest.ini_options]\nseam_mode = "loud"\n'),
        ],
    )
    def test_bad_ini_value_is_a_one_line_usage_error(
        self, pytester: pytest.Pytester, filename: str, content: str
    ) -> None:
        """A wrong value in any ini file gives the same one-line usage error.

        Integration Scope: each ini file format pytest reads, Config validation.
        Business Impact: Settings live in whichever file a team already uses.
        Success Criteria: exit status 4 with one line naming seam_mode, 'loud' and the modes.
        """
        pytester.makepyfile(**UNDOCUMENTED)
        (pytester.path / filename).write_text(content)
        result = pytester.runpytest()
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines(
            ["ERROR: pytest-seams: invalid value 'loud' for --seam-mode / seam_mode*allowed: off,*"]
        )

    @pytest.mark.parametrize(
        ("filename", "content"),
        [
            ("pytest.ini", "[pytest]\nseam_integration_paths = checks/**\n"),
            ("tox.ini", "[pytest]\nseam_integration_paths = checks/**\n"),
            ("setup.cfg", "[tool:pytest]\nseam_integration_paths = checks/**\n"),
            (
                "pyproject.toml",
                '[tool.pytest.ini_options]\nseam_integration_paths = ["checks/**"]\n',
            ),
        ],
    )
    def test_settings_are_read_from_every_ini_file(
        self, pytester: pytest.Pytester, run_json: RunJson, filename: str, content: str
    ) -> None:
        """Integration paths set in any ini file decide which tests are held to the contract.

        Integration Scope: ini readers, path globs, integration classification.
        Business Impact: Projects keep integration tests in folders of their own naming.
        Success Criteria: the test under checks/ is checked; tests/integration is no longer.
        """
        pytester.makepyfile(**UNDOCUMENTED, **{"checks/test_flow": "def test_flow():\n    pass\n"})
        (pytester.path / filename).write_text(content)
        _, report = run_json()
        assert codes_by_test(report) == {"test_flow": ["SEAM101"]}

    def test_command_line_wins_over_ini(self, pytester: pytest.Pytester, run_json: RunJson) -> None:
        """The command line overrides ini, as everywhere in pytest.

        Integration Scope: option precedence between ini and command line.
        Business Impact: A one-off run can change a setting without editing files.
        Success Criteria: --seam-mode=off silences the strict mode set in ini.
        """
        pytester.makepyfile(**UNDOCUMENTED)
        pytester.makeini("[pytest]\nseam_mode = strict\n")
        assert pytester.runpytest().ret == pytest.ExitCode.TESTS_FAILED
        result = pytester.runpytest("--seam-mode=off")
        assert result.ret == pytest.ExitCode.OK
        assert "= seams =" not in result.stdout.str()

    def test_report_header_names_mode_and_reports(self, pytester: pytest.Pytester) -> None:
        """The session header says how pytest-seams is configured.

        Integration Scope: report header hook, Config.
        Business Impact: CI logs show at a glance which checks ran.
        Success Criteria: the header line lists the mode and every report.
        """
        pytester.makepyfile(**UNDOCUMENTED)
        result = pytester.runpytest("--seam-report=term", "--seam-report=json")
        result.stdout.fnmatch_lines(["seams: mode=warn, reports=term, json:seams.json"])
        assert (pytester.path / "seams.json").exists()
