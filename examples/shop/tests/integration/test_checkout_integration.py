"""Integration tests for Checkout → PriceCache → pricing."""

import pytest

from shop.cache import PriceCache
from shop.checkout import Checkout


class TestCheckout:
    """Checkout prices baskets through the cache.

    Seam Under Test:
        Checkout → PriceCache → pricing

    Critical Paths:
        - First purchase loads prices into the cache
    """

    def test_purchase_fills_cache_and_records_order(self):
        """Buying loads prices through the cache and records the taxed total.

        Integration Scope:
            Checkout, PriceCache and pricing, all real.

        Business Impact:
            Wrong totals charge customers the wrong amount.

        Test Strategy:
            - Buy two items with an empty cache
            - Inspect the recorded order and the cache

        Success Criteria:
            - The total includes tax
            - Both prices are cached
        """
        cache = PriceCache()
        checkout = Checkout(cache)
        assert checkout.buy(["apple", "pear"]) == 300
        assert checkout.orders == [300]
        assert cache.store == {"apple": 100, "pear": 150}

    def test_unknown_item_is_rejected(self):
        """An unknown item fails the purchase and records nothing.

        Integration Scope: Checkout and PriceCache with the real catalogue.
        Business Impact: Orders for items we do not sell must not be recorded.
        Success Criteria: KeyError is raised and no order is stored.
        """
        checkout = Checkout(PriceCache())
        with pytest.raises(KeyError):
            checkout.buy(["durian"])
        assert checkout.orders == []
