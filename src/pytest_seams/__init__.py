"""pytest-seams: make a team's integration-testing philosophy executable in pytest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Finding", "Report", "ReportMeta", "Seam", "TestRecord", "__version__"]

if TYPE_CHECKING:
    from pytest_seams.model import Finding, Report, ReportMeta, Seam, TestRecord


def __getattr__(name: str) -> Any:
    # The report model loads on first use: every pytest session imports this package (the
    # plugin is autoloaded), and most never need the model (an inactive one never does).
    if name in __all__:
        from pytest_seams import model

        return getattr(model, name)
    raise AttributeError(f"module 'pytest_seams' has no attribute {name!r}")
