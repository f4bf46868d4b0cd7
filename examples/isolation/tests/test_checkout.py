"""Checkout tests; one of them breaks when a settings test ran first (the victim)."""

import os


def test_totals_a_cart():
    assert sum([3, 4]) == 7


def test_charges_in_live_mode():
    assert os.environ.get("SHOP_MODE", "live") == "live"
