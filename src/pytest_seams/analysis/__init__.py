"""Static analysis of test code: one libcst parse per file, all rules in one walk.

libcst is imported only when a file is actually parsed: a warm run reads every result from
the cache and never pays for importing the parser.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pytest_seams.analysis.results import FileAnalysis, RawFinding

if TYPE_CHECKING:
    import libcst as cst

    from pytest_seams.analysis.engine import Walker
    from pytest_seams.discovery import PytestNaming

ANALYSIS_VERSION = 10  # bump when rules change what they find, to invalidate caches

__all__ = ["ANALYSIS_VERSION", "FileAnalysis", "RawFinding", "analyze_source", "walk_module"]


def walk_module(
    module: cst.Module,
    path: str,
    package: str | None,
    naming: PytestNaming | None = None,
    entry_points: Sequence[str] | None = None,
) -> Walker:
    """Walk a module with every rule; ``naming`` says what is a test (pytest's defaults
    when None). The tests' calls of ``entry_points`` (the default setting when None) end up
    in ``walker.entry_calls``."""
    from pytest_seams.analysis.engine import Walker
    from pytest_seams.analysis.entrypoints import EntryPointCalls, EntryPoints
    from pytest_seams.analysis.rules import all_rules
    from pytest_seams.config import DEFAULT_ENTRY_POINTS
    from pytest_seams.discovery import DEFAULT_NAMING

    calls = EntryPointCalls(
        EntryPoints(DEFAULT_ENTRY_POINTS if entry_points is None else entry_points)
    )
    walker = Walker([*all_rules(), calls], module, path, package, naming or DEFAULT_NAMING)
    walker.run()
    walker.entry_calls = calls.found
    return walker


def analyze_source(
    source: str,
    path: str,
    package: str | None = None,
    naming: PytestNaming | None = None,
    entry_points: Sequence[str] | None = None,
) -> FileAnalysis:
    """The analysis of one file's source. Whatever goes wrong costs this file only: the
    result then holds an ``error`` that says why (see ``parsing`` for what is not parsed).
    ``naming``: pytest's test discovery settings (its defaults when None); ``entry_points``:
    the callables whose calls by tests are noted (the default setting when None)."""
    from pytest_seams.analysis.parsing import Unparsable, run_with_large_stack
    from pytest_seams.suppression import ignore_comments

    comments: list[tuple[int, tuple[str, ...] | None]] = []
    # A libcst tree is hundreds of thousands of acyclic objects that reference counting frees;
    # pausing the cyclic collector while one lives saves it from rescanning them (~10%).
    paused = gc.isenabled()
    gc.disable()
    try:
        comments = ignore_comments(source)
        walker = run_with_large_stack(_parse_and_walk, source, path, package, naming, entry_points)
        return FileAnalysis(
            findings=walker.findings,
            marks=walker.marks,
            comments=comments,
            entry_calls=walker.entry_calls,
        )
    except Unparsable as error:
        return FileAnalysis(error=str(error), comments=comments)
    except RecursionError:
        return FileAnalysis(
            error="an expression is nested too deeply to analyse within Python's recursion "
            "limit (e.g. hundreds of implicitly concatenated strings); split it into smaller "
            "ones, or silence SEAM003 for the file with seam_per_path_ignores",
            comments=comments,
        )
    except Exception as error:  # a bug of ours: this file only, and said so
        return FileAnalysis(
            error=f"the analysis failed ({type(error).__name__}: {error}); please report this "
            "to pytest-seams with the file",
            comments=comments,
        )
    finally:
        if paused:
            gc.enable()


def _parse_and_walk(
    source: str,
    path: str,
    package: str | None,
    naming: PytestNaming | None,
    entry_points: Sequence[str] | None,
) -> Walker:
    from pytest_seams.analysis.parsing import parse_checked

    return walk_module(parse_checked(source), path, package, naming, entry_points)
