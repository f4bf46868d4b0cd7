"""pytest-seams: make a team's integration-testing philosophy executable in pytest."""

from pytest_seams.model import Finding, Report, ReportMeta, Seam, TestRecord

__version__ = "0.1.0"

__all__ = ["Finding", "Report", "ReportMeta", "Seam", "TestRecord", "__version__"]
