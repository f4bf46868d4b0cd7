"""Renderers: each turns a Report into text. They format; they never decide or compute.

Every text in a report (titles, paths, ids, messages, problems, arguments) comes from the user's
files, file names or command line and is untrusted. The renderers for people (terminal,
Markdown, HTML) show it through ``shown``: control characters, line breaks and the surrogates
that stand for the bytes of a non-UTF-8 file name become visible backslash escapes, so a name
can neither break a line nor smuggle a GitHub workflow command into a CI log. The JSON report
keeps every text exact except those surrogates, which JSON cannot carry (see render_json).
"""

from __future__ import annotations

import re
from pathlib import Path

from pytest_seams.config import ReportSpec
from pytest_seams.formats import FORMATS
from pytest_seams.model import Report

__all__ = [
    "BLANKS",
    "UNSAFE_CHARACTERS",
    "ReportFailure",
    "safe_line",
    "safe_lines",
    "shown",
    "starts_with_command",
    "without_surrogates",
    "write_reports",
]

# C0 controls (tab and line feed included: one-line fields stay on one line), DEL, C1 controls,
# the Unicode line and paragraph separators, the bidirectional controls that can make text read
# differently from what it is, and lone surrogates (a non-UTF-8 byte in a file name, as Python's
# surrogateescape gives it; no file or terminal can encode one).
# The patterns are compiled on first use (re caches them): classes beyond Latin-1 cost millions
# of instructions to compile, which a session whose output needs none of them must not pay.
UNSAFE_CHARACTERS = "[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
_UNSAFE = UNSAFE_CHARACTERS + "|##\\["
# What may come before "::" at the start of a command line: Unicode whitespace (GitHub's runner
# trims it) and, to be safe with other readers of CI logs, the invisible characters that older
# .NET runtimes trimmed too.
BLANKS = "\\s\u180e\u200b\ufeff"
_LEADING_BLANKS = f"[{BLANKS}]*"
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    text = match.group()
    if text == "##[":  # GitHub's legacy workflow command prefix, honoured anywhere in a line
        return "#\\x23["
    code = ord(text)
    if 0xDC80 <= code <= 0xDCFF:  # the byte 0x80-0xff of a non-UTF-8 name, as "\xff"
        return f"\\x{code - 0xDC00:02x}"
    return _NAMED.get(text) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def shown(text: str) -> str:
    """``text`` safe to show on one line: unsafe characters as backslash escapes (``\\n``,
    ``\\x1b``, ``\\u202e``, a non-UTF-8 byte as ``\\xff``) and ``##[`` as ``#\\x23[``."""
    return re.sub(_UNSAFE, _escape, text)


def without_surrogates(text: str) -> str:
    """``text`` with only its lone surrogates escaped, as ``shown`` escapes them: what the
    JSON report, which keeps every other character exact, cannot carry."""
    return re.sub("[\ud800-\udfff]", _escape, text)


def safe_line(line: str) -> str:
    """One line of terminal output, ``shown``, and never starting with ``::``.

    GitHub Actions reads a log line whose text, after leading whitespace, starts with ``::``
    as a workflow command (``::error``, ``::add-mask::``, ``::stop-commands::``); its first
    colon is written ``\\x3a``.
    """
    line = shown(line)
    start = _blank_prefix_length(line)
    if line.startswith("::", start):
        line = line[:start] + "\\x3a" + line[start + 1 :]
    return line


def starts_with_command(text: str) -> bool:
    """Whether ``text`` starts with "::" after blanks: a workflow command to GitHub Actions."""
    return text.startswith("::", _blank_prefix_length(text))


def _blank_prefix_length(text: str) -> int:
    match = re.match(_LEADING_BLANKS, text)
    return match.end() if match else 0


def safe_lines(text: str) -> str:
    """Multi-line ``text`` (an internal error's traceback) with every line a ``safe_line``."""
    return "\n".join(safe_line(line) for line in text.splitlines())


class ReportFailure(Exception):
    """A report that could not be written; the message names the user's path and why."""


def write_reports(
    report: Report, specs: tuple[ReportSpec, ...], base: Path, rootdir: Path | None = None
) -> tuple[list[Path], list[str]]:
    """Write every file report; relative paths are taken from ``base`` (the invocation dir),
    source lines (SARIF's fingerprints) read from ``rootdir`` (``base`` when None).

    Each is rendered by its entry in ``formats.FORMATS`` (ReportSpec admits no other name).

    Each report is written on its own: one that fails is a problem (naming its path, why,
    and what to do) and the others are still written. JSON reports come last so that they
    record the failures of the others in ``meta.problems``. Returns the paths written and the
    problems.
    """
    written: list[Path] = []
    problems: list[str] = []
    ordered = sorted(
        (spec for spec in specs if spec.path is not None), key=lambda spec: spec.format == "json"
    )
    if not ordered:
        return written, problems  # most sessions write no file report: nothing to import
    from pytest_seams.report.files import write_report_file

    for spec in ordered:
        assert spec.path is not None
        recorded = _with_problems(report, problems) if spec.format == "json" else report
        try:
            text = FORMATS[spec.format].render(recorded, rootdir or base)
            written.append(write_report_file(base, spec.format, spec.path, text))
        except ReportFailure as failure:
            problems.append(str(failure))
        except Exception as error:  # a renderer's bug: the other reports still go out
            problems.append(
                f"could not write the {spec.format} report {shown(spec.path)}: "
                f"{type(error).__name__}: {shown(str(error))}; please report this"
            )
    return written, problems


def _with_problems(report: Report, problems: list[str]) -> Report:
    if not problems:
        return report
    import dataclasses

    meta = dataclasses.replace(
        report.meta, partial=True, problems=(*report.meta.problems, *problems)
    )
    return dataclasses.replace(report, meta=meta)
