"""``seams scaffold``: a new integration test module for one seam of a plan.

The module follows the philosophy's class-and-test template: a class whose docstring names the
seam under test and its critical paths, and one test whose docstring holds the contract's
sections, filled from the plan (components, business impact, scenarios or success criteria).
What the plan does not say is written as a sentence asking for it, never as a template
placeholder, so the module passes the docstring contract; the test body fails until written.
The test links to its seam with ``@pytest.mark.seam`` and counts as an integration test by the
``integration`` marker, wherever it is written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_seams.plan import PlanSeam


def module_name(seam: PlanSeam) -> str:
    """``test_<seam_slug>_integration.py``."""
    slug = re.sub(r"\W+", "_", seam.id.lower(), flags=re.ASCII).strip("_") or "seam"
    return f"test_{slug}_integration.py"


def _class_name(seam: PlanSeam) -> str:
    words = re.findall(r"[A-Za-z0-9]+", seam.title, flags=re.ASCII)
    name = "".join(word[:1].upper() + word[1:] for word in words) or "Seam"
    return f"Test{name}" if not name[0].isdigit() else f"TestSeam{name}"


def _text(value: str) -> str:
    """Plan text made safe inside a triple-quoted docstring."""
    return value.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()


def _bullets(items: list[str], indent: str) -> str:
    return "\n".join(f"{indent}- {_text(item)}" for item in items)


def render_module(seam: PlanSeam, marker: str | None = "integration") -> str:
    """The test module's source for ``seam``; ``marker``: the integration marker it carries
    (None: the project tells integration tests by path alone)."""
    where = f"{seam.plan}:{seam.line}"
    components = " → ".join(_text(c) for c in seam.components) or (
        f"The components this seam joins: {where} does not list them; name them here."
    )
    impact = _text(seam.business_impact or "") or (
        f"The plan ({where}) states no business impact: say what breaks for users when "
        "this seam fails."
    )
    criteria = seam.scenarios or [
        f"The plan ({where}) lists no scenarios: write the observable outcomes that prove "
        "this seam works."
    ]
    title = _text(seam.title)
    function = re.sub(r"\W+", "_", seam.id.lower(), flags=re.ASCII).strip("_") or "seam"
    priority = f" ({seam.priority})" if seam.priority else ""
    unwritten = f"not written yet: scaffolded by `seams scaffold` from {where}"
    mark = f"\npytestmark = pytest.mark.{marker}\n" if marker else ""
    about = f"{title}{priority}: seam {_text(seam.id)} of {_text(seam.plan)}"
    return f'''"""Integration tests for {about}."""

import pytest
{mark}

class {_class_name(seam)}:
    """
    Integration tests for {title}.

    Seam Under Test:
        {components}

    Critical Paths:
{_bullets(criteria, " " * 8)}
    """

    @pytest.mark.seam({seam.id!r})
    def test_{function}_works_end_to_end(self):
        """
        Test {title} across its components.

        Integration Scope:
            {components}

        Business Impact:
            {impact}

        Test Strategy:
            - Start from the entry point, with high-fidelity fakes at the boundaries
            - Drive each scenario of the plan through the real components
            - Verify the observable outcomes

        Success Criteria:
{_bullets(criteria, " " * 12)}
        """
        # Arrange: set up test data and state
        # Act: trigger the integration through its entry point
        # Assert: verify the observable outcomes
        pytest.fail({unwritten!r})
'''
