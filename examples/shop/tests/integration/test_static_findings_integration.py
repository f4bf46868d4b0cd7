"""Integration tests for receipts, with the habits the static rules catch."""

import os
from unittest.mock import patch

from shop.pricing import use_region, with_tax
from shop.receipts import receipt


class TestReceipts:
    """Receipts serialise the taxed total.

    Seam Under Test:
        pricing → receipts → json
    """

    def test_env_write_leaks(self):
        """Writes the environment directly (SEAM201); `seams fix` rewrites it.

        Integration Scope: receipts with the real pricing.
        Business Impact: Receipts must show the taxed total.
        Success Criteria: The receipt holds 120.
        """
        os.environ["SHOP_CURRENCY"] = "EUR"
        assert receipt(with_tax(100)) == '{"total": 120}'

    def test_region_helper_leaks_at_run_time(self):
        """Sets the tax region through shop.pricing.use_region, which writes the environment.

        No os.environ here, so static analysis cannot see it; at run time pytest-seams reports
        the leftover SHOP_TAX_REGION (SEAM701) and restores the environment for the next test.

        Integration Scope: receipts with the real pricing, in one tax region.
        Business Impact: Receipts must show the taxed total in every region.
        Success Criteria: The receipt holds 120.
        """
        use_region("EU")
        assert receipt(with_tax(100)) == '{"total": 120}'

    def test_internal_mock(self):
        """Mocks first-party pricing (SEAM301), so the seam under test never runs.

        Integration Scope: receipts and pricing.
        Business Impact: A mocked price hides pricing bugs.
        Success Criteria: The receipt holds the mocked total.
        """
        with patch("shop.pricing.with_tax", return_value=1):
            assert receipt(1) == '{"total": 1}'

    def test_boundary_mock_is_fine(self):
        """Mocks json through shop.receipts: a boundary mock, not flagged.

        Integration Scope: receipts up to the json boundary.
        Business Impact: Receipts must go through the serialiser.
        Success Criteria: The serialiser's output is returned.
        """
        with patch("shop.receipts.json.dumps", return_value="{}"):
            assert receipt(5) == "{}"

    def test_checks_nothing(self):
        """Calls the code but checks nothing (SEAM501, a warning).

        Integration Scope: receipts.
        Business Impact: A test without a check cannot fail for the right reason.
        Success Criteria: None, which is the problem.
        """
        receipt(3)
