"""Integration tests for hostile test sources: files the parser or the analysis cannot take.

libcst's native parser overflows its stack on some modules CPython runs (and the process dies),
takes minutes on others, and the analysis walker recurses; none of this may break a run.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import pytest

from tests.conftest import Compared

# An 8,000-term `and` chain: valid Python that runs, and that killed the process in libcst's
# parser (SIGSEGV) on this machine's 8 MB stack.
AND_CHAIN = (
    "def test_chain():\n    a = 1\n    b = (" + " and ".join(["a"] * 8_000) + ")\n    assert b\n"
)
ENV_WRITE = "import os\n\n\ndef test_env():\n    os.environ['X'] = '1'\n"


def by_code_and_path(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["code"], f["path"]): f for f in report["findings"]}


def not_analysed(report: dict[str, Any], path: str) -> str:
    """The message of the SEAM003 finding of a file (KeyError when there is none)."""
    return by_code_and_path(report)[("SEAM003", path)]["message"]


def lint_json(pytester: pytest.Pytester, *paths: str) -> tuple[int, list[dict[str, Any]]]:
    result = pytester.run(
        sys.executable, "-m", "pytest_seams.cli", "lint", "--format=json", "--no-cache", *paths
    )
    return result.ret, json.loads(result.stdout.str())["findings"]


class TestParserLimits:
    """Sources that crash or stall libcst's parser are skipped with a finding, never run.

    Seam Under Test:
        test module bytes -> parse guard (CPython parser, nesting limit, large-stack thread)
        -> libcst -> SEAM003 finding
    """

    def test_segfault_class_module_is_skipped_and_named(
        self, pytester: pytest.Pytester, run_both: Any
    ) -> None:
        """A valid module that kills libcst's parser runs as without the plugin; SEAM003 says why.

        Integration Scope: pytest session in a subprocess, parse guard, ProjectAnalysis, report.
        Business Impact: A plugin that segfaults on a valid test file loses a team its whole run.
        Success Criteria:
            - libcst on its own dies on the module (a signal), proving the trigger is real
            - the session with the plugin has the same status and outcomes as without it
            - SEAM003 names the file and says the nesting is too deep, with the line
            - the env write in another file is still found
        """
        pytest.importorskip("resource")
        pytester.makepyfile(test_chain=AND_CHAIN, test_env=ENV_WRITE)
        crash = pytester.run(
            sys.executable,
            "-c",
            "import resource, libcst\n"
            "resource.setrlimit(resource.RLIMIT_STACK, (8 << 20, resource.getrlimit("
            "resource.RLIMIT_STACK)[1]))\n"
            "libcst.parse_module(open('test_chain.py').read())\n",
        )
        assert crash.ret < 0, "libcst parsed the chain: it is no longer segfault-class here"
        compared: Compared = run_both(subprocess=True)
        assert compared.seams.ret == pytest.ExitCode.OK
        message = not_analysed(compared.report, "test_chain.py")
        assert "nesting deeper than 200 levels at line 3" in message
        assert "split it into smaller ones" in message
        assert ("SEAM201", "test_env.py") in by_code_and_path(compared.report)

    def test_segfault_class_conftest_is_skipped_and_named(
        self, pytester: pytest.Pytester, run_both: Any
    ) -> None:
        """A conftest.py holding a parser-killing expression is skipped with SEAM003.

        Integration Scope: conftest discovery, parse guard, report, in a subprocess.
        Business Impact: conftests load in every session; one must not take the plugin down.
        Success Criteria:
            - same exit status and outcomes with and without the plugin
            - SEAM003 names conftest.py
        """
        pytester.makeconftest("a = 1\nCHAIN = (" + " and ".join(["a"] * 8_000) + ")\n")
        pytester.makepyfile(test_ok="def test_ok():\n    pass\n")
        compared: Compared = run_both(subprocess=True)
        assert compared.seams.ret == pytest.ExitCode.OK
        assert "nesting deeper than 200" in not_analysed(compared.report, "conftest.py")

    @pytest.mark.parametrize(
        ("body", "reason"),
        [
            ("x = " + "(" * 3_000 + "1" + ")" * 3_000, "too many nested parentheses"),
            ("x = " + "[" * 5_000 + "]" * 5_000, "too many nested parentheses"),
            # Python 3.11 and 3.12 reject this chain; 3.10 and 3.13 parse it, then the guard.
            ("x = a" + "[0]" * 5_000, ("cannot parse", "nesting deeper than 200")),
        ],
        ids=["3000-parens", "5000-lists", "5000-subscripts"],
    )
    def test_modules_python_rejects_stay_collection_errors(
        self, pytester: pytest.Pytester, run_both: Any, body: str, reason: str | tuple[str, ...]
    ) -> None:
        """Nesting that crashes libcst, or takes it minutes, and that CPython rejects: pytest's
        collection error as without the plugin, quickly, and a SEAM003 with the reason.

        Integration Scope: pytest collection error, parse guard, report, in a subprocess.
        Business Impact: The parser must neither crash nor stall on a file pytest rejects.
        Success Criteria:
            - same exit status (2, a collection error) and outcomes with and without the plugin
            - SEAM003 names the file with CPython's reason (or the guard's, where this
              Python's parser takes the input and only importing it fails)
            - both sessions take well under the 150 s libcst needed for 5,000 subscripts
        """
        pytester.makepyfile(test_deep=f"a = [0]\n{body}\n", test_ok="def test_ok():\n    pass\n")
        started = time.monotonic()
        compared: Compared = run_both(subprocess=True)
        assert time.monotonic() - started < 60
        assert compared.seams.ret == pytest.ExitCode.INTERRUPTED
        message = not_analysed(compared.report, "test_deep.py")
        assert any(text in message for text in ((reason,) if isinstance(reason, str) else reason))

    def test_slow_valid_chain_is_skipped_quickly(
        self, pytester: pytest.Pytester, run_both: Any
    ) -> None:
        """600 chained subscripts, valid and run fine, are not handed to the slow parser.

        Integration Scope: pytest session, parse guard, report.
        Business Impact: A file that costs the parser seconds or minutes must not stall a run.
        Success Criteria:
            - same exit status and outcomes with and without the plugin
            - SEAM003 names the file: nesting deeper than 200 levels
        """
        pytester.makepyfile(
            test_slow="def test_slow():\n    a = [0]\n    a[0] = a\n    b = a"
            + "[0]" * 600
            + "\n    assert b\n"
        )
        compared: Compared = run_both()
        assert compared.seams.ret == pytest.ExitCode.OK
        assert compared.seams.parseoutcomes() == {"passed": 1}
        assert "nesting deeper than 200" in not_analysed(compared.report, "test_slow.py")

    def test_walker_recursion_costs_one_file(
        self, pytester: pytest.Pytester, run_both: Any
    ) -> None:
        """A valid expression too deep for the analysis walker costs its own file only.

        Integration Scope: pytest session, analysis walker, per-file failure handling, report.
        Business Impact: One odd file must not wipe the static findings of every other file.
        Success Criteria:
            - same exit status and outcomes with and without the plugin
            - SEAM003 names the deep file and Python's recursion limit; no SEAM000
            - the env write in the other file is still found
        """
        strings = " ".join(["'a'"] * 1_500)  # one literal to CPython, 1,500 nested nodes to libcst
        pytester.makepyfile(
            test_deep=f"def test_deep():\n    text = ({strings})\n    assert text\n",
            test_env=ENV_WRITE,
        )
        compared: Compared = run_both()
        found = by_code_and_path(compared.report)
        assert "recursion limit" in not_analysed(compared.report, "test_deep.py")
        assert ("SEAM201", "test_env.py") in found
        assert not [code for code, _ in found if code == "SEAM000"]


class TestCommandsOnHostileFiles:
    """`seams lint` and `seams fix` on files that crash or stall the parser.

    Seam Under Test:
        seams CLI -> parse guard -> JSON output and exit status
    """

    def test_lint_prints_json_and_exits_2(self, pytester: pytest.Pytester) -> None:
        """lint on a parser-killing file: valid JSON naming it, exit 2 (trouble), not a crash.

        Integration Scope: the seams lint command in a subprocess, parse guard, JSON output.
        Business Impact: CI scripts parse lint's output; a crash or a wrong status misleads them.
        Success Criteria:
            - exit status 2; stdout is one JSON list
            - SEAM003 names the chain file; the env write elsewhere is still reported
        """
        pytester.makepyfile(test_chain=AND_CHAIN, test_env=ENV_WRITE, conftest=AND_CHAIN)
        status, findings = lint_json(pytester, ".")
        assert status == 2
        paths = {(f["code"], f["path"]) for f in findings}
        assert {("SEAM003", "test_chain.py"), ("SEAM003", "conftest.py")} <= paths
        assert ("SEAM201", "test_env.py") in paths

    def test_lint_never_reads_fifos_or_devices(self, pytester: pytest.Pytester) -> None:
        """lint on a folder holding a FIFO and a /dev/zero symlink named like test files.

        Integration Scope: the seams lint command in a subprocess, file discovery, reading.
        Business Impact: A FIFO blocked lint forever; /dev/zero would read until memory ran out.
        Success Criteria:
            - lint finishes (within a timeout), exit status 2, valid JSON
            - each is a SEAM003 naming its kind; the env write elsewhere is still reported
        """
        pytester.makepyfile(test_env=ENV_WRITE)
        os.mkfifo(pytester.path / "test_fifo.py")
        (pytester.path / "test_zero.py").symlink_to("/dev/zero")
        result = pytester.run(
            sys.executable,
            "-m",
            "pytest_seams.cli",
            "lint",
            "--format=json",
            "--no-cache",
            ".",
            timeout=60,
        )
        assert result.ret == 2
        found = {
            (f["code"], f["path"], f["message"])
            for f in json.loads(result.stdout.str())["findings"]
        }
        messages = {path: message for code, path, message in found if code == "SEAM003"}
        assert "it is a FIFO, not a regular file" in messages["test_fifo.py"]
        assert "it is a character device, not a regular file" in messages["test_zero.py"]
        assert any(code == "SEAM201" and path == "test_env.py" for code, path, _ in found)

    def test_fix_reports_the_file_and_goes_on(self, pytester: pytest.Pytester) -> None:
        """fix on a parser-killing file: an error line naming it, the other file still fixed.

        Integration Scope: the seams fix command in a subprocess, parse guard.
        Business Impact: A crash in fix would leave a team's other fixes undone.
        Success Criteria:
            - exit status 1 with an error line that names the file and the nesting limit
            - the env write in the other file is rewritten; the chain file is unchanged
        """
        pytester.makepyfile(test_chain=AND_CHAIN, test_env=ENV_WRITE)
        result = pytester.run(sys.executable, "-m", "pytest_seams.cli", "fix", "--write", ".")
        assert result.ret == 1
        result.stdout.fnmatch_lines(["test_chain.py: error: nesting deeper than 200 levels*"])
        assert "monkeypatch.setenv" in (pytester.path / "test_env.py").read_text()
        assert (pytester.path / "test_chain.py").read_text().strip() == AND_CHAIN.strip()

    def test_fix_reports_a_tree_too_deep_to_walk(self, pytester: pytest.Pytester) -> None:
        """fix on 1,500 implicitly concatenated strings (one literal to CPython, 1,500 nested
        nodes to libcst): an error line, not a RecursionError traceback.

        Integration Scope: the seams fix command in a subprocess, parse guard's tree depth.
        Business Impact: A traceback from fix reads as a broken tool and stops the batch.
        Success Criteria:
            - exit status 1 with an error line naming the file and the depth limit
            - no traceback; the file is unchanged
        """
        strings = " ".join(["'a'"] * 1_500)
        source = ENV_WRITE + f"    text = ({strings})\n"
        pytester.makepyfile(test_deep=source)
        result = pytester.run(sys.executable, "-m", "pytest_seams.cli", "fix", "--write", ".")
        assert result.ret == 1
        result.stdout.fnmatch_lines(["test_deep.py: error: *nested deeper than 400 levels*"])
        assert "Traceback" not in result.stderr.str()
        assert (pytester.path / "test_deep.py").read_text().strip() == source.strip()


class TestEncodingsAndGeneratedCode:
    """Files are read as Python reads them; code compiled from strings is no file to read.

    Seam Under Test:
        test module bytes / test function code objects -> decoding, file list -> SEAM003
    """

    def test_coding_cookie_is_honoured(self, pytester: pytest.Pytester, run_both: Any) -> None:
        """A Shift-JIS test module with its coding line is analysed, as Python runs it.

        Integration Scope: pytest session, ProjectAnalysis decoding, static rules, report.
        Business Impact: A false "cannot read" hides the file's real findings.
        Success Criteria:
            - same exit status and outcomes with and without the plugin
            - no SEAM003; the env write in the file is found
        """
        source = ENV_WRITE.replace("'1'", "'テスト'")
        pytester.path.joinpath("test_sjis.py").write_bytes(
            ("# -*- coding: shift_jis -*-\n" + source).encode("shift_jis")
        )
        compared: Compared = run_both()
        assert compared.seams.parseoutcomes() == {"passed": 1}
        found = by_code_and_path(compared.report)
        assert ("SEAM003", "test_sjis.py") not in found
        assert found[("SEAM201", "test_sjis.py")]["line"] == 6

    @pytest.mark.parametrize("warnings_option", [(), ("-W", "error::DeprecationWarning")])
    def test_source_warnings_are_not_ours_to_raise(
        self, pytester: pytest.Pytester, run_both: Any, warnings_option: tuple[str, ...]
    ) -> None:
        """A module with an invalid escape sequence: parsing it adds no warning and, under
        -W error, no false "cannot parse".

        Integration Scope: pytest session with warning filters, parse guard, report.
        Business Impact: Warnings or false findings from us in a project that asked for none.
        Success Criteria:
            - same exit status and outcomes with and without the plugin
            - no SEAM003; the env write in the file is found; no extra warning printed
        """
        pytester.makepyfile(test_escape=ENV_WRITE + "\n\nPATTERN = '\\d+'\n")
        compared: Compared = run_both(*warnings_option, subprocess=True)  # own warning filters
        found = by_code_and_path(compared.report)
        assert ("SEAM003", "test_escape.py") not in found
        assert ("SEAM201", "test_escape.py") in found
        plain, seams = compared.plain.stdout.str(), compared.seams.stdout.str()
        assert seams.count("invalid escape sequence") == plain.count("invalid escape sequence")

    def test_undecodable_file_says_why(self, pytester: pytest.Pytester) -> None:
        """A file that is not valid in its declared encoding gets SEAM003 saying where.

        Integration Scope: the seams lint command, ProjectAnalysis decoding.
        Business Impact: Users must learn what to fix, not just that something failed.
        Success Criteria:
            - SEAM003 names the encoding, the byte and the line, and how to fix it; exit 2
        """
        pytester.path.joinpath("test_ascii.py").write_bytes(
            b"# -*- coding: ascii -*-\nx = 1\ny = '\xe9'\n"
        )
        status, findings = lint_json(pytester, ".")
        assert status == 2
        [message] = [f["message"] for f in findings if f["path"] == "test_ascii.py"]
        assert "cannot decode as ascii" in message
        assert "byte 0xe9 on line 3" in message
        assert "coding: NAME" in message

    def test_tests_compiled_from_strings_are_not_unreadable_files(
        self, pytester: pytest.Pytester, run_both: Any
    ) -> None:
        """Test functions made with exec/compile name no real file: no "cannot read" finding.

        Integration Scope: collection of generated test functions, file list, report.
        Business Impact: False warnings about files that do not exist teach users to ignore us.
        Success Criteria:
            - same exit status and outcomes with and without the plugin
            - no SEAM003 at all; the module itself is analysed (its env write is found)
        """
        pytester.makepyfile(
            test_generated=ENV_WRITE
            + "exec(compile('def test_a():\\n    pass\\n', 'generated_test.py', 'exec'))\n"
            + "exec(compile('def test_b():\\n    pass\\n', '<string>', 'exec'))\n"
        )
        compared: Compared = run_both()
        assert compared.seams.parseoutcomes() == {"passed": 3}
        codes = [(f["code"], f["path"]) for f in compared.report["findings"]]
        assert not [finding for finding in codes if finding[0] == "SEAM003"], codes
        assert ("SEAM201", "test_generated.py") in codes


def test_small_thread_stack_does_not_crash_the_parser(pytester: pytest.Pytester) -> None:
    """pytest run on a thread with a small stack (512 KB, as on macOS; musl has 128 KB):
    190 nested brackets, valid Python, are parsed on pytest-seams' own large stack.

    Integration Scope: pytest.main on a small-stack thread, parse guard's large-stack thread.
    Business Impact: libcst killed such a process on a 256 KB stack; IDEs and runners that call
        pytest from a thread would lose the whole run.
    Success Criteria:
        - the same exit status with and without the plugin (0), no crash
        - the file is analysed: no SEAM003, and its env write is found
    """
    nested = "(" * 190 + "'1'" + ")" * 190
    pytester.makepyfile(test_nested=ENV_WRITE.replace("'1'", nested))
    script = pytester.makepyfile(
        run_in_thread=(
            "import sys, threading, pytest\n"
            "threading.stack_size(512 * 1024)\n"
            "status = []\n"
            "thread = threading.Thread(target=lambda: status.append(pytest.main(sys.argv[1:])))\n"
            "thread.start()\n"
            "thread.join()\n"
            "sys.exit(int(status[0]))\n"
        )
    )
    plain = pytester.run(sys.executable, script, "-p", "no:seams", "test_nested.py")
    seams = pytester.run(
        sys.executable, script, "-p", "seams", "--seam-report=json:out.json", "test_nested.py"
    )
    assert plain.ret == seams.ret == 0, seams.stdout.str() + seams.stderr.str()
    report = json.loads((pytester.path / "out.json").read_text())
    found = by_code_and_path(report)
    assert ("SEAM003", "test_nested.py") not in found
    assert ("SEAM201", "test_nested.py") in found
