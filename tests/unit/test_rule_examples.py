"""Every rule's VALID and INVALID examples, run through the whole analysis of a real project."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_seams.analysis.engine import Rule
from pytest_seams.analysis.project import ProjectAnalysis
from pytest_seams.analysis.rules import RULE_TYPES
from pytest_seams.cache import AnalysisCache
from pytest_seams.config import Config

# The project the examples assume (see InternalMockRule's docstring).
SHOP = {
    "src/shop/__init__.py": "",
    "src/shop/cache.py": (
        "import logging\nimport redis.asyncio as aioredis\n\nTTL = 60\n"
        "log = logging.getLogger(__name__)\n\n\n"
        "class PriceCache:\n    def __init__(self):\n        self.store = {}\n"
    ),
    "src/shop/pricing.py": "def with_tax(cents):\n    return cents\n",
}

EXAMPLES = [
    pytest.param(rule, kind, index, example, id=f"{rule.__name__}-{kind}-{index}")
    for rule in RULE_TYPES
    for kind, examples in (("VALID", rule.VALID), ("INVALID", rule.INVALID))
    for index, example in enumerate(examples)
]


def expected(example: str) -> list[tuple[int, str]]:
    return sorted(
        (number, line.split("# expect:")[1].strip())
        for number, line in enumerate(example.splitlines(), start=1)
        if "# expect:" in line
    )


@pytest.mark.parametrize(("rule", "kind", "index", "example"), EXAMPLES)
def test_rule_example(
    tmp_path: Path, rule: type[Rule], kind: str, index: int, example: str
) -> None:
    for name, content in SHOP.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    test_file = tmp_path / "tests" / "integration" / "test_example.py"
    test_file.parent.mkdir(parents=True)
    test_file.write_text(example)
    analysis = ProjectAnalysis(Config(), tmp_path, AnalysisCache(None))
    codes = {code.code for code in rule.codes}
    found = sorted(
        (finding.line or 0, finding.code)
        for finding in analysis.check([test_file], []).findings
        if finding.code in codes
    )
    assert found == expected(example)
    if kind == "INVALID":
        assert found, "an INVALID example must show at least one finding"


def test_every_rule_has_examples_of_both_kinds() -> None:
    for rule in RULE_TYPES:
        assert rule.VALID, rule.__name__
        assert rule.INVALID, rule.__name__
        assert rule.__doc__, rule.__name__


def test_the_analysis_keeps_the_marks_of_marked_tests_only() -> None:
    from pytest_seams.analysis import analyze_source

    source = (
        "import pytest\n\n"
        "pytestmark = pytest.mark.slow\n\n\n"
        "def test_plain():\n    assert True\n\n\n"
        "@pytest.mark.integration\n"
        "class TestMarked:\n"
        "    @pytest.mark.parametrize('n', [1])\n"
        "    def test_case(self, n):\n        assert n\n"
    )
    marks = analyze_source(source, "tests/test_marks.py", None).marks
    assert marks == {
        "test_plain": ["slow"],
        "TestMarked.test_case": ["parametrize", "integration", "slow"],
    }
    unmarked = source.replace("pytestmark = pytest.mark.slow\n", "")
    assert analyze_source(unmarked, "tests/test_marks.py", None).marks == {
        "TestMarked.test_case": ["parametrize", "integration"]
    }
