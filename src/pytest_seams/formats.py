"""The report formats: one registry, from which everything about formats is derived.

``--seam-report`` parsing and validation (config.ReportSpec), the option's help and allowed
values (and so docs/configuration.md), which formats the terminal shows, the dispatcher that
writes file reports (report.write_reports) and ``seams lint --format`` all read ``FORMATS``.
Adding a format is one renderer module (a pure function from Report to text) plus one entry
here. Renderers are named, not imported: most sessions render nothing but the terminal summary,
and this module is imported by every active session.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_seams.model import Report


@dataclass(frozen=True, kw_only=True)
class ReportFormat:
    """One report format."""

    name: str
    """What ``--seam-report`` and ``seams lint --format`` call it."""
    renderer: str
    """``module:function`` of its renderer, ``(Report) -> str``, imported on first use."""
    help: str
    """What it is, for the option's help."""
    default_path: str | None = None
    """Where it is written when no path is given; None for a format shown in the terminal,
    which takes no path."""
    directory: bool = False
    """Whether its path is a directory, written as ``index.html`` inside it."""
    append: bool = False
    """Whether it is appended to its file (created when missing) instead of replacing it."""
    reads_sources: bool = False
    """Whether its renderer reads the source lines findings point at (for fingerprints): it
    is called as ``(Report, rootdir) -> str``."""
    annotations: bool = False
    """A terminal format printed as it is, after the summary (GitHub workflow commands)."""

    @property
    def takes_path(self) -> bool:
        return self.default_path is not None

    @property
    def spelled(self) -> str:
        """How the option's value is written: ``term``, ``json[:PATH]``, ``html[:DIR]``."""
        if not self.takes_path:
            return self.name
        return f"{self.name}[:{'DIR' if self.directory else 'PATH'}]"

    def render(self, report: Report, rootdir: Path | None = None) -> str:
        """The report in this format; ``rootdir`` is where the finding's paths are (the current
        directory when None), read only by a format that ``reads_sources``."""
        module, _, function = self.renderer.partition(":")
        render: Callable[..., str] = getattr(importlib.import_module(module), function)
        return render(report, rootdir) if self.reads_sources else render(report)


FORMATS: dict[str, ReportFormat] = {
    entry.name: entry
    for entry in (
        ReportFormat(
            name="term",
            renderer="pytest_seams.report.term:render_term",
            help="the summary in the terminal, the default",
        ),
        ReportFormat(
            name="term-missing",
            renderer="pytest_seams.report.term:render_term_missing",
            help="term plus every seam with its tests",
        ),
        ReportFormat(
            name="json",
            renderer="pytest_seams.report.json:render_json",
            help="the whole report, see docs/json-report.md",
            default_path="seams.json",
        ),
        ReportFormat(
            name="md",
            renderer="pytest_seams.report.markdown:render_markdown",
            help="Markdown",
            default_path="seams.md",
        ),
        ReportFormat(
            name="md-append",
            renderer="pytest_seams.report.markdown:render_markdown",
            help="Markdown appended to the file, e.g. $GITHUB_STEP_SUMMARY",
            default_path="seams.md",
            append=True,
        ),
        ReportFormat(
            name="html",
            renderer="pytest_seams.report.html:render_html",
            help="a folder holding index.html",
            default_path="seams-html",
            directory=True,
        ),
        ReportFormat(
            name="sarif",
            renderer="pytest_seams.report.sarif:render_sarif",
            help="SARIF 2.1.0 for GitHub code scanning",
            default_path="seams.sarif",
            reads_sources=True,
        ),
        ReportFormat(
            name="github",
            renderer="pytest_seams.report.github:render_github",
            help="GitHub Actions annotations (workflow commands) in the terminal",
            annotations=True,
        ),
        ReportFormat(
            name="gitlab",
            renderer="pytest_seams.report.gitlab:render_gitlab",
            help="GitLab Code Quality JSON",
            default_path="gl-code-quality-report.json",
            reads_sources=True,
        ),
    )
}
"""Every report format by name, in the order the help lists them."""

TERMINAL_FORMATS = tuple(
    name for name, entry in FORMATS.items() if not entry.takes_path and not entry.annotations
)
"""The summaries shown in the terminal (rendered together: term-missing includes term)."""

ANNOTATION_FORMATS = tuple(name for name, entry in FORMATS.items() if entry.annotations)
"""The formats printed to the terminal as they are, after the summary."""


def unknown_format(name: str) -> str:
    """The one-line reason a format name is not one of ``FORMATS``."""
    return f"unknown report format {name!r} (known: {', '.join(FORMATS)})"


def formats_help() -> str:
    """The formats as the option's help lists them."""
    listed = []
    for entry in FORMATS.values():
        default = f", default {entry.default_path}" if entry.default_path else ""
        default += "/" if entry.directory else ""
        listed.append(f"{entry.spelled} ({entry.help}{default})")
    return ", ".join(listed)


def formats_allowed() -> str:
    """The option's allowed values: ``term, term-missing, json[:PATH], ...``."""
    return ", ".join(entry.spelled for entry in FORMATS.values())
