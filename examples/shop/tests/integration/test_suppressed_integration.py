"""Integration tests for pricing → tax rules.

Their findings are suppressed on purpose; the first line links them to a seam of TEST_PLAN.md.
"""

import pytest

from shop.pricing import with_tax


def test_tax_rounding():  # seams: ignore[SEAM101]
    assert with_tax(5) == 6


@pytest.mark.seam_ignore("SEAM102", reason="being rewritten in PR 42")
class TestLegacyPricing:
    def test_zero(self):
        """Zero stays zero."""
        assert with_tax(0) == 0


def test_stale_suppression():  # seams: ignore[SEAM104]
    """Nothing here is a placeholder any more, so the comment above is reported as unused.

    Integration Scope: pricing.
    Business Impact: Tax must be charged.
    Success Criteria: 100 cents net cost 120 cents.
    """
    assert with_tax(100) == 120
