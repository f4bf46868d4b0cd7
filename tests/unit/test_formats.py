"""The format registry: every entry renders, and --seam-report values are read from it."""

from __future__ import annotations

import pytest

from pytest_seams.config import SETTINGS, ReportSpec
from pytest_seams.formats import ANNOTATION_FORMATS, FORMATS, TERMINAL_FORMATS
from pytest_seams.model import Report, ReportMeta

EMPTY_REPORT = Report.build(
    meta=ReportMeta(
        plugin_version="0", pytest_version="0", python_version="0", args=(), mode="warn"
    )
)


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_registered_renderer_renders_a_report(name: str) -> None:
    text = FORMATS[name].render(EMPTY_REPORT)
    assert isinstance(text, str)
    assert text.strip()


@pytest.mark.parametrize("name", list(FORMATS))
def test_report_spec_takes_its_path_and_default_from_the_registry(name: str) -> None:
    entry = FORMATS[name]
    assert ReportSpec.parse(name) == ReportSpec(name, entry.default_path)
    if entry.takes_path:
        assert ReportSpec.parse(f"{name}: out/x ") == ReportSpec(name, "out/x")
    else:
        with pytest.raises(ValueError, match=f"the {name} report takes no path"):
            ReportSpec.parse(f"{name}:x")


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(ValueError) as raised:
        ReportSpec.parse("junit")
    assert str(raised.value) == (
        "unknown report format 'junit' (known: term, term-missing, json, md, md-append, html, "
        "sarif, github, gitlab)"
    )


def test_option_help_and_allowed_values_list_every_format() -> None:
    setting = next(setting for setting in SETTINGS if setting.field == "reports")
    assert setting.allowed == (
        "term, term-missing, json[:PATH], md[:PATH], md-append[:PATH], html[:DIR], "
        "sarif[:PATH], github, gitlab[:PATH]"
    )
    for entry in FORMATS.values():
        assert f"{entry.spelled} ({entry.help}" in setting.help
    assert TERMINAL_FORMATS == ("term", "term-missing")
    assert ANNOTATION_FORMATS == ("github",)
