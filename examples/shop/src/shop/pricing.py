"""Prices with tax."""

TAX_RATE = 0.2


def with_tax(net_cents: int) -> int:
    return round(net_cents * (1 + TAX_RATE))
