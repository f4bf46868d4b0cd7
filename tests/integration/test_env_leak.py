"""Integration tests for runtime environment-leak detection (isolation.py, SEAM701-704)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunJson

SECRET_VALUE = "hunter2-do-not-print"

# A first-party package whose helper writes the environment: the test file never names
# os.environ, so only a runtime check can see the write.
SHOP = f"""\
import os


def configure():
    os.environ["SHOP_SECRET"] = "{SECRET_VALUE}"
"""

TESTS = """\
import os

import shop


def test_configures_shop():
    shop.configure()


def test_next_sees_clean_environment():
    assert "SHOP_SECRET" not in os.environ
"""

CONFTEST = """\
import os

import pytest


@pytest.fixture(scope="session")
def session_env():
    os.environ["SESSION_FLAG"] = "1"
    yield
"""

SESSION_TESTS = """\
import os


def test_first(session_env):
    assert os.environ["SESSION_FLAG"] == "1"


def test_second(session_env):
    assert os.environ["SESSION_FLAG"] == "1"
"""


@pytest.fixture(autouse=True)
def _leak_detection_as_shipped(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """These projects run with leak detection as users get it: tests/conftest.py turns it off
    for every other pytester project."""
    if "pytester" in request.fixturenames:
        request.getfixturevalue("_pytester_projects_ask_for_seams")
        monkeypatch.setenv("PYTEST_ADDOPTS", "-p seams")


# The leaking test first, so the next one shows whether the leak cascades.
FILE_ORDER = ("-p", "no:randomly")


def _leaks(report: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    """(code, node id, path, line) of each env-leak finding."""
    return [
        (f["code"], f["nodeid"], f["path"], f["line"])
        for f in report["findings"]
        if f["category"] == "env-leak"
    ]


def _absent(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make ``name`` absent and have monkeypatch delete it again at teardown, whatever an
    inner session leaves (delenv alone records nothing for a variable that is not set)."""
    monkeypatch.setenv(name, "")
    monkeypatch.delenv(name)


def _project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    # A leak the inner session is told to leave must not reach this (outer) test's environment.
    for name in ("SHOP_SECRET", "SESSION_FLAG"):
        _absent(monkeypatch, name)
    pytester.makeini("[pytest]\npythonpath = .\n")
    pytester.mkpydir("shop").joinpath("__init__.py").write_text(SHOP)
    pytester.makepyfile(test_shop=TESTS)


