"""Regenerate the generated pages of docs/: JSON Schema, finding codes, configuration.

Run ``python scripts/generate_docs.py``; the test suite fails when they are out of date.
"""

from __future__ import annotations

from pathlib import Path

from pytest_seams.reference import GENERATED_PAGES

DOCS = Path(__file__).resolve().parents[1] / "docs"

if __name__ == "__main__":
    for name, render in GENERATED_PAGES.items():
        (DOCS / name).write_text(render())
