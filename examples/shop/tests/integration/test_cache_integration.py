"""Integration tests for PriceCache → catalogue, with docstrings that break the contract."""

import pytest

from shop.cache import PriceCache

pytestmark = pytest.mark.seam("PriceCache → catalogue")


def test_cache_hit_without_docstring():
    cache = PriceCache({"apple": 1})
    assert cache.get_or_load("apple", lambda sku: 2) == 1


def test_cache_miss_with_missing_sections():
    """A miss loads from the catalogue.

    Integration Scope:
        PriceCache and a loader function.
    """
    assert PriceCache().get_or_load("pear", lambda sku: 7) == 7


def test_cache_with_empty_section():
    """The cache keeps what it loaded.

    Integration Scope:
    Business Impact: Reloading prices on every call is slow.
    Success Criteria: The second call does not call the loader.
    """
    cache = PriceCache()
    cache.get_or_load("pear", lambda sku: 7)
    assert cache.get_or_load("pear", lambda sku: 8) == 7


def test_cache_from_unfilled_template():
    """Test [specific behavior] across [components].

    Integration Scope:
        [List components being integrated]

    Business Impact:
        [Why this integration matters]

    Success Criteria:
        - [Observable outcome 1]
    """
    assert PriceCache().store == {}