class TestLeakThroughFirstPartyCode:
    """Seam Under Test: test run -> first-party helper -> process environment -> later tests."""

    def test_restore_reports_the_name_not_the_value_and_protects_the_next_test(
        self, pytester: pytest.Pytester, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A helper's environment write is caught at run time and undone.

        Integration Scope: pytest session -> LeakDetector hooks -> shop.configure -> JSON report
        Business Impact: Order-dependent failures are the costliest flakiness; a leak found at
            its source saves hours of bisecting, and restoring stops it cascading.
        Success Criteria:
            - one SEAM701 finding on test_configures_shop at its def line
            - the message names SHOP_SECRET and never its value
            - the next test, asserting the variable is absent, passes
        """
        _project(pytester, monkeypatch)
        result, report = run_json()
        result.assert_outcomes(passed=2)
        assert _leaks(report) == [
            ("SEAM701", "test_shop.py::test_configures_shop", "test_shop.py", 6)
        ]
        message = next(f["message"] for f in report["findings"] if f["code"] == "SEAM701")
        assert "added SHOP_SECRET (values not shown)" in message
        assert "restored the previous state" in message
        assert SECRET_VALUE not in result.stdout.str() + str(report)

    def test_report_mode_leaves_the_leak_in_place(
        self, pytester: pytest.Pytester, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """seam_env_leak = report names the leak and leaves it, so the next test sees it.

        Integration Scope: seam_env_leak ini -> LeakDetector -> later test's environment
        Business Impact: Teams that want to see the cascade as it is can opt out of restoring.
        Success Criteria:
            - the finding is there, without the "restored" sentence
            - the next test fails because the variable is still set
        """
        _project(pytester, monkeypatch)
        result, report = run_json("--seam-env-leak=report", *FILE_ORDER)
        result.assert_outcomes(passed=1, failed=1)
        assert [leak[0] for leak in _leaks(report)] == ["SEAM701"]
        assert "restored" not in report["findings"][0]["message"]

    def test_off_checks_nothing(
        self, pytester: pytest.Pytester, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """seam_env_leak = off registers no detector.

        Integration Scope: seam_env_leak ini -> hooks.start -> report findings
        Business Impact: A suite that cannot afford the check can turn it off entirely.
        Success Criteria:
            - no env-leak finding; the leak cascades as without pytest-seams
        """
        _project(pytester, monkeypatch)
        pytester.makeini("[pytest]\npythonpath = .\nseam_env_leak = off\n")
        result, report = run_json(*FILE_ORDER)
        result.assert_outcomes(passed=1, failed=1)
        assert _leaks(report) == []

    def test_the_same_under_xdist(
        self, pytester: pytest.Pytester, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each xdist worker checks its own tests; the controller merges their findings.

        Integration Scope: xdist worker LeakDetector -> workeroutput Evidence -> controller report
        Business Impact: Parallel CI runs must find the same leaks as a serial run.
        Success Criteria:
            - exactly one SEAM701 on test_configures_shop, both tests pass
        """
        _project(pytester, monkeypatch)
        result, report = run_json("-n", "2", subprocess=True)
        result.assert_outcomes(passed=2)
        assert _leaks(report) == [
            ("SEAM701", "test_shop.py::test_configures_shop", "test_shop.py", 6)
        ]


class TestWideFixtureAttribution:
    """Seam Under Test: session-scoped fixture -> process environment -> its teardown check."""

    @pytest.mark.parametrize("xdist", [False, True], ids=["serial", "xdist"])
    def test_session_fixture_change_is_charged_to_the_fixture(
        self,
        pytester: pytest.Pytester,
        run_json: RunJson,
        monkeypatch: pytest.MonkeyPatch,
        xdist: bool,
    ) -> None:
        """A session fixture's unrestored change is the fixture's, not the first test's.

        Integration Scope: pytest_fixture_setup / post_finalizer hooks -> LeakDetector -> report
        Business Impact: Blaming whichever test ran first would send a team to the wrong file.
        Success Criteria:
            - one SEAM701 naming conftest.py::session_env at the fixture's definition
            - no finding on either test that used it
        """
        _absent(monkeypatch, "SESSION_FLAG")
        pytester.makeconftest(CONFTEST)
        pytester.makepyfile(test_session=SESSION_TESTS)
        args = ("-n", "2") if xdist else ()
        result, report = run_json(*args, subprocess=xdist)
        result.assert_outcomes(passed=2)
        # Under xdist each worker that ran a test tears the fixture down: one finding still.
        assert _leaks(report) == [("SEAM701", "conftest.py::session_env", "conftest.py", 7)]
        message = next(f["message"] for f in report["findings"] if f["code"] == "SEAM701")
        assert message.startswith(
            "session-scoped fixture 'session_env' left environment variables changed after its "
            "teardown: added SESSION_FLAG"
        )

    def test_restored_fixture_and_cwd_and_sys_path(
        self, pytester: pytest.Pytester, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A module fixture that undoes its change is clean; a test's chdir and sys.path
        changes are SEAM702 and SEAM703 warnings.

        Integration Scope: module fixture teardown, os.chdir, sys.path -> LeakDetector -> report
        Business Impact: Only real leaks are reported: a fixture that cleans up is not noise.
        Success Criteria:
            - SEAM702 and SEAM703 on test_moves only
            - no finding on the module fixture that restores its variable
        """
        _absent(monkeypatch, "MODULE_FLAG")
        pytester.makepyfile(
            test_moves="""
            import os
            import sys

            import pytest


            @pytest.fixture(scope="module")
            def tidy():
                os.environ["MODULE_FLAG"] = "1"
                yield
                del os.environ["MODULE_FLAG"]


            def test_moves(tidy, tmp_path):
                os.chdir(tmp_path)
                sys.path.append(str(tmp_path))


            def test_after(tidy):
                assert os.environ["MODULE_FLAG"] == "1"
            """
        )
        result, report = run_json()
        result.assert_outcomes(passed=2)
        assert sorted(_leaks(report)) == [
            ("SEAM702", "test_moves.py::test_moves", "test_moves.py", 14),
            ("SEAM703", "test_moves.py::test_moves", "test_moves.py", 14),
        ]


class TestFirstPartyModules:
    """Seam Under Test: test run -> sys.modules of first-party packages -> LeakDetector."""

    def test_faked_and_removed_modules_are_warnings_and_first_imports_are_not(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A fake put into sys.modules and a first-party module removed from it are SEAM704
        warnings; importing a first-party module for the first time is not a leak.

        Integration Scope: sys.modules writes in tests -> LeakDetector -> module-leak findings
        Business Impact: A fake module left registered makes later tests run against the fake.
        Success Criteria:
            - SEAM704 on the test that registers a fake and on the one that removes a module
            - each message names the module; no finding on the test that imports shop.extra
            - the findings are warnings: the run exits 0 in warn mode
        """
        pytester.makeini("[pytest]\npythonpath = .\n")
        package = pytester.mkpydir("shop")
        package.joinpath("extra.py").write_text("VALUE = 1\n")
        package.joinpath("payments.py").write_text("def charge():\n    return 'real'\n")
        pytester.makepyfile(
            test_modules="""
            import sys
            import types

            import shop.payments


            def test_imports_a_module_first_time():
                import shop.extra

                assert shop.extra.VALUE == 1


            def test_registers_a_fake_gateway():
                sys.modules["shop.gateway"] = types.SimpleNamespace(charge=lambda: "fake")


            def test_drops_the_payments_module():
                del sys.modules["shop.payments"]
            """
        )
        result, report = run_json(*FILE_ORDER)
        result.assert_outcomes(passed=3)
        assert result.ret == pytest.ExitCode.OK
        found = {
            f["nodeid"].rsplit("::", 1)[1]: (f["code"], f["severity"], f["message"])
            for f in report["findings"]
            if f["category"] == "env-leak"
        }
        assert set(found) == {"test_registers_a_fake_gateway", "test_drops_the_payments_module"}
        assert {(code, severity) for code, severity, _ in found.values()} == {
            ("SEAM704", "warning")
        }
        assert "shop.gateway" in found["test_registers_a_fake_gateway"][2]
        assert "shop.payments" in found["test_drops_the_payments_module"][2]


class TestQuietInTracebacks:
    """Seam Under Test: LeakDetector hook wrappers -> pytest's failure tracebacks."""

    def test_a_failing_wide_fixture_shows_its_code_not_ours(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """A module fixture that raises (a container that cannot start, say) errors with a
        traceback of its own code; the detector's hook wrapper is not in it.

        Integration Scope: pytest_fixture_setup wrapper -> pytest's long traceback
        Business Impact: Users debugging their fixtures must not wade through our frames.
        Success Criteria:
            - the test errors with the fixture's exception
            - no line of the output names pytest_seams/isolation.py
        """
        pytester.makepyfile(
            test_broken="""
            import pytest


            @pytest.fixture(scope="module")
            def container():
                raise RuntimeError("docker is not running")


            def test_uses_it(container):
                assert container
            """
        )
        result, _report = run_json("--tb=long")
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*RuntimeError: docker is not running*"])
        assert "isolation.py" not in result.stdout.str()


class TestPytestsOwnChanges:
    """Seam Under Test: pytest's package setup (prepend import mode) -> sys.path -> LeakDetector."""

    def test_pytest_re_inserting_a_package_root_is_not_a_leak(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """pytest re-inserts a package's root at the front of sys.path when it sets the package
        up for its first test; that is not the test's leak. A test that adds a new entry is.

        Integration Scope: Package.setup's import of __init__.py -> sys.path -> LeakDetector
        Business Impact: Seen on a real FastAPI suite: the first test of a test package got a
            SEAM703 for a sys.path change pytest itself made.
        Success Criteria:
            - no finding on the packaged test, though pytest changed sys.path in its setup
            - one SEAM703 on the test that appends a folder, naming it rootdir-relative
        """
        pytester.mkpydir("checks")
        package = pytester.mkpydir("checks/sub")
        package.joinpath("test_packaged.py").write_text("def test_packaged():\n    assert True\n")
        # Collected after checks/, a rootless module puts its own folder first on sys.path, so
        # pytest's package setup has to put the package root back in front.
        pytester.mkdir("zother").joinpath("test_rootless.py").write_text(
            "import sys\n\n\ndef test_adds_a_folder(request):\n"
            "    sys.path.append(str(request.config.rootpath / 'plugins'))\n"
        )
        result, report = run_json(*FILE_ORDER)
        result.assert_outcomes(passed=2)
        leaks = [f for f in report["findings"] if f["category"] == "env-leak"]
        assert [(f["code"], f["nodeid"]) for f in leaks] == [
            ("SEAM703", "zother/test_rootless.py::test_adds_a_folder")
        ]
        assert (
            "sys.path changed once its function-scoped fixtures had torn down: added "
            "'<rootdir>/plugins'. Fix:" in leaks[0]["message"]
        )


class TestHostileProcessState:
    """Seam Under Test: odd sys.path entries -> LeakDetector -> findings, never a crash."""

    def test_sys_path_entries_that_are_not_strings(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Entries import ignores (bytes, a list) are still reported, and never break the run.

        Integration Scope: sys.path.append of non-str objects -> LeakDetector -> report
        Business Impact: A plugin loads into every session: odd state in a user's test must
            not become an INTERNALERROR.
        Success Criteria:
            - all tests pass, no INTERNALERROR, no SEAM000
            - one SEAM703 per test, naming the entry by its repr
        """
        pytester.makepyfile(
            test_odd="""
            import sys


            def test_bytes_entry():
                sys.path.append(b"/nowhere")


            def test_unhashable_entry():
                sys.path.append(["odd"])


            def test_after():
                assert all(isinstance(entry, str) for entry in sys.path)
            """
        )
        result, report = run_json(*FILE_ORDER)
        result.assert_outcomes(passed=3)
        assert "INTERNALERROR" not in result.stdout.str()
        found = {
            f["nodeid"].rsplit("::", 1)[1]: (f["code"], f["message"]) for f in report["findings"]
        }
        assert {name: code for name, (code, _) in found.items()} == {
            "test_bytes_entry": "SEAM703",
            "test_unhashable_entry": "SEAM703",
        }
        assert "b'/nowhere'" in found["test_bytes_entry"][1]
        assert "['odd']" in found["test_unhashable_entry"][1]
