"""Renderers: each turns a Report into text. They format; they never decide or compute."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytest_seams.config import ReportSpec
from pytest_seams.model import Report
from pytest_seams.paths import write_atomic

__all__ = ["write_reports"]


def write_reports(report: Report, specs: tuple[ReportSpec, ...], base: Path) -> list[Path]:
    """Write every file report; relative paths are taken from ``base`` (the invocation dir)."""
    written = []
    for spec in specs:
        if spec.path is None:
            continue
        path = base / spec.path
        if spec.format == "html":  # a directory, as with pytest-cov's html report
            path = path / "index.html"
        write_atomic(path, _renderer(spec.format)(report))
        written.append(path)
    return written


def _renderer(format: str) -> Callable[[Report], str]:
    # Imported on use: most sessions write no file report.
    if format == "json":
        from pytest_seams.report.json import render_json

        return render_json
    if format == "md":
        from pytest_seams.report.markdown import render_markdown

        return render_markdown
    from pytest_seams.report.html import render_html

    return render_html
