from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pytest_seams.reference import GENERATED_PAGES

DOCS = Path(__file__).parents[2] / "docs"


@pytest.mark.parametrize(("name", "render"), GENERATED_PAGES.items(), ids=list(GENERATED_PAGES))
def test_generated_page_is_current(name: str, render: Callable[[], str]) -> None:
    assert (DOCS / name).read_text() == render(), "run: python scripts/generate_docs.py"
