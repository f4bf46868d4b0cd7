"""Prices with tax. SHOP_TAX_RATE overrides the rate (try SHOP_TAX_RATE=0.25 to see a seam fail)."""

import os

TAX_RATE = 0.2


def with_tax(net_cents: int) -> int:
    rate = float(os.environ.get("SHOP_TAX_RATE", TAX_RATE))
    return round(net_cents * (1 + rate))
