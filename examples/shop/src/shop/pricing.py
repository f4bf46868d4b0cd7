"""Prices with tax. SHOP_TAX_RATE overrides the rate (try SHOP_TAX_RATE=0.25 to see a seam fail)."""

import os

TAX_RATE = 0.2


def with_tax(net_cents: int) -> int:
    rate = float(os.environ.get("SHOP_TAX_RATE", TAX_RATE))
    return round(net_cents * (1 + rate))


def use_region(region: str) -> None:
    """Select the tax region for later prices: a process-wide setting, kept in the environment.

    Tests that call it leave SHOP_TAX_REGION behind; pytest-seams reports that at run time
    (SEAM701), which static analysis of the tests cannot see.
    """
    os.environ["SHOP_TAX_REGION"] = region
