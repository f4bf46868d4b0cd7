"""A price cache in front of the catalogue."""

from __future__ import annotations


class PriceCache:
    def __init__(self, store: dict[str, int] | None = None) -> None:
        self.store: dict[str, int] = {} if store is None else store

    def get_or_load(self, sku: str, load: object) -> int:
        if sku not in self.store:
            self.store[sku] = load(sku)  # type: ignore[operator]
        return self.store[sku]
