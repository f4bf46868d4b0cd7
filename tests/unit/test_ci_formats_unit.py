"""The CI renderers on hand-made reports: escaping, caps, cuts, and the JSON schema's enums."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest

from pytest_seams.codes import ALL_CODES
from pytest_seams.model import CodeName, Finding, Report, ReportMeta, Seam
from pytest_seams.report.github import MAX_ANNOTATIONS, escape_data, escape_property, render_github
from pytest_seams.report.gitlab import render_gitlab
from pytest_seams.report.json import render_json, report_schema
from pytest_seams.report.markdown import LIMIT, render_markdown
from pytest_seams.report.sarif import render_sarif

SARIF_SCHEMA = Path(__file__).parents[1] / "data" / "sarif" / "sarif-schema-2.1.0.json"
META = ReportMeta(plugin_version="0", pytest_version="0", python_version="0", args=(), mode="warn")
HOSTILE_PATH = "tests/50%,a:b\r\nc.py"
HOSTILE_MESSAGE = "100% broken:\r\nline two, ::warning::x ##[error]y"


def _report(findings: list[Finding], seams: tuple[Seam, ...] = ()) -> Report:
    return Report.build(meta=META, findings=findings, seams=seams)


def test_code_names_are_exactly_the_codes_of_codes_py() -> None:
    assert get_args(CodeName) == tuple(ALL_CODES)


def test_github_escapes_data_and_properties_per_githubs_rules() -> None:
    assert escape_data("50%\r\nx: y, z") == "50%25%0D%0Ax: y, z"
    assert escape_property("50%\r\nx: y, z") == "50%25%0D%0Ax%3A y%2C z"
    finding = ALL_CODES["SEAM101"].finding(HOSTILE_MESSAGE, path=HOSTILE_PATH, line=3)
    assert render_github(_report([finding])) == (
        "::error file=tests/50%25%2Ca%3Ab%0D%0Ac.py,line=3,title=SEAM101 docstring-missing::"
        "100%25 broken:%0D%0Aline two, ::warning::x #\\x23[error]y"
    )


def test_github_puts_errors_first_and_counts_what_it_leaves_out() -> None:
    warnings = [ALL_CODES["SEAM501"].finding(f"w{n}", path="t.py", line=n) for n in range(1, 60)]
    error = ALL_CODES["SEAM000"].finding("boom", path=None, line=None, nodeid="t.py::x")
    lines = render_github(_report([*warnings, error])).split("\n")
    assert lines[0] == "::error title=SEAM000 internal-error::t.py::x: boom"
    assert len(lines) == MAX_ANNOTATIONS + 1
    assert lines[-1] == (
        "seams: 10 more findings not annotated (GitHub keeps at most 50 annotations per job); "
        "see them all with --seam-report=term-missing or json"
    )


def test_sarif_of_hostile_findings_is_valid(tmp_path: Path) -> None:
    findings = [
        ALL_CODES["SEAM101"].finding(HOSTILE_MESSAGE, path="tests/ü space%#?.py", line=2),
        ALL_CODES["SEAM601"].finding("plan problem", path="TEST_PLAN.md", line=None),
        ALL_CODES["SEAM000"].finding("crashed\nTraceback", path=None, line=None),
    ]
    log = json.loads(render_sarif(_report(findings), tmp_path))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    results = log["runs"][0]["results"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "tests/%C3%BC%20space%25%23%3F.py"
    )
    assert "region" not in results[1]["locations"][0]["physicalLocation"]
    assert "locations" not in results[2]
    assert results[2]["level"] == "error"
    assert len({r["partialFingerprints"]["seamsBaselineKey/v1"] for r in results}) == 3


def test_gitlab_gives_two_equal_findings_two_fingerprints(tmp_path: Path) -> None:
    (tmp_path / "t.py").write_text("def test_a():\n    pass\n")
    same = ALL_CODES["SEAM501"].finding("no check", path="t.py", line=1)
    session = ALL_CODES["SEAM000"].finding("crashed", path=None, line=None)
    issues = json.loads(render_gitlab(_report([same, same, session]), tmp_path))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    assert issues[2]["location"] == {"path": ".", "lines": {"begin": 1}}
    assert [issue["severity"] for issue in issues] == ["minor", "minor", "major"]


def test_markdown_is_cut_under_the_limit_with_a_note() -> None:
    findings = [ALL_CODES["SEAM101"].finding("x" * 200, path=f"t{n}.py", line=1) for n in range(10)]
    seams = tuple(
        Seam(id=f"S{n}", title="t" * 300, priority="P1", status="untested", plan="P.md", line=n + 1)
        for n in range(400)
    )
    text = render_markdown(_report(findings, seams))
    assert len(text) <= LIMIT
    assert text.endswith(
        "\n\n_Report cut to stay under GitHub's size limit; the JSON report has everything._\n"
    )
    assert "⚠️ **0 of 400 seams verified**: 0 failing, 400 untested, 0 skipped, 0 not run." in text


def _validate(report: dict[str, Any]) -> None:
    jsonschema.validate(report, report_schema())


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("findings", 0, "code"), "SEAM999"),
        (("seams", 0, "links", 0, "reason"), "hearsay"),
        (("seams", 0, "priority"), "P9"),
        (("seams", 0, "status"), "half-done"),
        (("findings", 0, "category"), "vibes"),
    ],
)
def test_json_schema_rejects_what_the_tool_never_writes(
    where: tuple[str | int, ...], value: str
) -> None:
    from pytest_seams.model import SeamLink

    seam = Seam(
        id="S1",
        title="A → B",
        priority="P0",
        status="verified",
        plan="TEST_PLAN.md",
        line=1,
        tests=("t.py::test_a",),
        links=(SeamLink(nodeid="t.py::test_a", reason="marker"),),
    )
    finding = ALL_CODES["SEAM101"].finding("m", path="t.py", line=1)
    report = json.loads(render_json(_report([finding], (seam,))))
    _validate(report)  # as written, it is valid
    target: Any = report
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        _validate(report)


def test_markdown_table_cells_keep_a_pipe_inside_their_code_span() -> None:
    """A file name or node id with a `|` stays in its cell as code: GitHub splits table cells
    at every unescaped pipe, even inside a code span (found by the render property test)."""
    from markdown_it import MarkdownIt

    from pytest_seams.report.markdown import _cell_code

    hostile = "[x](http://e)|"
    table = f"| where | n |\n| --- | --- |\n| {_cell_code(hostile)} | 1 |\n"
    html = MarkdownIt("commonmark").enable("table").render(table)
    assert "<code>[x](http://e)|</code>" in html
    assert "<a " not in html
