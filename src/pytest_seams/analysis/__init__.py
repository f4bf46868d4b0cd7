"""Static analysis of test code: one libcst parse per file, all rules in one walk."""

from __future__ import annotations

import gc

import libcst as cst
from pydantic import BaseModel, ConfigDict, Field

from pytest_seams.analysis.engine import RawFinding, Walker
from pytest_seams.analysis.rules import all_rules

ANALYSIS_VERSION = 1  # bump when rules change what they find, to invalidate caches


class FileAnalysis(BaseModel):
    """What the analysis of one file found; the unit of caching."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    findings: list[RawFinding] = Field(default_factory=list)
    error: str | None = None  # why the file could not be analysed


def walk_module(module: cst.Module, path: str, package: str | None) -> Walker:
    walker = Walker(all_rules(), module, path, package)
    walker.run()
    return walker


def analyze_source(source: str, path: str, package: str | None = None) -> FileAnalysis:
    # A libcst tree is hundreds of thousands of acyclic objects that reference counting frees;
    # pausing the cyclic collector while one lives saves it from rescanning them (~10%).
    paused = gc.isenabled()
    gc.disable()
    try:
        module = cst.parse_module(source)
        return FileAnalysis(findings=walk_module(module, path, package).findings)
    except cst.ParserSyntaxError as error:
        return FileAnalysis(error=f"cannot parse: {error.message} (line {error.raw_line})")
    finally:
        if paused:
            gc.enable()
