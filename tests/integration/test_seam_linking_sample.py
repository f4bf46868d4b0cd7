"""The seam-linking sample (tests/data/seam-linking) in a real pytest session: the seams a
careful reader finds in its plans come out of the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import RunJson

SAMPLE = Path(__file__).parent.parent / "data" / "seam-linking"


class TestSeamLinkingSample:
    """The sample's three plans, its draft plan and its 29 integration tests.

    Seam Under Test:
        TEST_PLAN.md files under testpaths -> plan parser -> seams of the JSON report
    """

    def test_every_seam_priority_and_line_of_the_sample(
        self, pytester: pytest.Pytester, run_json: RunJson
    ) -> None:
        """Each in-scope plan's seams, in document order, with title, priority and line.

        Integration Scope: plan search under testpaths, markdown-it parsing of three plans
            (summary tables, detailed sections, priority headings and labels), the report.
        Business Impact: On a real backend the report counted 77 seams where a reader
            counts 54: drafts, table rows described again as sections, and headings that
            merely say "Critical" made the headline number wrong.
        Success Criteria:
            - the seams of each plan equal expected.json's, title, priority and line
            - the draft plan outside testpaths contributes no seam
            - the plans give no plan finding
        """
        shutil.copytree(SAMPLE, pytester.path, dirs_exist_ok=True)
        expected = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
        result, report = run_json("--collect-only", "-p", "no:randomly")
        assert result.ret == pytest.ExitCode.OK
        found: dict[str, list[dict[str, object]]] = {}
        for seam in report["seams"]:
            found.setdefault(seam["plan"], []).append(
                {"title": seam["title"], "priority": seam["priority"], "line": seam["line"]}
            )
        assert found == expected["plans"]
        assert not set(found) & set(expected["ignored_plans"])
        assert [f for f in report["findings"] if f["category"] == "plan"] == []

    def test_every_link_of_the_sample(self, pytester: pytest.Pytester, run_json: RunJson) -> None:
        """Each of the sample's 29 integration tests links to exactly the seams a reader links.

        Integration Scope: collection of seam markers and docstring clues, plan parsing of
            location fields, "# File:" lines and file trees, linking by evidence strength
            within plan scope, the JSON report's seam links.
        Business Impact: On a real backend only 43% of the tests a reader links were linked,
            and 41 tests were linked only to seams they do not cover; coverage was fiction.
        Success Criteria:
            - every node id of expected.json["links"] links to exactly its "plan#title" seams
            - every link carries the class of its evidence and the evidence itself
        """
        shutil.copytree(SAMPLE, pytester.path, dirs_exist_ok=True)
        expected = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
        result, report = run_json("--collect-only", "-p", "no:randomly")
        assert result.ret == pytest.ExitCode.OK
        found: dict[str, list[str]] = {nodeid: [] for nodeid in expected["links"]}
        for seam in report["seams"]:
            for link in seam["links"]:
                found.setdefault(link["nodeid"], []).append(f"{seam['plan']}#{seam['title']}")
                assert link["reason"] in ("marker", "docstring", "plan-file", "file-name")
                assert link["evidence"]
        assert found == {nodeid: link["seams"] for nodeid, link in expected["links"].items()}
