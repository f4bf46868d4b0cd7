"""Order arithmetic."""


def test_order_total_includes_vat_per_line():
    """Order.total() adds VAT to each line before summing.

    Success Criteria:
        A 100.00 line at 20% VAT and a 50.00 zero-rated line total 170.00.
    """
    assert True


def test_discount_code_applied_before_tax():
    """
    Test that percentage discount codes reduce the net amount.

    Integration Scope:
        OrderService.apply_discount with in-memory PricingRules; no HTTP,
        no database.
    """
    assert True
