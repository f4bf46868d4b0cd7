import pytest

from shop.cache import PriceCache
from shop.checkout import Checkout


@pytest.mark.integration
def test_marked_as_integration():
    """Marked, so held to the contract although it lives under tests/unit.

    Integration Scope: Checkout and PriceCache.
    Business Impact: Totals must be right.
    """
    assert Checkout(PriceCache()).buy(["apple"]) == 120
