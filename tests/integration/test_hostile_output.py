"""Integration tests for hostile output: names, plan text and report paths that try to break
the reports or what they are written to."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import COMPLETE_DOCSTRING, Compared

RunBoth = Callable[..., Compared]

DOCUMENTED = {
    "tests/integration/test_flow": f"""
def test_documented():
    {COMPLETE_DOCSTRING}
""",
}
FILE_REPORTS = ("--seam-report=term", "--seam-report=md:out.md", "--seam-report=html:html")

# Plan text that tries to become a GitHub workflow command, a terminal escape, raw HTML.
HOSTILE_PLAN = """# Plan

| ID | Seam | Priority |
| --- | --- | --- |
| S1 | Orders&#10;::error file=app.py,line=1::forged annotation | P0 |
| S2 | Masks&#10;  ::add-mask::hunter2 | P0 |
| S3 | Stops ##[stop-commands]token and \x1b[2J clears | P1 |
| S4 | Html &lt;img src=x onerror=alert(1)&gt; and `code` | P1 |
"""


def make_file(directory: Path, name: bytes, text: str) -> None:
    """Create a file whose name is raw bytes (not necessarily UTF-8)."""
    descriptor = os.open(os.fsencode(directory) + b"/" + name, os.O_CREAT | os.O_WRONLY, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)


def terminal_lines(compared: Compared) -> list[str]:
    return compared.seams.stdout.lines


def assert_no_workflow_command(lines: list[str]) -> None:
    for line in lines:
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line


def assert_markdown_safe(text: str, seams: int) -> None:
    """No raw HTML in the Markdown, and the checklist holds one item per seam."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    inline = [child for token in tokens for child in token.children or ()]
    assert not [t for t in [*tokens, *inline] if t.type in ("html_block", "html_inline")]
    assert sum(1 for token in tokens if token.type == "list_item_open") == seams
    marks = tuple(f"- {mark} " for mark in ("✅", "❌", "⚠️", "💤"))
    assert sum(1 for line in text.splitlines() if line.startswith(marks)) == seams


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The process umask set to 022 for the test, restored after."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


