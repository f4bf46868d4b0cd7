"""Renderers: each turns a Report into text. They format; they never decide or compute."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pytest_seams.config import ReportSpec
from pytest_seams.model import Report
from pytest_seams.report.html import render_html
from pytest_seams.report.json import render_json
from pytest_seams.report.markdown import render_markdown

FILE_RENDERERS = {"json": render_json, "md": render_markdown, "html": render_html}


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_reports(report: Report, specs: tuple[ReportSpec, ...], base: Path) -> list[Path]:
    """Write every file report; relative paths are taken from ``base`` (the invocation dir)."""
    written = []
    for spec in specs:
        if spec.path is None:
            continue
        path = base / spec.path
        if spec.format == "html":  # a directory, as with pytest-cov's html report
            path = path / "index.html"
        write_atomic(path, FILE_RENDERERS[spec.format](report))
        written.append(path)
    return written
