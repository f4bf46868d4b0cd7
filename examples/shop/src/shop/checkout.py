"""Checkout: prices a basket through the cache and records the order."""

from __future__ import annotations

from shop.cache import PriceCache
from shop.pricing import with_tax

CATALOGUE = {"apple": 100, "pear": 150}


class Checkout:
    def __init__(self, cache: PriceCache) -> None:
        self.cache = cache
        self.orders: list[int] = []

    def buy(self, skus: list[str]) -> int:
        total = sum(with_tax(self.cache.get_or_load(sku, CATALOGUE.__getitem__)) for sku in skus)
        self.orders.append(total)
        return total