class TestHostileNames:
    """Non-UTF-8 file names and hostile plan text through every report.

    Seam Under Test:
        file names and TEST_PLAN.md text -> Report -> terminal, JSON, Markdown, HTML
    """

    def test_non_utf8_plan_name_is_shown_escaped_in_every_report(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A plan named TEST_PLAN_<0xff>.md is shown as TEST_PLAN_\\xff.md everywhere.

        Integration Scope: plan discovery -> Report -> term, JSON, Markdown and HTML reports.
        Business Impact: One odd file name stopped every file report with a traceback.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - all four reports are written and name the plan TEST_PLAN_\\xff.md
        """
        pytester.makepyfile(**DOCUMENTED)
        make_file(pytester.path, b"TEST_PLAN_\xff.md", "# Plan\n\n### SEAM 1: Checkout\n")
        compared = run_both(seams_args=FILE_REPORTS)
        shown = "TEST_PLAN_\\xff.md"
        assert [seam["plan"] for seam in compared.report["seams"]] == [shown]
        assert any(
            line.startswith(f"{shown}  none ") and line.endswith(" 0%")
            for line in terminal_lines(compared)
        )
        assert f"`{shown}:3`" in (pytester.path / "out.md").read_text(encoding="utf-8")
        assert f"{shown}:3" in (pytester.path / "html/index.html").read_text(encoding="utf-8")
        assert compared.report["meta"]["problems"] == []

    def test_non_utf8_module_name_is_shown_escaped(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A test module named test_caf<0xe9>.py is reported as test_caf\\xe9.py.

        Integration Scope: collection of a non-UTF-8 module -> findings -> every report.
        Business Impact: Its SEAM101 finding stopped the JSON report and those after it.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - the finding's path is tests/integration/test_caf\\xe9.py in JSON and terminal
            - the Markdown and HTML reports are written
        """
        directory = pytester.mkpydir("tests")
        (directory / "integration").mkdir()
        make_file(directory / "integration", b"test_caf\xe9.py", "def test_x():\n    pass\n")
        # pytest's own cache plugin cannot store a non-UTF-8 node id, nor can pytest-randomly
        # 5.0 hash one (both fail with or without pytest-seams); what is compared here is
        # everything else.
        compared = run_both("-p", "no:cacheprovider", "-p", "no:randomly", seams_args=FILE_REPORTS)
        shown = "tests/integration/test_caf\\xe9.py"
        assert {f["path"] for f in compared.report["findings"]} == {shown}
        # The location once: the node id's path is not repeated after it.
        assert (
            f"  {shown}:1 test_x: integration test has no docstring: document it with the "
            'sections "Integration Scope:", "Business Impact:", "Success Criteria:".'
            in (terminal_lines(compared))
        )
        assert "Findings: 1 errors" in (pytester.path / "out.md").read_text(encoding="utf-8")
        assert (pytester.path / "html/index.html").is_file()

    def test_hostile_plan_text_stays_text(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """Plan cells that decode to newlines, workflow commands, escapes and HTML stay inert.

        Integration Scope: TEST_PLAN.md table -> seams -> terminal, Markdown, HTML, JSON.
        Business Impact: A forged "::error" line becomes a GitHub annotation, "::add-mask::"
            hides log text, "##[stop-commands]" silences real annotations; raw HTML in a PR
            comment.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - no terminal line starts with "::" after whitespace and none holds "##["
            - the Markdown has no raw HTML and one checklist line per seam
            - the HTML has no tag from the plan; every title stays on one line
        """
        pytester.makepyfile(**DOCUMENTED)
        (pytester.path / "TEST_PLAN.md").write_text(HOSTILE_PLAN, encoding="utf-8")
        compared = run_both("-p", "no:randomly", seams_args=("--seam-report=term-missing",))
        lines = terminal_lines(compared)
        assert_no_workflow_command(lines)
        assert not [line for line in lines if "\x1b" in line]
        # The plan parser keeps each title on one line: the entity's newline becomes a space.
        assert "  P0       untested  Orders ::error file=app.py,line=1::forged annotation" in (
            "\n".join(lines)
        )
        titles = [seam["title"] for seam in compared.report["seams"]]
        assert "Orders ::error file=app.py,line=1::forged annotation" in titles
        assert "Stops #\\x23[stop-commands]token and  [2J clears" in "\n".join(lines)

        # The same plan through the file reports.
        pytester.runpytest("-p", "seams", *FILE_REPORTS)
        markdown = (pytester.path / "out.md").read_text(encoding="utf-8")
        assert_markdown_safe(markdown, seams=4)
        assert_no_workflow_command(markdown.splitlines())
        page = (pytester.path / "html/index.html").read_text(encoding="utf-8")
        assert "<img" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "\x1b" not in page

    def test_plan_file_name_with_backticks_and_html(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A plan file named with backticks and a tag cannot open HTML in the Markdown report.

        Integration Scope: plan file name -> Markdown code span and HTML report.
        Business Impact: The name closed the code span and put raw HTML in PR comments.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - the Markdown has no raw HTML token; the HTML page has no tag from the name
        """
        pytester.makepyfile(**DOCUMENTED)
        name = "TEST_PLAN_`<img src=x onerror=alert(1)>`.md"
        (pytester.path / name).write_text("# Plan\n\n### SEAM 1: Checkout\n", encoding="utf-8")
        compared = run_both(seams_args=FILE_REPORTS)
        assert [seam["plan"] for seam in compared.report["seams"]] == [name]
        markdown = (pytester.path / "out.md").read_text(encoding="utf-8")
        assert_markdown_safe(markdown, seams=1)
        assert f"``{name}:3``" in markdown
        assert "<img" not in (pytester.path / "html/index.html").read_text(encoding="utf-8")


class TestReportPaths:
    """Where a report is written: devices, FIFOs, symlinks, permissions, failures.

    Seam Under Test:
        --seam-report paths -> report writer -> file system
    """

    def test_device_node_is_written_to_not_replaced(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A report path that is a character device (a /dev/null twin) stays that device.

        Integration Scope: report writer -> a character device node in the project.
        Business Impact: As root, json:/dev/null replaced /dev/null with a file for everyone.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - the path is still a character device; the report was written into it
        """
        device = pytester.path / "null-twin"
        try:
            os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("creating a device node needs CAP_MKNOD (run as root to cover this)")
        pytester.makepyfile(**DOCUMENTED)
        compared = run_both(seams_args=("--seam-report=md:null-twin",))
        assert stat.S_ISCHR(device.lstat().st_mode)
        assert f"seams: wrote {device}" in terminal_lines(compared)
        assert compared.report["meta"]["problems"] == []

    def test_dev_stdout_redirected_to_a_file_is_appended_to(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """md:/dev/stdout, with stdout redirected to a log file, appends to the log.

        Integration Scope: report writer -> /dev/stdout -> the log file of a subprocess.
        Business Impact: Replacing the file behind /dev/stdout threw away the whole log.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - the log holds pytest's output and the report; no problem is recorded
        """
        pytester.makepyfile(**DOCUMENTED)
        # A subprocess: pytester sends its stdout to a regular file.
        compared = run_both(seams_args=("--seam-report=md:/dev/stdout",), subprocess=True)
        log = compared.seams.stdout.str()
        assert log.index("test_flow.py .") < log.index("## Seam coverage")
        assert log.index("## Seam coverage") < log.index("seams: wrote /dev/stdout")
        assert compared.report["meta"]["problems"] == []

    def test_fifo_with_a_reader_receives_the_report(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A FIFO read by another process gets the report and stays a FIFO.

        Integration Scope: report writer -> a named pipe with a reader.
        Business Impact: Piping the report into a tool must work and not destroy the pipe.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - the reader receives the whole Markdown report; the FIFO is still a FIFO
        """
        fifo = pytester.path / "report.fifo"
        os.mkfifo(fifo)
        pytester.makepyfile(**DOCUMENTED)
        # The reader: this test, which opens the FIFO before the run and reads it after; the
        # small report fits in the pipe's buffer (64 KiB on Linux).
        descriptor = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            compared = run_both(seams_args=("--seam-report=md:report.fifo",))
            received = os.read(descriptor, 65536)
        finally:
            os.close(descriptor)
        assert received.decode().startswith("## Seam coverage\n")
        assert received.decode().endswith("Findings: 0 errors, 0 warnings, 0 info.\n")
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert compared.report["meta"]["problems"] == []

    def test_fifo_without_a_reader_is_refused_not_waited_for(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """A FIFO no one reads is refused at once with a message naming it.

        Integration Scope: report writer -> a named pipe without a reader.
        Business Impact: Opening it for writing would hang the session forever.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - the problem names report.fifo and is in the JSON report's meta.problems
        """
        fifo = pytester.path / "report.fifo"
        os.mkfifo(fifo)
        pytester.makepyfile(**DOCUMENTED)

        # Should the writer block after all, a late reader unblocks it: a failure, not a hang.
        def late_reader() -> None:
            with open(fifo, "rb") as stream:
                stream.read()

        watchdog = threading.Timer(60, late_reader)
        watchdog.start()
        try:
            compared = run_both(seams_args=("--seam-report=md:report.fifo",))
        finally:
            watchdog.cancel()
        problem = (
            "could not write the md report report.fifo: it is a FIFO (or socket) that no "
            "process is reading; give --seam-report (or seam_report) a path that can be written"
        )
        assert compared.report["meta"]["problems"] == [problem]
        assert compared.report["meta"]["partial"] is True
        assert f"seams: {problem}" in terminal_lines(compared)
        assert stat.S_ISFIFO(fifo.lstat().st_mode)

    def test_symlink_is_written_through(self, pytester: pytest.Pytester, run_both: RunBoth) -> None:
        """A report path that is a symlink writes its target and stays a symlink.

        Integration Scope: report writer -> symlink -> regular file elsewhere.
        Business Impact: Replacing the link broke setups that point reports at shared files.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - out.md is still a symlink; its target holds the report with its mode unchanged
        """
        target = pytester.path / "shared" / "seams.md"
        target.parent.mkdir()
        target.write_text("old\n")
        target.chmod(0o640)
        (pytester.path / "out.md").symlink_to(target)
        pytester.makepyfile(**DOCUMENTED)
        run_both(seams_args=("--seam-report=md:out.md",))
        assert (pytester.path / "out.md").is_symlink()
        assert target.read_text().startswith("## Seam coverage\n")
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        assert [p.name for p in target.parent.iterdir()] == ["seams.md"]  # no temporary left

    def test_writable_file_in_read_only_directory_is_written_in_place(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """An existing writable report in a directory we may not write is still written.

        Integration Scope: report writer -> a regular file in a read-only directory.
        Business Impact: CI images pre-create report files in read-only places.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - the file holds the report; no problem is recorded
        """
        directory = pytester.path / "locked"
        directory.mkdir()
        (directory / "seams.md").write_text("old\n")
        directory.chmod(0o555)
        try:
            (directory / "probe").touch()
        except PermissionError:
            pass
        else:
            directory.chmod(0o755)
            pytest.skip("this user (root) may create files in a read-only directory anyway")
        pytester.makepyfile(**DOCUMENTED)
        try:
            compared = run_both(seams_args=("--seam-report=md:locked/seams.md",))
        finally:
            directory.chmod(0o755)
        assert (directory / "seams.md").read_text().startswith("## Seam coverage\n")
        assert compared.report["meta"]["problems"] == []

    @pytest.mark.usefixtures("umask_022")
    def test_new_reports_get_the_umask_permissions(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """Under umask 022 a new report file is 0644, as any file the user's tools create.

        Integration Scope: report writer -> new files in the project (JSON, Markdown, HTML).
        Business Impact: 0600 reports could not be read by the CI user publishing them.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - out.json, out.md and html/index.html are 0644
        """
        pytester.makepyfile(**DOCUMENTED)
        run_both(seams_args=FILE_REPORTS)
        for name in ("out.json", "out.md", "html/index.html"):
            assert stat.S_IMODE((pytester.path / name).stat().st_mode) == 0o644, name

    def test_unwritable_report_is_named_and_others_are_written(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """In warn mode a report that cannot be written is a message; the others go out.

        Integration Scope: report writer -> a path whose directory is a file.
        Business Impact: One bad path lost every report after it and named a temporary file.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - a one-line message names blocker/out.md; the HTML and JSON reports are written
        """
        (pytester.path / "blocker").write_text("a file, not a directory\n")
        pytester.makepyfile(**DOCUMENTED)
        compared = run_both(
            seams_args=("--seam-report=md:blocker/out.md", "--seam-report=html:html")
        )
        problem = (
            "could not write the md report blocker/out.md: a file is in the way where a "
            "directory of the path should be; give --seam-report (or seam_report) a path "
            "that can be written"
        )
        assert f"seams: {problem}" in terminal_lines(compared)
        assert compared.report["meta"]["problems"] == [problem]
        assert (pytester.path / "html/index.html").is_file()
        assert ".tmp" not in compared.seams.stdout.str()

    def test_unwritable_report_fails_strict_mode(self, pytester: pytest.Pytester) -> None:
        """In strict mode a report that could not be written fails the session.

        Integration Scope: report writer -> exit status in strict mode.
        Business Impact: CI went green without the report it publishes.
        Success Criteria:
            - exit status 1 with every test passed and no finding
            - a one-line message names the user's path; the JSON report is still written
        """
        (pytester.path / "blocker").write_text("a file, not a directory\n")
        pytester.makepyfile(**DOCUMENTED)
        result = pytester.runpytest(
            "-p", "seams", "--seam-mode=strict", "--seam-report=json:out.json",
            "--seam-report=html:blocker",
        )  # fmt: skip
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.assert_outcomes(passed=1)
        result.stdout.fnmatch_lines(
            [
                "seams: could not write the html report directory blocker: a file is in the "
                "way (the html report is a directory holding index.html); *",
                "seams: failing the session (strict mode): 1 of the reports asked for could "
                "not be written (above).",
            ]
        )
        assert (pytester.path / "out.json").is_file()
        assert "INTERNALERROR" not in result.stdout.str()


class TestRecordedArguments:
    """The command line recorded in the JSON report.

    Seam Under Test:
        pytest command line -> meta.args of the JSON report
    """

    def test_secret_option_values_are_redacted(
        self, pytester: pytest.Pytester, run_both: RunBoth
    ) -> None:
        """Values of options named like secrets, and URL passwords, are not recorded.

        Integration Scope: a conftest's options -> pytest-seams' meta.args in the JSON report.
        Business Impact: The report is published as a CI artifact; a token in it leaks.
        Success Criteria:
            - same exit status and outcomes as without the plugin, no INTERNALERROR
            - no secret in meta.args; the option names and the other arguments are kept
        """
        pytester.makeconftest(
            """
def pytest_addoption(parser):
    parser.addoption("--api-token")
    parser.addoption("--db-url")
"""
        )
        pytester.makepyfile(**DOCUMENTED)
        compared = run_both(
            "--api-token=hunter2",
            "--db-url",
            "postgres://app:s3cret@db/app",
            "-o",
            "db_password=pa55",
            "tests/integration",
        )
        args = compared.report["meta"]["args"]
        for secret in ("hunter2", "s3cret", "pa55"):
            assert not [arg for arg in args if secret in arg], args
        start = args.index("--api-token=[redacted]")
        assert args[start : start + 6] == [
            "--api-token=[redacted]",
            "--db-url",
            "postgres://app:[redacted]@db/app",
            "-o",
            "db_password=[redacted]",
            "tests/integration",
        ]
