"""Static analysis of test code: one libcst parse per file, all rules in one walk.

libcst is imported only when a file is actually parsed: a warm run reads every result from
the cache and never pays for importing the parser.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from pytest_seams.analysis.results import FileAnalysis, RawFinding

if TYPE_CHECKING:
    import libcst as cst

    from pytest_seams.analysis.engine import Walker

ANALYSIS_VERSION = 4  # bump when rules change what they find, to invalidate caches

__all__ = ["ANALYSIS_VERSION", "FileAnalysis", "RawFinding", "analyze_source", "walk_module"]


def walk_module(module: cst.Module, path: str, package: str | None) -> Walker:
    from pytest_seams.analysis.engine import Walker
    from pytest_seams.analysis.rules import all_rules

    walker = Walker(all_rules(), module, path, package)
    walker.run()
    return walker


def analyze_source(source: str, path: str, package: str | None = None) -> FileAnalysis:
    import libcst as cst

    from pytest_seams.suppression import ignore_comments

    comments = ignore_comments(source)

    # A libcst tree is hundreds of thousands of acyclic objects that reference counting frees;
    # pausing the cyclic collector while one lives saves it from rescanning them (~10%).
    paused = gc.isenabled()
    gc.disable()
    try:
        module = cst.parse_module(source)
        walker = walk_module(module, path, package)
        return FileAnalysis(findings=walker.findings, marks=walker.marks, comments=comments)
    except cst.ParserSyntaxError as error:
        return FileAnalysis(
            error=f"cannot parse: {error.message} (line {error.raw_line})", comments=comments
        )
    finally:
        if paused:
            gc.enable()
